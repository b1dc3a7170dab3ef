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
 * Where the completion-queue fields sit inside the ring mapping ({@code <linux/io_uring.h>}).
 * The kernel fills it in {@code io_uring_params.cq_off} at setup.
 *
 * {@snippet lang=c :
 * struct io_cqring_offsets {
 *     __u32 head;
 *     __u32 tail;
 *     __u32 ring_mask;
 *     __u32 ring_entries;
 *     __u32 overflow;
 *     __u32 cqes;
 *     __u32 flags;
 *     __u32 resv1;
 *     __u64 resv2;      // user_addr since 6.5 (IORING_SETUP_NO_MMAP)
 * };
 * }
 */
public final class io_cqring_offsets {
    private io_cqring_offsets() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("head"),
        C_INT.withName("tail"),
        C_INT.withName("ring_mask"),
        C_INT.withName("ring_entries"),
        C_INT.withName("overflow"),
        C_INT.withName("cqes"),
        C_INT.withName("flags"),
        C_INT.withName("resv1"),
        C_LONG_LONG.withName("resv2")
    ).withName("io_cqring_offsets");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_cqring_offsets). */
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

    private static final OfInt overflow$LAYOUT = (OfInt) $LAYOUT.select(groupElement("overflow"));
    /** Byte offset of {@code overflow}. */
    public static final long overflow$OFFSET = $LAYOUT.byteOffset(groupElement("overflow"));
    public static OfInt overflow$layout() { return overflow$LAYOUT; }
    public static long overflow$offset() { return overflow$OFFSET; }
    public static int overflow(MemorySegment struct) { return struct.get(overflow$LAYOUT, overflow$OFFSET); }
    public static void overflow(MemorySegment struct, int fieldValue) { struct.set(overflow$LAYOUT, overflow$OFFSET, fieldValue); }

    private static final OfInt cqes$LAYOUT = (OfInt) $LAYOUT.select(groupElement("cqes"));
    /** Byte offset of {@code cqes}. */
    public static final long cqes$OFFSET = $LAYOUT.byteOffset(groupElement("cqes"));
    public static OfInt cqes$layout() { return cqes$LAYOUT; }
    public static long cqes$offset() { return cqes$OFFSET; }
    public static int cqes(MemorySegment struct) { return struct.get(cqes$LAYOUT, cqes$OFFSET); }
    public static void cqes(MemorySegment struct, int fieldValue) { struct.set(cqes$LAYOUT, cqes$OFFSET, fieldValue); }

    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));
    /** Byte offset of {@code flags}. */
    public static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static OfInt flags$layout() { return flags$LAYOUT; }
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

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
