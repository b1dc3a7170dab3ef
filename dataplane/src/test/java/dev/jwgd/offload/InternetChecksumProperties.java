package dev.jwgd.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The scalar and vector checksums agree with the reference on random data, lengths and offsets. */
class InternetChecksumProperties {
    static LongStream seeds() {
        return new SplittableRandom(0x0ff10adL).longs(24);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void scalarAndVectorEqualTheReferenceAtAnyLengthOffsetAndInitialValue(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = arena.allocate(65535 + 64);
            MemorySegment heap = MemorySegment.ofArray(new byte[65535 + 64]);
            for (int round = 0; round < 12; round++) {
                // Short, around-a-vector and up to the largest packet lengths.
                int len = switch (round % 4) {
                    case 0 -> r.nextInt(0, 64);
                    case 1 -> r.nextInt(64, 600);
                    case 2 -> r.nextInt(600, 9000);
                    default -> r.nextInt(9000, 65536);
                };
                int off = r.nextInt(0, 64);
                int initial = r.nextInt(4) == 0 ? 0 : r.nextInt();
                MemorySegment s = round % 2 == 0 ? native_ : heap;
                for (int i = 0; i < len; i++) s.set(ValueLayout.JAVA_BYTE, off + i, (byte) r.nextInt());
                if (r.nextInt(5) == 0) s.asSlice(off, len).fill((byte) 0xff);   // the carry-heavy extreme
                int expected = InternetChecksum.sumReference(s, off, len, initial);
                String at = "seed " + seed + ", round " + round + ", len " + len + ", off " + off + ", initial " + initial;
                assertEquals(expected, InternetChecksum.sumScalar(s, off, len, initial), "scalar, " + at);
                assertEquals(expected, InternetChecksum.sumVector(s, off, len, initial), "vector, " + at);
                assertEquals(expected, InternetChecksum.sum(s, off, len, initial), "chosen, " + at);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aSumSplitAtAnEvenPointAndChainedThroughInitialEqualsTheWholeSum(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] data = new byte[r.nextInt(2, 4000)];
        r.nextBytes(data);
        MemorySegment s = MemorySegment.ofArray(data);
        int cut = r.nextInt(0, data.length / 2) * 2;
        int whole = InternetChecksum.sum(s, 0, data.length, 0);
        int chained = InternetChecksum.sum(s, cut, data.length - cut, InternetChecksum.sum(s, 0, cut, 0));
        assertEquals(whole, chained, "seed " + seed + ", len " + data.length + ", cut " + cut);
    }
}
