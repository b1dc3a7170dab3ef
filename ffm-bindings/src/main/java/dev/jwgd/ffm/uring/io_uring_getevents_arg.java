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
 * Argument of {@code io_uring_enter(2)} with {@code IORING_ENTER_EXT_ARG}: a wait with a timeout.
 *
 * {@snippet lang=c :
 * struct io_uring_getevents_arg {
 *     __u64 sigmask;
 *     __u32 sigmask_sz;
 *     __u32 pad;        // min_wait_usec since 6.12
 *     __u64 ts;         // struct __kernel_timespec *
 * };
 * }
 */
public final class io_uring_getevents_arg {
    private io_uring_getevents_arg() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("sigmask"),
        C_INT.withName("sigmask_sz"),
        C_INT.withName("pad"),
        C_LONG_LONG.withName("ts")
    ).withName("io_uring_getevents_arg");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_uring_getevents_arg). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfLong sigmask$LAYOUT = (OfLong) $LAYOUT.select(groupElement("sigmask"));
    /** Byte offset of {@code sigmask}. */
    public static final long sigmask$OFFSET = $LAYOUT.byteOffset(groupElement("sigmask"));
    public static OfLong sigmask$layout() { return sigmask$LAYOUT; }
    public static long sigmask$offset() { return sigmask$OFFSET; }
    public static long sigmask(MemorySegment struct) { return struct.get(sigmask$LAYOUT, sigmask$OFFSET); }
    public static void sigmask(MemorySegment struct, long fieldValue) { struct.set(sigmask$LAYOUT, sigmask$OFFSET, fieldValue); }

    private static final OfInt sigmask_sz$LAYOUT = (OfInt) $LAYOUT.select(groupElement("sigmask_sz"));
    /** Byte offset of {@code sigmask_sz}. */
    public static final long sigmask_sz$OFFSET = $LAYOUT.byteOffset(groupElement("sigmask_sz"));
    public static OfInt sigmask_sz$layout() { return sigmask_sz$LAYOUT; }
    public static long sigmask_sz$offset() { return sigmask_sz$OFFSET; }
    public static int sigmask_sz(MemorySegment struct) { return struct.get(sigmask_sz$LAYOUT, sigmask_sz$OFFSET); }
    public static void sigmask_sz(MemorySegment struct, int fieldValue) { struct.set(sigmask_sz$LAYOUT, sigmask_sz$OFFSET, fieldValue); }

    private static final OfInt pad$LAYOUT = (OfInt) $LAYOUT.select(groupElement("pad"));
    /** Byte offset of {@code pad}. */
    public static final long pad$OFFSET = $LAYOUT.byteOffset(groupElement("pad"));
    public static OfInt pad$layout() { return pad$LAYOUT; }
    public static long pad$offset() { return pad$OFFSET; }
    public static int pad(MemorySegment struct) { return struct.get(pad$LAYOUT, pad$OFFSET); }
    public static void pad(MemorySegment struct, int fieldValue) { struct.set(pad$LAYOUT, pad$OFFSET, fieldValue); }

    private static final OfLong ts$LAYOUT = (OfLong) $LAYOUT.select(groupElement("ts"));
    /** Byte offset of {@code ts}. */
    public static final long ts$OFFSET = $LAYOUT.byteOffset(groupElement("ts"));
    public static OfLong ts$layout() { return ts$LAYOUT; }
    public static long ts$offset() { return ts$OFFSET; }
    public static long ts(MemorySegment struct) { return struct.get(ts$LAYOUT, ts$OFFSET); }
    public static void ts(MemorySegment struct, long fieldValue) { struct.set(ts$LAYOUT, ts$OFFSET, fieldValue); }
}
