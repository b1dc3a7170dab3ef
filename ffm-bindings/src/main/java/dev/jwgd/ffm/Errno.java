package dev.jwgd.ffm;

import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_POINTER;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** errno values from {@code <asm-generic/errno-base.h>} and {@code <asm-generic/errno.h>}, and their messages. */
@SuppressWarnings("restricted")
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ENOBUFS = 105;
    public static final int ETIME = 62;
    public static final int EPROTO = 71;
    public static final int EBADFD = 77;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int ETIMEDOUT = 110;
    public static final int ECANCELED = 125;

    private static final MethodHandle strerror = C.downcall("strerror", FunctionDescriptor.of(C_POINTER, C_INT));

    /** The symbolic name, e.g. {@code EPERM}, or {@code E?} for a value not listed here. */
    public static String name(int errno) {
        for (var f : Errno.class.getFields()) {
            try {
                if (f.getType() == int.class && f.getInt(null) == errno) return f.getName();
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return "E?";
    }

    /** libc's message for errno (strerror). Control path only: it allocates a String. */
    public static String message(int errno) {
        try {
            MemorySegment s = (MemorySegment) strerror.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
