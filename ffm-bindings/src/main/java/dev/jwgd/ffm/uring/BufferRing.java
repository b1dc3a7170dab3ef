package dev.jwgd.ffm.uring;

import static dev.jwgd.ffm.uring.io_uring_h.IORING_REGISTER_PBUF_RING;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_UNREGISTER_PBUF_RING;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * A provided buffer ring ({@code IORING_REGISTER_PBUF_RING}, 5.19): buffers the kernel picks from for
 * multishot receives, so that a receive needs no buffer of its own until data arrives.
 *
 * <p>Memory: one anonymous mapping holds the page-aligned ring of {@code io_uring_buf} slots followed by
 * the buffers themselves ({@code entries * bufferSize} bytes, buffer id {@code bid} at
 * {@code bid * bufferSize} in {@link #buffers()}).
 *
 * <p>Ordering: the ring's owner thread writes a slot with plain stores, then publishes it with a
 * <em>release</em> store of the 16-bit tail at offset 14 (which overlays {@code bufs[0].resv}); the
 * kernel reads the tail with an acquire load. The tail wraps at 16 bits, as in C.
 */
public final class BufferRing implements AutoCloseable {
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();
    private static final long PAGE = 4096;

    private final IoUring uring;
    private final int group;
    private final int entries;
    private final int mask;
    private final int bufferSize;
    private final Arena arena;
    private final MemorySegment ring;
    private final MemorySegment buffers;
    private int tail;
    private boolean released;

    private BufferRing(IoUring uring, int group, int entries, int bufferSize, Arena arena, MemorySegment mapping, long ringBytes) {
        this.uring = uring;
        this.arena = arena;
        this.group = group;
        this.entries = entries;
        this.mask = entries - 1;
        this.bufferSize = bufferSize;
        this.ring = mapping.asSlice(0, ringBytes);
        this.buffers = mapping.asSlice(ringBytes, (long) entries * bufferSize);
    }

    static BufferRing register(IoUring uring, int group, int entries, int bufferSize) throws ErrnoException {
        if (entries <= 0 || entries > 32768 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("buffer ring entries must be a power of two up to 32768: " + entries);
        }
        if (group < 0 || group > 0xffff) throw new IllegalArgumentException("buffer group id must fit 16 bits: " + group);
        if (bufferSize <= 0) throw new IllegalArgumentException("buffer size must be positive: " + bufferSize);
        long ringBytes = (entries * io_uring_buf.sizeof() + PAGE - 1) & -PAGE;
        long total = ringBytes + (long) entries * bufferSize;
        MemorySegment m = Libc.mmapOrThrow(total, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0,
                "buffer ring " + group);
        Arena arena = Arena.ofShared();
        MemorySegment mapped = m.reinterpret(total, arena, s -> Libc.munmap(s, s.byteSize()));   // unmapped on close
        BufferRing b = new BufferRing(uring, group, entries, bufferSize, arena, mapped, ringBytes);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = io_uring_buf_reg.allocate(a);
            io_uring_buf_reg.ring_addr(reg, b.ring.address());
            io_uring_buf_reg.ring_entries(reg, entries);
            io_uring_buf_reg.bgid(reg, (short) group);
            long r = uring.register(IORING_REGISTER_PBUF_RING, reg.address(), 1);
            if (r < 0) {
                b.arena.close();
                throw new ErrnoException("io_uring_register(IORING_REGISTER_PBUF_RING, group " + group + ", " + entries + " x " + bufferSize + " B)", (int) -r);
            }
        }
        for (int bid = 0; bid < entries; bid++) b.add(bid);
        b.publish();
        return b;
    }

    /** The buffer group id to pass to {@link IoUring#prepRecvmsgMultishot}. */
    public int group() { return group; }

    public int entries() { return entries; }

    public int bufferSize() { return bufferSize; }

    /** All buffers, buffer {@code bid} at {@link #offset(int)}. */
    public MemorySegment buffers() { return buffers; }

    /** Byte offset of buffer {@code bid} in {@link #buffers()}. */
    public long offset(int bid) {
        return (long) bid * bufferSize;
    }

    /** The buffer id a completion used: {@code cqe.flags >>> IORING_CQE_BUFFER_SHIFT}. */
    public static int bufferId(int cqeFlags) {
        return cqeFlags >>> io_uring_h.IORING_CQE_BUFFER_SHIFT;
    }

    /**
     * Where the payload starts in a buffer filled by multishot RECVMSG, relative to the buffer:
     * after {@code io_uring_recvmsg_out} (16 bytes), the name and the control area the template asked for.
     */
    public static long payloadOffset(int templateNamelen, int templateControllen) {
        return io_uring_recvmsg_out.sizeof() + templateNamelen + templateControllen;
    }

    /** The payload length recorded in the {@code io_uring_recvmsg_out} at the start of buffer {@code bid}. */
    public int payloadLength(int bid) {
        return buffers.get(JAVA_INT, offset(bid) + io_uring_recvmsg_out.payloadlen$OFFSET);
    }

    /** The {@code io_uring_recvmsg_out.flags} (MSG_TRUNC, MSG_CTRUNC) of buffer {@code bid}. */
    public int recvmsgFlags(int bid) {
        return buffers.get(JAVA_INT, offset(bid) + io_uring_recvmsg_out.flags$OFFSET);
    }

    /** Writes buffer {@code bid} into the next slot; it is handed to the kernel by {@link #publish()}. */
    public void add(int bid) {
        long slot = (tail & mask) * io_uring_buf.sizeof();
        ring.set(JAVA_LONG, slot + io_uring_buf.addr$OFFSET, buffers.address() + offset(bid));
        ring.set(JAVA_INT, slot + io_uring_buf.len$OFFSET, bufferSize);
        ring.set(JAVA_SHORT, slot + io_uring_buf.bid$OFFSET, (short) bid);
        tail++;
    }

    /** Hands the buffers added so far to the kernel. */
    public void publish() {
        // Release: the slot stores above are visible before the kernel's acquire load sees the new tail.
        SHORT.setRelease(ring, io_uring_buf_ring.tail$OFFSET, (short) tail);
    }

    /** Gives buffer {@code bid} back to the kernel once its data has been consumed. */
    public void recycle(int bid) {
        add(bid);
        publish();
    }

    /** Unregisters the group and frees its memory; the ring must not be receiving into it any more. */
    @Override
    public void close() {
        uring.forget(this);
        release();
    }

    void release() {
        if (released) return;
        released = true;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = io_uring_buf_reg.allocate(a);
            io_uring_buf_reg.bgid(reg, (short) group);
            uring.register(IORING_UNREGISTER_PBUF_RING, reg.address(), 1);   // fails harmlessly once the ring is gone
        }
        arena.close();
    }
}
