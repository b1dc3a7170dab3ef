package dev.jwgd.offload;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Internet checksum with the Vector API: each lane loads a native-order 32-bit word and adds
 * its two 16-bit halves into an int accumulator; the accumulators are folded to long before any
 * lane can overflow, and the tail goes through the scalar loop. The only class of the package that
 * references {@code jdk.incubator.vector}; {@link InternetChecksum} decides whether it is used.
 * No helper methods take or return vectors (crypto.md §7.2: they get boxed).
 */
final class VectorInternetChecksum {
    private VectorInternetChecksum() {}

    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /**
     * Steps between folds: four accumulators each gain at most 2 × 0xffff per step, so after 16 384
     * steps a lane holds less than 2^31 and the unsigned fold below is exact.
     */
    private static final int STEPS_PER_BLOCK = 16_384;

    static int bits() {
        return S.vectorBitSize();
    }

    static int sum(MemorySegment s, long off, int len, int initial) {
        int step = S.vectorByteSize();
        int unrolled = step * 2;
        long acc = 0;
        int i = 0;
        while (len - i >= unrolled) {
            IntVector a = IntVector.zero(S);
            IntVector b = IntVector.zero(S);
            int blockEnd = i + Math.min(len - i, STEPS_PER_BLOCK * unrolled);
            for (; i + unrolled <= blockEnd; i += unrolled) {
                IntVector v = IntVector.fromMemorySegment(S, s, off + i, ORDER);
                IntVector w = IntVector.fromMemorySegment(S, s, off + i + step, ORDER);
                a = a.add(v.and(0xffff)).add(v.lanewise(VectorOperators.LSHR, 16));
                b = b.add(w.and(0xffff)).add(w.lanewise(VectorOperators.LSHR, 16));
            }
            // Each lane < 2^31: fold it to 17 bits first, so the int reduction cannot overflow.
            IntVector f = a.and(0xffff).add(a.lanewise(VectorOperators.LSHR, 16))
                    .add(b.and(0xffff)).add(b.lanewise(VectorOperators.LSHR, 16));
            acc += Integer.toUnsignedLong(f.reduceLanes(VectorOperators.ADD));
        }
        // i is even, so the scalar tail keeps every word at its native-order position.
        acc += InternetChecksum.nativeSum(s, off + i, len - i);
        return InternetChecksum.finish(acc, initial);
    }
}
