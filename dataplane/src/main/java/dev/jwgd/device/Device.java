package dev.jwgd.device;

import dev.jwgd.allowedips.AllowedIpsTrie;
import dev.jwgd.crypto.Aead;
import dev.jwgd.daemon.Log;
import dev.jwgd.keys.Key;
import dev.jwgd.pipeline.Endpoint;
import dev.jwgd.pipeline.PacketBatch;
import dev.jwgd.pipeline.UdpEnd;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.session.PeerSession;
import dev.jwgd.session.SessionEngine;
import dev.jwgd.session.Transmit;
import dev.jwgd.timers.Clock;
import dev.jwgd.uapi.ConfigurableDevice;
import dev.jwgd.uapi.DeviceSnapshot;
import dev.jwgd.uapi.EndpointCandidate;
import dev.jwgd.ip.IpPrefix;
import dev.jwgd.uapi.PeerSnapshot;
import dev.jwgd.uapi.SetRequest;
import dev.jwgd.uapi.UapiDevice;
import dev.jwgd.uapi.UapiException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A WireGuard interface as the daemon runs it: the protocol engine ({@link SessionEngine}: identity,
 * handshakes, keypairs, timers), the AllowedIPs trie, each peer's endpoint candidates, and the UDP
 * end the engine's messages leave through. It implements control's {@link ConfigurableDevice} and
 * {@link UapiDevice}, so a UAPI {@code set} gets the exact semantics of {@link SetRequest#applyTo}
 * and {@code get} a consistent {@link DeviceSnapshot}; and the engine's {@link Transmit}, so
 * handshakes, keepalives and staged packets go to the peer's endpoint in use.
 *
 * <p>Threads: UAPI changes hold {@link #configLock}; the send and receive paths read the peers, the
 * trie and the engine lock-free; handshake messages are handled by the pipeline's handshake worker,
 * timers by its timer thread. Per-peer protocol state is guarded by the {@link PeerSession}.
 */
public final class Device implements ConfigurableDevice<Peer>, UapiDevice, Transmit {
    private final Object configLock = new Object();
    private final String name;
    private final Clock clock;
    private final Log log;
    private final EndpointSet.Resolver resolver;
    private final UdpEnd udp;
    private final IntSupplier mtu;
    private final SessionEngine engine;
    private final AllowedIpsTrie<Peer> allowedIps = new AllowedIpsTrie<>();
    private final ConcurrentHashMap<Key, Peer> peers = new ConcurrentHashMap<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private volatile Aead aead;
    private volatile Key privateKey;
    private volatile long fwmark;
    private volatile boolean up = true;

    /** A one-slot batch per thread for the datagrams the engine asks to send. */
    private static final class Scratch {
        final PacketBatch batch = new PacketBatch(1, 65536);
        final int[] index = {0};
    }

    public Device(String name, Aead aead, Clock clock, UdpEnd udp, IntSupplier mtu, Log log, EndpointSet.Resolver resolver) {
        this.name = name;
        this.aead = aead;
        this.clock = clock;
        this.udp = udp;
        this.mtu = mtu;
        this.log = log;
        this.resolver = resolver;
        this.engine = new SessionEngine(aead, clock, this);
    }

    public String name() { return name; }
    public Clock clock() { return clock; }
    public Aead aead() { return aead; }
    public UdpEnd udp() { return udp; }
    public int mtu() { return mtu.getAsInt(); }
    public Log log() { return log; }
    public SessionEngine engine() { return engine; }
    public AllowedIpsTrie<Peer> allowedIps() { return allowedIps; }
    public Collection<Peer> peers() { return peers.values(); }
    public long fwmark() { return fwmark; }

    /**
     * Swaps the data path's AEAD (the daemon starts on the scalar implementation and moves to the vector one once
     * its warm-up has proved it); the send and receive paths pick it up at their next batch. The
     * engine keeps the AEAD it was built with for handshakes and staged packets.
     */
    public void setAead(Aead aead) {
        this.aead = aead;
    }

    /** While down (closing), the engine's messages are not sent. */
    public void setUp(boolean up) {
        this.up = up;
    }

    // ================================================================== UAPI

    @Override
    public void apply(SetRequest request) throws UapiException {
        synchronized (configLock) {
            request.applyTo(this);
        }
    }

    @Override
    public DeviceSnapshot snapshot() {
        synchronized (configLock) {
            List<PeerSnapshot> list = new ArrayList<>(peers.size());
            for (Peer p : peers.values()) {
                PeerSession s = p.session;
                Endpoint ep = p.endpoints.current();
                long wall = s.lastHandshakeWallClockNanos();
                List<IpPrefix> ips = allowedIps.list(p);
                list.add(new PeerSnapshot(p.publicKey, p.presharedKey, 1, ep == null ? null : ep.toSocketAddress(),
                        wall == 0 ? 0 : Math.floorDiv(wall, 1_000_000_000L), wall == 0 ? 0 : (int) Math.floorMod(wall, 1_000_000_000L),
                        s.rxBytes(), s.txBytes(), s.persistentKeepaliveInterval(), ips));
            }
            return new DeviceSnapshot(privateKey, udp.port(), fwmark, list);
        }
    }

    // ================================================================== ConfigurableDevice

    @Override
    public Key publicKey() {
        return engine.publicKey();
    }

    @Override
    public void setPrivateKey(Key key) {
        synchronized (configLock) {
            Key old = privateKey;
            if (old != null && key != null && old.equals(key)) return;
            privateKey = key == null || key.isZero() ? null : Key.of(key.unsafeBytes());
            engine.setPrivateKey(privateKey);
            if (old != null) old.zero(); // our own copy: nothing else holds it
        }
    }

    @Override
    public void setListenPort(int port) throws UapiException {
        synchronized (configLock) {
            try {
                udp.rebind(port);
            } catch (IOException e) {
                throw UapiException.portInUse("cannot listen on port " + port + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void setFwmark(long mark) throws UapiException {
        synchronized (configLock) {
            try {
                udp.setFwmark((int) mark);
                fwmark = mark;
            } catch (IOException e) {
                throw UapiException.portInUse("cannot set fwmark " + mark + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void removeAllPeers() {
        synchronized (configLock) {
            for (Peer p : new ArrayList<>(peers.values())) removePeer(p);
        }
    }

    @Override
    public Peer lookupPeer(Key publicKey) {
        return peers.get(publicKey);
    }

    @Override
    public Peer createPeer(Key publicKey) throws UapiException {
        synchronized (configLock) {
            if (peers.size() >= Protocol.MAX_PEERS) throw new UapiException(dev.jwgd.ffm.Errno.ENOMEM, "too many peers");
            PeerSession s = engine.addPeer(publicKey);
            if (s == null) throw UapiException.invalid("a peer cannot have the interface's own public key");
            Peer p = new Peer(publicKey, s, new EndpointSet(resolver));
            s.attach(p);
            peers.put(publicKey, p);
            log.verbose(p + " - created");
            return p;
        }
    }

    @Override
    public void removePeer(Peer peer) {
        synchronized (configLock) {
            peers.remove(peer.publicKey, peer);
            allowedIps.removeAll(peer);
            engine.removePeer(peer.publicKey);
            log.verbose(peer + " - removed");
        }
    }

    @Override
    public void setPresharedKey(Peer peer, Key key) {
        peer.presharedKey = key == null || key.isZero() ? null : key;
        peer.session.presharedKey(peer.presharedKey);
    }

    @Override
    public void setEndpoints(Peer peer, List<EndpointCandidate> candidates) {
        peer.endpoints.set(candidates);
    }

    /** The engine sends the immediate keepalive itself when the interval goes from 0 to non-zero. */
    @Override
    public int setPersistentKeepalive(Peer peer, int seconds) {
        int old = peer.session.persistentKeepaliveInterval();
        peer.session.persistentKeepaliveInterval(seconds);
        return old;
    }

    @Override
    public void removeAllowedIps(Peer peer) {
        allowedIps.removeAll(peer);
    }

    @Override
    public void addAllowedIp(Peer peer, IpPrefix prefix) {
        allowedIps.insert(prefix.address(), prefix.cidr(), peer);
    }

    @Override
    public void removeAllowedIp(Peer peer, IpPrefix prefix) {
        allowedIps.remove(prefix.address(), prefix.cidr(), peer);
    }

    @Override
    public void peerSectionDone(Peer peer, boolean created, boolean keepaliveTurnedOn) {
        // Staged packets go out as soon as a session exists; the keepalive was sent by the engine.
    }

    // ================================================================== Transmit (called by the engine)

    @Override
    public void sendToPeer(PeerSession session, MemorySegment message) {
        if (!up) return;
        Peer peer = (Peer) session.attachment();
        if (peer == null) return;
        if (message.byteSize() == Protocol.MESSAGE_INITIATION_SIZE
                && message.get(ValueLayout.JAVA_BYTE, 0) == Protocol.MESSAGE_HANDSHAKE_INITIATION
                && session.handshakeAttempts() > 0
                && peer.endpoints.handshakeTimedOut()) {
            // A retransmission: the last initiation went unanswered, so try the next candidate (jwgd multi-endpoint).
            log.verbose(peer + " - handshake timed out, trying endpoint " + peer.endpoints.current());
        }
        Endpoint to = peer.endpoints.current();
        if (to == null) return;
        send(message, to);
    }

    @Override
    public void sendToSource(Object source, MemorySegment message) {
        if (up && source instanceof Endpoint to) send(message, to);
    }

    @Override
    public void endpointSeen(PeerSession session, Object source) {
        Peer peer = (Peer) session.attachment();
        if (peer == null || !(source instanceof Endpoint ep)) return;
        if (!ep.equals(peer.endpoints.current())) log.verbose(peer + " - endpoint is now " + ep);
        peer.endpoints.roamTo(ep);
    }

    private void send(MemorySegment message, Endpoint to) {
        Scratch s = scratch.get();
        PacketBatch b = s.batch;
        int len = (int) message.byteSize();
        MemorySegment.copy(message, 0, b.slot(0), 0, len);
        b.offset[0] = 0;
        b.length[0] = len;
        b.destination[0] = to;
        udp.send(b, s.index, 1);
        b.destination[0] = null;
    }

    // ================================================================== data path hooks

    /**
     * Receive path, after a transport message from {@code peer} authenticated: roaming (whitepaper
     * 6.5) when it came from another address than the endpoint in use. Allocates only when the
     * address really changed.
     */
    public void roam(Peer peer, boolean v6, long high, long low, int port) {
        Endpoint ep = peer.endpoints.current();
        if (ep != null && ep.matches(v6, high, low, port)) return;
        Endpoint to = Endpoint.of(v6, high, low, port);
        peer.endpoints.roamTo(to);
        log.verbose(peer + " - endpoint is now " + to);
    }

    /** Stops sending and wipes everything secret (the daemon is shutting down). */
    public void close() {
        up = false;
        synchronized (configLock) {
            for (Peer p : new ArrayList<>(peers.values())) engine.removePeer(p.publicKey);
            engine.setPrivateKey(null);
            Key k = privateKey;
            privateKey = null;
            if (k != null) k.zero();
        }
    }
}
