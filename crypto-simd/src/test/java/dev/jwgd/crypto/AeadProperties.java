package dev.jwgd.crypto;

import static dev.jwgd.crypto.TestData.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of every implementation (scalar, JDK, and the vector one at each forced width) over seeded random keys,
 * nonces, AAD, lengths (0 to 65535, biased to block and lane edges), heap and off-heap buffers. Every message names
 * the seed; replay one with {@code new SplittableRandom(seed)}.
 */
class AeadProperties {
    private static final int[] EDGES = {0, 1, 15, 16, 63, 64, 65, 127, 128, 129, 255, 256, 257, 511, 512, 1023, 1024,
            1420, 1440, 4096, 16384, 65535};
    private static final long[] COUNTERS = {0, 1, 0xffffffffL, 0x100000000L, -1L, -2L, Long.MIN_VALUE};

    static LongStream seeds(int n, long master) {
        SplittableRandom r = new SplittableRandom(master);
        return LongStream.generate(r::nextLong).limit(n);
    }

    static LongStream manySeeds() {
        return seeds(100, 0x6a77_6764L);
    }

    static LongStream someSeeds() {
        return seeds(40, 0x7467_7721L);
    }

    static int length(SplittableRandom r, int max) {
        int n = switch (r.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> EDGES[r.nextInt(EDGES.length)] + r.nextInt(3) - 1;
            case 5, 6, 7 -> r.nextInt(2048);
            case 8 -> r.nextInt(64) * 64 + r.nextInt(3) - 1;
            default -> r.nextInt(65536);
        };
        return Math.clamp(n, 0, max);
    }

    static long counter(SplittableRandom r) {
        return r.nextBoolean() ? COUNTERS[r.nextInt(COUNTERS.length)] + r.nextInt(3) : r.nextLong();
    }

    static byte[] aad(SplittableRandom r) {
        return r.nextBoolean() ? new byte[0] : TestData.random(r, r.nextInt(70));
    }

    private static MemorySegment segment(Arena arena, SplittableRandom r, long size) {
        return r.nextBoolean() ? arena.allocate(size, 1) : MemorySegment.ofArray(new byte[(int) size]);
    }

