package dev.jwgd.keys;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 (RFC 7748) through BouncyCastle: key generation with WireGuard's clamping, public key
 * derivation, and the shared secret with the all-zero result (a low-order public key) rejected.
 */
public final class Curve25519 {
    private Curve25519() {}

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Clamps a private key in place, as {@code wg genkey} does. */
    public static void clamp(byte[] k) {
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
    }

    public static Key generatePrivateKey() {
        byte[] k = new byte[Key.LENGTH];
        RANDOM.nextBytes(k);
        clamp(k);
        Key key = Key.of(k);
        java.util.Arrays.fill(k, (byte) 0);
        return key;
    }

    /** Random 32 bytes, as {@code wg genpsk}. */
    public static Key generatePresharedKey() {
        byte[] k = new byte[Key.LENGTH];
        RANDOM.nextBytes(k);
        Key key = Key.of(k);
        java.util.Arrays.fill(k, (byte) 0);
        return key;
    }

    public static Key publicKey(Key privateKey) {
        byte[] pub = new byte[Key.LENGTH];
        X25519.scalarMultBase(privateKey.unsafeBytes(), 0, pub, 0);
        return Key.of(pub);
    }

    /**
     * Writes X25519(priv, pub) into {@code out}; returns false, leaving zeros, when the result is all
     * zero, which happens exactly for low-order public keys.
     */
    public static boolean sharedSecret(byte[] priv, byte[] pub, byte[] out) {
        return X25519.calculateAgreement(priv, 0, pub, 0, out, 0);
    }
}
