package dev.jwgd.session;

import dev.jwgd.cookie.CookieChecker;
import dev.jwgd.cookie.UnderLoadDetector;
import dev.jwgd.crypto.Aead;
import dev.jwgd.keys.Key;
import dev.jwgd.message.CookieReply;
import dev.jwgd.message.HandshakeInitiation;
import dev.jwgd.message.HandshakeResponse;
import dev.jwgd.message.Messages;
import dev.jwgd.message.TransportData;
import dev.jwgd.noise.EphemeralKeys;
import dev.jwgd.noise.Handshake;
import dev.jwgd.noise.NoiseProtocol;
import dev.jwgd.noise.StaticIdentity;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.ratelimiter.Ratelimiter;
import dev.jwgd.timers.Clock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The sans-I/O WireGuard protocol engine of one device: identity, peers, index table, cookie checker,
 * ratelimiter and the handshake/timer logic of whitepaper sections 5 and 6. It never touches a socket:
 * received bytes come in through method calls, outgoing messages leave through {@link Transmit}, and
 * time comes from an injected {@link Clock}, so tests drive two engines with in-memory packets and a
 * virtual clock, and the daemon drives it from its threads.
 *
 * <p>Who calls what, from which thread:
 * <ul>
 * <li>Control thread (UAPI): {@link #setPrivateKey}, {@link #addPeer}, {@link #removePeer},
 *     {@link PeerSession#presharedKey}, {@link PeerSession#persistentKeepaliveInterval}.</li>
 * <li>Handshake thread(s): {@link #receiveHandshakeMessage} for message types 1-3 (after
 *     {@link Messages#classify}); may run in parallel, per-peer state is under the peer's monitor.
 *     The daemon reports its handshake backlog with {@link #underLoad()}{@code .update(...)}.</li>
 * <li>Timer thread: {@link #tick} at or after {@link #nextDeadline} (every 100 ms or so is fine).</li>
 * <li>Data path, send: {@link PeerSession#sendingKeypair()} (lock-free) then
 *     {@link Keypair#reserveSendCounters} (atomic); seal with {@link Keypair#sendKey()} and
 *     {@link Keypair#remoteIndex()}; then once per batch {@link PeerSession#authenticatedSend}. No
 *     keypair, or no counter: {@link PeerSession#stage} (which starts a handshake).</li>
 * <li>Data path, receive: {@link #receivingKeypair} (lock-free index lookup) gives the key for the
 *     batch open; after a packet authenticates, {@link Keypair#acceptCounter} (replay window) must
 *     accept it, in per-keypair order; then once per batch per keypair
 *     {@link PeerSession#authenticatedReceive} (key confirmation, timers, counters).</li>
 * </ul>
 * {@link #sealTransport} and {@link #openTransport} do the same for single packets with the engine's
 * own {@link Aead}; the engine uses them for staged packets and keepalives, tests for everything.
 */
public final class SessionEngine {
    /** Outcomes of {@link #receiveHandshakeMessage}: 0 or positive is success. */
    public static final int ACCEPTED = 0;
    public static final int COOKIE_SENT = 1;
    public static final int COOKIE_CONSUMED = 2;
    public static final int REJECT_MALFORMED = -1;
    public static final int REJECT_NOT_HANDSHAKE = -2;
    public static final int REJECT_MAC1 = -3;
    public static final int REJECT_RATELIMITED = -4;
    public static final int REJECT_HANDSHAKE = -5;
    public static final int REJECT_COOKIE = -6;
    public static final int REJECT_NO_IDENTITY = -7;

    /** Protocol counters, for the daemon's metrics and for tests. */
    public static final class Counters {
        public final AtomicLong initiationsSent = new AtomicLong();
        public final AtomicLong responsesSent = new AtomicLong();
        public final AtomicLong cookieRepliesSent = new AtomicLong();
        public final AtomicLong handshakesCompleted = new AtomicLong();
        public final AtomicLong handshakeRejected = new AtomicLong();
        public final AtomicLong mac1Rejected = new AtomicLong();
        public final AtomicLong ratelimited = new AtomicLong();
        public final AtomicLong transportRejected = new AtomicLong();
        public final AtomicLong replayRejected = new AtomicLong();
    }

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final Aead aead;
    private final Clock clock;
    private final RandomGenerator jitter;
    private final NoiseProtocol noise;
    private final Transmit transmit;
    private final IndexTable indexTable;
    private final CookieChecker cookieChecker;
    private final Ratelimiter ratelimiter = new Ratelimiter();
    private final UnderLoadDetector underLoad = new UnderLoadDetector(Protocol.MAX_QUEUED_INCOMING_HANDSHAKES);
    private final ConcurrentHashMap<Key, PeerSession> peers = new ConcurrentHashMap<>();
    private final Counters counters = new Counters();
    private volatile StaticIdentity identity;
    private volatile int mtu = Protocol.DEFAULT_MTU;
    private volatile Executor initiator;

    public SessionEngine(Aead aead, Clock clock, Transmit transmit, SecureRandom random, RandomGenerator jitter,
                         EphemeralKeys ephemerals) {
        this.aead = aead;
        this.clock = clock;
        this.transmit = transmit;
        this.jitter = jitter;
        this.noise = new NoiseProtocol(aead, ephemerals);
        this.indexTable = new IndexTable(random);
        this.cookieChecker = new CookieChecker(random);
    }

    public SessionEngine(Aead aead, Clock clock, Transmit transmit) {
        this(aead, clock, transmit, new SecureRandom(), new SecureRandom(), EphemeralKeys.RANDOM);
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Sets (or with null removes) the static private key: re-keys the cookie checker, recomputes
     * every peer's static-static DH, wipes all sessions (as wireguard-go's SetPrivateKey expires them)
     * and removes a peer whose public key equals our new one.
     */
    public synchronized void setPrivateKey(Key privateKey) {
        StaticIdentity old = identity;
        StaticIdentity id = privateKey == null || privateKey.isZero() ? null : new StaticIdentity(privateKey);
        identity = id;
        cookieChecker.init(id == null ? null : id.publicKeyBytes());
        if (id != null) {
            PeerSession self = peers.get(id.publicKey());
            if (self != null) removePeer(self.publicKey());
        }
        for (PeerSession p : peers.values()) {
            p.handshake.recomputeStaticStatic(id);
            synchronized (p) {
                p.zeroKeyMaterial();
            }
        }
        if (old != null) old.zero();
    }

    public Key publicKey() {
        StaticIdentity id = identity;
        return id == null ? null : id.publicKey();
    }

    /** Adds a peer (or returns the existing one). A peer with our own public key is refused (null). */
    public synchronized PeerSession addPeer(Key publicKey) {
        StaticIdentity id = identity;
        if (id != null && id.publicKey().equals(publicKey)) return null;
        return peers.computeIfAbsent(Key.of(publicKey.unsafeBytes()), k -> new PeerSession(this, k));
    }

    public PeerSession peer(Key publicKey) {
        return peers.get(publicKey);
    }

    public Collection<PeerSession> peers() {
        return List.copyOf(peers.values());
    }

    /** Removes a peer: its timers stop, its keys are wiped, its indices freed. */
    public synchronized void removePeer(Key publicKey) {
        PeerSession p = peers.remove(publicKey);
        if (p != null) p.remove();
    }

    /**
     * Where handshake initiations asked for by the data path (a first packet staged, a rekey after
     * {@code REKEY_AFTER_TIME} or {@code REKEY_AFTER_MESSAGES}) are created: three X25519 operations, up
     * to a millisecond, that should not stall the send or receive thread. Null (the default, and what
     * the virtual-clock tests use) creates them at once on the calling thread.
     */
    public void initiateOn(Executor executor) {
        this.initiator = executor;
    }

    Executor initiator() {
        return initiator;
    }

    public void mtu(int mtu) {
        this.mtu = mtu;
    }

    public int mtu() {
        return mtu;
    }

    public UnderLoadDetector underLoad() { return underLoad; }
    public Ratelimiter ratelimiter() { return ratelimiter; }
    public Counters counters() { return counters; }
    public Clock clock() { return clock; }
    public IndexTable indexTable() { return indexTable; }
    StaticIdentity identity() { return identity; }
    NoiseProtocol noise() { return noise; }
    Transmit transmit() { return transmit; }
    RandomGenerator jitter() { return jitter; }

    // ---------------------------------------------------------------- handshake path

    /**
     * Processes a handshake initiation, response or cookie reply (whitepaper 5.3 and 5.4, kernel
     * {@code wg_receive_handshake_packet}): MAC1 first; under load MAC2 and the per-source ratelimiter,
     * answering a missing or stale cookie with a cookie reply; then the Noise step, the response or
     * the new session. {@code sourceIp} is the 4- or 16-byte source address, {@code sourcePort} its
     * UDP port, {@code source} the caller's own handle for {@link Transmit}.
     */
    public int receiveHandshakeMessage(MemorySegment buffer, long offset, int length, byte[] sourceIp, int sourcePort,
                                       Object source) {
        int type = Messages.classify(buffer, offset, length);
        if (type < 0) return REJECT_MALFORMED;
        long now = clock.nanos();
        if (type == Protocol.MESSAGE_HANDSHAKE_COOKIE) {
            CookieReply reply = new CookieReply();
            if (reply.wrap(buffer, offset, length) != 0) return REJECT_MALFORMED;
            IndexTable.Entry e = indexTable.lookup(reply.receiverIndex());
            if (e == null || !e.peer().cookies.consumeReply(reply, now)) return REJECT_COOKIE;
            return COOKIE_CONSUMED;
        }
        if (type != Protocol.MESSAGE_HANDSHAKE_INITIATION && type != Protocol.MESSAGE_HANDSHAKE_RESPONSE) {
            return REJECT_NOT_HANDSHAKE;
        }
        StaticIdentity id = identity;
        if (id == null) return REJECT_NO_IDENTITY;
        if (!cookieChecker.checkMac1(buffer, offset, length)) {
            counters.mac1Rejected.incrementAndGet();
            return REJECT_MAC1;
        }
        if (underLoad.isUnderLoad(now)) {
            byte[] address = cookieAddress(sourceIp, sourcePort);
            if (!cookieChecker.checkMac2(buffer, offset, length, address, now)) {
                // Initiations and responses both carry the sender index at offset 4: the reply names it.
                int senderIndex = buffer.get(LE_INT, offset + HandshakeInitiation.SENDER_INDEX_OFFSET);
                MemorySegment reply = MemorySegment.ofArray(new byte[CookieReply.LENGTH]);
                cookieChecker.createReply(buffer, offset, length, senderIndex, address, now, reply, 0);
                counters.cookieRepliesSent.incrementAndGet();
                transmit.sendToSource(source, reply);
                return COOKIE_SENT;
            }
            if (!ratelimiter.allow(sourceIp, now)) {
                counters.ratelimited.incrementAndGet();
                return REJECT_RATELIMITED;
            }
        }
        if (type == Protocol.MESSAGE_HANDSHAKE_INITIATION) {
            HandshakeInitiation msg = new HandshakeInitiation();
            msg.wrap(buffer, offset, length);
            NoiseProtocol.Consumed c = noise.consumeInitiation(id, msg, this::handshakeByStaticKey, now);
            if (!c.ok()) {
                counters.handshakeRejected.incrementAndGet();
                return REJECT_HANDSHAKE;
            }
            PeerSession peer = peers.get(Key.of(c.handshake().remoteStatic()));
            if (peer != null) peer.initiationConsumed(source);
        } else {
            HandshakeResponse msg = new HandshakeResponse();
            msg.wrap(buffer, offset, length);
            NoiseProtocol.Consumed c = noise.consumeResponse(id, msg, this::handshakeByIndex);
            if (!c.ok()) {
                counters.handshakeRejected.incrementAndGet();
                return REJECT_HANDSHAKE;
            }
            IndexTable.Entry e = indexTable.lookup(msg.receiverIndex());
            if (e != null) e.peer().responseConsumed(source);
        }
        return ACCEPTED;
    }

    /** The string the cookie is a MAC of: source IP then big-endian port (kernel {@code make_cookie}). */
    static byte[] cookieAddress(byte[] ip, int port) {
        byte[] a = new byte[ip.length + 2];
        System.arraycopy(ip, 0, a, 0, ip.length);
        a[ip.length] = (byte) (port >>> 8);
        a[ip.length + 1] = (byte) port;
        return a;
    }

    private Handshake handshakeByStaticKey(byte[] publicKey) {
        PeerSession p = peers.get(Key.of(publicKey));
        return p == null ? null : p.handshake;
    }

    private Handshake handshakeByIndex(int index) {
        IndexTable.Entry e = indexTable.lookup(index);
        return e != null && e.isHandshake() ? e.peer().handshake : null;
    }

    // ---------------------------------------------------------------- data path

    /**
     * The keypair a data message with this receiver index was sealed under, if it may still be
     * opened at {@code now}; null otherwise (unknown index, a handshake's index, expired). Lock-free.
     */
    public Keypair receivingKeypair(int receiverIndex, long now) {
        IndexTable.Entry e = indexTable.lookup(receiverIndex);
        if (e == null) return null;
        Keypair k = e.keypair();
        return k != null && k.receivingValid(now) ? k : null;
    }

    /**
     * Seals one plaintext packet as a transport message under {@code keypair} with {@code counter}:
     * header, zero padding to a multiple of 16 (at most the MTU), ChaCha20-Poly1305 with the engine's
     * Aead. Returns a new heap segment holding exactly the message.
     */
    public MemorySegment sealTransport(Keypair keypair, long counter, MemorySegment plaintext, long offset, int length) {
        int padded = Protocol.paddedLength(length, mtu);
        MemorySegment msg = MemorySegment.ofArray(new byte[TransportData.PAYLOAD_OFFSET + padded + Protocol.TAG_LENGTH]);
        TransportData.writeHeader(msg, 0, keypair.remoteIndex(), counter);
        if (length > 0) MemorySegment.copy(plaintext, offset, msg, TransportData.PAYLOAD_OFFSET, length);
        aead.seal(keypair.sendKey(), counter, MemorySegment.NULL, msg, TransportData.PAYLOAD_OFFSET, padded);
        return msg;
    }

    /**
     * Sends one plaintext packet to {@code peer}: sealed and handed to {@link Transmit} now when a
     * session exists, otherwise staged behind a handshake. Single-packet convenience for tests and
     * tools; the daemon batches instead.
     */
    public void send(PeerSession peer, MemorySegment plaintext, long offset, int length) {
        Keypair kp = peer.sendingKeypair();
        long counter = kp == null ? -1 : kp.nextSendCounter(clock.nanos());
        if (counter < 0) {
            peer.stage(plaintext, offset, length);
            return;
        }
        MemorySegment msg = sealTransport(kp, counter, plaintext, offset, length);
        transmit.sendToPeer(peer, msg);
        peer.authenticatedSend((int) msg.byteSize(), length > 0);
    }

    /** What {@link #openTransport} found. */
    public record Opened(int status, PeerSession peer, int plaintextLength) {
        public boolean ok() { return status == ACCEPTED; }
        public boolean keepalive() { return ok() && plaintextLength == 0; }
    }

    public static final int OPEN_UNKNOWN_INDEX = -10;
    public static final int OPEN_BAD_TAG = -11;
    public static final int OPEN_REPLAYED = -12;

    /**
     * Opens one transport message in place: index lookup, expiry, AEAD open, replay window, then
     * key confirmation and timers. On success the padded plaintext is at {@code offset + 16}.
     */
    public Opened openTransport(MemorySegment buffer, long offset, int length) {
        if (Messages.classify(buffer, offset, length) != Protocol.MESSAGE_TRANSPORT_DATA) {
            counters.transportRejected.incrementAndGet();
            return new Opened(REJECT_MALFORMED, null, 0);
        }
        long now = clock.nanos();
        Keypair kp = receivingKeypair(TransportData.receiverIndex(buffer, offset), now);
        if (kp == null) {
            counters.transportRejected.incrementAndGet();
            return new Opened(OPEN_UNKNOWN_INDEX, null, 0);
        }
        long counter = TransportData.counter(buffer, offset);
        int sealed = length - TransportData.PAYLOAD_OFFSET;
        if (!aead.open(kp.receiveKey(), counter, MemorySegment.NULL, buffer, offset + TransportData.PAYLOAD_OFFSET, sealed)) {
            counters.transportRejected.incrementAndGet();
            return new Opened(OPEN_BAD_TAG, kp.peer(), 0);
        }
        if (!kp.acceptCounter(counter)) {
            counters.replayRejected.incrementAndGet();
            return new Opened(OPEN_REPLAYED, kp.peer(), 0);
        }
        int plain = sealed - Protocol.TAG_LENGTH;
        kp.peer().authenticatedReceive(kp, length, plain > 0);
        return new Opened(ACCEPTED, kp.peer(), plain);
    }

    // ---------------------------------------------------------------- timers

    /** Fires every due timer of every peer. */
    public void tick() {
        long now = clock.nanos();
        for (PeerSession p : peers.values()) p.pollTimers(now);
    }

    /** The earliest timer deadline over all peers (Long.MAX_VALUE when none). */
    public long nextDeadline() {
        long d = Long.MAX_VALUE;
        for (PeerSession p : peers.values()) d = Math.min(d, p.nextDeadline());
        return d;
    }
}
