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
 * Head of a provided buffer ring: the 16-bit {@code tail} shares bytes 14..15 with {@code bufs[0].resv};
 * the application publishes new buffers with a release store to it.
 *
 * {@snippet lang=c :
 * struct io_uring_buf_ring {
 *     union {
 *         struct { __u64 resv1; __u32 resv2; __u16 resv3; __u16 tail; };
 *         struct io_uring_buf bufs[0];
 *     };
 * };
 * }
 */
public final class io_uring_buf_ring {
    private io_uring_buf_ring() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("resv1"),
        C_INT.withName("resv2"),
        C_SHORT.withName("resv3"),
        C_SHORT.withName("tail")
    ).withName("io_uring_buf_ring");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_uring_buf_ring). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfLong resv1$LAYOUT = (OfLong) $LAYOUT.select(groupElement("resv1"));
    /** Byte offset of {@code resv1}. */
    public static final long resv1$OFFSET = $LAYOUT.byteOffset(groupElement("resv1"));
    public static OfLong resv1$layout() { return resv1$LAYOUT; }
    public static long resv1$offset() { return resv1$OFFSET; }
    public static long resv1(MemorySegment struct) { return struct.get(resv1$LAYOUT, resv1$OFFSET); }
    public static void resv1(MemorySegment struct, long fieldValue) { struct.set(resv1$LAYOUT, resv1$OFFSET, fieldValue); }

    private static final OfInt resv2$LAYOUT = (OfInt) $LAYOUT.select(groupElement("resv2"));
    /** Byte offset of {@code resv2}. */
    public static final long resv2$OFFSET = $LAYOUT.byteOffset(groupElement("resv2"));
    public static OfInt resv2$layout() { return resv2$LAYOUT; }
    public static long resv2$offset() { return resv2$OFFSET; }
    public static int resv2(MemorySegment struct) { return struct.get(resv2$LAYOUT, resv2$OFFSET); }
    public static void resv2(MemorySegment struct, int fieldValue) { struct.set(resv2$LAYOUT, resv2$OFFSET, fieldValue); }

    private static final OfShort resv3$LAYOUT = (OfShort) $LAYOUT.select(groupElement("resv3"));
    /** Byte offset of {@code resv3}. */
    public static final long resv3$OFFSET = $LAYOUT.byteOffset(groupElement("resv3"));
    public static OfShort resv3$layout() { return resv3$LAYOUT; }
    public static long resv3$offset() { return resv3$OFFSET; }
    public static short resv3(MemorySegment struct) { return struct.get(resv3$LAYOUT, resv3$OFFSET); }
    public static void resv3(MemorySegment struct, short fieldValue) { struct.set(resv3$LAYOUT, resv3$OFFSET, fieldValue); }

    private static final OfShort tail$LAYOUT = (OfShort) $LAYOUT.select(groupElement("tail"));
    /** Byte offset of {@code tail}. */
    public static final long tail$OFFSET = $LAYOUT.byteOffset(groupElement("tail"));
    public static OfShort tail$layout() { return tail$LAYOUT; }
    public static long tail$offset() { return tail$OFFSET; }
    public static short tail(MemorySegment struct) { return struct.get(tail$LAYOUT, tail$OFFSET); }
    public static void tail(MemorySegment struct, short fieldValue) { struct.set(tail$LAYOUT, tail$OFFSET, fieldValue); }
}
