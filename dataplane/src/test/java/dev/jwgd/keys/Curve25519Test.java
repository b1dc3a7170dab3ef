package dev.jwgd.keys;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Curve25519Test {
    @Test
    void rfc7748AliceAndBobAgree() {
        var hex = HexFormat.of();
        Key alicePriv = Key.of(hex.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        Key bobPriv = Key.of(hex.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Curve25519.publicKey(alicePriv).toHex());
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Curve25519.publicKey(bobPriv).toHex());
        byte[] s = new byte[32];
        assertTrue(Curve25519.sharedSecret(alicePriv.unsafeBytes(), Curve25519.publicKey(bobPriv).unsafeBytes(), s));
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", hex.formatHex(s));
    }

    @Test
    void lowOrderPublicKeyIsRejected() {
        byte[] s = new byte[32];
        assertFalse(Curve25519.sharedSecret(Curve25519.generatePrivateKey().unsafeBytes(), new byte[32], s));
    }

    @Test
    void keysRoundTripThroughBase64AndHexAndNeverPrint() {
        Key k = Curve25519.generatePrivateKey();
        assertEquals(k, Key.fromBase64(k.toBase64()));
        assertEquals(k, Key.fromHex(k.toHex()));
        assertFalse(k.toString().contains(k.toBase64()));
        assertThrows(IllegalArgumentException.class, () -> Key.fromBase64("short="));
        assertThrows(IllegalArgumentException.class, () -> Key.fromHex("zz".repeat(32)));
        byte[] b = k.bytes();
        assertEquals(0, b[0] & 7);
        assertEquals(64, b[31] & 0xc0);
        k.zero();
        assertTrue(k.isZero());
    }
}
