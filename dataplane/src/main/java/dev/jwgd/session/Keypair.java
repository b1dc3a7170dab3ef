package dev.jwgd.session;

import dev.jwgd.noise.SessionKeys;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.replay.ReplayWindow;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One session's transport keys (whitepaper 5.4.5-5.4.6; kernel {@code noise_keypair}): the sending
 * and receiving keys as 32-byte off-heap segments the batched AEAD reads directly, the atomic send
 * counter, the receive replay window, and the birthdate that REKEY/REJECT_AFTER_TIME are measured from.
 *
 * <p>Threads: any data-path thread may {@link #nextSendCounter} (atomic) and read the keys; the replay
 * window is checked under this object's monitor ({@link #acceptCounter}). Once {@link #zero wiped}
 * the keys are zeros, so a racing encrypt or decrypt only produces garbage that never authenticates.
 */
public final class Keypair {
    private static final VarHandle SEND_COUNTER;
    private static final VarHandle SENDING_VALID;
    private static final VarHandle RECEIVING_VALID;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SEND_COUNTER = l.findVarHandle(Keypair.class, "sendCounter", long.class);
            SENDING_VALID = l.findVarHandle(Keypair.class, "sendingValid", boolean.class);
            RECEIVING_VALID = l.findVarHandle(Keypair.class, "receivingValid", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemorySegment sendKey;
    private final MemorySegment receiveKey;
    private final PeerSession peer;
    private final boolean initiator;
    private final int localIndex;
    private final int remoteIndex;
    private final long birthdate;
    private final ReplayWindow replay = new ReplayWindow();
    @SuppressWarnings("unused") // through SEND_COUNTER
    private volatile long sendCounter;
    @SuppressWarnings("unused")
    private volatile boolean sendingValid = true;
    @SuppressWarnings("unused")
    private volatile boolean receivingValid = true;

    Keypair(PeerSession peer, SessionKeys keys, long birthdate) {
        this.peer = peer;
        // Auto arena: the GC frees the memory once no thread can still hold the segment; we wipe it ourselves.
        Arena arena = Arena.ofAuto();
        this.sendKey = arena.allocate(32, 32);
        this.receiveKey = arena.allocate(32, 32);
        MemorySegment.copy(keys.sendKey(), 0, sendKey, ValueLayout.JAVA_BYTE, 0, 32);
        MemorySegment.copy(keys.receiveKey(), 0, receiveKey, ValueLayout.JAVA_BYTE, 0, 32);
        this.initiator = keys.initiator();
        this.localIndex = keys.localIndex();
        this.remoteIndex = keys.remoteIndex();
        this.birthdate = birthdate;
    }

    public PeerSession peer() { return peer; }
    public MemorySegment sendKey() { return sendKey; }
    public MemorySegment receiveKey() { return receiveKey; }
    public boolean initiator() { return initiator; }
    /** Our index: the receiver index of data messages the peer sends us under this keypair. */
    public int localIndex() { return localIndex; }
    /** The peer's index: the receiver index we write into data messages we send. */
    public int remoteIndex() { return remoteIndex; }
    public long birthdate() { return birthdate; }

    /**
     * Reserves {@code n} consecutive send counters and returns the first, or -1 when the keypair is
     * no longer valid for sending (REJECT_AFTER_MESSAGES reached or {@code now} past REJECT_AFTER_TIME);
     * then it is marked invalid and the caller must stage the packets and ask for a handshake.
     */
    public long reserveSendCounters(int n, long now) {
        if (!(boolean) SENDING_VALID.getVolatile(this)) return -1;
        if (now - birthdate >= Protocol.REJECT_AFTER_TIME) {
            SENDING_VALID.setVolatile(this, false);
            return -1;
        }
        long first = (long) SEND_COUNTER.getAndAdd(this, (long) n);
        long last = first + n - 1;
        if (Long.compareUnsigned(last, Protocol.REJECT_AFTER_MESSAGES) >= 0 || Long.compareUnsigned(last, first) < 0) {
            SENDING_VALID.setVolatile(this, false);
            return -1;
        }
        return first;
    }

    public long nextSendCounter(long now) {
        return reserveSendCounters(1, now);
    }

    /** Moves the send counter, so tests can reach the message limits without sending 2^60 packets. */
    void sendCounterForTest(long counter) {
        SEND_COUNTER.setVolatile(this, counter);
    }

    /** The next counter that would be used, for rekey decisions. */
    public long sendCounter() {
        return (long) SEND_COUNTER.getVolatile(this);
    }

    public boolean sendingValid() {
        return (boolean) SENDING_VALID.getVolatile(this);
    }

    /** Whether a data message under this keypair may still be decrypted at {@code now}. */
    public boolean receivingValid(long now) {
        if (!(boolean) RECEIVING_VALID.getVolatile(this)) return false;
        if (now - birthdate >= Protocol.REJECT_AFTER_TIME) {
            RECEIVING_VALID.setVolatile(this, false);
            return false;
        }
        return true;
    }

    /** Replay check of an authenticated counter (after the AEAD open succeeded). */
    public synchronized boolean acceptCounter(long counter) {
        return replay.accept(counter);
    }

    /** Wipes both keys and invalidates the keypair. */
    void zero() {
        SENDING_VALID.setVolatile(this, false);
        RECEIVING_VALID.setVolatile(this, false);
        sendKey.fill((byte) 0);
        receiveKey.fill((byte) 0);
    }

    /** True once both keys are all zeros (tests check that discarded keys were wiped). */
    public boolean isZeroed() {
        for (long i = 0; i < 32; i++) {
            if (sendKey.get(ValueLayout.JAVA_BYTE, i) != 0 || receiveKey.get(ValueLayout.JAVA_BYTE, i) != 0) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "Keypair[local=" + Integer.toUnsignedString(localIndex) + ", initiator=" + initiator + "]";
    }
}
