package dev.jwgd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.message.Messages;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.timers.VirtualClock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One responder engine fed initiations from 16 peers by four threads at once, as a daemon with
 * several handshake workers would: every handshake completes, each peer ends with its own keypair,
 * and the index table holds exactly one entry per session.
 */
class ConcurrentHandshakesTest {
    private record Sent(int from, byte[] bytes) {}

    @Test
    void handshakesFromManyPeersProcessedInParallelAllComplete() throws Exception {
        int peers = 16;
        VirtualClock clock = new VirtualClock();
        ConcurrentLinkedQueue<Sent> toResponder = new ConcurrentLinkedQueue<>();
        List<List<byte[]>> toInitiator = new ArrayList<>();
        for (int i = 0; i < peers; i++) toInitiator.add(java.util.Collections.synchronizedList(new ArrayList<>()));

        Key responderKey = Curve25519.generatePrivateKey();
        SessionEngine responder = new SessionEngine(AeadProvider.scalar(), clock, new Transmit() {
            @Override public void sendToPeer(PeerSession p, MemorySegment m) {
                toInitiator.get((Integer) p.attachment()).add(m.toArray(ValueLayout.JAVA_BYTE));
            }
            @Override public void sendToSource(Object s, MemorySegment m) {}
            @Override public void endpointSeen(PeerSession p, Object s) {}
        });
        responder.setPrivateKey(responderKey);

        List<SessionEngine> initiators = new ArrayList<>();
        List<PeerSession> atInitiators = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            int id = i;
            SessionEngine e = new SessionEngine(AeadProvider.scalar(), clock, new Transmit() {
                @Override public void sendToPeer(PeerSession p, MemorySegment m) { toResponder.add(new Sent(id, m.toArray(ValueLayout.JAVA_BYTE))); }
                @Override public void sendToSource(Object s, MemorySegment m) {}
                @Override public void endpointSeen(PeerSession p, Object s) {}
            });
            Key k = Curve25519.generatePrivateKey();
            e.setPrivateKey(k);
            atInitiators.add(e.addPeer(Curve25519.publicKey(responderKey)));
            responder.addPeer(Curve25519.publicKey(k)).attach(id);
            initiators.add(e);
        }
        for (PeerSession p : atInitiators) p.initiateHandshake();
        assertEquals(peers, toResponder.size());

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                work.add(pool.submit(() -> {
                    Sent s;
                    while ((s = toResponder.poll()) != null) {
                        byte[] b = s.bytes();
                        MemorySegment seg = MemorySegment.ofArray(b);
                        if (Messages.classify(seg, 0, b.length) == Protocol.MESSAGE_TRANSPORT_DATA) {
                            if (!responder.openTransport(seg, 0, b.length).ok()) throw new AssertionError("data rejected");
                        } else {
                            int r = responder.receiveHandshakeMessage(seg, 0, b.length, new byte[] {10, 0, 0, (byte) s.from()}, 1, s.from());
                            if (r != SessionEngine.ACCEPTED) throw new AssertionError("handshake rejected: " + r);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) f.get(30, TimeUnit.SECONDS);
            // Responses back to each initiator; each answers with its confirming keepalive.
            for (int i = 0; i < peers; i++) {
                for (byte[] b : List.copyOf(toInitiator.get(i))) {
                    assertEquals(SessionEngine.ACCEPTED,
                            initiators.get(i).receiveHandshakeMessage(MemorySegment.ofArray(b), 0, b.length, new byte[] {10, 0, 0, 1}, 2, "r"));
                }
            }
            work.clear();
            for (int t = 0; t < 4; t++) {
                work.add(pool.submit(() -> {
                    Sent s;
                    while ((s = toResponder.poll()) != null) {
                        MemorySegment seg = MemorySegment.ofArray(s.bytes());
                        if (!responder.openTransport(seg, 0, s.bytes().length).ok()) throw new AssertionError("keepalive rejected");
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) f.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(peers, responder.counters().handshakesCompleted.get());
        java.util.Set<Keypair> distinct = new java.util.HashSet<>();
        for (PeerSession p : responder.peers()) {
            Keypair k = p.currentKeypair();
            assertNotNull(k, "confirmed by the keepalive");
            assertTrue(distinct.add(k));
            assertEquals(p, responder.indexTable().lookup(k.localIndex()).peer());
        }
        assertEquals(peers, responder.indexTable().size(), "one index per session, none leaked");
    }
}
