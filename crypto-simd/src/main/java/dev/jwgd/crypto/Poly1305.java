package dev.jwgd.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Poly1305 one-time authenticator of RFC 8439 §2.5, in plain Java with five 26-bit limbs (as poly1305-donna-32),
 * so that the vector kernels, which use the same limbs, can take over and hand back the accumulator.
 *
 * <p>One instance is reused for many messages and is not thread-safe. Everything is branch-free in secret data: the
 * final reduction selects with a mask. {@link #wipe()} clears the key and the accumulator.
 */
public final class Poly1305 {
    static final long M26 = 0x3ffffffL;
    static final long HIBIT = 1L << 24;

    private long r0, r1, r2, r3, r4;
    private long s1, s2, s3, s4;
    private long h0, h1, h2, h3, h4;
    private long pad0, pad1, pad2, pad3;
    private long tag0, tag1;

    /** Starts a message with the 32-byte one-time key at {@code key[offset]}: r (clamped) then s. */
    public void init(MemorySegment key, long offset) {
        long t0 = key.get(LittleEndian.LONG, offset), t1 = key.get(LittleEndian.LONG, offset + 8);
        // Clamp (RFC 8439 §2.5.1) and split into 26-bit limbs.
        t0 &= 0x0ffffffc0fffffffL;
        t1 &= 0x0ffffffc0ffffffcL;
        r0 = t0 & M26;
        r1 = (t0 >>> 26) & M26;
        r2 = ((t0 >>> 52) | (t1 << 12)) & M26;
        r3 = (t1 >>> 14) & M26;
        r4 = (t1 >>> 40) & M26;
        s1 = r1 * 5; s2 = r2 * 5; s3 = r3 * 5; s4 = r4 * 5;
        h0 = h1 = h2 = h3 = h4 = 0;
        pad0 = Integer.toUnsignedLong(key.get(LittleEndian.INT, offset + 16));
        pad1 = Integer.toUnsignedLong(key.get(LittleEndian.INT, offset + 20));
        pad2 = Integer.toUnsignedLong(key.get(LittleEndian.INT, offset + 24));
        pad3 = Integer.toUnsignedLong(key.get(LittleEndian.INT, offset + 28));
    }

    /** Absorbs {@code blocks} whole 16-byte blocks at {@code msg[offset]}, each with the 2^128 bit set. */
    public void blocks(MemorySegment msg, long offset, long blocks) {
        long a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4;
        final long b0 = r0, b1 = r1, b2 = r2, b3 = r3, b4 = r4, c1 = s1, c2 = s2, c3 = s3, c4 = s4;
        for (long i = 0; i < blocks; i++) {
            long lo = msg.get(LittleEndian.LONG, offset), hi = msg.get(LittleEndian.LONG, offset + 8);
            offset += 16;
            a0 += lo & M26;
            a1 += (lo >>> 26) & M26;
            a2 += ((lo >>> 52) | (hi << 12)) & M26;
            a3 += (hi >>> 14) & M26;
            a4 += (hi >>> 40) | HIBIT;
            long d0 = a0 * b0 + a1 * c4 + a2 * c3 + a3 * c2 + a4 * c1;
            long d1 = a0 * b1 + a1 * b0 + a2 * c4 + a3 * c3 + a4 * c2;
            long d2 = a0 * b2 + a1 * b1 + a2 * b0 + a3 * c4 + a4 * c3;
            long d3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * c4;
            long d4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
            long c;
            c = d0 >>> 26; a0 = d0 & M26; d1 += c;
            c = d1 >>> 26; a1 = d1 & M26; d2 += c;
            c = d2 >>> 26; a2 = d2 & M26; d3 += c;
            c = d3 >>> 26; a3 = d3 & M26; d4 += c;
            c = d4 >>> 26; a4 = d4 & M26; a0 += c * 5;
            c = a0 >>> 26; a0 &= M26; a1 += c;
        }
        h0 = a0; h1 = a1; h2 = a2; h3 = a3; h4 = a4;
    }

    /** Absorbs one block given as two little-endian longs; {@code hibit} is {@link #HIBIT} or 0. */
    private void block(long lo, long hi, long hibit) {
        long a0 = h0 + (lo & M26);
        long a1 = h1 + ((lo >>> 26) & M26);
        long a2 = h2 + (((lo >>> 52) | (hi << 12)) & M26);
        long a3 = h3 + ((hi >>> 14) & M26);
        long a4 = h4 + ((hi >>> 40) | hibit);
        long d0 = a0 * r0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
        long d1 = a0 * r1 + a1 * r0 + a2 * s4 + a3 * s3 + a4 * s2;
        long d2 = a0 * r2 + a1 * r1 + a2 * r0 + a3 * s4 + a4 * s3;
        long d3 = a0 * r3 + a1 * r2 + a2 * r1 + a3 * r0 + a4 * s4;
        long d4 = a0 * r4 + a1 * r3 + a2 * r2 + a3 * r1 + a4 * r0;
        long c;
        c = d0 >>> 26; a0 = d0 & M26; d1 += c;
        c = d1 >>> 26; a1 = d1 & M26; d2 += c;
        c = d2 >>> 26; a2 = d2 & M26; d3 += c;
        c = d3 >>> 26; a3 = d3 & M26; d4 += c;
        c = d4 >>> 26; a4 = d4 & M26; a0 += c * 5;
        c = a0 >>> 26; a0 &= M26; a1 += c;
        h0 = a0; h1 = a1; h2 = a2; h3 = a3; h4 = a4;
    }

    /**
     * Absorbs {@code length} bytes as the AEAD construction does (RFC 8439 §2.8): whole blocks, then the rest
     * zero-padded to a full block.
     */
    public void padded(MemorySegment msg, long offset, long length) {
        long whole = length >>> 4;
        blocks(msg, offset, whole);
        int rest = (int) (length & 15);
        if (rest != 0) {
            long at = offset + (whole << 4);
            block(loadLo(msg, at, rest), loadHi(msg, at, rest), HIBIT);
        }
    }

    /**
     * Absorbs {@code length} bytes as plain Poly1305 does (RFC 8439 §2.5.1): a last partial block gets a 0x01 byte
     * after it instead of the 2^128 bit. Call at most once per message, last.
     */
    public void last(MemorySegment msg, long offset, long length) {
        long whole = length >>> 4;
        blocks(msg, offset, whole);
        int rest = (int) (length & 15);
        if (rest != 0) {
            long at = offset + (whole << 4);
            long lo = loadLo(msg, at, rest), hi = loadHi(msg, at, rest);
            if (rest < 8) {
                lo |= 1L << (rest << 3);
            } else {
                hi |= 1L << ((rest - 8) << 3);
            }
            block(lo, hi, 0);
        }
    }

    /** Absorbs the AEAD's final block: the AAD length and the ciphertext length as little-endian 64-bit words. */
    public void lengths(long aadLength, long ciphertextLength) {
        block(aadLength, ciphertextLength, HIBIT);
    }

    /** Computes the tag; read it with {@link #tag0()} / {@link #tag1()} or {@link #writeTag}. */
    public void finish() {
        long a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4, c;
        c = a1 >>> 26; a1 &= M26; a2 += c;
        c = a2 >>> 26; a2 &= M26; a3 += c;
        c = a3 >>> 26; a3 &= M26; a4 += c;
        c = a4 >>> 26; a4 &= M26; a0 += c * 5;
        c = a0 >>> 26; a0 &= M26; a1 += c;
        c = a1 >>> 26; a1 &= M26; a2 += c;
        // g = h + 5 - 2^130; use g when it is not negative, without branching.
        long g0 = a0 + 5; c = g0 >>> 26; g0 &= M26;
        long g1 = a1 + c; c = g1 >>> 26; g1 &= M26;
        long g2 = a2 + c; c = g2 >>> 26; g2 &= M26;
        long g3 = a3 + c; c = g3 >>> 26; g3 &= M26;
        long g4 = a4 + c - (1L << 26);
        long useG = (g4 >>> 63) - 1;
        a0 = (a0 & ~useG) | (g0 & useG);
        a1 = (a1 & ~useG) | (g1 & useG);
        a2 = (a2 & ~useG) | (g2 & useG);
        a3 = (a3 & ~useG) | (g3 & useG);
        a4 = (a4 & ~useG) | (g4 & useG);
        // h mod 2^128 as four 32-bit words, plus s.
        long w0 = (a0 | (a1 << 26)) & 0xffffffffL;
        long w1 = ((a1 >>> 6) | (a2 << 20)) & 0xffffffffL;
        long w2 = ((a2 >>> 12) | (a3 << 14)) & 0xffffffffL;
        long w3 = ((a3 >>> 18) | (a4 << 8)) & 0xffffffffL;
        long f;
        f = w0 + pad0; w0 = f & 0xffffffffL;
        f = w1 + pad1 + (f >>> 32); w1 = f & 0xffffffffL;
        f = w2 + pad2 + (f >>> 32); w2 = f & 0xffffffffL;
        f = w3 + pad3 + (f >>> 32); w3 = f & 0xffffffffL;
        tag0 = w0 | (w1 << 32);
        tag1 = w2 | (w3 << 32);
        h0 = h1 = h2 = h3 = h4 = 0;
    }

    /** The first 8 bytes of the last tag, little-endian. */
    public long tag0() {
        return tag0;
    }

    /** The last 8 bytes of the last tag, little-endian. */
    public long tag1() {
        return tag1;
    }

    public void writeTag(MemorySegment out, long offset) {
        out.set(LittleEndian.LONG, offset, tag0);
        out.set(LittleEndian.LONG, offset + 8, tag1);
    }

    /** Whether the 16-byte tag at {@code in[offset]} equals the last tag, in constant time (crypto.md §7.1). */
    public boolean tagEquals(MemorySegment in, long offset) {
        long d = (in.get(LittleEndian.LONG, offset) ^ tag0) | (in.get(LittleEndian.LONG, offset + 8) ^ tag1);
        return d == 0;
    }

    /** Clears the key, the accumulator and the last tag. */
    public void wipe() {
        r0 = r1 = r2 = r3 = r4 = s1 = s2 = s3 = s4 = 0;
        h0 = h1 = h2 = h3 = h4 = 0;
        pad0 = pad1 = pad2 = pad3 = 0;
        tag0 = tag1 = 0;
    }

    // ---- Hand-over to a k-way vector kernel (dev.jwgd.crypto.vector). ----
    // The kernel's state segment holds, as little-endian longs, with rows of 8 longs (one row per limb):
    //   VEC_H:      row l = [limb l of h, 0, 0, ...]     (h enters lane 0)
    //   VEC_STEP:   limbs 0..4 of r^k                      (the Horner step)
    //   VEC_POWERS: row l, lane j = limb l of r^(k-j)      (the final per-lane multiplier)
    //   VEC_OUT:    the kernel's 5 summed, unreduced limbs of the new h
    public static final long VEC_H = 0, VEC_STEP = 320, VEC_POWERS = 360, VEC_OUT = 680, VEC_STATE_BYTES = 720;

    /** Writes h and the powers r^1..r^k of this message's key for a k-way kernel ({@code k} = 2, 4 or 8). */
    public void exportForVector(MemorySegment st, int k) {
        for (int l = 0; l < 5; l++) {
            for (int j = 0; j < 8; j++) {
                st.set(LittleEndian.LONG, VEC_H + (l * 8L + j) * 8, 0L);
            }
        }
        st.set(LittleEndian.LONG, VEC_H, h0);
        st.set(LittleEndian.LONG, VEC_H + 64, h1);
        st.set(LittleEndian.LONG, VEC_H + 128, h2);
        st.set(LittleEndian.LONG, VEC_H + 192, h3);
        st.set(LittleEndian.LONG, VEC_H + 256, h4);
        // p = r^e for e = 1..k, kept in 26-bit limbs; power e goes to lane k - e.
        long p0 = r0, p1 = r1, p2 = r2, p3 = r3, p4 = r4;
        for (int e = 1; ; e++) {
            int lane = k - e;
            st.set(LittleEndian.LONG, VEC_POWERS + lane * 8L, p0);
            st.set(LittleEndian.LONG, VEC_POWERS + 64 + lane * 8L, p1);
            st.set(LittleEndian.LONG, VEC_POWERS + 128 + lane * 8L, p2);
            st.set(LittleEndian.LONG, VEC_POWERS + 192 + lane * 8L, p3);
            st.set(LittleEndian.LONG, VEC_POWERS + 256 + lane * 8L, p4);
            if (e == k) {
                break;
            }
            long d0 = p0 * r0 + p1 * s4 + p2 * s3 + p3 * s2 + p4 * s1;
            long d1 = p0 * r1 + p1 * r0 + p2 * s4 + p3 * s3 + p4 * s2;
            long d2 = p0 * r2 + p1 * r1 + p2 * r0 + p3 * s4 + p4 * s3;
            long d3 = p0 * r3 + p1 * r2 + p2 * r1 + p3 * r0 + p4 * s4;
            long d4 = p0 * r4 + p1 * r3 + p2 * r2 + p3 * r1 + p4 * r0;
            long c;
            c = d0 >>> 26; p0 = d0 & M26; d1 += c;
            c = d1 >>> 26; p1 = d1 & M26; d2 += c;
            c = d2 >>> 26; p2 = d2 & M26; d3 += c;
            c = d3 >>> 26; p3 = d3 & M26; d4 += c;
            c = d4 >>> 26; p4 = d4 & M26; p0 += c * 5;
            c = p0 >>> 26; p0 &= M26; p1 += c;
            // Fully carried, so each limb stays below 2^26 and the kernel's 32-bit multiplies are exact.
            c = p1 >>> 26; p1 &= M26; p2 += c;
        }
        st.set(LittleEndian.LONG, VEC_STEP, p0);
        st.set(LittleEndian.LONG, VEC_STEP + 8, p1);
        st.set(LittleEndian.LONG, VEC_STEP + 16, p2);
        st.set(LittleEndian.LONG, VEC_STEP + 24, p3);
        st.set(LittleEndian.LONG, VEC_STEP + 32, p4);
    }

    /** Takes back the kernel's summed limbs as the new h, carried into 26-bit limbs. */
    public void importFromVector(MemorySegment st) {
        long d0 = st.get(LittleEndian.LONG, VEC_OUT), d1 = st.get(LittleEndian.LONG, VEC_OUT + 8);
        long d2 = st.get(LittleEndian.LONG, VEC_OUT + 16), d3 = st.get(LittleEndian.LONG, VEC_OUT + 24);
        long d4 = st.get(LittleEndian.LONG, VEC_OUT + 32);
        long c;
        c = d0 >>> 26; d0 &= M26; d1 += c;
        c = d1 >>> 26; d1 &= M26; d2 += c;
        c = d2 >>> 26; d2 &= M26; d3 += c;
        c = d3 >>> 26; d3 &= M26; d4 += c;
        c = d4 >>> 26; d4 &= M26; d0 += c * 5;
        c = d0 >>> 26; d0 &= M26; d1 += c;
        h0 = d0; h1 = d1; h2 = d2; h3 = d3; h4 = d4;
    }

    private static long loadLo(MemorySegment msg, long at, int rest) {
        long v = 0;
        for (int i = 0; i < Math.min(rest, 8); i++) {
            v |= (msg.get(ValueLayout.JAVA_BYTE, at + i) & 0xffL) << (i << 3);
        }
        return v;
    }

    private static long loadHi(MemorySegment msg, long at, int rest) {
        long v = 0;
        for (int i = 8; i < rest; i++) {
            v |= (msg.get(ValueLayout.JAVA_BYTE, at + i) & 0xffL) << ((i - 8) << 3);
        }
        return v;
    }
}
