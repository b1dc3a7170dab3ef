package dev.jwgd.noise;

import dev.jwgd.protocol.Protocol;

/**
 * TAI64N timestamps for handshake initiations (whitepaper 5.4.2): big-endian seconds since 1970 plus
 * the kernel's base 2^62 + 10, then big-endian nanoseconds rounded down to a multiple of 2^24 so that
 * a timestamp reveals no more than the 50-per-second initiation rate needs (kernel {@code tai64n_now}).
 */
public final class Tai64n {
    private Tai64n() {}

    public static final long BASE = 0x400000000000000aL;
    /** rounddown_pow_of_two(NSEC_PER_SEC / INITIATIONS_PER_SECOND) = 2^24. */
    public static final int WHITENER_MASK = ~((1 << 24) - 1);

    /** The 12-byte timestamp for a wall-clock time in nanoseconds since the Unix epoch. */
    public static byte[] of(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L) & WHITENER_MASK;
        byte[] t = new byte[Protocol.TAI64N_LENGTH];
        long s = BASE + seconds;
        for (int i = 0; i < 8; i++) t[i] = (byte) (s >>> (56 - 8 * i));
        for (int i = 0; i < 4; i++) t[8 + i] = (byte) (nanos >>> (24 - 8 * i));
        return t;
    }

    /** True if {@code a} is strictly later than {@code b}: a big-endian unsigned byte comparison. */
    public static boolean after(byte[] a, byte[] b) {
        for (int i = 0; i < Protocol.TAI64N_LENGTH; i++) {
            int x = a[i] & 0xff, y = b[i] & 0xff;
            if (x != y) return x > y;
        }
        return false;
    }
}
