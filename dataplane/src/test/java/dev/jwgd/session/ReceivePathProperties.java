package dev.jwgd.session;

import static dev.jwgd.protocol.Protocol.MESSAGE_HANDSHAKE_COOKIE;
import static dev.jwgd.protocol.Protocol.MESSAGE_HANDSHAKE_INITIATION;
import static dev.jwgd.protocol.Protocol.MESSAGE_HANDSHAKE_RESPONSE;
import static dev.jwgd.protocol.Protocol.MESSAGE_TRANSPORT_DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real messages of every type, mutated (bit flips, byte changes, truncation, extension) and fed to
 * the engine after the original was accepted: every mutation is rejected, none throws, and the
 * session still works afterwards. Random garbage is likewise only ever rejected.
 */
class ReceivePathProperties {
    static LongStream seeds() {
        return new SplittableRandom(0x72656376L).longs(30);
    }

    private static byte[] mutate(byte[] m, SplittableRandom r) {
        byte[] b;
        switch (r.nextInt(5)) {
            case 0 -> b = Arrays.copyOf(m, r.nextInt(m.length)); // truncate
            case 1 -> {
                b = Arrays.copyOf(m, m.length + 1 + r.nextInt(40)); // extend
                for (int i = m.length; i < b.length; i++) b[i] = (byte) r.nextInt(256);
            }
            default -> {
                b = m.clone();
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int pos = r.nextInt(b.length);
                    if (r.nextBoolean()) b[pos] ^= (byte) (1 << r.nextInt(8));
                    else b[pos] = (byte) r.nextInt(256);
                }
            }
        }
        return b;
    }

    private static InMemoryPeers.Packet first(InMemoryPeers n, InMemoryPeers.Side from, int type, int nth) {
        return n.log.stream().filter(p -> p.from() == from && p.type() == type).skip(nth).findFirst().orElse(null);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void mutatedMessagesOfEveryTypeAreOnlyEverRejected(long seed) {
        InMemoryPeers n = new InMemoryPeers(seed);
        n.b.engine.underLoad().force(true);
        n.a.send("first...........");
        n.runSeconds(0.1);
        n.b.engine.underLoad().force(false);
        n.runSeconds(6);
        n.b.send("answer..........");
        n.runSeconds(0.1);
        assertEquals(List.of("first..........."), n.b.received(), "seed " + seed + ": setup");
        InMemoryPeers.Packet cookie = first(n, n.b, MESSAGE_HANDSHAKE_COOKIE, 0);
        InMemoryPeers.Packet init = first(n, n.a, MESSAGE_HANDSHAKE_INITIATION, 1);
        InMemoryPeers.Packet resp = first(n, n.b, MESSAGE_HANDSHAKE_RESPONSE, 0);
        InMemoryPeers.Packet dataAtoB = first(n, n.a, MESSAGE_TRANSPORT_DATA, 0);
        InMemoryPeers.Packet dataBtoA = first(n, n.b, MESSAGE_TRANSPORT_DATA, 0);
        for (InMemoryPeers.Packet p : List.of(cookie, init, resp, dataAtoB, dataBtoA)) assertNotNull(p, "seed " + seed);

        SplittableRandom r = new SplittableRandom(seed);
        int deliveredA = n.a.delivered.size(), deliveredB = n.b.delivered.size();
        for (int i = 0; i < 40; i++) {
            InMemoryPeers.Packet p = List.of(cookie, init, resp, dataAtoB, dataBtoA).get(r.nextInt(5));
            byte[] bad = r.nextInt(10) == 0 ? randomBytes(r, p.bytes().length) : mutate(p.bytes(), r);
            MemorySegment s = MemorySegment.ofArray(bad);
            SessionEngine to = p.to().engine;
            try {
                if (bad.length >= 4 && bad[0] == MESSAGE_TRANSPORT_DATA) {
                    SessionEngine.Opened o = to.openTransport(s, 0, bad.length);
                    assertFalse(o.ok(), "seed " + seed + " case " + i + ": a mutated data message opened");
                } else {
                    int result = to.receiveHandshakeMessage(s, 0, bad.length, p.from().ip, p.from().port, p.from());
                    assertTrue(result < 0, "seed " + seed + " case " + i + ": a mutated handshake message was accepted: " + result);
                }
            } catch (RuntimeException e) {
                fail("seed " + seed + " case " + i + ": threw " + e);
            }
        }
        n.wire.clear();
        assertEquals(deliveredA, n.a.delivered.size(), "seed " + seed);
        assertEquals(deliveredB, n.b.delivered.size(), "seed " + seed);
        n.a.send("still works.....");
        n.runSeconds(0.1);
        assertTrue(n.b.received().contains("still works....."), "seed " + seed + ": the session survived");
    }

    private static byte[] randomBytes(SplittableRandom r, int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        b[0] = (byte) (1 + r.nextInt(4));
        b[1] = b[2] = b[3] = 0;
        return b;
    }
}
