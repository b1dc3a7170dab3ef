package dev.jwgd.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.message.HandshakeInitiation;
import dev.jwgd.message.HandshakeResponse;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

public class NoiseProtocolTest {
    private final NoiseProtocol noise = new NoiseProtocol(AeadProvider.scalar());
    private final StaticIdentity alice = new StaticIdentity(Curve25519.generatePrivateKey());
    private final StaticIdentity bob = new StaticIdentity(Curve25519.generatePrivateKey());
    private final Handshake aliceToBob = new Handshake(alice, bob.publicKeyBytes());
    private final Handshake bobToAlice = new Handshake(bob, alice.publicKeyBytes());
    private static final long SECOND = 1_000_000_000L;

    private HandshakeInitiation initiation(long wall) {
        MemorySegment m = MemorySegment.ofArray(new byte[HandshakeInitiation.LENGTH]);
        assertTrue(noise.createInitiation(alice, aliceToBob, 7, wall, m, 0));
        HandshakeInitiation v = new HandshakeInitiation();
        assertEquals(0, v.wrap(m, 0, HandshakeInitiation.LENGTH));
        return v;
    }

    private NoiseProtocol.Consumed consume(HandshakeInitiation m, long now) {
        return noise.consumeInitiation(bob, m, k -> Arrays.equals(k, alice.publicKeyBytes()) ? bobToAlice : null, now);
    }

    private SessionKeys[] complete(long wall, long now) {
        assertTrue(consume(initiation(wall), now).ok());
        MemorySegment r = MemorySegment.ofArray(new byte[HandshakeResponse.LENGTH]);
        assertTrue(noise.createResponse(bobToAlice, 9, r, 0));
        HandshakeResponse rv = new HandshakeResponse();
        assertEquals(0, rv.wrap(r, 0, HandshakeResponse.LENGTH));
        NoiseProtocol.Consumed c = noise.consumeResponse(alice, rv, i -> i == 7 ? aliceToBob : null);
        if (!c.ok()) return null;
        return new SessionKeys[] {noise.beginSession(aliceToBob), noise.beginSession(bobToAlice)};
    }

    @Test
    void bothSidesDeriveMirroredTransportKeys() {
        SessionKeys[] k = complete(1000 * SECOND, SECOND);
        assertArrayEquals(k[0].sendKey(), k[1].receiveKey());
        assertArrayEquals(k[0].receiveKey(), k[1].sendKey());
        assertFalse(Arrays.equals(k[0].sendKey(), k[0].receiveKey()));
        assertTrue(k[0].initiator());
        assertFalse(k[1].initiator());
        assertEquals(9, k[0].remoteIndex());
        assertEquals(7, k[1].remoteIndex());
        assertEquals(Handshake.State.ZEROED, aliceToBob.state(), "begin session wipes the handshake");
    }

    @Test
    void matchingPresharedKeysCompleteAndDifferentOnesDoNot() {
        byte[] psk = Curve25519.generatePresharedKey().bytes();
        aliceToBob.presharedKey(psk);
        bobToAlice.presharedKey(psk);
        assertTrue(complete(1000 * SECOND, SECOND) != null);
        byte[] other = psk.clone();
        other[0] ^= 1;
        bobToAlice.presharedKey(other);
        assertNull(complete(1001 * SECOND, 3 * SECOND), "a PSK mismatch fails when the initiator checks the response");
    }

    @Test
    void aReplayedInitiationIsRejected() {
        HandshakeInitiation m = initiation(1000 * SECOND);
        assertTrue(consume(m, SECOND).ok());
        assertEquals(NoiseProtocol.REPLAYED_TIMESTAMP, consume(m, 10 * SECOND).status());
    }

    @Test
    void initiationsFasterThanFiftyPerSecondAreRejectedAsAFlood() {
        assertTrue(consume(initiation(1000 * SECOND), SECOND).ok());
        assertEquals(NoiseProtocol.INITIATION_FLOOD, consume(initiation(1001 * SECOND), SECOND + SECOND / 50).status());
        assertTrue(consume(initiation(1002 * SECOND), SECOND + SECOND / 50 + 1).ok());
    }

    @Test
    void anUnknownStaticKeyIsRejected() {
        HandshakeInitiation m = initiation(1000 * SECOND);
        assertEquals(NoiseProtocol.UNKNOWN_PEER, noise.consumeInitiation(bob, m, k -> null, SECOND).status());
    }

    @Test
    void aTamperedInitiationDoesNotDecrypt() {
        HandshakeInitiation m = initiation(1000 * SECOND);
        m.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, HandshakeInitiation.ENCRYPTED_STATIC_OFFSET + 3, (byte) 0x55);
        assertEquals(NoiseProtocol.BAD_STATIC, consume(m, SECOND).status());
    }

    /** The seven low-order points the kernel's netns.sh tests (curve25519 small-subgroup points). */
    public static final String[] LOW_ORDER = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };

    @Test
    void noInitiationIsCreatedForALowOrderPublicKey() {
        for (String hex : LOW_ORDER) {
            Handshake hs = new Handshake(alice, HexFormat.of().parseHex(hex));
            assertFalse(hs.usable(), hex);
            MemorySegment m = MemorySegment.ofArray(new byte[HandshakeInitiation.LENGTH]);
            assertFalse(noise.createInitiation(alice, hs, 1, 0, m, 0), hex);
            assertTrue(Arrays.equals(new byte[HandshakeInitiation.LENGTH], m.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)),
                    "nothing written for " + hex);
        }
    }

    @Test
    void aResponseOnlyCompletesTheHandshakeThatSentTheInitiation() {
        assertTrue(consume(initiation(1000 * SECOND), SECOND).ok());
        MemorySegment r = MemorySegment.ofArray(new byte[HandshakeResponse.LENGTH]);
        assertTrue(noise.createResponse(bobToAlice, 9, r, 0));
        HandshakeResponse rv = new HandshakeResponse();
        rv.wrap(r, 0, HandshakeResponse.LENGTH);
        assertEquals(NoiseProtocol.UNKNOWN_INDEX, noise.consumeResponse(alice, rv, i -> null).status());
        assertTrue(noise.consumeResponse(alice, rv, i -> aliceToBob).ok());
        assertEquals(NoiseProtocol.WRONG_STATE, noise.consumeResponse(alice, rv, i -> aliceToBob).status(),
                "a duplicated response is refused");
    }
}
