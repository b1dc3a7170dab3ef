package dev.jwgd.ffm;

import java.io.IOException;

/**
 * A failed system call: names the call and carries errno and its message, e.g.
 * {@code ioctl(TUNSETIFF, "wg0"): Operation not permitted (errno 1, EPERM)}.
 * The one exception type for every binding; only control-plane paths throw it, the data path
 * reads return codes instead.
 */
public final class ErrnoException extends IOException {
    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": " + Errno.message(errno) + " (errno " + errno + ", " + Errno.name(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The call that failed, with its salient arguments. */
    public String call() { return call; }

    public int errno() { return errno; }
}
