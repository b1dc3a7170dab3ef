package dev.jwgd.crypto.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jwgd.crypto.ChaCha20;
import dev.jwgd.crypto.Poly1305;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated kernels of each width against the scalar reference, directly: ChaCha20 with a different packet (key,
 * nonce, counter) in every lane, Poly1305 over many chunks, and Poly1305 with a different key and message length in
 * every lane, with extreme keys and messages. Seeds are in every message.
 */
class VectorKernelProperties {
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    static LongStream seeds() {
        SplittableRandom r = new SplittableRandom(0x6b65726eL);
        return LongStream.generate(r::nextLong).limit(30);
    }

    private interface Kernel {
        void fill(int[] table, int from, int to, MemorySegment key, int firstBlock, int n0, long n12);

        void blocks(int[] table, MemorySegment ks);
    }

    private static Kernel chacha(int bits) {
        return switch (bits) {
            case 512 -> new Kernel() {
                public void fill(int[] t, int f, int to, MemorySegment k, int b, int n0, long n12) {
                    ChaCha20V512.fill(t, f, to, k, b, n0, n12);
                }

                public void blocks(int[] t, MemorySegment ks) {
                    ChaCha20V512.blocks(t, ks);
                }
            };
            case 256 -> new Kernel() {
                public void fill(int[] t, int f, int to, MemorySegment k, int b, int n0, long n12) {
                    ChaCha20V256.fill(t, f, to, k, b, n0, n12);
                }

                public void blocks(int[] t, MemorySegment ks) {
                    ChaCha20V256.blocks(t, ks);
                }
            };
            default -> new Kernel() {
                public void fill(int[] t, int f, int to, MemorySegment k, int b, int n0, long n12) {
                    ChaCha20V128.fill(t, f, to, k, b, n0, n12);
                }

                public void blocks(int[] t, MemorySegment ks) {
                    ChaCha20V128.blocks(t, ks);
                }
            };
        };
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void chaCha20KernelsComputeEveryLanesOwnBlockLikeTheScalarCode(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            for (int bits : new int[] {512, 256, 128}) {
                int lanes = bits / 32;
                Kernel k = chacha(bits);
                int[] table = new int[256];
                MemorySegment ks = arena.allocate(1024, 64);
                MemorySegment[] keys = new MemorySegment[lanes];
                int[] counters = new int[lanes];
                int[] n0 = new int[lanes];
                long[] n12 = new long[lanes];
                // Runs of random length, each its own packet, as the batch code fills them.
                for (int lane = 0; lane < lanes; ) {
                    int run = 1 + r.nextInt(lanes - lane);
                    MemorySegment key = arena.allocate(32);
                    for (int i = 0; i < 32; i++) {
                        key.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
                    }
                    int first = r.nextBoolean() ? r.nextInt(4) : r.nextInt();
                    int a = r.nextInt();
                    long b = r.nextLong();
                    k.fill(table, lane, lane + run, key, first, a, b);
                    for (int j = 0; j < run; j++) {
                        keys[lane + j] = key;
                        counters[lane + j] = first + j;
                        n0[lane + j] = a;
                        n12[lane + j] = b;
                    }
                    lane += run;
                }
                k.blocks(table, ks);
                MemorySegment want = arena.allocate(64);
                for (int lane = 0; lane < lanes; lane++) {
                    ChaCha20.block(keys[lane], 0, n0[lane], n12[lane], counters[lane], want, 0);
                    assertArrayEquals(want.toArray(ValueLayout.JAVA_BYTE),
                            ks.asSlice(lane * 64L, 64).toArray(ValueLayout.JAVA_BYTE),
                            bits + "-bit lane " + lane + " seed " + seed);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void chaCha20KernelsForOnePacketsConsecutiveBlocksMatchTheScalarCode(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(32);
            for (int i = 0; i < 32; i++) {
                key.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
            }
            int first = r.nextBoolean() ? r.nextInt(40) : -1 - r.nextInt(20);
            int n0 = r.nextBoolean() ? 0 : r.nextInt();
            long n12 = r.nextLong();
            MemorySegment ks = arena.allocate(1024, 64);
            MemorySegment want = arena.allocate(64);
            for (int bits : new int[] {512, 256, 128}) {
                switch (bits) {
                    case 512 -> ChaCha20V512.blocks(key, first, n0, n12, ks);
                    case 256 -> ChaCha20V256.blocks(key, first, n0, n12, ks);
                    default -> ChaCha20V128.blocks(key, first, n0, n12, ks);
                }
                for (int lane = 0; lane < bits / 32; lane++) {
                    ChaCha20.block(key, 0, n0, n12, first + lane, want, 0);
                    assertArrayEquals(want.toArray(ValueLayout.JAVA_BYTE),
                            ks.asSlice(lane * 64L, 64).toArray(ValueLayout.JAVA_BYTE),
                            bits + "-bit lane " + lane + " from block " + first + " seed " + seed);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void poly1305KernelsGiveTheScalarTag(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(32);
            MemorySegment msg = arena.allocate(4096 + 64);
            int style = r.nextInt(3);
            for (int i = 0; i < 32; i++) {
                key.set(ValueLayout.JAVA_BYTE, i, style == 0 ? (byte) 0xff : (byte) r.nextInt());
            }
            for (int i = 0; i < 4096 + 64; i++) {
                msg.set(ValueLayout.JAVA_BYTE, i, style == 1 ? (byte) 0xff : (byte) r.nextInt());
            }
            int prefix = 16 * r.nextInt(4);
            for (int bits : new int[] {512, 256, 128}) {
                int chunk = switch (bits) {
                    case 512 -> Poly1305V512.CHUNK;
                    case 256 -> Poly1305V256.CHUNK;
                    default -> Poly1305V128.CHUNK;
                };
                long chunks = 1 + r.nextInt(4096 / chunk);
                Poly1305 scalar = new Poly1305();
                scalar.init(key, 0);
                scalar.blocks(msg, 0, (prefix + chunks * chunk) / 16);
                scalar.finish();

                Poly1305 vector = new Poly1305();
                vector.init(key, 0);
                vector.blocks(msg, 0, prefix / 16);
                long[] st = new long[Poly1305.VEC_STATE_LONGS];
                vector.exportForVector(st, chunk / 16);
                switch (bits) {
                    case 512 -> Poly1305V512.blocks(msg, prefix, chunks, st);
                    case 256 -> Poly1305V256.blocks(msg, prefix, chunks, st);
                    default -> Poly1305V128.blocks(msg, prefix, chunks, st);
                }
                vector.importFromVector(st);
                vector.finish();
                String where = bits + "-bit, " + chunks + " chunks after " + prefix + " B, style " + style
                        + ", seed " + seed;
                assertEquals(scalar.tag0(), vector.tag0(), where);
                assertEquals(scalar.tag1(), vector.tag1(), where);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void poly1305LaneKernelsGiveEachLanesMessageTheScalarTag(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            for (int bits : new int[] {512, 256, 128}) {
                int lanes = bits / 64;
                int style = r.nextInt(3);
                MemorySegment keys = arena.allocate(32L * lanes);
                MemorySegment msgs = arena.allocate(16L * 20 * lanes);
                for (long i = 0; i < keys.byteSize(); i++) {
                    keys.set(ValueLayout.JAVA_BYTE, i, style == 0 ? (byte) 0xff : (byte) r.nextInt());
                }
                for (long i = 0; i < msgs.byteSize(); i++) {
                    msgs.set(ValueLayout.JAVA_BYTE, i, style == 1 ? (byte) 0xff : (byte) r.nextInt());
                }
                // Lane j: n[j] whole blocks, every one with the 2^128 bit (as the AEAD pads), ending at the last step.
                int[] n = new int[lanes];
                int steps = 0;
                for (int j = 0; j < lanes; j++) {
                    n[j] = 1 + r.nextInt(r.nextBoolean() ? 5 : 20);
                    steps = Math.max(steps, n[j]);
                }
                long[] staged = new long[steps * 3 * lanes];
                long[] rLimbs = new long[5 * lanes];
                long[] h = new long[5 * lanes];
                for (int j = 0; j < lanes; j++) {
                    Poly1305.clampedRLimbs(keys, 32L * j, rLimbs, j, lanes);
                    for (int b = 0; b < n[j]; b++) {
                        int at = (steps - n[j] + b) * 3 * lanes + j;
                        long block = 16L * (20 * j + b);
                        staged[at] = msgs.get(LE_LONG, block);
                        staged[at + lanes] = msgs.get(LE_LONG, block + 8);
                        staged[at + 2 * lanes] = 1L << 24;
                    }
                }
                switch (bits) {
                    case 512 -> Poly1305LanesV512.blocks(staged, steps, rLimbs, h);
                    case 256 -> Poly1305LanesV256.blocks(staged, steps, rLimbs, h);
                    default -> Poly1305LanesV128.blocks(staged, steps, rLimbs, h);
                }
                for (int j = 0; j < lanes; j++) {
                    Poly1305 scalar = new Poly1305();
                    scalar.init(keys, 32L * j);
                    scalar.blocks(msgs, 16L * 20 * j, n[j]);
                    scalar.finish();
                    Poly1305 vector = new Poly1305();
                    vector.init(keys, 32L * j);
                    vector.importLimbs(h[j], h[lanes + j], h[2 * lanes + j], h[3 * lanes + j], h[4 * lanes + j]);
                    vector.finish();
                    String where = bits + "-bit lane " + j + " of " + n[j] + " blocks (" + steps + " steps), style "
                            + style + ", seed " + seed;
                    assertEquals(scalar.tag0(), vector.tag0(), where);
                    assertEquals(scalar.tag1(), vector.tag1(), where);
                }
            }
        }
    }
}
