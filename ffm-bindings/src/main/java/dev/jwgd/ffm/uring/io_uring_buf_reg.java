package dev.jwgd.ffm.uring;

import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_LONG_LONG;
import static dev.jwgd.ffm.C.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.foreign.ValueLayout.OfShort;

/**
 * Argument of {@code IORING_REGISTER_PBUF_RING}.
 *
 * {@snippet lang=c :
 * struct io_uring_buf_reg {
 *     __u64 ring_addr;
 *     __u32 ring_entries;
 *     __u16 bgid;
 *     __u16 pad;        // flags since 6.4 (IOU_PBUF_RING_MMAP, IOU_PBUF_RING_INC)
 *     __u64 resv[3];
 * };
 * }
 */
public final class io_uring_buf_reg {
    private io_uring_buf_reg() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("ring_addr"),
        C_INT.withName("ring_entries"),
        C_SHORT.withName("bgid"),
        C_SHORT.withName("pad"),
        MemoryLayout.sequenceLayout(3, C_LONG_LONG).withName("resv")
    ).withName("io_uring_buf_reg");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_uring_buf_reg). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfLong ring_addr$LAYOUT = (OfLong) $LAYOUT.select(groupElement("ring_addr"));
    /** Byte offset of {@code ring_addr}. */
    public static final long ring_addr$OFFSET = $LAYOUT.byteOffset(groupElement("ring_addr"));
    public static OfLong ring_addr$layout() { return ring_addr$LAYOUT; }
    public static long ring_addr$offset() { return ring_addr$OFFSET; }
    public static long ring_addr(MemorySegment struct) { return struct.get(ring_addr$LAYOUT, ring_addr$OFFSET); }
    public static void ring_addr(MemorySegment struct, long fieldValue) { struct.set(ring_addr$LAYOUT, ring_addr$OFFSET, fieldValue); }

    private static final OfInt ring_entries$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ring_entries"));
    /** Byte offset of {@code ring_entries}. */
    public static final long ring_entries$OFFSET = $LAYOUT.byteOffset(groupElement("ring_entries"));
    public static OfInt ring_entries$layout() { return ring_entries$LAYOUT; }
    public static long ring_entries$offset() { return ring_entries$OFFSET; }
    public static int ring_entries(MemorySegment struct) { return struct.get(ring_entries$LAYOUT, ring_entries$OFFSET); }
    public static void ring_entries(MemorySegment struct, int fieldValue) { struct.set(ring_entries$LAYOUT, ring_entries$OFFSET, fieldValue); }

    private static final OfShort bgid$LAYOUT = (OfShort) $LAYOUT.select(groupElement("bgid"));
    /** Byte offset of {@code bgid}. */
    public static final long bgid$OFFSET = $LAYOUT.byteOffset(groupElement("bgid"));
    public static OfShort bgid$layout() { return bgid$LAYOUT; }
    public static long bgid$offset() { return bgid$OFFSET; }
    public static short bgid(MemorySegment struct) { return struct.get(bgid$LAYOUT, bgid$OFFSET); }
    public static void bgid(MemorySegment struct, short fieldValue) { struct.set(bgid$LAYOUT, bgid$OFFSET, fieldValue); }

    private static final OfShort pad$LAYOUT = (OfShort) $LAYOUT.select(groupElement("pad"));
    /** Byte offset of {@code pad}. */
    public static final long pad$OFFSET = $LAYOUT.byteOffset(groupElement("pad"));
    public static OfShort pad$layout() { return pad$LAYOUT; }
    public static long pad$offset() { return pad$OFFSET; }
    public static short pad(MemorySegment struct) { return struct.get(pad$LAYOUT, pad$OFFSET); }
    public static void pad(MemorySegment struct, short fieldValue) { struct.set(pad$LAYOUT, pad$OFFSET, fieldValue); }

    /** Byte offset of the array {@code resv[3]}. */
    public static final long resv$OFFSET = $LAYOUT.byteOffset(groupElement("resv"));
    public static long resv$offset() { return resv$OFFSET; }
    public static long resv$dimension() { return 3; }
    public static long resv(MemorySegment struct, long index) {
        return struct.get(C_LONG_LONG, resv$OFFSET + index * C_LONG_LONG.byteSize());
    }
    public static void resv(MemorySegment struct, long index, long fieldValue) {
        struct.set(C_LONG_LONG, resv$OFFSET + index * C_LONG_LONG.byteSize(), fieldValue);
    }
}
