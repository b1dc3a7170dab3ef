package dev.jwgd.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The ChaCha20 stream cipher of RFC 8439 §2.3-2.4, one 64-byte block at a time, in plain Java.
 *
 * <p>This is the reference the vector kernels are tested against and the fallback when they cannot run. The nonce is
 * given as its three little-endian words: {@code n0} (bytes 0-3) and {@code n12} (bytes 4-11 read as one little-endian
 * long), so WireGuard's nonce (4 zero bytes, then the 64-bit counter) is {@code n0 = 0, n12 = counter}.
 */
public final class ChaCha20 {
    private ChaCha20() {}

    /** "expand 32-byte k" as four little-endian words (RFC 8439 §2.3). */
    public static final int C0 = 0x61707865, C1 = 0x3320646e, C2 = 0x79622d32, C3 = 0x6b206574;

    /**
     * XORs {@code length} bytes of {@code data} at {@code offset} with the key stream starting at block
     * {@code blockCounter}. The 32-byte key is at {@code key[keyOffset]}.
     */
    public static void xor(MemorySegment key, long keyOffset, int n0, long n12, int blockCounter,
                           MemorySegment data, long offset, long length) {
        int k0 = key.get(LittleEndian.INT, keyOffset), k1 = key.get(LittleEndian.INT, keyOffset + 4);
        int k2 = key.get(LittleEndian.INT, keyOffset + 8), k3 = key.get(LittleEndian.INT, keyOffset + 12);
        int k4 = key.get(LittleEndian.INT, keyOffset + 16), k5 = key.get(LittleEndian.INT, keyOffset + 20);
        int k6 = key.get(LittleEndian.INT, keyOffset + 24), k7 = key.get(LittleEndian.INT, keyOffset + 28);
        int n1 = (int) n12, n2 = (int) (n12 >>> 32);
        int counter = blockCounter;
        long done = 0;
        while (done < length) {
            int x0 = C0, x1 = C1, x2 = C2, x3 = C3;
            int x4 = k0, x5 = k1, x6 = k2, x7 = k3, x8 = k4, x9 = k5, x10 = k6, x11 = k7;
            int x12 = counter, x13 = n0, x14 = n1, x15 = n2;
            for (int i = 0; i < 10; i++) {
                // Column round.
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
                // Diagonal round.
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
            }
            x0 += C0; x1 += C1; x2 += C2; x3 += C3;
            x4 += k0; x5 += k1; x6 += k2; x7 += k3; x8 += k4; x9 += k5; x10 += k6; x11 += k7;
            x12 += counter; x13 += n0; x14 += n1; x15 += n2;
            long at = offset + done;
            long n = Math.min(64, length - done);
            if (n == 64) {
                xorInt(data, at, x0); xorInt(data, at + 4, x1); xorInt(data, at + 8, x2); xorInt(data, at + 12, x3);
                xorInt(data, at + 16, x4); xorInt(data, at + 20, x5); xorInt(data, at + 24, x6); xorInt(data, at + 28, x7);
                xorInt(data, at + 32, x8); xorInt(data, at + 36, x9); xorInt(data, at + 40, x10); xorInt(data, at + 44, x11);
                xorInt(data, at + 48, x12); xorInt(data, at + 52, x13); xorInt(data, at + 56, x14); xorInt(data, at + 60, x15);
            } else {
                for (int i = 0; i < n; i++) {
                    int w = switch (i >>> 2) {
                        case 0 -> x0; case 1 -> x1; case 2 -> x2; case 3 -> x3;
                        case 4 -> x4; case 5 -> x5; case 6 -> x6; case 7 -> x7;
                        case 8 -> x8; case 9 -> x9; case 10 -> x10; case 11 -> x11;
                        case 12 -> x12; case 13 -> x13; case 14 -> x14; default -> x15;
                    };
                    byte b = (byte) (w >>> ((i & 3) << 3));
                    data.set(ValueLayout.JAVA_BYTE, at + i, (byte) (data.get(ValueLayout.JAVA_BYTE, at + i) ^ b));
                }
            }
            done += n;
            counter++;
        }
    }

    /** Writes the 64-byte key stream block {@code blockCounter} to {@code out[outOffset]} (RFC 8439 §2.3). */
    public static void block(MemorySegment key, long keyOffset, int n0, long n12, int blockCounter,
                             MemorySegment out, long outOffset) {
        for (int i = 0; i < 64; i += 8) {
            out.set(LittleEndian.LONG, outOffset + i, 0L);
        }
        xor(key, keyOffset, n0, n12, blockCounter, out, outOffset, 64);
    }

    private static void xorInt(MemorySegment data, long at, int word) {
        data.set(LittleEndian.INT, at, data.get(LittleEndian.INT, at) ^ word);
    }
}
