package dev.jwgd.session;

import dev.jwgd.cookie.CookieGenerator;
import dev.jwgd.keys.Key;
import dev.jwgd.message.HandshakeInitiation;
import dev.jwgd.message.HandshakeResponse;
import dev.jwgd.noise.Handshake;
import dev.jwgd.noise.SessionKeys;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.timers.PeerTimers;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One peer's protocol state: its handshake, the current/previous/next keypairs with the responder's
 * key confirmation (kernel {@code noise_keypairs}), the staged-packet queue, the cookie generator, the
 * timer state machine and the byte counters.
 *
 * <p>Threads. The keypair slots are volatile: the data path reads {@link #sendingKeypair()} without a
 * lock. Everything else (slot changes, timers, staging, sending handshakes) happens under this
 * object's monitor, taken by the engine's handshake and timer entry points and by
 * {@link #authenticatedSend} / {@link #authenticatedReceive}, which the data path calls once per
 * batch (or per packet), not per byte.
 */
public final class PeerSession implements PeerTimers.Actions {
    private final SessionEngine engine;
    private final Key publicKey;
    final Handshake handshake;
    final CookieGenerator cookies;
    final PeerTimers timers;
    private final StagedPackets staged = new StagedPackets();

    private volatile Keypair current;
    private volatile Keypair previous;
    private volatile Keypair next;
    private boolean sentLastMinuteHandshake;
    /** An initiation waits on the engine's initiator; further requests until it runs add nothing. */
    private boolean initiationQueued;
    private final Runnable queuedInitiation = this::runQueuedInitiation;
    private volatile long lastHandshakeWallClockNanos;
    private final AtomicLong rxBytes = new AtomicLong();
    private final AtomicLong txBytes = new AtomicLong();
    private volatile Object attachment;
    private boolean removed;

    PeerSession(SessionEngine engine, Key publicKey) {
        this.engine = engine;
        this.publicKey = publicKey;
        this.handshake = new Handshake(engine.identity(), publicKey.unsafeBytes());
        this.cookies = new CookieGenerator(publicKey.unsafeBytes());
        this.timers = new PeerTimers(engine.jitter());
    }

    public Key publicKey() { return publicKey; }

    /** The daemon's own per-peer object (endpoint, queues...). */
    public Object attachment() { return attachment; }
    public void attach(Object o) { attachment = o; }

    public long rxBytes() { return rxBytes.get(); }
    public long txBytes() { return txBytes.get(); }
    public void addRxBytes(long n) { rxBytes.addAndGet(n); }
    public void addTxBytes(long n) { txBytes.addAndGet(n); }
    /** Wall-clock time of the last completed handshake in ns since the epoch, 0 if none. */
    public long lastHandshakeWallClockNanos() { return lastHandshakeWallClockNanos; }

    public void presharedKey(Key psk) {
        handshake.presharedKey(psk == null ? null : psk.unsafeBytes());
    }

    /** Persistent keepalive in seconds (0 = off). Turning it on sends a keepalive at once, as wireguard-go does. */
    public synchronized void persistentKeepaliveInterval(int seconds) {
        int old = timers.persistentKeepaliveInterval();
        timers.persistentKeepaliveInterval(seconds);
        if (old == 0 && seconds > 0) sendKeepalive();
    }

    public synchronized int persistentKeepaliveInterval() {
        return timers.persistentKeepaliveInterval();
    }

    /** False for a peer with a low-order public key: nothing is ever sent to it. */
    public boolean usable() {
        return handshake.usable();
    }

    public Keypair currentKeypair() { return current; }
    public Keypair previousKeypair() { return previous; }
    public Keypair nextKeypair() { return next; }

    /** How many packets wait for a session. */
    public synchronized int stagedCount() { return staged.size(); }

    public synchronized int handshakeAttempts() { return timers.handshakeAttempts(); }

    PeerTimers timers() { return timers; }

    // ---------------------------------------------------------------- data path entry points

    /**
     * The keypair to encrypt with, or null when there is no usable session: then {@link #stage} the
     * packet, which starts a handshake. Lock-free.
     */
    public Keypair sendingKeypair() {
        Keypair k = current;
        return k != null && k.sendingValid() ? k : null;
    }

    /** Copies a plaintext packet into the staged queue and sends it, or starts a handshake. */
    public synchronized void stage(MemorySegment packet, long offset, int length) {
        if (removed) return;
        staged.add(packet, offset, length);
        sendStaged();
    }

    /**
     * After the data path sent transport messages under one of this peer's keypairs: counters,
     * timers and the rekey check. {@code carriedData} is false when every message was a keepalive.
     */
    public synchronized void authenticatedSend(int bytes, boolean carriedData) {
        long now = engine.clock().nanos();
        txBytes.addAndGet(bytes);
        timers.onAnyAuthenticatedPacketTraversal(now);
        timers.onAnyAuthenticatedPacketSent();
        if (carriedData) timers.onDataSent(now);
        keepKeyFreshSending(now);
    }

    /**
     * After the data path opened transport messages under {@code keypair} and they passed
     * {@link Keypair#acceptCounter}: key confirmation (the responder's {@code next} becomes
     * {@code current}), counters, timers and the last-minute rekey.
     */
    public synchronized void authenticatedReceive(Keypair keypair, int bytes, boolean carriedData) {
        long now = engine.clock().nanos();
        rxBytes.addAndGet(bytes);
        if (keypair == next) {
            Keypair old = previous;
            previous = current;
            current = keypair;
            next = null;
            discard(old);
            handshakeComplete();
            sendStaged();
        }
        keepKeyFreshReceiving(now);
        timers.onAnyAuthenticatedPacketReceived();
        timers.onAnyAuthenticatedPacketTraversal(now);
        if (carriedData) timers.onDataReceived(now);
    }

    /** Sends a keepalive now (through the staged queue, so it also starts a handshake if needed). */
    public synchronized void sendKeepalive() {
        if (removed) return;
        if (staged.isEmpty()) staged.add(MemorySegment.NULL, 0, 0);
        sendStaged();
    }

    /** Starts a handshake unless one was sent less than REKEY_TIMEOUT ago. */
    public synchronized void initiateHandshake() {
        sendHandshakeInitiation(false);
    }

    // ---------------------------------------------------------------- PeerTimers.Actions
    // Public because PeerTimers calls them; synchronized so that a direct call is safe too (the
    // monitor is reentrant, and the timer poll already holds it).

    @Override
    public synchronized void sendHandshakeInitiation(boolean retry) {
        if (removed) return;
        if (!retry) timers.resetHandshakeAttempts();
        long now = engine.clock().nanos();
        if (now - handshake.lastSentHandshake() < Protocol.REKEY_TIMEOUT) return; // rate limit
        if (!handshake.usable() || engine.identity() == null) return;
        handshake.lastSentHandshake(now);
        deleteHandshakeIndex();
        int index = engine.indexTable().newIndexForHandshake(this);
        MemorySegment msg = MemorySegment.ofArray(new byte[HandshakeInitiation.LENGTH]);
        if (!engine.noise().createInitiation(engine.identity(), handshake, index, engine.clock().wallClockNanos(), msg, 0)) {
            engine.indexTable().delete(index);
            return;
        }
        cookies.addMacs(msg, 0, HandshakeInitiation.LENGTH, now);
        timers.onAnyAuthenticatedPacketTraversal(now);
        timers.onAnyAuthenticatedPacketSent();
        txBytes.addAndGet(HandshakeInitiation.LENGTH);
        engine.counters().initiationsSent.incrementAndGet();
        engine.transmit().sendToPeer(this, msg);
        timers.onHandshakeInitiated(now);
    }

    @Override
    public synchronized void handshakeGaveUp() {
        staged.clear();
    }

    @Override
    public synchronized void zeroKeyMaterial() {
        deleteHandshakeIndex();
        handshake.clear();
        Keypair c = current, p = previous, n = next;
        current = previous = next = null;
        discard(c);
        discard(p);
        discard(n);
    }

    @Override
    public void clearEndpointSource() {
        // The daemon's sticky source address lives in its endpoint; nothing to do in the engine.
    }

    // ---------------------------------------------------------------- handshake completion (engine, under the monitor)

    /** We consumed the peer's initiation: answer it and install the new keypair as {@code next}. */
    synchronized void initiationConsumed(Object source) {
        long now = engine.clock().nanos();
        rxBytes.addAndGet(HandshakeInitiation.LENGTH);
        engine.transmit().endpointSeen(this, source);
        if (!removed) {
            handshake.lastSentHandshake(now);
            deleteHandshakeIndex();
            int index = engine.indexTable().newIndexForHandshake(this);
            MemorySegment msg = MemorySegment.ofArray(new byte[HandshakeResponse.LENGTH]);
            SessionKeys keys = null;
            if (engine.noise().createResponse(handshake, index, msg, 0)) {
                cookies.addMacs(msg, 0, HandshakeResponse.LENGTH, now);
                keys = engine.noise().beginSession(handshake);
            }
            if (keys == null) {
                engine.indexTable().delete(index);
            } else {
                Keypair kp = new Keypair(this, keys, now);
                keys.wipe();
                engine.indexTable().swapIndexForKeypair(kp.localIndex(), kp);
                // Responder: usable only after the initiator's first packet confirms it.
                Keypair oldNext = next, oldPrevious = previous;
                next = kp;
                previous = null;
                discard(oldNext);
                discard(oldPrevious);
                timers.onSessionDerived(now);
                timers.onAnyAuthenticatedPacketTraversal(now);
                timers.onAnyAuthenticatedPacketSent();
                handshake.lastSentHandshake(now);
                txBytes.addAndGet(HandshakeResponse.LENGTH);
                engine.counters().responsesSent.incrementAndGet();
                engine.transmit().sendToPeer(this, msg);
            }
        }
        timers.onAnyAuthenticatedPacketReceived();
        timers.onAnyAuthenticatedPacketTraversal(now);
    }

    /** The peer answered our initiation: the new keypair becomes {@code current} at once. */
    synchronized void responseConsumed(Object source) {
        long now = engine.clock().nanos();
        rxBytes.addAndGet(HandshakeResponse.LENGTH);
        engine.transmit().endpointSeen(this, source);
        SessionKeys keys = engine.noise().beginSession(handshake);
        if (keys != null && !removed) {
            Keypair kp = new Keypair(this, keys, now);
            keys.wipe();
            engine.indexTable().swapIndexForKeypair(kp.localIndex(), kp);
            Keypair oldNext = next, oldPrevious = previous, oldCurrent = current;
            if (oldNext != null) {
                next = null;
                previous = oldNext;
                discard(oldCurrent);
            } else {
                previous = oldCurrent;
            }
            discard(oldPrevious);
            current = kp;
            timers.onSessionDerived(now);
            handshakeComplete();
            sendKeepalive(); // sends staged packets, or an empty keepalive to confirm the session
        } else if (keys != null) {
            keys.wipe();
        }
        timers.onAnyAuthenticatedPacketReceived();
        timers.onAnyAuthenticatedPacketTraversal(now);
    }

    synchronized void remove() {
        removed = true;
        timers.stop();
        zeroKeyMaterial();
        staged.clear();
        cookies.zero();
        handshake.zeroAll();
    }

    // ---------------------------------------------------------------- internals (under the monitor)

    private void handshakeComplete() {
        timers.onHandshakeComplete();
        sentLastMinuteHandshake = false;
        lastHandshakeWallClockNanos = engine.clock().wallClockNanos();
        engine.counters().handshakesCompleted.incrementAndGet();
    }

    private void deleteHandshakeIndex() {
        int old = handshake.localIndex();
        IndexTable.Entry e = engine.indexTable().lookup(old);
        if (e != null && e.isHandshake() && e.peer() == this) engine.indexTable().delete(old);
    }

    private void discard(Keypair k) {
        if (k == null) return;
        IndexTable.Entry e = engine.indexTable().lookup(k.localIndex());
        if (e != null && e.keypair() == k) engine.indexTable().delete(k.localIndex());
        k.zero();
    }

    /** Encrypts and sends every staged packet with the current keypair, or starts a handshake. */
    private void sendStaged() {
        if (staged.isEmpty()) return;
        long now = engine.clock().nanos();
        Keypair kp = current;
        if (kp == null || !kp.sendingValid()) {
            requestInitiation();
            return;
        }
        int bytes = 0;
        boolean data = false;
        byte[] p;
        while ((p = staged.poll()) != null) {
            long counter = kp.nextSendCounter(now);
            if (counter < 0) {
                staged.pushFront(p);
                requestInitiation();
                break;
            }
            MemorySegment msg = engine.sealTransport(kp, counter, MemorySegment.ofArray(p), 0, p.length);
            bytes += (int) msg.byteSize();
            data |= p.length > 0;
            engine.transmit().sendToPeer(this, msg);
        }
        if (bytes > 0) {
            txBytes.addAndGet(bytes);
            timers.onAnyAuthenticatedPacketTraversal(now);
            timers.onAnyAuthenticatedPacketSent();
            if (data) timers.onDataSent(now);
            keepKeyFreshSending(now);
        }
    }

    private void keepKeyFreshSending(long now) {
        Keypair kp = current;
        if (kp != null && kp.sendingValid()
                && (Long.compareUnsigned(kp.sendCounter(), Protocol.REKEY_AFTER_MESSAGES) > 0
                || (kp.initiator() && now - kp.birthdate() >= Protocol.REKEY_AFTER_TIME))) {
            requestInitiation();
        }
    }

    private void keepKeyFreshReceiving(long now) {
        if (sentLastMinuteHandshake) return;
        Keypair kp = current;
        if (kp != null && kp.sendingValid() && kp.initiator() && now - kp.birthdate() >= Protocol.REKEY_ON_RECEIVE_AFTER) {
            sentLastMinuteHandshake = true;
            requestInitiation();
        }
    }

    /**
     * A handshake initiation wanted by the data path: created on the engine's initiator thread when it
     * has one (see {@link SessionEngine#initiateOn}), else right here. Called with the monitor held.
     */
    private void requestInitiation() {
        Executor e = engine.initiator();
        if (e == null) {
            sendHandshakeInitiation(false);
            return;
        }
        if (initiationQueued) return;
        initiationQueued = true;
        try {
            e.execute(queuedInitiation);
        } catch (RejectedExecutionException shutDown) {
            initiationQueued = false;
            sendHandshakeInitiation(false);
        }
    }

    private synchronized void runQueuedInitiation() {
        initiationQueued = false;
        sendHandshakeInitiation(false);
    }

    /** Timer poll, from the engine's tick. */
    synchronized void pollTimers(long now) {
        timers.poll(now, this);
    }

    synchronized long nextDeadline() {
        return timers.nextDeadline();
    }

    @Override
    public String toString() {
        return "PeerSession[" + publicKey.toBase64().substring(0, 8) + "…]";
    }
}
