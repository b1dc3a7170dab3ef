package dev.jwgd.timers;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to: for tests and simulations. Both readings advance together. */
public final class VirtualClock implements Clock {
    private final AtomicLong nanos;
    private final long wallOffset;

    public VirtualClock(long startNanos, long wallClockAtStart) {
        this.nanos = new AtomicLong(startNanos);
        this.wallOffset = wallClockAtStart - startNanos;
    }

    /** Starts at an arbitrary non-zero monotonic time and 2026-01-01 on the wall. */
    public VirtualClock() {
        this(1_000_000_000_000L, 1_767_225_600_000_000_000L);
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    @Override
    public long wallClockNanos() {
        return nanos.get() + wallOffset;
    }

    public void advance(long deltaNanos) {
        nanos.addAndGet(deltaNanos);
    }

    public void advanceMillis(long millis) {
        advance(millis * 1_000_000L);
    }

    public void advanceSeconds(long seconds) {
        advance(seconds * 1_000_000_000L);
    }
}
