package dev.jwgd.device;

import dev.jwgd.noise.SessionKeys;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.replay.ReplayWindow;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One session's transport keys (whitepaper 5.4.6) in off-heap segments for the AEAD, the send
 * counter, the receive replay window, the two indices and the age limits of section 6.
 *
 * <p>Threads: the send counter is taken with an atomic add by any sender; the replay window is used
 * only by the receive path (one thread, see {@link ReplayWindow}); {@link #wipe} may come from any
 * thread and only zeroes the keys and marks the keypair invalid, so a racing seal produces garbage
 * that no peer accepts, never a crash.
 */
public final class Keypair {
    private static final VarHandle SEND_COUNTER;
    static {
        try {
            SEND_COUNTER = MethodHandles.lookup().findVarHandle(Keypair.class, "sendCounter", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Peer peer;
    private final MemorySegment sendKey;
    private final MemorySegment receiveKey;
    private final int localIndex;
    private final int remoteIndex;
    private final boolean initiator;
    private final long created;
    final ReplayWindow replay = new ReplayWindow();
    @SuppressWarnings("unused") // through SEND_COUNTER
    private volatile long sendCounter;
    private volatile boolean valid = true;

    Keypair(Peer peer, SessionKeys keys, long now) {
        this.peer = peer;
        Arena arena = Arena.ofAuto();
        this.sendKey = arena.allocate(Protocol.KEY_LENGTH, 16);
        this.receiveKey = arena.allocate(Protocol.KEY_LENGTH, 16);
        MemorySegment.copy(keys.sendKey(), 0, sendKey, ValueLayout.JAVA_BYTE, 0, Protocol.KEY_LENGTH);
        MemorySegment.copy(keys.receiveKey(), 0, receiveKey, ValueLayout.JAVA_BYTE, 0, Protocol.KEY_LENGTH);
        keys.wipe();
        this.localIndex = keys.localIndex();
        this.remoteIndex = keys.remoteIndex();
        this.initiator = keys.initiator();
        this.created = now;
    }

    public Peer peer() { return peer; }
    public MemorySegment sendKey() { return sendKey; }
    public MemorySegment receiveKey() { return receiveKey; }
    public int localIndex() { return localIndex; }
    public int remoteIndex() { return remoteIndex; }
    public boolean initiator() { return initiator; }
    public long created() { return created; }
    public boolean valid() { return valid; }

    /**
     * The next send counter, or -1 when this keypair may not send any more (wiped, older than
     * REJECT_AFTER_TIME, or REJECT_AFTER_MESSAGES reached).
     */
    public long nextSendCounter(long now) {
        if (!valid || now - created >= Protocol.REJECT_AFTER_TIME) return -1;
        long c = (long) SEND_COUNTER.getAndAdd(this, 1L);
        if (Long.compareUnsigned(c, Protocol.REJECT_AFTER_MESSAGES) >= 0) return -1;
        return c;
    }

    /** The number of counters handed out so far (for the REKEY_AFTER_MESSAGES check). */
    public long sendCount() {
        return (long) SEND_COUNTER.getVolatile(this);
    }

    /** Whether a data message under this keypair may still be received at {@code now}. */
    public boolean receivable(long now) {
        return valid && now - created < Protocol.REJECT_AFTER_TIME;
    }

    /**
     * The replay check for an authenticated message's counter (whitepaper 5.4.6); call only from the
     * receive path, in order, after the tag verified.
     */
    public boolean acceptCounter(long counter) {
        return replay.accept(counter);
    }

    /** Zeroes both keys and makes the keypair unusable. Idempotent. */
    public void wipe() {
        valid = false;
        sendKey.fill((byte) 0);
        receiveKey.fill((byte) 0);
    }
}
