package dev.jwgd.uapi;

import dev.jwgd.ffm.Errno;

/**
 * A UAPI operation failed; carries the positive errno ({@link Errno#EINVAL}, {@link Errno#EADDRINUSE}...) that the
 * server turns into the reply's {@code errno=} line. The sign on the wire is the server's business (negative for
 * {@code set}, positive for {@code get}, see {@link UapiSession}); here it is always the plain errno.h value.
 * Messages never contain key material.
 */
public final class UapiException extends Exception {
    /** errno.h EPROTO. */
    public static final int EPROTO = Errno.EPROTO;

    private final int errno;

    public UapiException(int errno, String message) {
        super(message);
        if (errno <= 0) throw new IllegalArgumentException("errno must be positive, not " + errno);
        this.errno = errno;
    }

    /** EINVAL: a key or value the protocol does not accept. */
    public static UapiException invalid(String message) {
        return new UapiException(Errno.EINVAL, message);
    }

    /** EPROTO: a line that is not {@code key=value}. */
    public static UapiException protocol(String message) {
        return new UapiException(EPROTO, message);
    }

    /** EADDRINUSE: the listen port or fwmark could not be applied to the socket. */
    public static UapiException portInUse(String message) {
        return new UapiException(Errno.EADDRINUSE, message);
    }

    /** The positive errno.h value. */
    public int errno() {
        return errno;
    }
}
