package dev.jwgd.cookie;

import dev.jwgd.protocol.Protocol;

/**
 * Decides when the responder is "under load" and demands MAC2 cookies (wireguard-go
 * {@code IsUnderLoad}): when the backlog of queued handshake messages reaches an eighth of its
 * capacity, and for UNDER_LOAD_AFTER_TIME after it last did. Written by the thread that queues
 * handshakes, read by the one that processes them: plain volatile fields suffice.
 */
public final class UnderLoadDetector {
    private final int threshold;
    private volatile long underLoadUntil = Long.MIN_VALUE;
    private volatile boolean forced;

    public UnderLoadDetector(int queueCapacity) {
        this.threshold = Math.max(1, queueCapacity / 8);
    }

    /** Reports the current backlog; returns whether we are under load now. */
    public boolean update(int queuedHandshakes, long now) {
        if (queuedHandshakes >= threshold) {
            underLoadUntil = now + Protocol.UNDER_LOAD_AFTER_TIME;
            return true;
        }
        return forced || now < underLoadUntil;
    }

    public boolean isUnderLoad(long now) {
        return forced || now < underLoadUntil;
    }

    /** Forces the state, for tests and for an operator switch. */
    public void force(boolean underLoad) {
        forced = underLoad;
    }
}
