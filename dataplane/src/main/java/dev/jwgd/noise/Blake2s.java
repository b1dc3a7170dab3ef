package dev.jwgd.noise;

import dev.jwgd.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * WireGuard's hash functions over BLAKE2s (whitepaper 5.4): HASH (BLAKE2s-256), MAC (keyed BLAKE2s,
 * 16-byte output), HMAC (RFC 2104 over BLAKE2s-256) and the HKDF-style KDF1/KDF2/KDF3 built from it,
 * as in wireguard-go {@code device/noise-helpers.go}. Handshake path only; the data path never hashes.
 */
public final class Blake2s {
    private Blake2s() {}

    public static final int HASH_LENGTH = 32;

    // One digest and one HMAC per thread: a handshake runs about 30 of them, and creating BouncyCastle
    // engines each time costs more than the hashing. Each is fully reset before use.
    private static final ThreadLocal<Blake2sDigest> DIGEST = ThreadLocal.withInitial(() -> new Blake2sDigest(256));
    private static final ThreadLocal<HMac> HMAC = ThreadLocal.withInitial(() -> new HMac(new Blake2sDigest(256)));

    /** HASH(a ‖ b ‖ ...). */
    public static byte[] hash(byte[]... parts) {
        Blake2sDigest d = DIGEST.get();
        d.reset();
        for (byte[] p : parts) d.update(p, 0, p.length);
        byte[] out = new byte[HASH_LENGTH];
        d.doFinal(out, 0);
        return out;
    }

    /** HASH(label ‖ publicKey): the MAC1 key and the cookie encryption key. */
    public static byte[] labelHash(String label, byte[] publicKey) {
        return hash(label.getBytes(StandardCharsets.US_ASCII), publicKey);
    }

    /** MAC(key, data[offset, offset+length)): keyed BLAKE2s with a 16-byte output, written to out[outOffset]. */
    public static void mac(byte[] key, byte[] data, int offset, int length, byte[] out, int outOffset) {
        Blake2sDigest d = new Blake2sDigest(key, Protocol.MAC_LENGTH, null, null);
        d.update(data, offset, length);
        d.doFinal(out, outOffset);
    }

    /** HMAC(key, a ‖ b). */
    public static byte[] hmac(byte[] key, byte[] a, byte[] b) {
        HMac h = HMAC.get();
        h.init(new KeyParameter(key)); // init resets and re-keys
        if (a != null) h.update(a, 0, a.length);
        if (b != null) h.update(b, 0, b.length);
        byte[] out = new byte[HASH_LENGTH];
        h.doFinal(out, 0);
        return out;
    }

    private static final byte[] ONE = {1};
    private static final byte[] TWO = {2};
    private static final byte[] THREE = {3};

    /** KDF_n(C, input): returns n 32-byte outputs T1..Tn. */
    public static byte[][] kdf(int n, byte[] chainingKey, byte[] input) {
        byte[] prk = hmac(chainingKey, input, null);
        byte[][] out = new byte[n][];
        out[0] = hmac(prk, ONE, null);
        if (n > 1) out[1] = hmac(prk, out[0], TWO);
        if (n > 2) out[2] = hmac(prk, out[1], THREE);
        Arrays.fill(prk, (byte) 0);
        return out;
    }

    public static byte[] kdf1(byte[] chainingKey, byte[] input) {
        return kdf(1, chainingKey, input)[0];
    }
}
