package dev.jwgd.ffm.libc;

import dev.jwgd.ffm.C;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Waits for one descriptor to become readable: a {@code struct pollfd} allocated once, so a wait
 * allocates nothing. One waiting thread at a time.
 */
public final class ReadablePoll {
    // struct pollfd { int fd; short events; short revents; }
    private static final long FD_OFFSET = 0;
    private static final long EVENTS_OFFSET = 4;
    private static final long REVENTS_OFFSET = 6;

    private final MemorySegment pollfd = Arena.ofAuto().allocate(8, 8);

    public ReadablePoll(int fd) {
        pollfd.set(ValueLayout.JAVA_INT, FD_OFFSET, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, EVENTS_OFFSET, Libc.POLLIN);
    }

    /**
     * Polls {@code fd} without waiting, {@code rounds} times, through a poll of its own: makes the JIT
     * compile {@link #await} before a quiet data path (a ping a second) would run it cold, interpreted code
     * allocating a slice of the errno capture segment on every call.
     */
    public static void warmUp(int fd, int rounds) {
        ReadablePoll p = new ReadablePoll(fd);
        for (int i = 0; i < rounds; i++) p.await(0);
    }

    /** Waits up to {@code timeoutMillis}: 1 readable (or error/hang-up pending), 0 timeout, -errno. */
    public int await(int timeoutMillis) {
        pollfd.set(ValueLayout.JAVA_SHORT, REVENTS_OFFSET, (short) 0);
        int r = Libc.poll(pollfd, 1, timeoutMillis);
        return r >= 0 ? r : -C.errno();
    }
}
