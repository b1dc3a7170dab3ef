package dev.jwgd.ffm.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ring bookkeeping (SQ tail and CQ head wrapping around their masks, SQ-full detection, publishing
 * only at submit) holds for random ring sizes, setup flags and batch shapes: every prepared SQE
 * completes exactly once, in order, with its own user data, and nothing else completes.
 */
class IoUringRingProperties {
    static LongStream seeds() {
        return new SplittableRandom(0x0b1e_5eedL).longs(40);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everySqeCompletesExactlyOnceInOrderWhateverTheBatchShape(long seed) throws Exception {
        assumeTrue(IoUring.isAvailable(), () -> IoUring.support().summary());
        SplittableRandom rnd = new SplittableRandom(seed);
        int sq = 1 << rnd.nextInt(1, 6);                 // 2..32
        int cq = sq * (1 << rnd.nextInt(1, 3));          // 2x or 4x
        int flags = rnd.nextBoolean() ? IoUring.recommendedFlags() : 0;
        try (IoUring ring = IoUring.create(sq, cq, flags)) {
            long[] next = {0};   // the user data expected next
            long prepared = 0;
            int rounds = rnd.nextInt(5, 60);
            for (int r = 0; r < rounds; r++) {
                int want = rnd.nextInt(0, sq + 3);
                int got = 0;
                while (got < want && ring.prepNop(prepared)) {
                    prepared++;
                    got++;
                }
                assertEquals(Math.min(want, sq), got, "seed " + seed + ": SQ of " + sq + " takes " + Math.min(want, sq));
                int submitted = ring.submitAndWait(got);
                assertEquals(got, submitted, "seed " + seed + ": submitted");
                int drained = ring.drain((userData, res, f) -> {
                    assertEquals(next[0], userData, "seed " + seed + ": completion order");
                    assertEquals(0, res, "seed " + seed + ": NOP result");
                    next[0]++;
                });
                assertEquals(got, drained, "seed " + seed + ": completions for round " + r);
                assertEquals(0, ring.cqReady(), "seed " + seed + ": nothing left over");
                assertTrue(ring.sqSpace() == sq, "seed " + seed + ": SQ empty again");
            }
            assertEquals(prepared, next[0], "seed " + seed);
        }
    }
}
