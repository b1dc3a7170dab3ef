package dev.jwgd.ffm.uring;

import static dev.jwgd.ffm.C.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;

/**
 * Argument and result of {@code io_uring_setup(2)}: the caller sets {@code flags} (and
 * {@code cq_entries} with {@code IORING_SETUP_CQSIZE}); the kernel fills the rest.
 *
 * {@snippet lang=c :
 * struct io_uring_params {
 *     __u32 sq_entries;
 *     __u32 cq_entries;
 *     __u32 flags;
 *     __u32 sq_thread_cpu;
 *     __u32 sq_thread_idle;
 *     __u32 features;
 *     __u32 wq_fd;
 *     __u32 resv[3];
 *     struct io_sqring_offsets sq_off;
 *     struct io_cqring_offsets cq_off;
 * };
 * }
 */
public final class io_uring_params {
    private io_uring_params() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("sq_entries"),
        C_INT.withName("cq_entries"),
        C_INT.withName("flags"),
        C_INT.withName("sq_thread_cpu"),
        C_INT.withName("sq_thread_idle"),
        C_INT.withName("features"),
        C_INT.withName("wq_fd"),
        MemoryLayout.sequenceLayout(3, C_INT).withName("resv"),
        io_sqring_offsets.layout().withName("sq_off"),
        io_cqring_offsets.layout().withName("cq_off")
    ).withName("io_uring_params");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_uring_params). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfInt sq_entries$LAYOUT = (OfInt) $LAYOUT.select(groupElement("sq_entries"));
    /** Byte offset of {@code sq_entries}. */
    public static final long sq_entries$OFFSET = $LAYOUT.byteOffset(groupElement("sq_entries"));
    public static OfInt sq_entries$layout() { return sq_entries$LAYOUT; }
    public static long sq_entries$offset() { return sq_entries$OFFSET; }
    public static int sq_entries(MemorySegment struct) { return struct.get(sq_entries$LAYOUT, sq_entries$OFFSET); }
    public static void sq_entries(MemorySegment struct, int fieldValue) { struct.set(sq_entries$LAYOUT, sq_entries$OFFSET, fieldValue); }

    private static final OfInt cq_entries$LAYOUT = (OfInt) $LAYOUT.select(groupElement("cq_entries"));
    /** Byte offset of {@code cq_entries}. */
    public static final long cq_entries$OFFSET = $LAYOUT.byteOffset(groupElement("cq_entries"));
    public static OfInt cq_entries$layout() { return cq_entries$LAYOUT; }
    public static long cq_entries$offset() { return cq_entries$OFFSET; }
    public static int cq_entries(MemorySegment struct) { return struct.get(cq_entries$LAYOUT, cq_entries$OFFSET); }
    public static void cq_entries(MemorySegment struct, int fieldValue) { struct.set(cq_entries$LAYOUT, cq_entries$OFFSET, fieldValue); }

    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));
    /** Byte offset of {@code flags}. */
    public static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static OfInt flags$layout() { return flags$LAYOUT; }
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

    private static final OfInt sq_thread_cpu$LAYOUT = (OfInt) $LAYOUT.select(groupElement("sq_thread_cpu"));
    /** Byte offset of {@code sq_thread_cpu}. */
    public static final long sq_thread_cpu$OFFSET = $LAYOUT.byteOffset(groupElement("sq_thread_cpu"));
    public static OfInt sq_thread_cpu$layout() { return sq_thread_cpu$LAYOUT; }
    public static long sq_thread_cpu$offset() { return sq_thread_cpu$OFFSET; }
    public static int sq_thread_cpu(MemorySegment struct) { return struct.get(sq_thread_cpu$LAYOUT, sq_thread_cpu$OFFSET); }
    public static void sq_thread_cpu(MemorySegment struct, int fieldValue) { struct.set(sq_thread_cpu$LAYOUT, sq_thread_cpu$OFFSET, fieldValue); }

    private static final OfInt sq_thread_idle$LAYOUT = (OfInt) $LAYOUT.select(groupElement("sq_thread_idle"));
    /** Byte offset of {@code sq_thread_idle}. */
    public static final long sq_thread_idle$OFFSET = $LAYOUT.byteOffset(groupElement("sq_thread_idle"));
    public static OfInt sq_thread_idle$layout() { return sq_thread_idle$LAYOUT; }
    public static long sq_thread_idle$offset() { return sq_thread_idle$OFFSET; }
    public static int sq_thread_idle(MemorySegment struct) { return struct.get(sq_thread_idle$LAYOUT, sq_thread_idle$OFFSET); }
    public static void sq_thread_idle(MemorySegment struct, int fieldValue) { struct.set(sq_thread_idle$LAYOUT, sq_thread_idle$OFFSET, fieldValue); }

    private static final OfInt features$LAYOUT = (OfInt) $LAYOUT.select(groupElement("features"));
    /** Byte offset of {@code features}. */
    public static final long features$OFFSET = $LAYOUT.byteOffset(groupElement("features"));
    public static OfInt features$layout() { return features$LAYOUT; }
    public static long features$offset() { return features$OFFSET; }
    public static int features(MemorySegment struct) { return struct.get(features$LAYOUT, features$OFFSET); }
    public static void features(MemorySegment struct, int fieldValue) { struct.set(features$LAYOUT, features$OFFSET, fieldValue); }

    private static final OfInt wq_fd$LAYOUT = (OfInt) $LAYOUT.select(groupElement("wq_fd"));
    /** Byte offset of {@code wq_fd}. */
    public static final long wq_fd$OFFSET = $LAYOUT.byteOffset(groupElement("wq_fd"));
    public static OfInt wq_fd$layout() { return wq_fd$LAYOUT; }
    public static long wq_fd$offset() { return wq_fd$OFFSET; }
    public static int wq_fd(MemorySegment struct) { return struct.get(wq_fd$LAYOUT, wq_fd$OFFSET); }
    public static void wq_fd(MemorySegment struct, int fieldValue) { struct.set(wq_fd$LAYOUT, wq_fd$OFFSET, fieldValue); }

    /** Byte offset of the array {@code resv[3]}. */
    public static final long resv$OFFSET = $LAYOUT.byteOffset(groupElement("resv"));
    public static long resv$offset() { return resv$OFFSET; }
    public static long resv$dimension() { return 3; }
    public static int resv(MemorySegment struct, long index) {
        return struct.get(C_INT, resv$OFFSET + index * C_INT.byteSize());
    }
    public static void resv(MemorySegment struct, long index, int fieldValue) {
        struct.set(C_INT, resv$OFFSET + index * C_INT.byteSize(), fieldValue);
    }

    /** Byte offset of the nested {@code struct io_sqring_offsets sq_off}. */
    public static final long sq_off$OFFSET = $LAYOUT.byteOffset(groupElement("sq_off"));
    public static long sq_off$offset() { return sq_off$OFFSET; }
    /** A view of the nested {@code sq_off} (allocates a slice: control path only). */
    public static MemorySegment sq_off(MemorySegment struct) { return struct.asSlice(sq_off$OFFSET, io_sqring_offsets.sizeof()); }

    /** Byte offset of the nested {@code struct io_cqring_offsets cq_off}. */
    public static final long cq_off$OFFSET = $LAYOUT.byteOffset(groupElement("cq_off"));
    public static long cq_off$offset() { return cq_off$OFFSET; }
    /** A view of the nested {@code cq_off} (allocates a slice: control path only). */
    public static MemorySegment cq_off(MemorySegment struct) { return struct.asSlice(cq_off$OFFSET, io_cqring_offsets.sizeof()); }
}
