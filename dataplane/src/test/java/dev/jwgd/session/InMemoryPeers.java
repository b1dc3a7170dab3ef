package dev.jwgd.session;

import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.message.Messages;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.timers.VirtualClock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Two protocol engines joined by an in-memory "wire" under one virtual clock. Every message either
 * engine transmits is queued; {@link #run} delivers the queue (through an optional filter that may
 * drop, duplicate or delay messages) and moves time forward in small steps, firing timers.
 */
final class InMemoryPeers {
    static final long SECOND = 1_000_000_000L;

    record Packet(Side from, Side to, byte[] bytes, long sentAt) {
        int type() { return Messages.classify(MemorySegment.ofArray(bytes), 0, bytes.length); }
    }

    final VirtualClock clock = new VirtualClock();
    final ArrayDeque<Packet> wire = new ArrayDeque<>();
    final List<Packet> log = new ArrayList<>();
    /** Decides what reaches the receiver: the packet itself, nothing, several copies... */
    Function<Packet, List<Packet>> filter = List::of;
    final Side a;
    final Side b;

    final class Side implements Transmit {
        final String name;
        final Key privateKey;
        final Key publicKey;
        final byte[] ip;
        final int port;
        final SplittableRandom random;
        SessionEngine engine;
        PeerSession peer;
        Side other;
        final List<byte[]> delivered = new ArrayList<>();
        int keepalivesReceived;
        int openRejected;
        final List<Integer> handshakeResults = new ArrayList<>();

        Side(String name, byte[] ip, int port, long seed) {
            this.name = name;
            this.privateKey = Curve25519.generatePrivateKey();
            this.publicKey = Curve25519.publicKey(privateKey);
            this.ip = ip;
            this.port = port;
            this.random = new SplittableRandom(seed);
        }

        /** A fresh engine with this side's key (also used to simulate a restart). */
        void start(Key otherPublic, Key psk) {
            engine = new SessionEngine(AeadProvider.scalar(), clock, this, new SecureRandom(), random.split(),
                    dev.jwgd.noise.EphemeralKeys.RANDOM);
            engine.setPrivateKey(privateKey);
            peer = engine.addPeer(otherPublic);
            peer.presharedKey(psk);
        }

        void send(String text) {
            byte[] p = text.getBytes();
            engine.send(peer, MemorySegment.ofArray(p), 0, p.length);
        }

        List<String> received() {
            List<String> out = new ArrayList<>();
            for (byte[] d : delivered) out.add(new String(d).replace("\0", ""));
            return out;
        }

        @Override
        public void sendToPeer(PeerSession p, MemorySegment message) {
            queue(new Packet(this, other, message.toArray(ValueLayout.JAVA_BYTE), clock.nanos()));
        }

        @Override
        public void sendToSource(Object source, MemorySegment message) {
            queue(new Packet(this, (Side) source, message.toArray(ValueLayout.JAVA_BYTE), clock.nanos()));
        }

        @Override
        public void endpointSeen(PeerSession p, Object source) {}

        void receive(Packet p) {
            MemorySegment seg = MemorySegment.ofArray(p.bytes().clone());
            int type = Messages.classify(seg, 0, p.bytes().length);
            if (type == Protocol.MESSAGE_TRANSPORT_DATA) {
                SessionEngine.Opened o = engine.openTransport(seg, 0, p.bytes().length);
                if (!o.ok()) {
                    openRejected++;
                } else if (o.plaintextLength() == 0) {
                    keepalivesReceived++;
                } else {
                    delivered.add(seg.asSlice(16, o.plaintextLength()).toArray(ValueLayout.JAVA_BYTE));
                }
            } else {
                handshakeResults.add(engine.receiveHandshakeMessage(seg, 0, p.bytes().length, p.from().ip, p.from().port, p.from()));
            }
        }

        long sent(int type) {
            return log.stream().filter(x -> x.from() == this && x.type() == type).count();
        }
    }

    InMemoryPeers(long seed, Key pskA, Key pskB) {
        a = new Side("A", new byte[] {(byte) 192, 0, 2, 1}, 51820, seed);
        b = new Side("B", new byte[] {(byte) 192, 0, 2, 2}, 51821, seed + 1);
        a.other = b;
        b.other = a;
        a.start(b.publicKey, pskA);
        b.start(a.publicKey, pskB);
    }

    InMemoryPeers(long seed) {
        this(seed, null, null);
    }

    private void queue(Packet p) {
        log.add(p);
        wire.addLast(p);
    }

    /** Delivers everything queued (and whatever that triggers), at most 10 000 messages. */
    void deliver() {
        for (int i = 0; i < 10_000 && !wire.isEmpty(); i++) {
            Packet p = wire.pollFirst();
            for (Packet q : filter.apply(p)) q.to().receive(q);
        }
    }

    /** Moves time forward in 100 ms steps, firing timers and delivering messages at each step. */
    void run(long nanos) {
        long end = clock.nanos() + nanos;
        deliver();
        while (clock.nanos() < end) {
            clock.advance(Math.min(SECOND / 10, end - clock.nanos()));
            a.engine.tick();
            b.engine.tick();
            deliver();
        }
    }

    void runSeconds(double s) {
        run((long) (s * SECOND));
    }

    /** A completes a handshake with B and both exchange a packet. */
    void establish() {
        a.send("hello from A....");
        runSeconds(0.1);
        b.send("hello from B....");
        runSeconds(0.1);
    }
}
