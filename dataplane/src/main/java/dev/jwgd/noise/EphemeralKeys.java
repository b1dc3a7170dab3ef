package dev.jwgd.noise;

import dev.jwgd.keys.Curve25519;

/** Where handshake ephemerals come from: fresh random keys, or fixed ones in vector tests. */
@FunctionalInterface
public interface EphemeralKeys {
    /** A new clamped 32-byte X25519 private key, owned (and later wiped) by the caller. */
    byte[] newPrivateKey();

    EphemeralKeys RANDOM = () -> {
        var k = Curve25519.generatePrivateKey();
        byte[] b = k.bytes();
        k.zero();
        return b;
    };
}
