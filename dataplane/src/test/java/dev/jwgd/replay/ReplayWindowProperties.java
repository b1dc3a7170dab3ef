package dev.jwgd.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jwgd.protocol.Protocol;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ring against a model that remembers every accepted counter in a set: a counter is accepted
 * iff it is below the limit, not in the set, and at most {@link ReplayWindow#WINDOW_SIZE} behind
 * the highest accepted counter. Counter sequences mix in-order runs, reordering inside the window,
 * duplicates, jumps of many rings, counters just outside the window, and counters near the limit
 * and above 2^63. A failure prints the seed and the step; rerun with that seed in {@link #seeds}.
 */
class ReplayWindowProperties {
    private static final long WINDOW = ReplayWindow.WINDOW_SIZE;
    private static final long LIMIT = Protocol.REJECT_AFTER_MESSAGES;

    static LongStream seeds() {
        long base = new SplittableRandom(0x5EEDL).nextLong();
        return LongStream.range(0, 64).map(i -> base + i * 0x9E3779B97F4A7C15L);
    }

    /** The obviously correct filter: a set of all accepted counters. */
    private static final class Model {
        final Set<Long> seen = new HashSet<>();
        long last;

        boolean accept(long c) {
            if (Long.compareUnsigned(c, LIMIT) >= 0) return false;
            if (Long.compareUnsigned(c, last) <= 0 && Long.compareUnsigned(last - c, WINDOW) > 0) return false;
            if (!seen.add(c)) return false;
            if (Long.compareUnsigned(c, last) > 0) last = c;
            return true;
        }
    }

    private static long next(SplittableRandom r, Model m) {
        long last = m.last;
        return switch (r.nextInt(12)) {
            case 0, 1, 2 -> last + 1 + r.nextInt(3); // in order
            case 3, 4 -> last - r.nextLong(WINDOW + 70); // reordered, some just outside the window
            case 5 -> last - WINDOW + r.nextInt(-2, 3); // the window's edge
            case 6 -> last + r.nextLong(1, 64 * 300); // jumps up to a few rings
            case 7 -> m.seen.isEmpty() ? 0 : last - r.nextInt(64); // likely duplicates
            case 8 -> LIMIT + r.nextInt(-5, 5); // the limit
            case 9 -> r.nextLong(); // anything, often above 2^63 (unsigned)
            case 10 -> last; // the highest again
            default -> r.nextLong(Math.max(1, last + 1)); // anywhere below, mostly far behind
        };
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void ringAgreesWithASetOfSeenCountersForRandomSequences(long seed) {
        var r = new SplittableRandom(seed);
        var window = new ReplayWindow();
        var model = new Model();
        if (r.nextBoolean()) {
            // Start high sometimes, so that sequences run through the limit and above 2^63.
            long start = r.nextBoolean() ? LIMIT - 20_000 : Long.MAX_VALUE - 10_000;
            assertEquals(model.accept(start), window.accept(start), "seed " + seed + " start");
        }
        for (int step = 0; step < 3000; step++) {
            long c = next(r, model);
            boolean expected = model.accept(c);
            int s = step;
            assertEquals(expected, window.accept(c),
                    () -> "seed " + seed + " step " + s + " counter " + Long.toUnsignedString(c)
                            + " last " + Long.toUnsignedString(model.last));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyOffsetAroundTheWindowEdgeBehavesLikeTheModelAfterAnyAdvance(long seed) {
        var r = new SplittableRandom(seed);
        var window = new ReplayWindow();
        var model = new Model();
        long top = r.nextLong(0, 1L << 40);
        assertEquals(model.accept(top), window.accept(top), "seed " + seed);
        // Exhaustive over the offsets just inside and outside the window, in a random order of halves.
        long from = Math.max(0, top - WINDOW - 3);
        boolean down = r.nextBoolean();
        for (long i = 0; i <= top - from; i++) {
            long c = down ? top - i : from + i;
            long cc = c;
            assertEquals(model.accept(c), window.accept(c), () -> "seed " + seed + " counter " + cc + " top " + top);
        }
    }
}
