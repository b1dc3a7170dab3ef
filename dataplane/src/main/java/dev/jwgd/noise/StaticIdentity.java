package dev.jwgd.noise;

import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;

/** This device's static key pair, clamped, with the public key derived from it. */
public final class StaticIdentity {
    final byte[] privateKey;
    final byte[] publicKey;

    public StaticIdentity(Key privateKey) {
        byte[] k = privateKey.bytes();
        Curve25519.clamp(k);
        this.privateKey = k;
        this.publicKey = NoiseProtocol.publicKeyOf(k);
    }

    public Key publicKey() {
        return Key.of(publicKey);
    }

    public byte[] publicKeyBytes() {
        return publicKey.clone();
    }

    /** Wipes the private key; the identity must not be used afterwards. */
    public void zero() {
        java.util.Arrays.fill(privateKey, (byte) 0);
    }
}