    @ParameterizedTest
    @MethodSource("manySeeds")
    void everyImplementationSealsLikeBouncyCastleInPlaceAndOpensBack(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] key = TestData.random(r, 32);
        boolean wireGuard = r.nextBoolean();
        long counter = counter(r);
        byte[] nonce = wireGuard ? TestData.wireGuardNonce(counter) : TestData.random(r, 12);
        byte[] aad = aad(r);
        byte[] plain = TestData.random(r, length(r, 65535));
        byte[] expected = TestData.bcSeal(key, nonce, aad, plain);
        try (Arena arena = Arena.ofConfined()) {
            for (Aead aead : TestData.implementations()) {
                String where = aead.name() + " seed " + seed + " length " + plain.length;
                int offset = r.nextInt(100);
                int slack = r.nextInt(100);
                MemorySegment buf = segment(arena, r, offset + plain.length + 16L + slack);
                byte[] around = TestData.random(r, (int) buf.byteSize());
                MemorySegment.copy(around, 0, buf, ValueLayout.JAVA_BYTE, 0, around.length);
                MemorySegment.copy(plain, 0, buf, ValueLayout.JAVA_BYTE, offset, plain.length);
                MemorySegment k = TestData.offHeap(arena, key);
                MemorySegment a = aad.length == 0 && r.nextBoolean() ? MemorySegment.NULL : TestData.heap(aad);
                if (wireGuard) {
                    aead.seal(k, counter, a, buf, offset, plain.length);
                } else {
                    aead.seal(k, MemorySegment.ofArray(nonce), a, buf, offset, plain.length);
                }
                // In place equals BouncyCastle's out-of-place result, and nothing around the packet changed.
                assertArrayEquals(expected, bytes(buf, offset, expected.length), where);
                assertArrayEquals(java.util.Arrays.copyOf(around, offset), bytes(buf, 0, offset), where + " before");
                assertArrayEquals(java.util.Arrays.copyOfRange(around, offset + expected.length, around.length),
                        bytes(buf, offset + expected.length, slack), where + " after");
                boolean ok = wireGuard ? aead.open(k, counter, a, buf, offset, expected.length)
                        : aead.open(k, MemorySegment.ofArray(nonce), a, buf, offset, expected.length);
                assertTrue(ok, where + " open");
                assertArrayEquals(plain, bytes(buf, offset, plain.length), where + " plaintext");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("manySeeds")
    void flippingAnyBitOfCiphertextTagOrAadMakesOpenFailWithTheBufferUntouched(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] key = TestData.random(r, 32);
        long counter = counter(r);
        byte[] aad = aad(r);
        byte[] plain = TestData.random(r, length(r, 4096));
        byte[] sealed = TestData.bcSeal(key, TestData.wireGuardNonce(counter), aad, plain);
        int where = r.nextInt(sealed.length + aad.length);
        int bit = 1 << r.nextInt(8);
        byte[] badSealed = sealed.clone();
        byte[] badAad = aad.clone();
        if (where < sealed.length) {
            badSealed[where] ^= (byte) bit;
        } else {
            badAad[where - sealed.length] ^= (byte) bit;
        }
        assertEquals(null, TestData.bcOpen(key, TestData.wireGuardNonce(counter), badAad, badSealed));
        for (Aead aead : TestData.implementations()) {
            String what = aead.name() + " seed " + seed + " byte " + where + " of " + sealed.length + "+" + aad.length;
            MemorySegment buf = TestData.heap(badSealed);
            assertFalse(aead.open(TestData.heap(key), counter, TestData.heap(badAad), buf, 0, sealed.length), what);
            assertArrayEquals(badSealed, bytes(buf, 0, sealed.length), what + ": buffer must be untouched");
            AeadBatch one = new AeadBatch(1);
            one.add(TestData.heap(key), counter, TestData.heap(badAad), buf, 0, sealed.length);
            aead.openBatch(one);
            assertFalse(one.ok(0), what + " batched");
            assertArrayEquals(badSealed, bytes(buf, 0, sealed.length), what + ": buffer must be untouched (batch)");
        }
    }

    @ParameterizedTest
    @MethodSource("someSeeds")
    void aBatchOfMixedPacketsGivesTheSameBytesAsThePacketsOneByOne(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1 + r.nextInt(r.nextBoolean() ? 16 : 90);
        byte[][] keys = {TestData.random(r, 32), TestData.random(r, 32), TestData.random(r, 32)};
        int[] keyOf = new int[n];
        int[] lengths = new int[n];
        long[] counters = new long[n];
        byte[][] aads = new byte[n][];
        byte[][] plains = new byte[n][];
        byte[][] expected = new byte[n][];
        for (int i = 0; i < n; i++) {
            keyOf[i] = r.nextInt(keys.length);
            lengths[i] = r.nextInt(4) == 0 ? length(r, 2000) : r.nextInt(200);
            counters[i] = counter(r);
            aads[i] = r.nextInt(4) == 0 ? aad(r) : new byte[0];
            plains[i] = TestData.random(r, lengths[i]);
            expected[i] = TestData.bcSeal(keys[keyOf[i]], TestData.wireGuardNonce(counters[i]), aads[i], plains[i]);
        }
        boolean[] corrupt = new boolean[n];
        for (Aead aead : TestData.implementations()) {
            String where = aead.name() + " seed " + seed + " packets " + n;
            try (Arena arena = Arena.ofConfined()) {
                // Packets share one pool segment (at 2 KiB slots) or have their own, heap or off-heap. Half the
                // batches are off-heap only, as on the data path: the vector implementation copies a heap packet
                // off-heap and handles it alone, so only those batches reach its multi-packet kernel calls.
                boolean offHeapOnly = r.nextBoolean();
                MemorySegment pool = offHeapOnly ? arena.allocate(n * 2048L, 1) : segment(arena, r, n * 2048L);
                MemorySegment[] bufs = new MemorySegment[n];
                long[] offs = new long[n];
                MemorySegment[] keySegs = {TestData.offHeap(arena, keys[0]), TestData.offHeap(arena, keys[1]),
                        offHeapOnly ? TestData.offHeap(arena, keys[2]) : TestData.heap(keys[2])};
                AeadBatch batch = new AeadBatch(n);
                for (int i = 0; i < n; i++) {
                    boolean shared = r.nextBoolean();
                    bufs[i] = shared ? pool : offHeapOnly ? arena.allocate(lengths[i] + 16L + 7, 1)
                            : segment(arena, r, lengths[i] + 16L + 7);
                    offs[i] = shared ? i * 2048L + r.nextInt(8) : r.nextInt(8);
                    MemorySegment.copy(plains[i], 0, bufs[i], ValueLayout.JAVA_BYTE, offs[i], lengths[i]);
                    batch.add(keySegs[keyOf[i]], counters[i], aads[i].length == 0 ? MemorySegment.NULL
                            : TestData.heap(aads[i]), bufs[i], offs[i], lengths[i]);
                }
                aead.sealBatch(batch);
                for (int i = 0; i < n; i++) {
                    assertTrue(batch.ok(i), where + " packet " + i);
                    assertArrayEquals(expected[i], bytes(bufs[i], offs[i], expected[i].length),
                            where + " packet " + i + " of length " + lengths[i]);
                }
                batch.clear();
                for (int i = 0; i < n; i++) {
                    corrupt[i] = r.nextInt(5) == 0;
                    if (corrupt[i]) {
                        long at = offs[i] + r.nextInt(lengths[i] + 16);
                        bufs[i].set(ValueLayout.JAVA_BYTE, at, (byte) (bufs[i].get(ValueLayout.JAVA_BYTE, at) ^ 1));
                    }
                    batch.add(keySegs[keyOf[i]], counters[i], aads[i].length == 0 ? MemorySegment.NULL
                            : TestData.heap(aads[i]), bufs[i], offs[i], lengths[i] + 16);
                }
                aead.openBatch(batch);
                int failures = 0;
                for (int i = 0; i < n; i++) {
                    assertEquals(!corrupt[i], batch.ok(i), where + " packet " + i);
                    if (corrupt[i]) {
                        failures++;
                        byte[] now = bytes(bufs[i], offs[i], expected[i].length);
                        int diff = 0;
                        for (int j = 0; j < now.length; j++) {
                            diff += Integer.bitCount((now[j] ^ expected[i][j]) & 0xff);
                        }
                        assertEquals(1, diff, where + " packet " + i + " must stay as it was (one flipped bit)");
                    } else {
                        assertArrayEquals(plains[i], bytes(bufs[i], offs[i], lengths[i]), where + " packet " + i);
                    }
                }
                assertEquals(failures, batch.failures(), where);
            }
        }
    }

    /**
     * Batches of short off-heap packets, as the data path hands over ACKs and keepalives: the vector implementation
     * authenticates them several at a time, one packet per lane (lengths 0 to 300 B so that some take the per-packet
     * path, AAD up to 64 B so that some exceed the lane kernel's limit). Each packet must equal BouncyCastle's, and
     * open must reject exactly the packets with a flipped bit, leaving them as they were.
     */
    @ParameterizedTest
    @MethodSource("manySeeds")
    void aBatchOfShortPacketsSealsAndOpensLikeBouncyCastleAndRejectsExactlyTheFlippedOnes(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 2 + r.nextInt(70);
        int maxLength = r.nextBoolean() ? 80 : 300;
        byte[][] keys = {TestData.random(r, 32), TestData.random(r, 32)};
        int[] keyOf = new int[n];
        long[] counters = new long[n];
        byte[][] aads = new byte[n][];
        byte[][] plains = new byte[n][];
        byte[][] expected = new byte[n][];
        for (int i = 0; i < n; i++) {
            keyOf[i] = r.nextInt(keys.length);
            counters[i] = counter(r);
            aads[i] = r.nextInt(3) == 0 ? TestData.random(r, r.nextInt(65)) : new byte[0];
            plains[i] = TestData.random(r, r.nextInt(maxLength + 1));
            expected[i] = TestData.bcSeal(keys[keyOf[i]], TestData.wireGuardNonce(counters[i]), aads[i], plains[i]);
        }
        for (Aead aead : TestData.vectorImplementations()) {
            String where = aead.name() + " seed " + seed + " packets " + n;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pool = arena.allocate(n * 512L, 64);
                MemorySegment[] keySegs = {TestData.offHeap(arena, keys[0]), TestData.offHeap(arena, keys[1])};
                AeadBatch batch = new AeadBatch(n);
                for (int i = 0; i < n; i++) {
                    MemorySegment.copy(plains[i], 0, pool, ValueLayout.JAVA_BYTE, i * 512L, plains[i].length);
                    batch.add(keySegs[keyOf[i]], counters[i], aads[i].length == 0 ? MemorySegment.NULL
                            : TestData.offHeap(arena, aads[i]), pool, i * 512L, plains[i].length);
                }
                aead.sealBatch(batch);
                for (int i = 0; i < n; i++) {
                    assertTrue(batch.ok(i), where + " packet " + i);
                    assertArrayEquals(expected[i], bytes(pool, i * 512L, expected[i].length),
                            where + " packet " + i + " of length " + plains[i].length + " aad " + aads[i].length);
                }
                boolean[] corrupt = new boolean[n];
                batch.clear();
                for (int i = 0; i < n; i++) {
                    corrupt[i] = r.nextInt(4) == 0;
                    if (corrupt[i]) {
                        long at = i * 512L + r.nextInt(expected[i].length);
                        byte flipped = (byte) (pool.get(ValueLayout.JAVA_BYTE, at) ^ (1 << r.nextInt(8)));
                        pool.set(ValueLayout.JAVA_BYTE, at, flipped);
                    }
                    batch.add(keySegs[keyOf[i]], counters[i], aads[i].length == 0 ? MemorySegment.NULL
                            : TestData.offHeap(arena, aads[i]), pool, i * 512L, expected[i].length);
                }
                aead.openBatch(batch);
                for (int i = 0; i < n; i++) {
                    assertEquals(!corrupt[i], batch.ok(i), where + " packet " + i + " ok");
                    if (corrupt[i]) {
                        byte[] now = bytes(pool, i * 512L, expected[i].length);
                        int diff = 0;
                        for (int j = 0; j < now.length; j++) {
                            diff += Integer.bitCount((now[j] ^ expected[i][j]) & 0xff);
                        }
                        assertEquals(1, diff, where + " packet " + i + " must stay as it was (one flipped bit)");
                    } else {
                        assertArrayEquals(plains[i], bytes(pool, i * 512L, plains[i].length), where + " packet " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("someSeeds")
    void everyVectorWidthGivesTheSameBytes(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] key = TestData.random(r, 32);
        long counter = counter(r);
        byte[] plain = TestData.random(r, length(r, 20000));
        byte[] first = null;
        for (Aead aead : TestData.vectorImplementations()) {
            MemorySegment buf = MemorySegment.ofArray(java.util.Arrays.copyOf(plain, plain.length + 16));
            aead.seal(TestData.heap(key), counter, MemorySegment.NULL, buf, 0, plain.length);
            byte[] got = bytes(buf, 0, plain.length + 16);
            if (first == null) {
                first = got;
            } else {
                assertArrayEquals(first, got, aead.name() + " seed " + seed + " length " + plain.length);
            }
        }
        assertNotNull(first);
        List<Aead> others = List.of(AeadProvider.scalar(), AeadProvider.jdk());
        for (Aead aead : others) {
            MemorySegment buf = MemorySegment.ofArray(java.util.Arrays.copyOf(plain, plain.length + 16));
            aead.seal(TestData.heap(key), counter, MemorySegment.NULL, buf, 0, plain.length);
            assertArrayEquals(first, bytes(buf, 0, plain.length + 16), aead.name() + " seed " + seed);
        }
    }
}
