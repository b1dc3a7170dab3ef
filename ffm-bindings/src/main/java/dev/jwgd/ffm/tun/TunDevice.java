package dev.jwgd.ffm.tun;

import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.tun.if_tun_h.*;

import dev.jwgd.ffm.C;
import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Libc;
import dev.jwgd.ffm.libc.ReadablePoll;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One queue (file descriptor) of a Linux TUN device: create or attach by name with TUNSETIFF,
 * offloads, vnet header size, and packet I/O (linux-ffm.md 1.1-1.3).
 *
 * <p>The device is created in the network namespace of the thread that calls {@link #open}; run it
 * through {@code dev.jwgd.ffm.netns.NetNamespace} to create it elsewhere. The descriptor keeps working
 * from any thread, and after the link is moved to another namespace.
 *
 * <p>Control methods throw {@link ErrnoException}. Data-path methods ({@link #read}, {@link #write},
 * {@link #readBatch}, {@link #writeBatch}) return a count or {@code -errno} and never allocate or throw.
 * Reads and writes may come from different threads; a {@link TunBatch} belongs to one thread.
 * With {@link if_tun_h#IFF_VNET_HDR} every packet carries a {@link virtio_net_hdr} in front.
 */
public final class TunDevice implements AutoCloseable {
    /** errno of read/write once the device is gone (its namespace was destroyed); not in {@link Errno}. */
    public static final int EBADFD = Errno.EBADFD;
    /** wireguard-go's first offload step: checksum + TCP segmentation; failure here is fatal for it. */
    public static final int OFFLOAD_TCP = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
    /** The second step: adds UDP segmentation (kernel 6.2+); USO4 and USO6 must go together. */
    public static final int OFFLOAD_TCP_UDP = OFFLOAD_TCP | TUN_F_USO4 | TUN_F_USO6;

    private final int fd;
    private final String name;
    private final int ifindex;
    private final short requestedFlags;
    // GC-managed, not closed with the socket: a poll on another thread may still hold it when close() runs
    private final ReadablePoll readable;
    private volatile boolean closed;
    private volatile boolean nonBlocking;

    private TunDevice(int fd, String name, int ifindex, short requestedFlags) {
        this.fd = fd;
        this.name = name;
        this.ifindex = ifindex;
        this.requestedFlags = requestedFlags;
        this.readable = new ReadablePoll(fd);
    }

    /** Creates (or attaches to) a plain layer-3 TUN, {@code IFF_TUN | IFF_NO_PI}. */
    public static TunDevice create(String nameOrTemplate) throws ErrnoException {
        return open(nameOrTemplate, IFF_TUN | IFF_NO_PI);
    }

    /**
     * Opens {@code /dev/net/tun} and issues TUNSETIFF with {@code flags} (e.g. {@code IFF_TUN|IFF_NO_PI},
     * plus {@code IFF_VNET_HDR}, {@code IFF_MULTI_QUEUE}). {@code nameOrTemplate} may be empty or a
     * template such as {@code "wg%d"}: the kernel's final name is read back. For a multi-queue device,
     * call this once per queue with the same name and flags.
     */
    public static TunDevice open(String nameOrTemplate, int flags) throws ErrnoException {
        int fd = Libc.openOrThrow(TUN_DEVICE_PATH, Libc.O_RDWR, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = ifreq.allocate(a);
            ifreq.ifr_name(ifr, nameOrTemplate);
            ifreq.ifr_flags(ifr, (short) flags);
            Libc.ioctlOrThrow(fd, TUNSETIFF, ifr, "TUNSETIFF, " + nameOrTemplate + ", flags 0x" + Integer.toHexString(flags & 0xffff));
            String actual = ifreq.ifr_name(ifr);
            int index = Libc.ifNameToIndexOrThrow(actual);
            return new TunDevice(fd, actual, index, (short) flags);
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** The kernel's name for the device (a template is resolved). */
    public String name() { return name; }

    /** The descriptor, for poll/epoll/io_uring users. */
    public int fd() { return fd; }

    /** The interface index in the namespace the device was created in, read right after TUNSETIFF. */
    public int ifindex() { return ifindex; }

    /** The flags this queue was opened with. */
    public short requestedFlags() { return requestedFlags; }

    /** TUNGETIFF: the device's flags as the kernel reports them (IFF_TUN, IFF_NO_PI, IFF_VNET_HDR, ...). */
    public short flags() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = ifreq.allocate(a);
            Libc.ioctlOrThrow(fd, TUNGETIFF, ifr, "TUNGETIFF, " + name);
            return ifreq.ifr_flags(ifr);
        }
    }

    /** TUNGETFEATURES: the IFF_* flags this kernel's TUN driver supports. */
    public int features() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(C_INT);
            Libc.ioctlOrThrow(fd, TUNGETFEATURES, v, "TUNGETFEATURES, " + name);
            return v.get(C_INT, 0);
        }
    }

    /** TUNSETOFFLOAD with {@code TUN_F_*} bits, passed by value. Needs IFF_VNET_HDR; bad combinations give EINVAL. */
    public void setOffload(int tunFlags) throws ErrnoException {
        Libc.ioctlOrThrow(fd, TUNSETOFFLOAD, (long) tunFlags, "TUNSETOFFLOAD, " + name + ", 0x" + Integer.toHexString(tunFlags));
    }

    /**
     * wireguard-go's offload sequence: {@link #OFFLOAD_TCP} (throws on failure), then
     * {@link #OFFLOAD_TCP_UDP} (failure ignored). Returns the flags in force.
     */
    public int enableOffloads() throws ErrnoException {
        setOffload(OFFLOAD_TCP);
        if (Libc.ioctl(fd, TUNSETOFFLOAD, (long) OFFLOAD_TCP_UDP) == 0) return OFFLOAD_TCP_UDP;
        return OFFLOAD_TCP;
    }

    /** TUNSETVNETHDRSZ (pointer to int); the kernel rejects sizes below 10. */
    public void setVnetHdrSize(int size) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            Libc.ioctlOrThrow(fd, TUNSETVNETHDRSZ, a.allocateFrom(C_INT, size), "TUNSETVNETHDRSZ, " + name + ", " + size);
        }
    }

    /** TUNGETVNETHDRSZ. */
    public int vnetHdrSize() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(C_INT);
            Libc.ioctlOrThrow(fd, TUNGETVNETHDRSZ, v, "TUNGETVNETHDRSZ, " + name);
            return v.get(C_INT, 0);
        }
    }

    /** O_NONBLOCK on this queue's descriptor: reads then return -EAGAIN when nothing is queued. */
    public void setNonBlocking(boolean on) throws ErrnoException {
        Libc.setNonBlocking(fd, on);
        nonBlocking = on;
    }

    /** TUNSETQUEUE with IFF_DETACH_QUEUE or IFF_ATTACH_QUEUE (multi-queue devices only). */
    public void setQueueEnabled(boolean enabled) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = ifreq.allocate(a);
            ifreq.ifr_flags(ifr, enabled ? IFF_ATTACH_QUEUE : IFF_DETACH_QUEUE);
            Libc.ioctlOrThrow(fd, TUNSETQUEUE, ifr, "TUNSETQUEUE, " + name + (enabled ? ", attach" : ", detach"));
        }
    }

    // ---- data path: counts or -errno, no allocation ----

    /** Reads one packet (with its vnet header, if enabled) into {@code buf}: its length, or -errno (-EAGAIN, -EBADFD). */
    public int read(MemorySegment buf) {
        long n = Libc.read(fd, buf, buf.byteSize());
        return n >= 0 ? (int) n : -C.errno();
    }

    /** Writes one packet of {@code len} bytes from the start of {@code buf}: bytes written, or -errno. */
    public int write(MemorySegment buf, int len) {
        long n = Libc.write(fd, buf, len);
        return n >= 0 ? (int) n : -C.errno();
    }

    /**
     * Reads up to {@code max} packets into slots 0.. of {@code batch}: the number read (lengths in the
     * batch), or -errno when the very first read failed. On a queue made non-blocking through
     * {@link #setNonBlocking} it drains until a read would block; on a blocking one it waits for and
     * returns a single packet, since a second read could wait forever.
     */
    public int readBatch(TunBatch batch, int max) {
        int limit = nonBlocking ? Math.min(max, batch.slots()) : Math.min(1, Math.min(max, batch.slots()));
        int count = 0;
        while (count < limit) {
            long n = Libc.read(fd, batch.buffer(count), batch.bufferSize());
            if (n < 0) {
                int err = C.errno();
                if (count == 0) return -err;
                break;                       // EAGAIN, or an error that will recur on the next call
            }
            batch.setLength(count, (int) n);
            count++;
        }
        return count;
    }

    /**
     * Writes slots {@code from .. from+count-1} of {@code batch}, one write(2) each (a TUN write is always
     * one packet): the number written, or -errno when the first write failed. Stops at the first failure.
     */
    public int writeBatch(TunBatch batch, int from, int count) {
        int done = 0;
        while (done < count) {
            int slot = from + done;
            long n = Libc.write(fd, batch.buffer(slot), batch.length(slot));
            if (n < 0) {
                int err = C.errno();
                if (done == 0) return -err;
                break;
            }
            done++;
        }
        return done;
    }

    /** Waits up to {@code timeoutMillis} for a packet: 1 readable, 0 timeout, -errno. Single caller at a time. */
    public int awaitReadable(int timeoutMillis) {
        return readable.await(timeoutMillis);
    }

    /**
     * Closes this queue; a non-persistent device disappears with its last queue. Idempotent. Stop the
     * readers first (they should wait with {@link #awaitReadable} and a timeout): close(2) does not wake
     * a read blocked on a TUN, and the descriptor number may be reused at once.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + ", fd " + fd + ", ifindex " + ifindex + "]";
    }
}
