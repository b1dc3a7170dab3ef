package dev.jwgd.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.crypto.Aead;
import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.message.HandshakeInitiation;
import dev.jwgd.message.HandshakeResponse;
import dev.jwgd.protocol.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Noise IKpsk2 transcript of the cacophony vectors reproduced with the generic pattern (tokens
 * e, es, s, ss / e, ee, se, psk driven through {@link SymmetricState}), then WireGuard's own
 * construction shown to be exactly that pattern with prologue = IDENTIFIER, the TAI64N timestamp as
 * first payload and an empty second payload.
 */
class NoiseVectorTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Aead AEAD = AeadProvider.scalar();

    private record Vector(Map<String, String> fields, List<byte[]> payloads, List<byte[]> ciphertexts) {
        byte[] get(String k) { return HEX.parseHex(fields.get(k)); }
    }

    private static Vector load() throws IOException {
        Map<String, String> f = new HashMap<>();
        List<byte[]> p = new ArrayList<>(), c = new ArrayList<>();
        try (var in = NoiseVectorTest.class.getResourceAsStream("cacophony-IKpsk2_25519_ChaChaPoly_BLAKE2s.txt");
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                int eq = line.indexOf('=');
                String k = line.substring(0, eq), v = line.substring(eq + 1);
                if (k.equals("payload")) p.add(HEX.parseHex(v));
                else if (k.equals("ciphertext")) c.add(HEX.parseHex(v));
                else f.put(k, v);
            }
        }
        return new Vector(f, p, c);
    }

    private static byte[] pub(byte[] priv) {
        return Curve25519.publicKey(Key.of(priv)).bytes();
    }

    private static byte[] dh(byte[] priv, byte[] pub) {
        byte[] out = new byte[32];
        assertTrue(Curve25519.sharedSecret(priv, pub, out));
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** The generic Noise IKpsk2 handshake, both sides; returns {msg1, msg2, hash, k1, k2}. */
    private static byte[][] genericIkPsk2(byte[] name, byte[] prologue, byte[] psk, byte[] iStatic, byte[] iEphemeral,
                                          byte[] rStatic, byte[] rEphemeral, byte[] payload1, byte[] payload2) {
        byte[] rStaticPub = pub(rStatic);
        // Initiator writes message 1: -> e, es, s, ss
        SymmetricState i = new SymmetricState(AEAD, name, prologue);
        i.mixHash(rStaticPub);
        byte[] ie = pub(iEphemeral);
        i.mixHash(ie);
        i.mixKey(ie);
        i.mixKey(dh(iEphemeral, rStaticPub));
        byte[] s = i.encryptAndHash(pub(iStatic));
        i.mixKey(dh(iStatic, rStaticPub));
        byte[] p1 = i.encryptAndHash(payload1);
        byte[] msg1 = concat(ie, s, p1);

        // Responder reads message 1
        SymmetricState r = new SymmetricState(AEAD, name, prologue);
        r.mixHash(rStaticPub);
        byte[] re1 = Arrays.copyOfRange(msg1, 0, 32);
        r.mixHash(re1);
        r.mixKey(re1);
        r.mixKey(dh(rStatic, re1));
        byte[] iStaticPub = r.decryptAndHash(Arrays.copyOfRange(msg1, 32, 80));
        assertNotNull(iStaticPub);
        assertArrayEquals(pub(iStatic), iStaticPub);
        r.mixKey(dh(rStatic, iStaticPub));
        assertArrayEquals(payload1, r.decryptAndHash(Arrays.copyOfRange(msg1, 80, msg1.length)));

        // Responder writes message 2: <- e, ee, se, psk
        byte[] re = pub(rEphemeral);
        r.mixHash(re);
        r.mixKey(re);
        r.mixKey(dh(rEphemeral, ie));
        r.mixKey(dh(rEphemeral, iStaticPub));
        r.mixKeyAndHash(psk);
        byte[] p2 = r.encryptAndHash(payload2);
        byte[] msg2 = concat(re, p2);

        // Initiator reads message 2
        i.mixHash(re);
        i.mixKey(re);
        i.mixKey(dh(iEphemeral, re));
        i.mixKey(dh(iStatic, re));
        i.mixKeyAndHash(psk);
        assertArrayEquals(payload2, i.decryptAndHash(p2));
        assertArrayEquals(r.hash(), i.hash(), "both sides end with the same handshake hash");
        byte[][] ik = i.split(), rk = r.split();
        assertArrayEquals(ik[0], rk[0]);
        assertArrayEquals(ik[1], rk[1]);
        return new byte[][] {msg1, msg2, i.hash(), ik[0], ik[1]};
    }

    private static byte[] transport(byte[] key, long nonce, byte[] payload) {
        byte[] buf = Arrays.copyOf(payload, payload.length + 16);
        AEAD.seal(MemorySegment.ofArray(key), nonce, MemorySegment.NULL, MemorySegment.ofArray(buf), 0, payload.length);
        return buf;
    }

    @Test
    void genericIkPsk2ReproducesTheCacophonyTranscript() throws IOException {
        Vector v = load();
        assertEquals(Protocol.CONSTRUCTION, v.fields().get("protocol_name"));
        assertArrayEquals(pub(v.get("resp_static")), v.get("init_remote_static"), "vector consistency");
        byte[][] out = genericIkPsk2(v.fields().get("protocol_name").getBytes(StandardCharsets.US_ASCII),
                v.get("prologue"), v.get("psk"), v.get("init_static"), v.get("init_ephemeral"),
                v.get("resp_static"), v.get("resp_ephemeral"), v.payloads().get(0), v.payloads().get(1));
        assertEquals(HEX.formatHex(v.ciphertexts().get(0)), HEX.formatHex(out[0]), "message 1");
        assertEquals(HEX.formatHex(v.ciphertexts().get(1)), HEX.formatHex(out[1]), "message 2");
        // Transport: even messages initiator -> responder under k1, odd ones back under k2; nonces count up.
        for (int m = 2; m < v.payloads().size(); m++) {
            boolean fromInitiator = m % 2 == 0;
            long nonce = (m - 2) / 2;
            byte[] ct = transport(fromInitiator ? out[3] : out[4], nonce, v.payloads().get(m));
            assertEquals(HEX.formatHex(v.ciphertexts().get(m)), HEX.formatHex(ct), "transport message " + m);
        }
        // The file's handshake_hash field is not compared: this cacophony generation does not define it as
        // the final h of the Noise spec (none of h after message 1, before or after the last payload
        // matches it). Every intermediate h is pinned anyway: each is the associated data of an AEAD
        // ciphertext above, and the transport ciphertexts pin the final chaining key.
    }

    @Test
    void wireguardHandshakeIsTheGenericPatternWithWireguardPrologueAndPayloads() throws IOException {
        Vector v = load();
        byte[] iStatic = v.get("init_static"), rStatic = v.get("resp_static"), psk = v.get("psk");
        Curve25519.clamp(iStatic);
        Curve25519.clamp(rStatic);
        byte[] iEph = v.get("init_ephemeral"), rEph = v.get("resp_ephemeral");
        long wall = 1_767_225_600_123_456_789L;

        StaticIdentity initiator = new StaticIdentity(Key.of(iStatic));
        StaticIdentity responder = new StaticIdentity(Key.of(rStatic));
        Handshake atInitiator = new Handshake(initiator, responder.publicKeyBytes());
        Handshake atResponder = new Handshake(responder, initiator.publicKeyBytes());
        atInitiator.presharedKey(psk);
        atResponder.presharedKey(psk);
        NoiseProtocol iNoise = new NoiseProtocol(AEAD, () -> iEph.clone());
        NoiseProtocol rNoise = new NoiseProtocol(AEAD, () -> rEph.clone());

        MemorySegment init = MemorySegment.ofArray(new byte[HandshakeInitiation.LENGTH]);
        assertTrue(iNoise.createInitiation(initiator, atInitiator, 0x11223344, wall, init, 0));
        HandshakeInitiation im = new HandshakeInitiation();
        assertEquals(0, im.wrap(init, 0, HandshakeInitiation.LENGTH));
        var consumed = rNoise.consumeInitiation(responder, im, k -> Arrays.equals(k, initiator.publicKeyBytes()) ? atResponder : null, 1L);
        assertTrue(consumed.ok(), NoiseProtocol.describe(consumed.status()));
        MemorySegment resp = MemorySegment.ofArray(new byte[HandshakeResponse.LENGTH]);
        assertTrue(rNoise.createResponse(atResponder, 0x55667788, resp, 0));
        HandshakeResponse rm = new HandshakeResponse();
        assertEquals(0, rm.wrap(resp, 0, HandshakeResponse.LENGTH));
        var consumedResponse = iNoise.consumeResponse(initiator, rm, idx -> idx == 0x11223344 ? atInitiator : null);
        assertTrue(consumedResponse.ok(), NoiseProtocol.describe(consumedResponse.status()));
        SessionKeys ik = iNoise.beginSession(atInitiator), rk = rNoise.beginSession(atResponder);

        byte[][] generic = genericIkPsk2(Protocol.CONSTRUCTION.getBytes(StandardCharsets.US_ASCII),
                Protocol.IDENTIFIER.getBytes(StandardCharsets.US_ASCII), psk, iStatic, iEph, rStatic, rEph,
                Tai64n.of(wall), new byte[0]);
        byte[] initBytes = init.toArray(ValueLayout.JAVA_BYTE), respBytes = resp.toArray(ValueLayout.JAVA_BYTE);
        assertEquals(HEX.formatHex(generic[0]), HEX.formatHex(Arrays.copyOfRange(initBytes, 8, 116)),
                "initiation = e ‖ {s} ‖ {timestamp}");
        assertEquals(HEX.formatHex(generic[1]), HEX.formatHex(Arrays.copyOfRange(respBytes, 12, 60)),
                "response = e ‖ {}");
        assertArrayEquals(generic[3], ik.sendKey());
        assertArrayEquals(generic[4], ik.receiveKey());
        assertArrayEquals(generic[3], rk.receiveKey());
        assertArrayEquals(generic[4], rk.sendKey());
        assertTrue(ik.initiator());
        assertEquals(0x55667788, ik.remoteIndex());
        assertEquals(0x11223344, rk.remoteIndex());
        assertEquals("01000000" + "44332211", HEX.formatHex(Arrays.copyOfRange(initBytes, 0, 8)), "type and LE sender index");
        assertEquals("02000000" + "88776655" + "44332211", HEX.formatHex(Arrays.copyOfRange(respBytes, 0, 12)));
    }

    @Test
    void initialChainKeyAndHashAreThoseOfTheConstructionAndIdentifier() {
        // C0 = HASH(CONSTRUCTION) and H0 = HASH(C0 ‖ IDENTIFIER), the values the kernel computes in noise_init().
        SymmetricState s = new SymmetricState(AEAD, Protocol.CONSTRUCTION.getBytes(StandardCharsets.US_ASCII),
                Protocol.IDENTIFIER.getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(NoiseProtocol.INITIAL_CHAIN_KEY, s.chainKey());
        assertArrayEquals(NoiseProtocol.INITIAL_HASH, s.hash());
        assertEquals(37, Protocol.CONSTRUCTION.length());
        assertEquals(34, Protocol.IDENTIFIER.length());
    }
}
