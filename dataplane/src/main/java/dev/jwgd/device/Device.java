package dev.jwgd.device;

import dev.jwgd.allowedips.AllowedIpsTrie;
import dev.jwgd.cookie.CookieChecker;
import dev.jwgd.cookie.UnderLoadDetector;
import dev.jwgd.crypto.Aead;
import dev.jwgd.crypto.AeadBatch;
import dev.jwgd.daemon.Log;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.message.CookieReply;
import dev.jwgd.message.HandshakeInitiation;
import dev.jwgd.message.HandshakeResponse;
import dev.jwgd.noise.Handshake;
import dev.jwgd.noise.NoiseProtocol;
import dev.jwgd.noise.SessionKeys;
import dev.jwgd.noise.StaticIdentity;
import dev.jwgd.pipeline.Endpoint;
import dev.jwgd.pipeline.PacketBatch;
import dev.jwgd.pipeline.Transport;
import dev.jwgd.pipeline.UdpEnd;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.ratelimiter.Ratelimiter;
import dev.jwgd.timers.Clock;
import dev.jwgd.timers.PeerTimers;
import dev.jwgd.uapi.ConfigurableDevice;
import dev.jwgd.uapi.EndpointCandidate;
import dev.jwgd.uapi.IpPrefix;
import dev.jwgd.uapi.UapiException;
import dev.jwgd.uapi.DeviceSnapshot;
import dev.jwgd.uapi.PeerSnapshot;
import dev.jwgd.uapi.SetRequest;
import dev.jwgd.uapi.UapiDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A WireGuard interface: the static identity, listen port and fwmark, the peers by public key, the
 * AllowedIPs trie, the index table, and the protocol actions the data path and the timers ask for
 * (send an initiation, answer handshake messages, confirm keys, send keepalives and staged packets).
 * It implements control's {@link ConfigurableDevice} so a UAPI {@code set} gets the exact
 * semantics of {@link dev.jwgd.uapi.SetRequest#applyTo}.
 *
 * <p>Threads: UAPI changes hold {@link #configLock}; the send and receive paths read the peers,
 * the trie, the index table and the identity lock-free (volatile snapshots); handshake messages are
 * handled by one worker thread; timers by one thread. Per-peer state is guarded by the peer.
 */
public final class Device implements ConfigurableDevice<Peer>, UapiDevice {
    /** Sends datagrams for the control side of the protocol (handshakes, keepalives, staged packets). */
    private final Object configLock = new Object();
    private final String name;
    private volatile Aead aead;
    private final NoiseProtocol noise;
    private final Clock clock;
    private final Log log;
    private final EndpointSet.Resolver resolver;
    private final UdpEnd udp;
    private final IntSupplier mtu;
    final IndexTable indexTable = new IndexTable();
    final AllowedIpsTrie<Peer> allowedIps = new AllowedIpsTrie<>();
    private final ConcurrentHashMap<Key, Peer> peers = new ConcurrentHashMap<>();
    private final CookieChecker cookieChecker = new CookieChecker(new SecureRandom());
    private final UnderLoadDetector underLoad = new UnderLoadDetector(Protocol.MAX_QUEUED_INCOMING_HANDSHAKES);
    private final Ratelimiter ratelimiter = new Ratelimiter();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private volatile StaticIdentity identity;
    private volatile Key privateKey;
    private volatile long fwmark;
    private volatile boolean up = true;

    // Drop counters for the handshake side (the data path keeps its own).
    volatile long handshakesRejected;

    /** Per-thread buffers for the few datagrams the control side sends. */
    private static final class Scratch {
        final PacketBatch batch = new PacketBatch(1, 256);
        final int[] index = {0};
        final HandshakeInitiation initiation = new HandshakeInitiation();
        final HandshakeResponse response = new HandshakeResponse();
        final CookieReply cookieReply = new CookieReply();
        AeadBatch aeadBatch;
    }

    public Device(String name, Aead aead, Clock clock, UdpEnd udp, IntSupplier mtu, Log log, EndpointSet.Resolver resolver) {
        this.name = name;
        this.aead = aead;
        this.noise = new NoiseProtocol(aead);
        this.clock = clock;
        this.udp = udp;
        this.mtu = mtu;
        this.log = log;
        this.resolver = resolver;
    }

    public String name() { return name; }
    public Clock clock() { return clock; }
    public Aead aead() { return aead; }

    /**
     * Swaps the AEAD implementation (the daemon starts on the JDK cipher and moves to the vector one
     * once its warm-up has proved it); the data path picks it up at its next batch.
     */
    public void setAead(Aead aead) {
        this.aead = aead;
    }
    public UdpEnd udp() { return udp; }
    public int mtu() { return mtu.getAsInt(); }
    public Log log() { return log; }
    public UnderLoadDetector underLoad() { return underLoad; }
    public AllowedIpsTrie<Peer> allowedIps() { return allowedIps; }
    public IndexTable indexTable() { return indexTable; }
    public Collection<Peer> peers() { return peers.values(); }
    public int listenPort() { return udp.port(); }
    public long fwmark() { return fwmark; }
    public Key privateKey() { return privateKey; }

    /** While down (closing), no peer sends anything. */
    public void setUp(boolean up) {
        this.up = up;
    }

    // ================================================================== configuration (UAPI)

    /** Runs {@code action} under the configuration lock (UAPI set and get are serialized by it). */
    public <T> T withConfigLock(java.util.function.Supplier<T> action) {
        synchronized (configLock) {
            return action.get();
        }
    }

    public Object configLock() {
        return configLock;
    }

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
                Endpoint ep = p.endpoints.current();
                long wall = p.lastHandshakeWallNanos;
                List<IpPrefix> ips = new ArrayList<>();
                for (var prefix : allowedIps.list(p)) ips.add(IpPrefix.of(prefix.address(), prefix.cidr()));
                list.add(new PeerSnapshot(p.publicKey, p.presharedKey, 1, ep == null ? null : ep.toSocketAddress(),
                        wall == 0 ? 0 : Math.floorDiv(wall, 1_000_000_000L), wall == 0 ? 0 : (int) Math.floorMod(wall, 1_000_000_000L),
                        p.rxBytes(), p.txBytes(), persistentKeepalive(p), ips));
            }
            return new DeviceSnapshot(privateKey, udp.port(), fwmark, list);
        }
    }

    @Override
    public Key publicKey() {
        StaticIdentity id = identity;
        return id == null ? null : id.publicKey();
    }

    @Override
    public void setPrivateKey(Key key) {
        synchronized (configLock) {
            Key old = privateKey;
            if (old != null && key != null && old.equals(key)) return;
            StaticIdentity oldId = identity;
            if (key == null || key.isZero()) {
                identity = null;
                privateKey = null;
                cookieChecker.init(null);
            } else {
                byte[] k = key.bytes();
                Curve25519.clamp(k);
                Key clamped = Key.of(k);
                java.util.Arrays.fill(k, (byte) 0);
                StaticIdentity id = new StaticIdentity(clamped);
                privateKey = clamped;
                identity = id;
                cookieChecker.init(id.publicKeyBytes());
            }
            for (Peer p : peers.values()) {
                synchronized (p) {
                    p.handshake.recomputeStaticStatic(identity);
                    p.handshake.clear();
                    expireKeypairs(p);
                }
            }
            if (oldId != null) oldId.zero();
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
            Peer p = new Peer(this, publicKey, new Handshake(identity, publicKey.bytes()), new EndpointSet(resolver));
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
            synchronized (peer) {
                peer.removed = true;
                peer.timers.stop();
                zeroKeyMaterial(peer);
                peer.dropStaged();
                peer.cookies.zero();
            }
            log.verbose(peer + " - removed");
        }
    }

    @Override
    public void setPresharedKey(Peer peer, Key key) {
        synchronized (peer) {
            peer.presharedKey = key == null || key.isZero() ? null : key;
            peer.handshake.presharedKey(peer.presharedKey == null ? null : peer.presharedKey.bytes());
        }
    }

    @Override
    public void setEndpoints(Peer peer, List<EndpointCandidate> candidates) {
        peer.endpoints.set(candidates);
    }

    @Override
    public int setPersistentKeepalive(Peer peer, int seconds) {
        synchronized (peer) {
            int old = peer.timers.persistentKeepaliveInterval();
            peer.timers.persistentKeepaliveInterval(seconds);
            return old;
        }
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
        if (peer.removed || !up) return;
        long now = clock.nanos();
        if (keepaliveTurnedOn) sendKeepalive(peer, now);
        flushStaged(peer, now);
    }

    /** Allowed IPs of a peer for {@code get}, in the trie's stable order. */
    public List<dev.jwgd.allowedips.IpPrefix> allowedIpsOf(Peer peer) {
        return allowedIps.list(peer);
    }

    public int persistentKeepalive(Peer peer) {
        synchronized (peer) {
            return peer.timers.persistentKeepaliveInterval();
        }
    }

    // ================================================================== sending

    /**
     * Sends a handshake initiation to the peer unless one went out less than REKEY_TIMEOUT ago
     * (whitepaper 6.1 rate limit; kernel {@code wg_packet_send_handshake_initiation}).
     */
    public void sendHandshakeInitiation(Peer peer, boolean retry) {
        long now = clock.nanos();
        synchronized (peer) {
            if (peer.removed || !up) return;
            if (now - peer.lastSentHandshake < Protocol.REKEY_TIMEOUT) return;
            StaticIdentity id = identity;
            if (id == null || !peer.handshake.usable()) return;
            Endpoint to = peer.endpoints.current();
            if (to == null) return;
            peer.lastSentHandshake = now;
            Scratch s = scratch.get();
            if (peer.handshakeIndex != 0) indexTable.remove(peer.handshakeIndex);
            int index = indexTable.newIndex(peer);
            peer.handshakeIndex = index;
            MemorySegment buf = s.batch.slot(0);
            if (!noise.createInitiation(id, peer.handshake, index, clock.wallClockNanos(), buf, 0)) return;
            peer.cookies.addMacs(buf, 0, Protocol.MESSAGE_INITIATION_SIZE, now);
            log.verbose(peer + " - sending handshake initiation" + (retry ? " (retry)" : "") + " to " + to);
            send(s, Protocol.MESSAGE_INITIATION_SIZE, to, peer);
            peer.timers.onAnyAuthenticatedPacketTraversal(now);
            peer.timers.onAnyAuthenticatedPacketSent();
            peer.timers.onHandshakeInitiated(now);
        }
    }

    /** Sends a keepalive (an empty transport message), or starts a handshake when no session exists. */
    public void sendKeepalive(Peer peer, long now) {
        synchronized (peer) {
            if (peer.removed || !up) return;
            if (peer.hasStaged()) {
                flushStaged(peer, now);
                return;
            }
            Keypair kp = peer.sendKeypair(now);
            Endpoint to = peer.endpoints.current();
            if (kp == null || to == null) {
                if (to != null) sendHandshakeInitiation(peer, false);
                return;
            }
            long counter = kp.nextSendCounter(now);
            if (counter < 0) {
                sendHandshakeInitiation(peer, false);
                return;
            }
            Scratch s = scratch.get();
            PacketBatch b = s.batch;
            b.offset[0] = PacketBatch.HEADROOM;
            b.length[0] = 0;
            Transport.prepare(b, 0, kp.remoteIndex(), counter, 0);
            aead.seal(kp.sendKey(), counter, MemorySegment.NULL, b.slot(0), PacketBatch.HEADROOM, 0);
            Transport.sealed(b, 0, 0);
            log.verbose(peer + " - sending keepalive");
            send(s, b.length[0], to, peer);
            peer.timers.onAnyAuthenticatedPacketTraversal(now);
            peer.timers.onAnyAuthenticatedPacketSent();
        }
    }

    private void send(Scratch s, int length, Endpoint to, Peer peer) {
        PacketBatch b = s.batch;
        b.offset[0] = 0;
        b.length[0] = length;
        b.destination[0] = to;
        if (udp.send(b, s.index, 1) == 1) peer.addTxBytes(length);
        b.destination[0] = null;
    }

    /**
     * Seals and sends the packets staged for the peer if a session exists, else starts a handshake.
     * Any thread; takes the peer's lock.
     */
    public void flushStaged(Peer peer, long now) {
        synchronized (peer) {
            if (peer.removed || !up || peer.stagedCount() == 0) return;
            Keypair kp = peer.sendKeypair(now);
            Endpoint to = peer.endpoints.current();
            if (kp == null || to == null) {
                if (to != null) sendHandshakeInitiation(peer, false);
                return;
            }
            Scratch s = scratch.get();
            PacketBatch staged = peer.stagedBatch();
            int n = peer.stagedCount();
            if (s.aeadBatch == null || s.aeadBatch.capacity() < n) s.aeadBatch = new AeadBatch(Protocol.MAX_STAGED_PACKETS);
            AeadBatch ab = s.aeadBatch;
            ab.clear();
            int[] idx = new int[n]; // control side, at most once per handshake
            int[] padded = new int[n];
            int m = 0;
            int mtu = mtu();
            for (int k = 0; k < n; k++) {
                int slot = peer.stagedSlot(k);
                long counter = kp.nextSendCounter(now);
                if (counter < 0) break;
                padded[m] = Transport.prepare(staged, slot, kp.remoteIndex(), counter, mtu);
                ab.add(kp.sendKey(), counter, staged.slot(slot), PacketBatch.HEADROOM, padded[m]);
                idx[m++] = slot;
            }
            if (m == 0) {
                sendHandshakeInitiation(peer, false);
                return;
            }
            aead.sealBatch(ab);
            ab.clear();
            long bytes = 0;
            for (int k = 0; k < m; k++) {
                Transport.sealed(staged, idx[k], padded[k]);
                staged.destination[idx[k]] = to;
                bytes += staged.length[idx[k]];
            }
            udp.send(staged, idx, m);
            for (int k = 0; k < m; k++) staged.destination[idx[k]] = null;
            peer.dequeueStaged(m);
            peer.addTxBytes(bytes);
            peer.timers.onDataSent(now);
            peer.timers.onAnyAuthenticatedPacketTraversal(now);
            peer.timers.onAnyAuthenticatedPacketSent();
            keepKeyFreshSending(peer, kp, now);
        }
    }

    /** After sending with {@code kp}: rekey when it is old or used up and we were its initiator. */
    public void keepKeyFreshSending(Peer peer, Keypair kp, long now) {
        if (kp.sendCount() > Protocol.REKEY_AFTER_MESSAGES
                || (kp.initiator() && now - kp.created() > Protocol.REKEY_AFTER_TIME)) {
            sendHandshakeInitiation(peer, false);
        }
    }

    /** After receiving with {@code kp}: the initiator's one last-minute handshake before REJECT_AFTER_TIME. */
    public void keepKeyFreshReceiving(Peer peer, Keypair kp, long now) {
        if (!kp.initiator() || now - kp.created() <= Protocol.REKEY_ON_RECEIVE_AFTER) return;
        synchronized (peer) {
            if (peer.sentLastMinuteHandshake || kp != peer.current) return;
            peer.sentLastMinuteHandshake = true;
        }
        sendHandshakeInitiation(peer, false);
    }

    /** Data path: the send path got data for a peer and must hold it until a session exists. */
    public void stage(Peer peer, PacketBatch from, int i) {
        synchronized (peer) {
            if (peer.removed) return;
            peer.stage(from, i);
        }
    }

    /** Data path: timers after the send path sent {@code bytes} of data to the peer. */
    public void dataSent(Peer peer, long bytes, long now) {
        peer.addTxBytes(bytes);
        synchronized (peer) {
            peer.timers.onDataSent(now);
            peer.timers.onAnyAuthenticatedPacketTraversal(now);
            peer.timers.onAnyAuthenticatedPacketSent();
        }
    }

    // ================================================================== receiving

    /**
     * Data path, after a transport message under {@code kp} was authenticated and passed the replay
     * check: key confirmation (the responder's next keypair becomes current), roaming, counters and
     * timers. {@code dataLength} is the plaintext length (0 for a keepalive).
     */
    public void authenticatedTransport(Keypair kp, boolean sourceV6, long sourceHigh, long sourceLow, int sourcePort,
                                       int datagramLength, int dataLength, long now) {
        Peer peer = kp.peer;
        peer.addRxBytes(datagramLength);
        Endpoint ep = peer.endpoints.current();
        if (ep == null || !ep.matches(sourceV6, sourceHigh, sourceLow, sourcePort)) {
            Endpoint roamed = Endpoint.of(sourceV6, sourceHigh, sourceLow, sourcePort);
            peer.endpoints.roamTo(roamed);
            log.verbose(peer + " - endpoint is now " + roamed);
        }
        boolean confirmed = false;
        synchronized (peer) {
            if (kp == peer.next) {
                // Key confirmation (whitepaper 5.4.6): the initiator used the new session.
                Keypair old = peer.previous;
                peer.previous = peer.current;
                peer.current = kp;
                peer.next = null;
                if (old != null) retire(old);
                peer.timers.onHandshakeComplete();
                peer.sentLastMinuteHandshake = false;
                confirmed = true;
            }
            peer.timers.onAnyAuthenticatedPacketReceived();
            peer.timers.onAnyAuthenticatedPacketTraversal(now);
            if (dataLength > 0) peer.timers.onDataReceived(now);
        }
        if (confirmed) flushStaged(peer, now);
        keepKeyFreshReceiving(peer, kp, now);
    }

    /**
     * Handles one handshake message (type 1, 2 or 3, size already checked) from {@code source}, on
     * the handshake worker thread: MAC1, the cookie/under-load logic, then the Noise step.
     */
    public void handleHandshake(int type, MemorySegment msg, int length, Endpoint source, boolean underLoadNow) {
        long now = clock.nanos();
        Scratch s = scratch.get();
        StaticIdentity id = identity;
        if (id == null) {
            handshakesRejected++;
            return;
        }
        if (type == Protocol.MESSAGE_HANDSHAKE_COOKIE) {
            CookieReply reply = s.cookieReply;
            if (reply.wrap(msg, 0, length) != 0) return;
            IndexTable.Entry e = indexTable.lookup(reply.receiverIndex());
            if (e == null) return;
            if (!e.peer().cookies.consumeReply(reply, now)) handshakesRejected++;
            return;
        }
        if (!cookieChecker.checkMac1(msg, 0, length)) {
            handshakesRejected++;
            return;
        }
        if (underLoadNow) {
            byte[] src = sourceBytes(source);
            if (!cookieChecker.checkMac2(msg, 0, length, src, now)) {
                int senderIndex = msg.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 4);
                cookieChecker.createReply(msg, 0, length, senderIndex, src, now, s.batch.slot(0), 0);
                s.batch.offset[0] = 0;
                s.batch.length[0] = Protocol.MESSAGE_COOKIE_REPLY_SIZE;
                s.batch.destination[0] = source;
                udp.send(s.batch, s.index, 1);
                s.batch.destination[0] = null;
                return;
            }
            if (!ratelimiter.allow(ipBytes(source), now)) {
                handshakesRejected++;
                return;
            }
        }
        if (type == Protocol.MESSAGE_HANDSHAKE_INITIATION) {
            HandshakeInitiation init = s.initiation;
            if (init.wrap(msg, 0, length) != 0) return;
            Peer[] found = new Peer[1];
            NoiseProtocol.Consumed c = noise.consumeInitiation(id, init, key -> {
                Peer p = peers.get(Key.of(key));
                found[0] = p;
                return p == null ? null : p.handshake;
            }, now);
            if (!c.ok()) {
                handshakesRejected++;
                log.verbose("handshake initiation from " + source + " rejected: " + NoiseProtocol.describe(c.status()));
                return;
            }
            Peer peer = found[0];
            if (peer == null || peer.handshake != c.handshake()) return;
            synchronized (peer) {
                if (peer.removed || !up) return;
                peer.addRxBytes(length);
                peer.endpoints.roamTo(source);
                peer.timers.onAnyAuthenticatedPacketTraversal(now);
                peer.timers.onAnyAuthenticatedPacketReceived();
                int index = indexTable.newIndex(peer);
                MemorySegment out = s.batch.slot(0);
                if (!noise.createResponse(peer.handshake, index, out, 0)) {
                    indexTable.remove(index);
                    return;
                }
                peer.cookies.addMacs(out, 0, Protocol.MESSAGE_RESPONSE_SIZE, now);
                SessionKeys keys = noise.beginSession(peer.handshake);
                if (keys == null) {
                    indexTable.remove(index);
                    return;
                }
                Keypair kp = new Keypair(peer, keys, now);
                indexTable.bindKeypair(index, kp);
                Keypair oldNext = peer.next;
                peer.next = kp;
                if (oldNext != null) retire(oldNext);
                peer.lastHandshakeWallNanos = clock.wallClockNanos();
                log.verbose(peer + " - received handshake initiation, sending response");
                send(s, Protocol.MESSAGE_RESPONSE_SIZE, source, peer);
                peer.timers.onSessionDerived(now);
                peer.timers.onAnyAuthenticatedPacketSent();
            }
            return;
        }
        // Handshake response.
        HandshakeResponse resp = s.response;
        if (resp.wrap(msg, 0, length) != 0) return;
        Peer[] found = new Peer[1];
        NoiseProtocol.Consumed c = noise.consumeResponse(id, resp, idx -> {
            IndexTable.Entry e = indexTable.lookup(idx);
            if (e == null || e.keypair() != null) return null;
            found[0] = e.peer();
            return e.peer().handshake;
        });
        if (!c.ok()) {
            handshakesRejected++;
            log.verbose("handshake response from " + source + " rejected: " + NoiseProtocol.describe(c.status()));
            return;
        }
        Peer peer = found[0];
        if (peer == null || peer.handshake != c.handshake()) return;
        synchronized (peer) {
            if (peer.removed || !up) return;
            SessionKeys keys = noise.beginSession(peer.handshake);
            if (keys == null) return;
            Keypair kp = new Keypair(peer, keys, now);
            indexTable.bindKeypair(kp.localIndex(), kp);
            peer.handshakeIndex = 0;
            // The initiator uses the new session at once (whitepaper 5.4.6).
            Keypair oldPrevious = peer.previous;
            Keypair oldNext = peer.next;
            peer.previous = peer.current;
            peer.current = kp;
            peer.next = null;
            if (oldPrevious != null) retire(oldPrevious);
            if (oldNext != null) retire(oldNext);
            peer.addRxBytes(length);
            peer.endpoints.roamTo(source);
            peer.endpoints.handshakeCompleted();
            peer.lastHandshakeWallNanos = clock.wallClockNanos();
            peer.sentLastMinuteHandshake = false;
            peer.timers.onHandshakeComplete();
            peer.timers.onSessionDerived(now);
            peer.timers.onAnyAuthenticatedPacketTraversal(now);
            peer.timers.onAnyAuthenticatedPacketReceived();
            log.verbose(peer + " - received handshake response, session established");
            // Send what waited for this session, or a keepalive to confirm the keys (kernel receive.c).
            if (peer.hasStaged()) flushStaged(peer, now);
            else sendKeepalive(peer, now);
        }
    }

    private static byte[] ipBytes(Endpoint e) {
        return e.address().getAddress();
    }

    /** The cookie's address input: IP ‖ port (big-endian), as the kernel encodes it. */
    private static byte[] sourceBytes(Endpoint e) {
        byte[] ip = ipBytes(e);
        byte[] out = java.util.Arrays.copyOf(ip, ip.length + 2);
        out[ip.length] = (byte) (e.port() >>> 8);
        out[ip.length + 1] = (byte) e.port();
        return out;
    }

    // ================================================================== timers

    /** Fires the peer's due timers; called by the timer thread. */
    public void pollTimers(Peer peer, long now) {
        synchronized (peer) {
            if (peer.removed || !up) return;
            peer.timers.poll(now, new TimerActions(peer));
        }
    }

    /** What the timer state machine asks of a peer (created per firing poll, control side only). */
    private final class TimerActions implements PeerTimers.Actions {
        private final Peer peer;

        TimerActions(Peer peer) {
            this.peer = peer;
        }

        @Override
        public void sendHandshakeInitiation(boolean retry) {
            if (retry) {
                // The last initiation went unanswered: try the next endpoint candidate (jwgd multi-endpoint).
                if (peer.endpoints.handshakeTimedOut()) {
                    log.verbose(peer + " - handshake timed out, trying endpoint " + peer.endpoints.current());
                }
                peer.lastSentHandshake = Long.MIN_VALUE / 2;
            }
            Device.this.sendHandshakeInitiation(peer, retry);
        }

        @Override
        public void sendKeepalive() {
            Device.this.sendKeepalive(peer, clock.nanos());
        }

        @Override
        public void handshakeGaveUp() {
            log.verbose(peer + " - handshake did not complete after " + (Protocol.MAX_TIMER_HANDSHAKES + 2) + " attempts, giving up");
            peer.dropStaged();
        }

        @Override
        public void zeroKeyMaterial() {
            Device.this.zeroKeyMaterial(peer);
        }

        @Override
        public void clearEndpointSource() {
            // No sticky source address yet: nothing cached to clear.
        }
    }

    /** Cheap check for the timer thread: whether any of the peer's timers is due. */
    public boolean timersDue(Peer peer, long now) {
        synchronized (peer) {
            return peer.timers.nextDeadline() <= now;
        }
    }

    // ================================================================== keys

    private void retire(Keypair kp) {
        indexTable.remove(kp.localIndex());
        kp.wipe();
    }

    /** Makes the current keypairs unusable for sending (private key change), as wireguard-go does. */
    private void expireKeypairs(Peer p) {
        Keypair c = p.current;
        if (c != null) retire(c);
        Keypair n = p.next;
        if (n != null) retire(n);
        p.current = null;
        p.next = null;
    }

    /** Wipes every keypair and the handshake (the 540 s timer, peer removal). Caller holds the lock. */
    void zeroKeyMaterial(Peer p) {
        for (Keypair k : new Keypair[] {p.previous, p.current, p.next}) if (k != null) retire(k);
        p.previous = null;
        p.current = null;
        p.next = null;
        if (p.handshakeIndex != 0) {
            indexTable.remove(p.handshakeIndex);
            p.handshakeIndex = 0;
        }
        p.handshake.clear();
    }

    /** Wipes everything secret (device shutting down). */
    public void close() {
        up = false;
        synchronized (configLock) {
            for (Peer p : peers.values()) {
                synchronized (p) {
                    p.timers.stop();
                    zeroKeyMaterial(p);
                    p.cookies.zero();
                }
            }
            StaticIdentity id = identity;
            if (id != null) id.zero();
            cookieChecker.zero();
        }
    }
}
