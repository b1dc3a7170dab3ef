package dev.jwgd.ffm.uring;

import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_LONG_LONG;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;

/**
 * Where the submission-queue fields sit inside the SQ ring mapping ({@code <linux/io_uring.h>}).
 * The kernel fills it in {@code io_uring_params.sq_off} at setup; always take ring offsets from there.
 *
 * {@snippet lang=c :
 * struct io_sqring_offsets {
 *     __u32 head;
 *     __u32 tail;
 *     __u32 ring_mask;
 *     __u32 ring_entries;
 *     __u32 flags;
 *     __u32 dropped;
 *     __u32 array;
 *     __u32 resv1;
 *     __u64 resv2;      // user_addr since 6.5 (IORING_SETUP_NO_MMAP)
 * };
 * }
 */
public final class io_sqring_offsets {
    private io_sqring_offsets() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("head"),
        C_INT.withName("tail"),
        C_INT.withName("ring_mask"),
        C_INT.withName("ring_entries"),
        C_INT.withName("flags"),
        C_INT.withName("dropped"),
        C_INT.withName("array"),
        C_INT.withName("resv1"),
        C_LONG_LONG.withName("resv2")
    ).withName("io_sqring_offsets");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_sqring_offsets). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfInt head$LAYOUT = (OfInt) $LAYOUT.select(groupElement("head"));
    /** Byte offset of {@code head}. */
    public static final long head$OFFSET = $LAYOUT.byteOffset(groupElement("head"));
    public static OfInt head$layout() { return head$LAYOUT; }
    public static long head$offset() { return head$OFFSET; }
    public static int head(MemorySegment struct) { return struct.get(head$LAYOUT, head$OFFSET); }
    public static void head(MemorySegment struct, int fieldValue) { struct.set(head$LAYOUT, head$OFFSET, fieldValue); }

    private static final OfInt tail$LAYOUT = (OfInt) $LAYOUT.select(groupElement("tail"));
    /** Byte offset of {@code tail}. */
    public static final long tail$OFFSET = $LAYOUT.byteOffset(groupElement("tail"));
    public static OfInt tail$layout() { return tail$LAYOUT; }
    public static long tail$offset() { return tail$OFFSET; }
    public static int tail(MemorySegment struct) { return struct.get(tail$LAYOUT, tail$OFFSET); }
    public static void tail(MemorySegment struct, int fieldValue) { struct.set(tail$LAYOUT, tail$OFFSET, fieldValue); }

    private static final OfInt ring_mask$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ring_mask"));
    /** Byte offset of {@code ring_mask}. */
    public static final long ring_mask$OFFSET = $LAYOUT.byteOffset(groupElement("ring_mask"));
    public static OfInt ring_mask$layout() { return ring_mask$LAYOUT; }
    public static long ring_mask$offset() { return ring_mask$OFFSET; }
    public static int ring_mask(MemorySegment struct) { return struct.get(ring_mask$LAYOUT, ring_mask$OFFSET); }
    public static void ring_mask(MemorySegment struct, int fieldValue) { struct.set(ring_mask$LAYOUT, ring_mask$OFFSET, fieldValue); }

    private static final OfInt ring_entries$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ring_entries"));
    /** Byte offset of {@code ring_entries}. */
    public static final long ring_entries$OFFSET = $LAYOUT.byteOffset(groupElement("ring_entries"));
    public static OfInt ring_entries$layout() { return ring_entries$LAYOUT; }
    public static long ring_entries$offset() { return ring_entries$OFFSET; }
    public static int ring_entries(MemorySegment struct) { return struct.get(ring_entries$LAYOUT, ring_entries$OFFSET); }
    public static void ring_entries(MemorySegment struct, int fieldValue) { struct.set(ring_entries$LAYOUT, ring_entries$OFFSET, fieldValue); }

    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));
    /** Byte offset of {@code flags}. */
    public static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static OfInt flags$layout() { return flags$LAYOUT; }
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

    private static final OfInt dropped$LAYOUT = (OfInt) $LAYOUT.select(groupElement("dropped"));
    /** Byte offset of {@code dropped}. */
    public static final long dropped$OFFSET = $LAYOUT.byteOffset(groupElement("dropped"));
    public static OfInt dropped$layout() { return dropped$LAYOUT; }
    public static long dropped$offset() { return dropped$OFFSET; }
    public static int dropped(MemorySegment struct) { return struct.get(dropped$LAYOUT, dropped$OFFSET); }
    public static void dropped(MemorySegment struct, int fieldValue) { struct.set(dropped$LAYOUT, dropped$OFFSET, fieldValue); }

    private static final OfInt array$LAYOUT = (OfInt) $LAYOUT.select(groupElement("array"));
    /** Byte offset of {@code array}. */
    public static final long array$OFFSET = $LAYOUT.byteOffset(groupElement("array"));
    public static OfInt array$layout() { return array$LAYOUT; }
    public static long array$offset() { return array$OFFSET; }
    public static int array(MemorySegment struct) { return struct.get(array$LAYOUT, array$OFFSET); }
    public static void array(MemorySegment struct, int fieldValue) { struct.set(array$LAYOUT, array$OFFSET, fieldValue); }

    private static final OfInt resv1$LAYOUT = (OfInt) $LAYOUT.select(groupElement("resv1"));
    /** Byte offset of {@code resv1}. */
    public static final long resv1$OFFSET = $LAYOUT.byteOffset(groupElement("resv1"));
    public static OfInt resv1$layout() { return resv1$LAYOUT; }
    public static long resv1$offset() { return resv1$OFFSET; }
    public static int resv1(MemorySegment struct) { return struct.get(resv1$LAYOUT, resv1$OFFSET); }
    public static void resv1(MemorySegment struct, int fieldValue) { struct.set(resv1$LAYOUT, resv1$OFFSET, fieldValue); }

    private static final OfLong resv2$LAYOUT = (OfLong) $LAYOUT.select(groupElement("resv2"));
    /** Byte offset of {@code resv2}. */
    public static final long resv2$OFFSET = $LAYOUT.byteOffset(groupElement("resv2"));
    public static OfLong resv2$layout() { return resv2$LAYOUT; }
    public static long resv2$offset() { return resv2$OFFSET; }
    public static long resv2(MemorySegment struct) { return struct.get(resv2$LAYOUT, resv2$OFFSET); }
    public static void resv2(MemorySegment struct, long fieldValue) { struct.set(resv2$LAYOUT, resv2$OFFSET, fieldValue); }
}
