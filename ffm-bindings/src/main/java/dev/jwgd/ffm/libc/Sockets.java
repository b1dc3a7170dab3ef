package dev.jwgd.ffm.libc;

import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_LONG;
import static dev.jwgd.ffm.C.C_POINTER;
import static dev.jwgd.ffm.C.ERRNO;
import static dev.jwgd.ffm.C.errnoState;

import dev.jwgd.ffm.C;
import dev.jwgd.ffm.ErrnoException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The BSD socket calls of {@code <sys/socket.h>} and the constants shared by every socket user
 * (UDP, netlink). Raw forms return what C returns and allocate nothing; struct layouts live with
 * the area that uses them (sockaddr_in in the UDP package, sockaddr_nl in netlink).
 */
@SuppressWarnings("restricted")
public final class Sockets {
    private Sockets() {}

    // <bits/socket.h>
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_MARK = 36;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_CTRUNC = 0x08;
    public static final int MSG_WAITFORONE = 0x10000;

    private static MethodHandle h(String name, FunctionDescriptor d) {
        return C.downcall(name, d, ERRNO);
    }

    private static final MethodHandle socket$MH = h("socket", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    private static final MethodHandle bind$MH = h("bind", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle connect$MH = h("connect", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle getsockname$MH = h("getsockname", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
    private static final MethodHandle setsockopt$MH = h("setsockopt", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle getsockopt$MH = h("getsockopt", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER));
    private static final MethodHandle sendto$MH = h("sendto", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT, C_POINTER, C_INT));
    private static final MethodHandle recvfrom$MH = h("recvfrom", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT, C_POINTER, C_POINTER));
    private static final MethodHandle sendmsg$MH = h("sendmsg", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));
    private static final MethodHandle recvmsg$MH = h("recvmsg", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));
    private static final MethodHandle sendmmsg$MH = h("sendmmsg", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle recvmmsg$MH = h("recvmmsg", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT, C_POINTER));

    public static int socket(int domain, int type, int protocol) {
        try { return (int) socket$MH.invokeExact(errnoState(), domain, type, protocol); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int bind(int fd, MemorySegment addr, int addrlen) {
        try { return (int) bind$MH.invokeExact(errnoState(), fd, addr, addrlen); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int connect(int fd, MemorySegment addr, int addrlen) {
        try { return (int) connect$MH.invokeExact(errnoState(), fd, addr, addrlen); } catch (Throwable t) { throw new AssertionError(t); }
    }
    /** {@code addrlen} points to an int holding the buffer size on entry and the address size on return. */
    public static int getsockname(int fd, MemorySegment addr, MemorySegment addrlen) {
        try { return (int) getsockname$MH.invokeExact(errnoState(), fd, addr, addrlen); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int setsockopt(int fd, int level, int name, MemorySegment value, int len) {
        try { return (int) setsockopt$MH.invokeExact(errnoState(), fd, level, name, value, len); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment len) {
        try { return (int) getsockopt$MH.invokeExact(errnoState(), fd, level, name, value, len); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrlen) {
        try { return (long) sendto$MH.invokeExact(errnoState(), fd, buf, len, flags, addr, addrlen); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, MemorySegment addrlen) {
        try { return (long) recvfrom$MH.invokeExact(errnoState(), fd, buf, len, flags, addr, addrlen); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static long sendmsg(int fd, MemorySegment msghdr, int flags) {
        try { return (long) sendmsg$MH.invokeExact(errnoState(), fd, msghdr, flags); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static long recvmsg(int fd, MemorySegment msghdr, int flags) {
        try { return (long) recvmsg$MH.invokeExact(errnoState(), fd, msghdr, flags); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int sendmmsg(int fd, MemorySegment msgvec, int vlen, int flags) {
        try { return (int) sendmmsg$MH.invokeExact(errnoState(), fd, msgvec, vlen, flags); } catch (Throwable t) { throw new AssertionError(t); }
    }
    /** {@code timeout} may be {@link MemorySegment#NULL}. */
    public static int recvmmsg(int fd, MemorySegment msgvec, int vlen, int flags, MemorySegment timeout) {
        try { return (int) recvmmsg$MH.invokeExact(errnoState(), fd, msgvec, vlen, flags, timeout); } catch (Throwable t) { throw new AssertionError(t); }
    }

    /** setsockopt with an int value; control path. */
    public static void setIntOption(int fd, int level, int name, int value, String what) throws ErrnoException {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(C_INT, value);
            Libc.check(setsockopt(fd, level, name, v, 4), "setsockopt(" + what + ")");
        }
    }
    /** getsockopt of an int value; control path. */
    public static int getIntOption(int fd, int level, int name, String what) throws ErrnoException {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment v = arena.allocate(C_INT);
            MemorySegment len = arena.allocateFrom(C_INT, 4);
            Libc.check(getsockopt(fd, level, name, v, len), "getsockopt(" + what + ")");
            return v.get(C_INT, 0);
        }
    }
}
