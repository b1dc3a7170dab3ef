package dev.jwgd.ffm.uring;

import static dev.jwgd.ffm.uring.io_uring_h.IORING_ENTER_EXT_ARG;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_ENTER_GETEVENTS;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_FEAT_SINGLE_MMAP;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OFF_SQES;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OFF_SQ_RING;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_ASYNC_CANCEL;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_NOP;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_READ;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_READV;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_READ_FIXED;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_RECVMSG;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_SENDMSG;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_WRITE;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_WRITEV;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_WRITE_FIXED;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_RECV_MULTISHOT;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_REGISTER_BUFFERS;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_REGISTER_FILES;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_REGISTER_PROBE;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_SETUP_CQSIZE;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_SETUP_DEFER_TASKRUN;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_SETUP_SINGLE_ISSUER;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_UNREGISTER_BUFFERS;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_UNREGISTER_FILES;
import static dev.jwgd.ffm.uring.io_uring_h.IOSQE_BUFFER_SELECT;
import static dev.jwgd.ffm.uring.io_uring_h.IO_URING_OP_SUPPORTED;
import static dev.jwgd.ffm.uring.io_uring_h.SYS_io_uring_enter;
import static dev.jwgd.ffm.uring.io_uring_h.SYS_io_uring_register;
import static dev.jwgd.ffm.uring.io_uring_h.SYS_io_uring_setup;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jwgd.ffm.C;
import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One io_uring instance: setup through {@code io_uring_setup(2)} (syscall 425), the SQ/CQ rings and the
 * SQE array mapped as MemorySegments, SQE preparation without allocation, submission and completion
 * through {@code io_uring_enter(2)} (426), and registered buffers, files and provided buffer rings through
 * {@code io_uring_register(2)} (427). linux-ffm.md §3 has the kernel facts this follows.
 *
 * <p><b>Threads.</b> A ring has one owner thread, a platform thread: the one that creates it. Only the
 * owner prepares, submits and reaps (single producer of SQEs, single consumer of CQEs); with
 * {@code IORING_SETUP_SINGLE_ISSUER} the kernel enforces this and answers any other thread with
 * {@code -EEXIST} (from {@code io_uring_register} too). Close it on the owner thread as well; closed
 * from another thread once the owner has stopped, it still unmaps and closes everything, but buffer
 * groups are then dropped by the kernel's ring teardown instead of being unregistered first.
 *
 * <p><b>Memory ordering</b> (what liburing and Netty do). SQE contents are plain stores; the owner
 * publishes them with a <em>release</em> store of the SQ tail, which pairs with the kernel's
 * {@code smp_load_acquire} of it. The CQ tail is read with an <em>acquire</em> load, pairing with the
 * kernel's {@code smp_store_release}, so the CQEs up to it are visible; the CQ head is written back with
 * a <em>release</em> store so the kernel reuses a slot only after we have read it.
 *
 * <p><b>Availability.</b> {@link #isAvailable()} tells whether this kernel and configuration can run
 * io_uring at all (probed once, logged in one line, off with {@code -Djwgd.io_uring=false}); callers
 * that get false use plain syscalls instead. {@link #support()} says which optional features are there.
 *
 * <p>Everything an SQE points to (buffers, iovecs, msghdrs, sockaddrs) must stay alive and unmoved until
 * its CQE arrives: use off-heap segments from an arena that outlives the operation.
 *
 * <p>A loop on the owner thread, with {@code this} a long-lived {@link CompletionHandler}:
 * {@snippet :
 * IoUring ring = IoUring.create(128, 512, IoUring.recommendedFlags());
 * for (int i = 0; i < 64; i++) ring.prepRead(tunFd, pool, i * 2048L, 2048, i);   // user data = slot
 * while (running) {
 *     int r = ring.submitAndWait(1, 100_000_000L);   // -ETIME after 100 ms without a completion
 *     ring.drain(this);                               // complete(slot, bytes or -errno, flags) per CQE
 * }
 * }
 */
public final class IoUring implements AutoCloseable {
    /** The off switch: {@code -Djwgd.io_uring=false} makes {@link #isAvailable()} false. */
    public static final String PROPERTY = "jwgd.io_uring";

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final long SQE_SIZE = 64;
    private static final long CQE_SIZE = 16;
    private static final int MSGHDR_SIZE = 56;   // struct msghdr on LP64
    /** errno of a wait that timed out ({@code -ETIME} from {@link #submitAndWait(int, long)}). */
    public static final int ETIME = Errno.ETIME;

    /** Receives completions from {@link #drain}; one long-lived instance, so draining allocates nothing. */
    @FunctionalInterface
    public interface CompletionHandler {
        /**
         * One CQE: the SQE's user data, the result (bytes, or {@code -errno}) and the {@code IORING_CQE_F_*}
         * flags (buffer id in the upper 16 bits with {@code F_BUFFER}). Must not call {@link #drain}.
         */
        void complete(long userData, int res, int flags);
    }

    private final Arena arena;
    private final int ringFd;
    private final int setupFlags;
    private final int features;
    private final MemorySegment ring;   // SQ and CQ rings (one mapping, IORING_FEAT_SINGLE_MMAP)
    private final MemorySegment sqes;
    private final long sqHeadOff, sqTailOff, sqFlagsOff, cqHeadOff, cqTailOff, cqesOff, cqOverflowOff;
    private final int sqEntries, sqMask, cqEntries, cqMask;
    private final MemorySegment waitArg;   // io_uring_getevents_arg, then a __kernel_timespec
    private final List<BufferRing> bufferRings = new ArrayList<>();
    private int sqTail;                    // owner's copy of the SQ tail, published by submit
    private long lastSqe = -1;             // offset of the SQE prepared last, for setLastFlags
    private boolean closed;

    private IoUring(Arena arena, int ringFd, MemorySegment params, int setupFlags) throws ErrnoException {
        this.arena = arena;
        this.ringFd = ringFd;
        this.setupFlags = setupFlags;
        this.features = io_uring_params.features(params);
        this.sqEntries = io_uring_params.sq_entries(params);
        this.cqEntries = io_uring_params.cq_entries(params);
        long sq = io_uring_params.sq_off$OFFSET;
        long cq = io_uring_params.cq_off$OFFSET;
        this.sqHeadOff = Integer.toUnsignedLong(params.get(JAVA_INT, sq + io_sqring_offsets.head$OFFSET));
        this.sqTailOff = Integer.toUnsignedLong(params.get(JAVA_INT, sq + io_sqring_offsets.tail$OFFSET));
        this.sqFlagsOff = Integer.toUnsignedLong(params.get(JAVA_INT, sq + io_sqring_offsets.flags$OFFSET));
        long sqMaskOff = Integer.toUnsignedLong(params.get(JAVA_INT, sq + io_sqring_offsets.ring_mask$OFFSET));
        long sqArrayOff = Integer.toUnsignedLong(params.get(JAVA_INT, sq + io_sqring_offsets.array$OFFSET));
        this.cqHeadOff = Integer.toUnsignedLong(params.get(JAVA_INT, cq + io_cqring_offsets.head$OFFSET));
        this.cqTailOff = Integer.toUnsignedLong(params.get(JAVA_INT, cq + io_cqring_offsets.tail$OFFSET));
        this.cqOverflowOff = Integer.toUnsignedLong(params.get(JAVA_INT, cq + io_cqring_offsets.overflow$OFFSET));
        long cqMaskOff = Integer.toUnsignedLong(params.get(JAVA_INT, cq + io_cqring_offsets.ring_mask$OFFSET));
        this.cqesOff = Integer.toUnsignedLong(params.get(JAVA_INT, cq + io_cqring_offsets.cqes$OFFSET));

        long ringBytes = Math.max(sqArrayOff + 4L * sqEntries, cqesOff + CQE_SIZE * cqEntries);
        this.ring = map(ringFd, ringBytes, IORING_OFF_SQ_RING, "io_uring SQ/CQ rings", arena);
        this.sqes = map(ringFd, SQE_SIZE * sqEntries, IORING_OFF_SQES, "io_uring SQEs", arena);
        this.sqMask = ring.get(JAVA_INT, sqMaskOff);
        this.cqMask = ring.get(JAVA_INT, cqMaskOff);
        // The SQ index array is an identity map, written once (as Netty does): slot i submits SQE i.
        for (int i = 0; i < sqEntries; i++) ring.set(JAVA_INT, sqArrayOff + 4L * i, i);
        this.sqTail = (int) INT.getAcquire(ring, sqTailOff);
        this.waitArg = arena.allocate(io_uring_getevents_arg.sizeof() + __kernel_timespec.sizeof(), 8);
        io_uring_getevents_arg.ts(waitArg, waitArg.address() + io_uring_getevents_arg.sizeof());
    }

    // ------------------------------------------------------------ availability

    /** What this kernel supports, probed once on first use; the result is logged in one line. */
    public static IoUringSupport support() {
        return ProbeHolder.SUPPORT;
    }

    /** Whether io_uring can be used at all; when false, use plain syscalls ({@link #support()} says why). */
    public static boolean isAvailable() {
        return support().available();
    }

    private static final class ProbeHolder {
        static final IoUringSupport SUPPORT = IoUringSupport.probe(System::getProperty);

        static {
            System.getLogger(IoUring.class.getName()).log(System.Logger.Level.INFO, SUPPORT.summary());
        }
    }

    /**
     * The setup flags this kernel handles best for a ring owned by one thread:
     * {@code SINGLE_ISSUER | DEFER_TASKRUN} where supported (completions are then posted only when the
     * owner calls {@link #submitAndWait}), otherwise 0.
     */
    public static int recommendedFlags() {
        return support().singleIssuer() ? IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN : 0;
    }

    // ------------------------------------------------------------ lifecycle

    /**
     * Sets up a ring owned by the calling thread: {@code sqEntries} submission slots, at least
     * {@code cqEntries} completion slots (0 = the kernel's default of twice the SQ; size it above the
     * number of operations in flight, multishot ones included), and {@code IORING_SETUP_*} flags.
     *
     * @throws ErrnoException naming io_uring_setup, with {@code ENOSYS} when io_uring is unavailable or
     *                        switched off (see {@link #support()})
     */
    public static IoUring create(int sqEntries, int cqEntries, int setupFlags) throws ErrnoException {
        return create(support(), sqEntries, cqEntries, setupFlags);
    }

    static IoUring create(IoUringSupport support, int sqEntries, int cqEntries, int setupFlags) throws ErrnoException {
        if (!support.available()) {
            throw new ErrnoException("io_uring_setup: io_uring unavailable (" + support.unavailableReason() + ")", Errno.ENOSYS);
        }
        return setup(sqEntries, cqEntries, setupFlags);
    }

    /** io_uring_setup without consulting the probe; the probe itself uses it. */
    static IoUring setup(int sqEntries, int cqEntries, int setupFlags) throws ErrnoException {
        int flags = setupFlags | (cqEntries > 0 ? IORING_SETUP_CQSIZE : 0);
        String call = "io_uring_setup(" + sqEntries + ", flags 0x" + Integer.toHexString(flags) + ")";
        Arena arena = Arena.ofShared();
        int fd = -1;
        try {
            MemorySegment params = io_uring_params.allocate(arena);
            io_uring_params.flags(params, flags);
            if (cqEntries > 0) io_uring_params.cq_entries(params, cqEntries);
            long r = Libc.syscall(SYS_io_uring_setup, sqEntries, params.address(), 0, 0, 0, 0);
            if (r < 0) throw new ErrnoException(call, C.errno());
            fd = (int) r;
            if ((io_uring_params.features(params) & IORING_FEAT_SINGLE_MMAP) == 0) {
                throw new ErrnoException(call + ": kernel lacks IORING_FEAT_SINGLE_MMAP (5.4)", Errno.ENOSYS);
            }
            IoUring ring = new IoUring(arena, fd, params, flags);
            arena = null;   // owned by the ring now
            return ring;
        } finally {
            if (arena != null) {
                arena.close();
                if (fd >= 0) Libc.close(fd);
            }
        }
    }

    private static MemorySegment map(int fd, long bytes, long offset, String what, Arena arena) throws ErrnoException {
        MemorySegment m = Libc.mmapOrThrow(bytes, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | Libc.MAP_POPULATE, fd, offset, what);
        // Tie the mapping to the ring's arena: unmapped on close, and any later access fails cleanly.
        return m.reinterpret(bytes, arena, s -> Libc.munmap(s, s.byteSize()));
    }

    /** Closes the buffer rings registered on this ring, unmaps the rings and closes the ring fd. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        for (BufferRing b : bufferRings) b.release();
        bufferRings.clear();
        Libc.close(ringFd);   // cancels what is still in flight
        arena.close();
    }

    public int fd() { return ringFd; }
    public int sqEntries() { return sqEntries; }
    public int cqEntries() { return cqEntries; }
    public int features() { return features; }
    public int setupFlags() { return setupFlags; }

    // ------------------------------------------------------------ preparing SQEs

    /** Free SQ slots right now. */
    public int sqSpace() {
        return sqEntries - (sqTail - (int) INT.getAcquire(ring, sqHeadOff));
    }

    /** SQEs prepared or published but not yet consumed by the kernel. */
    public int sqPending() {
        return sqTail - (int) INT.getAcquire(ring, sqHeadOff);
    }

    /** Takes the next SQ slot, zeroed; its offset in {@link #sqes}, or -1 when the SQ is full. */
    private long nextSqe() {
        int head = (int) INT.getAcquire(ring, sqHeadOff);   // the kernel advances it as it consumes
        if (sqTail - head >= sqEntries) {
            lastSqe = -1;   // a flag meant for the refused SQE must not land on an older one
            return -1;
        }
        long sqe = (sqTail & sqMask) * SQE_SIZE;
        for (long i = 0; i < SQE_SIZE; i += 8) sqes.set(JAVA_LONG, sqe + i, 0L);
        sqTail++;
        lastSqe = sqe;
        return sqe;
    }

    private boolean rw(int op, int fd, long addr, int len, long userData) {
        long sqe = nextSqe();
        if (sqe < 0) return false;
        sqes.set(JAVA_BYTE, sqe + io_uring_sqe.opcode$OFFSET, (byte) op);
        sqes.set(JAVA_INT, sqe + io_uring_sqe.fd$OFFSET, fd);
        sqes.set(JAVA_LONG, sqe + io_uring_sqe.addr$OFFSET, addr);
        sqes.set(JAVA_INT, sqe + io_uring_sqe.len$OFFSET, len);
        sqes.set(JAVA_LONG, sqe + io_uring_sqe.user_data$OFFSET, userData);
        // off = 0: TUN devices and sockets are not seekable
        return true;
    }

    private static long address(MemorySegment buf, long offset, int len) {
        Objects.checkFromIndexSize(offset, len, buf.byteSize());
        return buf.address() + offset;
    }

    /** NOP: completes with res 0; handy to wake or fence. */
    public boolean prepNop(long userData) {
        return rw(IORING_OP_NOP, -1, 0, 0, userData);
    }

    /** READ of up to {@code len} bytes into {@code buf} at {@code offset} (one TUN packet, one datagram). */
    public boolean prepRead(int fd, MemorySegment buf, long offset, int len, long userData) {
        return rw(IORING_OP_READ, fd, address(buf, offset, len), len, userData);
    }

    /** WRITE of {@code len} bytes from {@code buf} at {@code offset}. */
    public boolean prepWrite(int fd, MemorySegment buf, long offset, int len, long userData) {
        return rw(IORING_OP_WRITE, fd, address(buf, offset, len), len, userData);
    }

    // Pointers to arrays of structs are (segment, byte offset) pairs, so that a pool of iovecs or
    // msghdrs in one segment needs no slice object per operation.

    /** READV into {@code count} iovecs (16 bytes each) at {@code offset} in {@code iovecs}. */
    public boolean prepReadv(int fd, MemorySegment iovecs, long offset, int count, long userData) {
        return rw(IORING_OP_READV, fd, address(iovecs, offset, 16 * count), count, userData);
    }

    /** WRITEV from {@code count} iovecs at {@code offset} in {@code iovecs}. */
    public boolean prepWritev(int fd, MemorySegment iovecs, long offset, int count, long userData) {
        return rw(IORING_OP_WRITEV, fd, address(iovecs, offset, 16 * count), count, userData);
    }

    /**
     * SENDMSG of the {@code struct msghdr} at {@code offset} in {@code msghdrs} (name, iovecs, control
     * such as UDP_SEGMENT).
     */
    public boolean prepSendmsg(int fd, MemorySegment msghdrs, long offset, int msgFlags, long userData) {
        if (!rw(IORING_OP_SENDMSG, fd, address(msghdrs, offset, MSGHDR_SIZE), 1, userData)) return false;
        sqes.set(JAVA_INT, lastSqe + io_uring_sqe.msg_flags$OFFSET, msgFlags);
        return true;
    }

    /**
     * RECVMSG into the {@code struct msghdr} at {@code offset} in {@code msghdrs}; reset its
     * {@code msg_namelen}/{@code msg_controllen} to their capacities before each.
     */
    public boolean prepRecvmsg(int fd, MemorySegment msghdrs, long offset, int msgFlags, long userData) {
        if (!rw(IORING_OP_RECVMSG, fd, address(msghdrs, offset, MSGHDR_SIZE), 1, userData)) return false;
        sqes.set(JAVA_INT, lastSqe + io_uring_sqe.msg_flags$OFFSET, msgFlags);
        return true;
    }

    /** READ_FIXED into registered buffer {@code bufIndex}; {@code buf} must lie inside that buffer. */
    public boolean prepReadFixed(int fd, MemorySegment buf, long offset, int len, int bufIndex, long userData) {
        if (!rw(IORING_OP_READ_FIXED, fd, address(buf, offset, len), len, userData)) return false;
        sqes.set(JAVA_SHORT, lastSqe + io_uring_sqe.buf_index$OFFSET, (short) bufIndex);
        return true;
    }

    /** WRITE_FIXED from registered buffer {@code bufIndex}. */
    public boolean prepWriteFixed(int fd, MemorySegment buf, long offset, int len, int bufIndex, long userData) {
        if (!rw(IORING_OP_WRITE_FIXED, fd, address(buf, offset, len), len, userData)) return false;
        sqes.set(JAVA_SHORT, lastSqe + io_uring_sqe.buf_index$OFFSET, (short) bufIndex);
        return true;
    }

    /**
     * Multishot RECVMSG (6.0): one SQE, one CQE per datagram, each into a buffer the kernel picks from
     * provided buffer group {@code bufferGroup} ({@link BufferRing}); the buffer id is
     * {@code flags >>> 16}. The buffer holds {@code io_uring_recvmsg_out}, the name, the control data
     * and the payload ({@link BufferRing#payloadOffset}). {@code template} is a msghdr with only
     * {@code msg_namelen} and {@code msg_controllen} set. A CQE without {@code IORING_CQE_F_MORE} ends the
     * request (error, {@code -ENOBUFS}, cancel): submit it again.
     */
    public boolean prepRecvmsgMultishot(int fd, MemorySegment template, int bufferGroup, int msgFlags, long userData) {
        if (!rw(IORING_OP_RECVMSG, fd, address(template, 0, MSGHDR_SIZE), 1, userData)) return false;
        sqes.set(JAVA_INT, lastSqe + io_uring_sqe.msg_flags$OFFSET, msgFlags);
        sqes.set(JAVA_SHORT, lastSqe + io_uring_sqe.ioprio$OFFSET, (short) IORING_RECV_MULTISHOT);
        sqes.set(JAVA_BYTE, lastSqe + io_uring_sqe.flags$OFFSET, (byte) IOSQE_BUFFER_SELECT);
        sqes.set(JAVA_SHORT, lastSqe + io_uring_sqe.buf_group$OFFSET, (short) bufferGroup);
        return true;
    }

    /** ASYNC_CANCEL of the request submitted with {@code targetUserData}. */
    public boolean prepCancel(long targetUserData, long userData) {
        return rw(IORING_OP_ASYNC_CANCEL, -1, targetUserData, 0, userData);
    }

    /**
     * ORs {@code IOSQE_*} flags into the SQE prepared last, e.g. {@code IOSQE_FIXED_FILE} when its fd is
     * an index into the registered files, or {@code IOSQE_IO_LINK}. Valid only right after a successful
     * {@code prep*} and before the next submit.
     */
    public void setLastFlags(int iosqeFlags) {
        if (lastSqe < 0) throw new IllegalStateException("no SQE prepared since the last submit, or the last prep found the SQ full");
        long at = lastSqe + io_uring_sqe.flags$OFFSET;
        sqes.set(JAVA_BYTE, at, (byte) (sqes.get(JAVA_BYTE, at) | iosqeFlags));
    }

    // ------------------------------------------------------------ submitting

    /**
     * Publishes the prepared SQEs and submits them without waiting: SQEs consumed, or {@code -errno}
     * ({@code -EBUSY} or {@code -EAGAIN}: completions are backing up; drain, then call again).
     */
    public int submit() {
        return enter(0, 0, 0L, 0L);
    }

    /**
     * Publishes and submits, then waits until at least {@code minComplete} CQEs are ready (0 just runs
     * deferred completion work, which a {@code DEFER_TASKRUN} ring needs before {@link #drain} sees
     * anything): SQEs consumed, or {@code -errno} ({@code -EINTR}: call again).
     */
    public int submitAndWait(int minComplete) {
        return enter(minComplete, IORING_ENTER_GETEVENTS, 0L, 0L);
    }

    /** As {@link #submitAndWait(int)}, waiting at most {@code timeoutNanos}: {@code -ETIME} (-62) on timeout. */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        long ts = io_uring_getevents_arg.sizeof();
        waitArg.set(JAVA_LONG, ts + __kernel_timespec.tv_sec$OFFSET, timeoutNanos / 1_000_000_000L);
        waitArg.set(JAVA_LONG, ts + __kernel_timespec.tv_nsec$OFFSET, timeoutNanos % 1_000_000_000L);
        return enter(minComplete, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, waitArg.address(), io_uring_getevents_arg.sizeof());
    }

    private int enter(int minComplete, int flags, long arg, long argSize) {
        // Release: the SQE stores above become visible before the kernel's acquire load of the tail sees it.
        INT.setRelease(ring, sqTailOff, sqTail);
        lastSqe = -1;
        // Count every published SQE the kernel has not consumed, not only this batch: an earlier enter
        // that failed (-EBUSY, -EEXIST from a wrong thread) leaves its SQEs published.
        int toSubmit = sqTail - (int) INT.getAcquire(ring, sqHeadOff);
        if (toSubmit == 0 && flags == 0) return 0;
        long r = Libc.syscall(SYS_io_uring_enter, ringFd, toSubmit, minComplete, flags, arg, argSize);
        return r >= 0 ? (int) r : -C.errno();
    }

    // ------------------------------------------------------------ completing

    /** CQEs ready to be drained now. */
    public int cqReady() {
        return (int) INT.getAcquire(ring, cqTailOff) - (int) INT.get(ring, cqHeadOff);
    }

    /** CQEs the kernel could not post because the CQ was full (0 with IORING_FEAT_NODROP). */
    public int cqOverflow() {
        return (int) INT.getAcquire(ring, cqOverflowOff);
    }

    /** The SQ ring's flags ({@code IORING_SQ_CQ_OVERFLOW}, {@code IORING_SQ_TASKRUN}, ...). */
    public int sqFlags() {
        return (int) INT.getAcquire(ring, sqFlagsOff);
    }

    /**
     * Hands every ready CQE to {@code handler}, oldest first, then frees their slots: the number handled.
     * Allocates nothing.
     */
    public int drain(CompletionHandler handler) {
        int head = (int) INT.get(ring, cqHeadOff);        // only this thread writes the head
        int tail = (int) INT.getAcquire(ring, cqTailOff); // acquire: the CQEs up to tail are visible
        int n = 0;
        while (head != tail) {
            long cqe = cqesOff + (head & cqMask) * CQE_SIZE;
            long userData = ring.get(JAVA_LONG, cqe + io_uring_cqe.user_data$OFFSET);
            int res = ring.get(JAVA_INT, cqe + io_uring_cqe.res$OFFSET);
            int flags = ring.get(JAVA_INT, cqe + io_uring_cqe.flags$OFFSET);
            head++;
            n++;
            handler.complete(userData, res, flags);
        }
        // Release: our reads of those CQEs happen before the kernel may overwrite the slots.
        if (n > 0) INT.setRelease(ring, cqHeadOff, head);
        return n;
    }

    // ------------------------------------------------------------ registration

    long register(int opcode, long arg, int count) {
        long r = Libc.syscall(SYS_io_uring_register, ringFd, opcode, arg, count, 0, 0);
        return r >= 0 ? r : -C.errno();
    }

    private void registerOrThrow(int opcode, long arg, int count, String what) throws ErrnoException {
        long r = register(opcode, arg, count);
        if (r < 0) throw new ErrnoException("io_uring_register(" + what + ")", (int) -r);
    }

    /**
     * Registers {@code buffers} (pinned; index i is {@code buffers[i]}) for
     * {@link #prepReadFixed}/{@link #prepWriteFixed}. Control path.
     */
    public void registerBuffers(MemorySegment... buffers) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16L * buffers.length, 8);
            for (int i = 0; i < buffers.length; i++) {
                iov.set(JAVA_LONG, 16L * i, buffers[i].address());
                iov.set(JAVA_LONG, 16L * i + 8, buffers[i].byteSize());
            }
            registerOrThrow(IORING_REGISTER_BUFFERS, iov.address(), buffers.length, "IORING_REGISTER_BUFFERS, " + buffers.length);
        }
    }

    public void unregisterBuffers() throws ErrnoException {
        registerOrThrow(IORING_UNREGISTER_BUFFERS, 0, 0, "IORING_UNREGISTER_BUFFERS");
    }

    /**
     * Registers {@code fds} as fixed files: afterwards an SQE may name {@code fds[i]} by index {@code i}
     * with {@code IOSQE_FIXED_FILE} ({@link #setLastFlags}), which saves the fd lookup per operation.
     */
    public void registerFiles(int... fds) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment arr = a.allocateFrom(JAVA_INT, fds);
            registerOrThrow(IORING_REGISTER_FILES, arr.address(), fds.length, "IORING_REGISTER_FILES, " + fds.length);
        }
    }

    public void unregisterFiles() throws ErrnoException {
        registerOrThrow(IORING_UNREGISTER_FILES, 0, 0, "IORING_UNREGISTER_FILES");
    }

    /**
     * Registers a provided buffer ring (5.19) of {@code entries} (a power of two) buffers of
     * {@code bufferSize} bytes as buffer group {@code group}, all of them provided to the kernel.
     * It is released when this ring closes, or earlier by {@link BufferRing#close()}.
     */
    public BufferRing registerBufferRing(int group, int entries, int bufferSize) throws ErrnoException {
        BufferRing b = BufferRing.register(this, group, entries, bufferSize);
        bufferRings.add(b);
        return b;
    }

    void forget(BufferRing b) {
        bufferRings.remove(b);
    }

    /** Whether {@code opcode} is supported, through IORING_REGISTER_PROBE (5.6). */
    boolean opSupported(MemorySegment probe, int opcode) {
        int lastOp = Byte.toUnsignedInt(probe.get(JAVA_BYTE, io_uring_probe.last_op$OFFSET));
        if (opcode > lastOp) return false;
        long op = io_uring_probe.sizeof() + io_uring_probe_op.sizeof() * opcode;
        return (probe.get(JAVA_SHORT, op + io_uring_probe_op.flags$OFFSET) & IO_URING_OP_SUPPORTED) != 0;
    }

    /** Fills {@code probe} (16 + 8 * 256 bytes) through IORING_REGISTER_PROBE: 0 or -errno. */
    long probeOps(MemorySegment probe) {
        return register(IORING_REGISTER_PROBE, probe.address(), 256);
    }
}
