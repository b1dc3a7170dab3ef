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
 * One slot of a provided buffer ring.
 *
 * {@snippet lang=c :
 * struct io_uring_buf {
 *     __u64 addr;
 *     __u32 len;
 *     __u16 bid;
 *     __u16 resv;       // the ring's tail overlays bufs[0].resv
 * };
 * }
 */
public final class io_uring_buf {
    private io_uring_buf() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("addr"),
        C_INT.withName("len"),
        C_SHORT.withName("bid"),
        C_SHORT.withName("resv")
    ).withName("io_uring_buf");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_uring_buf). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfLong addr$LAYOUT = (OfLong) $LAYOUT.select(groupElement("addr"));
    /** Byte offset of {@code addr}. */
    public static final long addr$OFFSET = $LAYOUT.byteOffset(groupElement("addr"));
    public static OfLong addr$layout() { return addr$LAYOUT; }
    public static long addr$offset() { return addr$OFFSET; }
    public static long addr(MemorySegment struct) { return struct.get(addr$LAYOUT, addr$OFFSET); }
    public static void addr(MemorySegment struct, long fieldValue) { struct.set(addr$LAYOUT, addr$OFFSET, fieldValue); }

    private static final OfInt len$LAYOUT = (OfInt) $LAYOUT.select(groupElement("len"));
    /** Byte offset of {@code len}. */
    public static final long len$OFFSET = $LAYOUT.byteOffset(groupElement("len"));
    public static OfInt len$layout() { return len$LAYOUT; }
    public static long len$offset() { return len$OFFSET; }
    public static int len(MemorySegment struct) { return struct.get(len$LAYOUT, len$OFFSET); }
    public static void len(MemorySegment struct, int fieldValue) { struct.set(len$LAYOUT, len$OFFSET, fieldValue); }

    private static final OfShort bid$LAYOUT = (OfShort) $LAYOUT.select(groupElement("bid"));
    /** Byte offset of {@code bid}. */
    public static final long bid$OFFSET = $LAYOUT.byteOffset(groupElement("bid"));
    public static OfShort bid$layout() { return bid$LAYOUT; }
    public static long bid$offset() { return bid$OFFSET; }
    public static short bid(MemorySegment struct) { return struct.get(bid$LAYOUT, bid$OFFSET); }
    public static void bid(MemorySegment struct, short fieldValue) { struct.set(bid$LAYOUT, bid$OFFSET, fieldValue); }

    private static final OfShort resv$LAYOUT = (OfShort) $LAYOUT.select(groupElement("resv"));
    /** Byte offset of {@code resv}. */
    public static final long resv$OFFSET = $LAYOUT.byteOffset(groupElement("resv"));
    public static OfShort resv$layout() { return resv$LAYOUT; }
    public static long resv$offset() { return resv$OFFSET; }
    public static short resv(MemorySegment struct) { return struct.get(resv$LAYOUT, resv$OFFSET); }
    public static void resv(MemorySegment struct, short fieldValue) { struct.set(resv$LAYOUT, resv$OFFSET, fieldValue); }
}
