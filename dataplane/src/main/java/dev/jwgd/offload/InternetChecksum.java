package dev.jwgd.offload;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The Internet checksum (RFC 1071): the one's-complement sum of a range read as big-endian 16-bit
 * words, an odd last byte padded with a zero byte, plus the IPv4/IPv6 pseudo-headers that TCP and
 * UDP checksums cover (RFC 793, RFC 768, RFC 8200 §8.1).
 *
 * <p>Every {@code sum} returns the <em>folded, not complemented</em> 16-bit sum, so it can seed the
 * next call ({@code initial}) and is exactly what a {@code CHECKSUM_PARTIAL} field holds; a checksum
 * field gets {@link #checksum} (its complement). When a sum is split into several calls, only the
 * last range may have an odd length.
 *
 * <p>Three implementations with the same result: {@link #sumReference} (two bytes at a time, the
 * obviously correct one the tests compare against), {@link #sumScalar} (eight bytes at a time) and
 * {@link #sumVector} (the Vector API, in {@link VectorInternetChecksum}). {@link #sum} uses the
 * vector one when the {@code jdk.incubator.vector} module is present, the preferred integer vectors
 * are at least 256 bits and the range is long enough to pay for it; the scalar one otherwise.
 * {@code -Djwgd.checksum=scalar|vector|auto} overrides the choice. RFC 1071 §2(B): the sum is
 * byte-order independent, so both fast paths add native-order words and swap the result once.
 */
public final class InternetChecksum {
    private InternetChecksum() {}

    private static final System.Logger LOG = System.getLogger("dev.jwgd.offload");
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong NATIVE64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt NATIVE32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort NATIVE16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** Below this many bytes the scalar loop is as fast as setting up vectors. */
    static final int VECTOR_THRESHOLD = 128;

    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_ICMPV6 = 58;

    private static final boolean VECTOR = chooseVector();
    /** Set once {@link #warmUp} has run: until then {@link #sum} stays scalar, so no packet waits on cold vector code. */
    private static volatile boolean vectorWarm;

    @SuppressWarnings("unused")
    private static volatile int sink;

    /**
     * Runs the vector sum on scratch data until the JIT has compiled it, then lets {@link #sum} use it, and
     * returns the milliseconds that took (about one second here with vectors, nothing without). The first
     * Vector API calls run interpreted, hundreds of times slower and allocating a box per vector, so
     * {@link #sum} uses the scalar loop until this has seen a round of calls allocate nothing (the sign that
     * C2 compiled them with intrinsics); it gives up after {@link #WARM_UP_LIMIT_NANOS} and stays scalar.
     * Run it in the background at start.
     */
    public static long warmUp() {
        long t0 = System.nanoTime();
        if (VECTOR && !vectorWarm) {
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long self = Thread.currentThread().threadId();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = arena.allocate(2048);
                int acc = 0;
                while (System.nanoTime() - t0 < WARM_UP_LIMIT_NANOS) {
                    long before = threads.getThreadAllocatedBytes(self);
                    for (int i = 0; i < 5_000; i++) acc += VectorInternetChecksum.sum(s, i & 7, 1420 - (i & 1), i);
                    if (threads.getThreadAllocatedBytes(self) == before) {
                        vectorWarm = true;
                        break;
                    }
                }
                sink = acc;
            }
            LOG.log(System.Logger.Level.INFO, vectorWarm
                    ? "Internet checksum: vector code compiled after " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                    : "Internet checksum: vector code still allocates after warm-up; staying scalar");
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static final long WARM_UP_LIMIT_NANOS = 30_000_000_000L;

    /** Which implementation {@link #sum} uses for long ranges, for the start-up log and diagnostics. */
    public static String implementation() {
        if (!VECTOR) return "scalar (64-bit words)";
        return "vector (" + VectorInternetChecksum.bits() + "-bit" + (vectorWarm ? ")" : ", scalar until warmed up)");
    }

    /**
     * The folded one's-complement sum of {@code s[off, off+len)} plus {@code initial} (any value up
     * to 32 bits, e.g. a pseudo-header sum), in the range 0..0xffff, not complemented.
     */
    public static int sum(MemorySegment s, long off, int len, int initial) {
        if (VECTOR && len >= VECTOR_THRESHOLD && vectorWarm) return VectorInternetChecksum.sum(s, off, len, initial);
        return sumScalar(s, off, len, initial);
    }

    /** The value for a checksum field: the complement of {@link #sum}. */
    public static int checksum(MemorySegment s, long off, int len, int initial) {
        return ~sum(s, off, len, initial) & 0xffff;
    }

    /** The reference: big-endian 16-bit words one at a time, exactly as RFC 1071 §4.1 writes it. */
    public static int sumReference(MemorySegment s, long off, int len, int initial) {
        long acc = Integer.toUnsignedLong(initial);
        int i = 0;
        for (; i + 1 < len; i += 2) {
            acc += Short.toUnsignedInt(s.get(BE16, off + i));
        }
        if (i < len) {
            acc += Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off + i)) << 8;
        }
        return fold(acc);
    }

    /** Eight bytes per step in native order, each added as two 32-bit halves into a 64-bit sum. */
    public static int sumScalar(MemorySegment s, long off, int len, int initial) {
        return finish(nativeSum(s, off, len), initial);
    }

    /** The Vector API implementation, whatever the choice for {@link #sum} (for tests and benchmarks). */
    public static int sumVector(MemorySegment s, long off, int len, int initial) {
        return VectorInternetChecksum.sum(s, off, len, initial);
    }

    /**
     * The unfolded sum of native-order words of {@code s[off, off+len)} (an odd last byte counts at its
     * native-order position), for the fast paths; a range longer than 2^31 cannot overflow it.
     */
    static long nativeSum(MemorySegment s, long off, int len) {
        long acc = 0;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long w = s.get(NATIVE64, off + i);
            acc += (w & 0xffffffffL) + (w >>> 32);
        }
        if (i + 4 <= len) {
            acc += Integer.toUnsignedLong(s.get(NATIVE32, off + i));
            i += 4;
        }
        if (i + 2 <= len) {
            acc += Short.toUnsignedInt(s.get(NATIVE16, off + i));
            i += 2;
        }
        if (i < len) {
            int b = Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off + i));
            acc += LITTLE_ENDIAN ? b : b << 8;
        }
        return acc;
    }

    /** Folds a native-order sum, turns it into network order and adds {@code initial}. */
    static int finish(long nativeAcc, int initial) {
        int folded = fold(nativeAcc);
        if (LITTLE_ENDIAN) folded = Short.toUnsignedInt(Short.reverseBytes((short) folded));
        return fold((long) folded + Integer.toUnsignedLong(initial));
    }

    /** Adds the carries back in until the sum fits 16 bits (RFC 1071 "fold"). */
    public static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    /**
     * The IPv4 pseudo-header sum for the packet whose IP header starts at {@code ip}: source,
     * destination, protocol and the L4 length {@code l4Length}; folded, not complemented.
     */
    public static int pseudoHeaderV4(MemorySegment s, long ip, int protocol, int l4Length) {
        long acc = 0;
        for (int i = 12; i < 20; i += 2) acc += Short.toUnsignedInt(s.get(BE16, ip + i));
        return fold(acc + protocol + l4Length);
    }

    /** The IPv6 pseudo-header sum (RFC 8200 §8.1) for the packet at {@code ip}; folded, not complemented. */
    public static int pseudoHeaderV6(MemorySegment s, long ip, int protocol, int l4Length) {
        long acc = 0;
        for (int i = 8; i < 40; i += 2) acc += Short.toUnsignedInt(s.get(BE16, ip + i));
        return fold(acc + protocol + Integer.toUnsignedLong(l4Length));
    }

    /** {@link #pseudoHeaderV4} or {@link #pseudoHeaderV6} by {@code version}. */
    public static int pseudoHeader(int version, MemorySegment s, long ip, int protocol, int l4Length) {
        return version == 4 ? pseudoHeaderV4(s, ip, protocol, l4Length) : pseudoHeaderV6(s, ip, protocol, l4Length);
    }

    private static boolean chooseVector() {
        String forced = System.getProperty("jwgd.checksum", "auto").trim();
        String reason;
        boolean vector = false;
        Optional<Module> m = Optional.ofNullable(InternetChecksum.class.getModule().getLayer())
                .orElse(ModuleLayer.boot()).findModule("jdk.incubator.vector");
        if (m.isEmpty()) {
            reason = "the Vector API module is absent (run java with --add-modules=jdk.incubator.vector)";
        } else if (forced.equals("scalar")) {
            reason = "forced by -Djwgd.checksum=scalar";
        } else {
            int bits;
            try {
                bits = VectorInternetChecksum.bits();
            } catch (LinkageError e) {
                bits = 0;
            }
            if (forced.equals("vector")) {
                vector = bits > 0;
                reason = "forced by -Djwgd.checksum=vector";
            } else if (bits >= 256) {
                vector = true;
                reason = bits + "-bit integer vectors";
            } else {
                reason = "the preferred integer vectors are " + bits + " bits; the vector sum needs at least 256";
            }
        }
        LOG.log(System.Logger.Level.INFO, "Internet checksum: " + (vector ? "vector" : "scalar") + " (" + reason + ")");
        return vector;
    }
}
