package dev.jwgd.device;

import dev.jwgd.cookie.CookieGenerator;
import dev.jwgd.keys.Key;
import dev.jwgd.noise.Handshake;
import dev.jwgd.pipeline.PacketBatch;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.timers.PeerTimers;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer's runtime state: its handshake, its keypairs (current, previous and the responder's
 * unconfirmed next, whitepaper 5.4.6 / 6.1), timers, endpoint candidates, the packets staged while
 * no session exists, and the counters {@code wg show} reports.
 *
 * <p>Threads and locking: keypair slots are volatile and read without a lock by the data path; every
 * change to them, the timers, the staged queue and the handshake bookkeeping happens under the
 * peer's monitor ({@code synchronized (peer)}). Lock order: device configuration lock, then a peer.
 * Byte counters are atomics added once per packet or per batch.
 */
public final class Peer {
    final Device device;
    final Key publicKey;
    final Handshake handshake;
    final CookieGenerator cookies;
    final PeerTimers timers;
    final EndpointSet endpoints;
    final AtomicLong rxBytes = new AtomicLong();
    final AtomicLong txBytes = new AtomicLong();

    volatile Key presharedKey;
    volatile Keypair current;
    volatile Keypair previous;
    volatile Keypair next;
    volatile long lastHandshakeWallNanos;
    volatile boolean removed;

    // Guarded by this.
    long lastSentHandshake = Long.MIN_VALUE / 2;
    boolean sentLastMinuteHandshake;
    int handshakeIndex;                 // the index of our pending initiation, 0 when none
    private PacketBatch staged;         // a ring of MAX_STAGED_PACKETS slots, made on first use
    private int stagedHead;
    private int stagedCount;
    long stagedDropped;

    Peer(Device device, Key publicKey, Handshake handshake, EndpointSet endpoints) {
        this.device = device;
        this.publicKey = publicKey;
        this.handshake = handshake;
        this.cookies = new CookieGenerator(publicKey.bytes());
        this.timers = new PeerTimers(new SplittableRandom());
        this.endpoints = endpoints;
        this.presharedKey = null;
    }

    public Key publicKey() { return publicKey; }

    public EndpointSet endpoints() { return endpoints; }

    public long rxBytes() { return rxBytes.get(); }

    public long txBytes() { return txBytes.get(); }

    public void addRxBytes(long n) { rxBytes.addAndGet(n); }

    public void addTxBytes(long n) { txBytes.addAndGet(n); }

    /** The keypair to send with, or null when there is none that may still send at {@code now}. */
    public Keypair sendKeypair(long now) {
        Keypair k = current;
        if (k == null || !k.valid() || now - k.created() >= Protocol.REJECT_AFTER_TIME) return null;
        return k;
    }

    public Keypair current() { return current; }
    public Keypair next() { return next; }

    public boolean removed() { return removed; }

    // ---- staged packets (caller holds the peer's lock) ----

    /** Whether packets wait for a session. Racy read, confirmed under the lock by the flusher. */
    public boolean hasStaged() {
        return stagedCount > 0;
    }

    int stagedCount() {
        return stagedCount;
    }

    /**
     * Copies slot {@code i} of {@code from} (an IP packet at its offset) into the staged ring; when the
     * ring is full the oldest packet is dropped, as wireguard-go does. Caller holds the lock.
     */
    void stage(PacketBatch from, int i) {
        if (staged == null) staged = new PacketBatch(Protocol.MAX_STAGED_PACKETS, from.slotSize());
        if (from.length[i] > staged.maxPayload()) {
            stagedDropped++;
            return;
        }
        if (stagedCount == staged.capacity()) {
            stagedHead = (stagedHead + 1) % staged.capacity();
            stagedCount--;
            stagedDropped++;
        }
        int slot = (stagedHead + stagedCount) % staged.capacity();
        from.copySlotTo(i, staged, slot);
        stagedCount++;
    }

    /** The staged ring (caller holds the lock); slot k of the queue is {@link #stagedSlot(int)}. */
    PacketBatch stagedBatch() {
        return staged;
    }

    int stagedSlot(int k) {
        return (stagedHead + k) % staged.capacity();
    }

    /** Removes the first {@code n} staged packets (they were sent). */
    void dequeueStaged(int n) {
        stagedHead = (stagedHead + n) % staged.capacity();
        stagedCount -= n;
    }

    void dropStaged() {
        stagedDropped += stagedCount;
        stagedCount = 0;
        stagedHead = 0;
    }

    @Override
    public String toString() {
        String b64 = publicKey.toBase64();
        return "peer(" + b64.substring(0, 4) + "…" + b64.substring(40) + ")";
    }
}
