package dev.jwgd.ffm.libc;

import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_LONG;
import static dev.jwgd.ffm.C.C_POINTER;
import static dev.jwgd.ffm.C.ERRNO;
import static dev.jwgd.ffm.C.errnoState;

import dev.jwgd.ffm.C;
import dev.jwgd.ffm.ErrnoException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * libc file-descriptor calls from {@code <unistd.h>}, {@code <fcntl.h>}, {@code <sys/ioctl.h>},
 * {@code <sys/mman.h>}, {@code <poll.h>}, {@code <sys/eventfd.h>} and {@code <unistd.h>}'s syscall(2).
 *
 * <p>Each call comes twice: the raw form returns what C returns (-1 on failure, errno then readable
 * through {@link C#errno()}) and allocates nothing, for the data path; the {@code *OrThrow} form
 * throws an {@link ErrnoException} naming the call, for the control path. All handles capture errno.
 */
@SuppressWarnings("restricted")
public final class Libc {
    private Libc() {}

    // <fcntl.h>
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;   // 04000
    public static final int O_CLOEXEC = 0x80000;  // 02000000
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    // <poll.h>
    public static final short POLLIN = 0x001;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    // <sys/eventfd.h>
    public static final int EFD_CLOEXEC = O_CLOEXEC;
    public static final int EFD_NONBLOCK = O_NONBLOCK;
    // <sys/mman.h>
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_POPULATE = 0x008000;
    public static final long MAP_FAILED = -1L;

    private static MethodHandle h(String name, FunctionDescriptor d, Linker.Option... extra) {
        Linker.Option[] opts = new Linker.Option[extra.length + 1];
        opts[0] = ERRNO;
        System.arraycopy(extra, 0, opts, 1, extra.length);
        return C.downcall(name, d, opts);
    }

    private static final MethodHandle open$MH = h("open", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle close$MH = h("close", FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle read$MH = h("read", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle write$MH = h("write", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle readv$MH = h("readv", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));
    private static final MethodHandle writev$MH = h("writev", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));
    private static final MethodHandle ioctl$MH = h("ioctl", FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle ioctlInt$MH = h("ioctl", FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_LONG), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle fcntl$MH = h("fcntl", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_LONG), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle poll$MH = h("poll", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));
    private static final MethodHandle eventfd$MH = h("eventfd", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle mmap$MH = h("mmap", FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_INT, C_INT, C_INT, C_LONG));
    private static final MethodHandle munmap$MH = h("munmap", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
    private static final MethodHandle syscall6$MH = h("syscall", FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle getpid$MH = h("getpid", FunctionDescriptor.of(C_INT));
    private static final MethodHandle gettid$MH = h("gettid", FunctionDescriptor.of(C_INT));
    // <sched.h>
    private static final MethodHandle setns$MH = h("setns", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle unshare$MH = h("unshare", FunctionDescriptor.of(C_INT, C_INT));
    // <net/if.h>
    private static final MethodHandle if_nametoindex$MH = h("if_nametoindex", FunctionDescriptor.of(C_INT, C_POINTER));

    // ---- raw forms: return what C returns; errno via C.errno() ----

    public static int open(MemorySegment path, int flags, int mode) {
        try { return (int) open$MH.invokeExact(errnoState(), path, flags, mode); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int close(int fd) {
        try { return (int) close$MH.invokeExact(errnoState(), fd); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static long read(int fd, MemorySegment buf, long count) {
        try { return (long) read$MH.invokeExact(errnoState(), fd, buf, count); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static long write(int fd, MemorySegment buf, long count) {
        try { return (long) write$MH.invokeExact(errnoState(), fd, buf, count); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static long readv(int fd, MemorySegment iov, int iovcnt) {
        try { return (long) readv$MH.invokeExact(errnoState(), fd, iov, iovcnt); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static long writev(int fd, MemorySegment iov, int iovcnt) {
        try { return (long) writev$MH.invokeExact(errnoState(), fd, iov, iovcnt); } catch (Throwable t) { throw new AssertionError(t); }
    }
    /** ioctl with a pointer argument. */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        try { return (int) ioctl$MH.invokeExact(errnoState(), fd, request, arg); } catch (Throwable t) { throw new AssertionError(t); }
    }
    /** ioctl with an integer argument (e.g. TUNSETOFFLOAD's flags). */
    public static int ioctl(int fd, long request, long arg) {
        try { return (int) ioctlInt$MH.invokeExact(errnoState(), fd, request, arg); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int fcntl(int fd, int cmd, long arg) {
        try { return (int) fcntl$MH.invokeExact(errnoState(), fd, cmd, arg); } catch (Throwable t) { throw new AssertionError(t); }
    }
    /** poll(2) over an array of {@code struct pollfd} (8 bytes each: int fd, short events, short revents). */
    public static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        try { return (int) poll$MH.invokeExact(errnoState(), fds, nfds, timeoutMillis); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int eventfd(int initval, int flags) {
        try { return (int) eventfd$MH.invokeExact(errnoState(), initval, flags); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static MemorySegment mmap(MemorySegment addr, long length, int prot, int flags, int fd, long offset) {
        try { return (MemorySegment) mmap$MH.invokeExact(errnoState(), addr, length, prot, flags, fd, offset); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int munmap(MemorySegment addr, long length) {
        try { return (int) munmap$MH.invokeExact(errnoState(), addr, length); } catch (Throwable t) { throw new AssertionError(t); }
    }
    /** syscall(2) with up to six arguments; unused ones are 0. Pointers are passed as addresses. */
    public static long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        try { return (long) syscall6$MH.invokeExact(errnoState(), number, a1, a2, a3, a4, a5, a6); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int getpid() {
        try { return (int) getpid$MH.invokeExact(errnoState()); } catch (Throwable t) { throw new AssertionError(t); }
    }
    public static int gettid() {
        try { return (int) gettid$MH.invokeExact(errnoState()); } catch (Throwable t) { throw new AssertionError(t); }
    }

    /** setns(2): moves the CALLING THREAD only into the namespace {@code fd} refers to. */
    public static int setns(int fd, int nstype) {
        try { return (int) setns$MH.invokeExact(errnoState(), fd, nstype); } catch (Throwable t) { throw new AssertionError(t); }
    }
    /** unshare(2): gives the calling thread fresh namespaces of the kinds in {@code flags}. */
    public static int unshare(int flags) {
        try { return (int) unshare$MH.invokeExact(errnoState(), flags); } catch (Throwable t) { throw new AssertionError(t); }
    }
    /** if_nametoindex(3) in the calling thread's network namespace: 0 (errno set) when there is no such link. */
    public static int if_nametoindex(MemorySegment name) {
        try { return (int) if_nametoindex$MH.invokeExact(errnoState(), name); } catch (Throwable t) { throw new AssertionError(t); }
    }

    // ---- control-path forms: throw ErrnoException naming the call ----

    /** Throws an ErrnoException for {@code call} if {@code ret} is negative; else returns it. */
    public static long check(long ret, String call) throws ErrnoException {
        if (ret < 0) throw new ErrnoException(call, C.errno());
        return ret;
    }

    public static int openOrThrow(String path, int flags, int mode) throws ErrnoException {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            return (int) check(open(arena.allocateFrom(path), flags | O_CLOEXEC, mode), "open(" + path + ")");
        }
    }
    public static void closeOrThrow(int fd) throws ErrnoException {
        check(close(fd), "close(" + fd + ")");
    }
    public static int ioctlOrThrow(int fd, long request, MemorySegment arg, String what) throws ErrnoException {
        return (int) check(ioctl(fd, request, arg), "ioctl(" + what + ")");
    }
    public static int ioctlOrThrow(int fd, long request, long arg, String what) throws ErrnoException {
        return (int) check(ioctl(fd, request, arg), "ioctl(" + what + ")");
    }
    public static void setNonBlocking(int fd, boolean on) throws ErrnoException {
        int fl = (int) check(fcntl(fd, F_GETFL, 0), "fcntl(F_GETFL)");
        int nfl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
        if (nfl != fl) check(fcntl(fd, F_SETFL, nfl), "fcntl(F_SETFL)");
    }
    public static void setnsOrThrow(int fd, int nstype, String what) throws ErrnoException {
        check(setns(fd, nstype), "setns(" + what + ")");
    }
    public static int ifNameToIndexOrThrow(String name) throws ErrnoException {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            int index = if_nametoindex(arena.allocateFrom(name));
            if (index == 0) throw new ErrnoException("if_nametoindex(" + name + ")", C.errno());
            return index;
        }
    }
    public static MemorySegment mmapOrThrow(long length, int prot, int flags, int fd, long offset, String what) throws ErrnoException {
        MemorySegment m = mmap(MemorySegment.NULL, length, prot, flags, fd, offset);
        if (m.address() == MAP_FAILED) throw new ErrnoException("mmap(" + what + ")", C.errno());
        return m.reinterpret(length);
    }
}
