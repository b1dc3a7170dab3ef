package dev.jwgd.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Poly1305 one-time authenticator of RFC 8439 §2.5, in plain Java: the accumulator in radix 2^64 (two 64-bit
 * limbs and a small third, products through {@link Math#unsignedMultiplyHigh}), handed over in five 26-bit limbs to
 * the vector kernels, which take the bulk of long messages.
 *
 * <p>One instance is reused for many messages and is not thread-safe. Everything is branch-free in secret data:
 * carries are computed arithmetically (no comparisons a JIT could turn into branches) and the final reduction selects
 * with a mask (crypto.md §7.1). {@link #wipe()} clears the key and the accumulator.
 */
public final class Poly1305 {
    static final long M26 = 0x3ffffffL;

    private long r0, r1, s1;
    private long h0, h1, h2;
    private long pad0, pad1;
    private long tag0, tag1;

    /** Starts a message with the 32-byte one-time key at {@code key[offset]}: r (clamped) then s. */
    public void init(MemorySegment key, long offset) {
        // Clamp (RFC 8439 §2.5.1).
        r0 = key.get(LittleEndian.LONG, offset) & 0x0ffffffc0fffffffL;
        r1 = key.get(LittleEndian.LONG, offset + 8) & 0x0ffffffc0ffffffcL;
        // r1 is a multiple of 4, so r1 * 2^128 = r1 * 5/4 (mod 2^130 - 5) is s1 = r1 + r1/4, exactly.
        s1 = r1 + (r1 >>> 2);
        h0 = h1 = h2 = 0;
        pad0 = key.get(LittleEndian.LONG, offset + 16);
        pad1 = key.get(LittleEndian.LONG, offset + 24);
    }

    /** The carry out of {@code a + b = sum} (unsigned), as 0 or 1, without a comparison. */
    private static long carry(long a, long b, long sum) {
        return ((a & b) | ((a | b) & ~sum)) >>> 63;
    }

    /** Absorbs {@code blocks} whole 16-byte blocks at {@code msg[offset]}, each with the 2^128 bit set. */
    public void blocks(MemorySegment msg, long offset, long blocks) {
        long a0 = h0, a1 = h1, a2 = h2;
        final long b0 = r0, b1 = r1, c1 = s1;
        for (long i = 0; i < blocks; i++) {
            long m0 = msg.get(LittleEndian.LONG, offset), m1 = msg.get(LittleEndian.LONG, offset + 8);
            offset += 16;
            // h += m + 2^128
            long t0 = a0 + m0;
            long c = carry(a0, m0, t0);
            long t1 = a1 + m1;
            long c2 = carry(a1, m1, t1);
            long t1c = t1 + c;
            c2 += carry(t1, c, t1c);
            a2 += 1 + c2;
            a0 = t0;
            a1 = t1c;
            // d = h * r, with 2^128 folded into s1 (and 2^130 = 5 below).
            long lo0 = a0 * b0, hi0 = Math.unsignedMultiplyHigh(a0, b0);
            long lo1 = a1 * c1, hi1 = Math.unsignedMultiplyHigh(a1, c1);
            long d0 = lo0 + lo1;
            long d0hi = hi0 + hi1 + carry(lo0, lo1, d0);
            long lo2 = a0 * b1, hi2 = Math.unsignedMultiplyHigh(a0, b1);
            long lo3 = a1 * b0, hi3 = Math.unsignedMultiplyHigh(a1, b0);
            long u = lo2 + lo3;
            long uc = carry(lo2, lo3, u);
            long v = u + a2 * c1;
            long vc = carry(u, a2 * c1, v);
            long d1 = v + d0hi;
            long d1c = carry(v, d0hi, d1);
            long d2 = hi2 + hi3 + uc + vc + d1c + a2 * b0;
            // Partial reduction: keep 130 bits, add 5 * (d >> 130).
            long k = (d2 >>> 2) * 5;
            a2 = d2 & 3;
            a0 = d0 + k;
            long kc = carry(d0, k, a0);
            a1 = d1 + kc;
            a2 += carry(d1, kc, a1);
        }
        h0 = a0;
        h1 = a1;
        h2 = a2;
    }

    /** Absorbs one block given as two little-endian longs; {@code hibit} is 1 (2^128 set) or 0. */
    private void block(long m0, long m1, long hibit) {
        long a0 = h0, a1 = h1, a2 = h2;
        long t0 = a0 + m0;
        long c = carry(a0, m0, t0);
        long t1 = a1 + m1;
        long c2 = carry(a1, m1, t1);
        long t1c = t1 + c;
        c2 += carry(t1, c, t1c);
        a2 += hibit + c2;
        a0 = t0;
        a1 = t1c;
        long lo0 = a0 * r0, hi0 = Math.unsignedMultiplyHigh(a0, r0);
        long lo1 = a1 * s1, hi1 = Math.unsignedMultiplyHigh(a1, s1);
        long d0 = lo0 + lo1;
        long d0hi = hi0 + hi1 + carry(lo0, lo1, d0);
        long lo2 = a0 * r1, hi2 = Math.unsignedMultiplyHigh(a0, r1);
        long lo3 = a1 * r0, hi3 = Math.unsignedMultiplyHigh(a1, r0);
        long u = lo2 + lo3;
        long uc = carry(lo2, lo3, u);
        long v = u + a2 * s1;
        long vc = carry(u, a2 * s1, v);
        long d1 = v + d0hi;
        long d1c = carry(v, d0hi, d1);
        long d2 = hi2 + hi3 + uc + vc + d1c + a2 * r0;
        long k = (d2 >>> 2) * 5;
        a2 = d2 & 3;
        a0 = d0 + k;
        long kc = carry(d0, k, a0);
        a1 = d1 + kc;
        a2 += carry(d1, kc, a1);
        h0 = a0;
        h1 = a1;
        h2 = a2;
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
            block(loadLo(msg, at, rest), loadHi(msg, at, rest), 1);
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

    /**
     * Absorbs one block of the AEAD construction (RFC 8439 §2.8) given as two little-endian longs, a partial block
     * already zero-padded by the caller; the 2^128 bit is set.
     */
    public void paddedBlock(long m0, long m1) {
        block(m0, m1, 1);
    }

    /** Absorbs the AEAD's final block: the AAD length and the ciphertext length as little-endian 64-bit words. */
    public void lengths(long aadLength, long ciphertextLength) {
        block(aadLength, ciphertextLength, 1);
    }

    /** Computes the tag; read it with {@link #tag0()} / {@link #tag1()} or {@link #writeTag}. */
    public void finish() {
        long a0 = h0, a1 = h1, a2 = h2;
        // Fully reduce below 2^130 (h2 is at most a few units here).
        long k = (a2 >>> 2) * 5;
        a2 &= 3;
        long t0 = a0 + k;
        long c = carry(a0, k, t0);
        long t1 = a1 + c;
        a2 += carry(a1, c, t1);
        a0 = t0;
        a1 = t1;
        // g = h + 5; if g reaches 2^130 then h >= p and the result is g mod 2^128. Selected with a mask.
        long g0 = a0 + 5;
        long gc = carry(a0, 5, g0);
        long g1 = a1 + gc;
        long g2 = a2 + carry(a1, gc, g1);
        long useG = -(g2 >>> 2);
        a0 = (a0 & ~useG) | (g0 & useG);
        a1 = (a1 & ~useG) | (g1 & useG);
        // + s mod 2^128
        long f0 = a0 + pad0;
        long f1 = a1 + pad1 + carry(a0, pad0, f0);
        tag0 = f0;
        tag1 = f1;
        h0 = h1 = h2 = 0;
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
        r0 = r1 = s1 = 0;
        h0 = h1 = h2 = 0;
        pad0 = pad1 = 0;
        tag0 = tag1 = 0;
    }

    // ---- Hand-over to a k-way vector kernel (dev.jwgd.crypto.vector). ----
    // The kernel's state is a long[] (on the heap: filling it costs plain stores, where a segment's stores each pay
    // bounds and liveness checks), with rows of 8 longs (one row per limb):
    //   VEC_H:      row l = [limb l of h, 0, 0, ...]     (h enters lane 0)
    //   VEC_STEP:   limbs 0..4 of r^k                      (the Horner step)
    //   VEC_POWERS: row l, lane j = limb l of r^(k-j)      (the final per-lane multiplier)
    //   VEC_OUT:    the kernel's 5 summed, unreduced limbs of the new h
    public static final int VEC_H = 0, VEC_STEP = 40, VEC_POWERS = 45, VEC_OUT = 85, VEC_STATE_LONGS = 90;

    /** Writes h and the powers r^1..r^k of this message's key for a k-way kernel ({@code k} = 2, 4 or 8). */
    public void exportForVector(long[] st, int k) {
        // h enters lane 0; the kernel reads lanes 0..k-1 only.
        for (int l = 0; l < 5; l++) {
            for (int j = 1; j < k; j++) {
                st[VEC_H + l * 8 + j] = 0;
            }
        }
        st[VEC_H] = h0 & M26;
        st[VEC_H + 8] = (h0 >>> 26) & M26;
        st[VEC_H + 16] = ((h0 >>> 52) | (h1 << 12)) & M26;
        st[VEC_H + 24] = (h1 >>> 14) & M26;
        st[VEC_H + 32] = (h1 >>> 40) | (h2 << 24);
        // r^x goes to lane k - x. r^1 first, then r^e = r^(e/2) * r^(e - e/2): a product chain of depth log2(k)
        // rather than k - 1 (it is on the critical path of every packet's Poly1305).
        int one = VEC_POWERS + k - 1;
        st[one] = r0 & M26;
        st[one + 8] = (r0 >>> 26) & M26;
        st[one + 16] = ((r0 >>> 52) | (r1 << 12)) & M26;
        st[one + 24] = (r1 >>> 14) & M26;
        st[one + 32] = (r1 >>> 40) & M26;
        for (int e = 2; e <= k; e++) {
            powerProduct(st, k - e, k - e / 2, k - (e - e / 2));
        }
        for (int l = 0; l < 5; l++) {
            st[VEC_STEP + l] = st[VEC_POWERS + l * 8];
        }
    }

    /** Writes to lane {@code lane} of the powers the product of the powers in lanes {@code a} and {@code b}. */
    private static void powerProduct(long[] st, int lane, int a, int b) {
        long a0 = st[VEC_POWERS + a], a1 = st[VEC_POWERS + 8 + a], a2 = st[VEC_POWERS + 16 + a];
        long a3 = st[VEC_POWERS + 24 + a], a4 = st[VEC_POWERS + 32 + a];
        long b0 = st[VEC_POWERS + b], b1 = st[VEC_POWERS + 8 + b], b2 = st[VEC_POWERS + 16 + b];
        long b3 = st[VEC_POWERS + 24 + b], b4 = st[VEC_POWERS + 32 + b];
        long w1 = b1 * 5, w2 = b2 * 5, w3 = b3 * 5, w4 = b4 * 5;
        long d0 = a0 * b0 + a1 * w4 + a2 * w3 + a3 * w2 + a4 * w1;
        long d1 = a0 * b1 + a1 * b0 + a2 * w4 + a3 * w3 + a4 * w2;
        long d2 = a0 * b2 + a1 * b1 + a2 * b0 + a3 * w4 + a4 * w3;
        long d3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * w4;
        long d4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
        long c, p0, p1, p2, p3, p4;
        c = d0 >>> 26; p0 = d0 & M26; d1 += c;
        c = d1 >>> 26; p1 = d1 & M26; d2 += c;
        c = d2 >>> 26; p2 = d2 & M26; d3 += c;
        c = d3 >>> 26; p3 = d3 & M26; d4 += c;
        c = d4 >>> 26; p4 = d4 & M26; p0 += c * 5;
        c = p0 >>> 26; p0 &= M26; p1 += c;
        // Each limb stays at most 2^26, so the kernel's 32-bit multiplies are exact.
        c = p1 >>> 26; p1 &= M26; p2 += c;
        st[VEC_POWERS + lane] = p0;
        st[VEC_POWERS + 8 + lane] = p1;
        st[VEC_POWERS + 16 + lane] = p2;
        st[VEC_POWERS + 24 + lane] = p3;
        st[VEC_POWERS + 32 + lane] = p4;
    }

    /** Takes back the kernel's summed limbs as the new h. */
    public void importFromVector(long[] st) {
        importLimbs(st[VEC_OUT], st[VEC_OUT + 1], st[VEC_OUT + 2], st[VEC_OUT + 3], st[VEC_OUT + 4]);
    }

    /**
     * Writes the clamped r of the one-time key at {@code key[offset]} in five 26-bit limbs to
     * {@code out[at + l * stride]}, l = 0..4: the per-lane key of a kernel that gives each lane its own message.
     */
    public static void clampedRLimbs(MemorySegment key, long offset, long[] out, int at, int stride) {
        long a = key.get(LittleEndian.LONG, offset) & 0x0ffffffc0fffffffL;
        long b = key.get(LittleEndian.LONG, offset + 8) & 0x0ffffffc0ffffffcL;
        out[at] = a & M26;
        out[at + stride] = (a >>> 26) & M26;
        out[at + 2 * stride] = ((a >>> 52) | (b << 12)) & M26;
        out[at + 3 * stride] = (b >>> 14) & M26;
        out[at + 4 * stride] = (b >>> 40) & M26;
    }

    /**
     * Sets h from five unreduced 26-bit-radix limbs (each below 2^58) that a vector kernel computed, replacing what
     * it held; call after {@link #init} and before {@link #finish}.
     */
    public void importLimbs(long d0, long d1, long d2, long d3, long d4) {
        long c;
        c = d0 >>> 26; d0 &= M26; d1 += c;
        c = d1 >>> 26; d1 &= M26; d2 += c;
        c = d2 >>> 26; d2 &= M26; d3 += c;
        c = d3 >>> 26; d3 &= M26; d4 += c;
        c = d4 >>> 26; d4 &= M26; d0 += c * 5;
        c = d0 >>> 26; d0 &= M26; d1 += c;
        c = d1 >>> 26; d1 &= M26; d2 += c;
        c = d2 >>> 26; d2 &= M26; d3 += c;
        c = d3 >>> 26; d3 &= M26; d4 += c;
        // Back to radix 2^64; d4 may exceed 26 bits by a little, which lands in h2.
        h0 = d0 | (d1 << 26) | (d2 << 52);
        h1 = (d2 >>> 12) | (d3 << 14) | (d4 << 40);
        h2 = d4 >>> 24;
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
