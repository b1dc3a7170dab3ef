package dev.jwgd.ffm.uring;

import static dev.jwgd.ffm.C.C_LONG_LONG;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfLong;

/**
 * The 64-bit timespec io_uring takes for timeouts.
 *
 * {@snippet lang=c :
 * struct __kernel_timespec {
 *     __kernel_time64_t tv_sec;
 *     long long         tv_nsec;
 * };
 * }
 */
public final class __kernel_timespec {
    private __kernel_timespec() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("tv_sec"),
        C_LONG_LONG.withName("tv_nsec")
    ).withName("__kernel_timespec");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct __kernel_timespec). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfLong tv_sec$LAYOUT = (OfLong) $LAYOUT.select(groupElement("tv_sec"));
    /** Byte offset of {@code tv_sec}. */
    public static final long tv_sec$OFFSET = $LAYOUT.byteOffset(groupElement("tv_sec"));
    public static OfLong tv_sec$layout() { return tv_sec$LAYOUT; }
    public static long tv_sec$offset() { return tv_sec$OFFSET; }
    public static long tv_sec(MemorySegment struct) { return struct.get(tv_sec$LAYOUT, tv_sec$OFFSET); }
    public static void tv_sec(MemorySegment struct, long fieldValue) { struct.set(tv_sec$LAYOUT, tv_sec$OFFSET, fieldValue); }

    private static final OfLong tv_nsec$LAYOUT = (OfLong) $LAYOUT.select(groupElement("tv_nsec"));
    /** Byte offset of {@code tv_nsec}. */
    public static final long tv_nsec$OFFSET = $LAYOUT.byteOffset(groupElement("tv_nsec"));
    public static OfLong tv_nsec$layout() { return tv_nsec$LAYOUT; }
    public static long tv_nsec$offset() { return tv_nsec$OFFSET; }
    public static long tv_nsec(MemorySegment struct) { return struct.get(tv_nsec$LAYOUT, tv_nsec$OFFSET); }
    public static void tv_nsec(MemorySegment struct, long fieldValue) { struct.set(tv_nsec$LAYOUT, tv_nsec$OFFSET, fieldValue); }
}
