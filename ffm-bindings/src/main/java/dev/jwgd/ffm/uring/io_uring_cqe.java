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
 * One completion queue entry (16 bytes).
 *
 * {@snippet lang=c :
 * struct io_uring_cqe {
 *     __u64 user_data;
 *     __s32 res;        // bytes, or -errno
 *     __u32 flags;      // IORING_CQE_F_*; buffer id in the upper 16 bits with F_BUFFER
 *     __u64 big_cqe[];  // only with IORING_SETUP_CQE32
 * };
 * }
 */
public final class io_uring_cqe {
    private io_uring_cqe() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("user_data"),
        C_INT.withName("res"),
        C_INT.withName("flags")
    ).withName("io_uring_cqe");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_uring_cqe). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfLong user_data$LAYOUT = (OfLong) $LAYOUT.select(groupElement("user_data"));
    /** Byte offset of {@code user_data}. */
    public static final long user_data$OFFSET = $LAYOUT.byteOffset(groupElement("user_data"));
    public static OfLong user_data$layout() { return user_data$LAYOUT; }
    public static long user_data$offset() { return user_data$OFFSET; }
    public static long user_data(MemorySegment struct) { return struct.get(user_data$LAYOUT, user_data$OFFSET); }
    public static void user_data(MemorySegment struct, long fieldValue) { struct.set(user_data$LAYOUT, user_data$OFFSET, fieldValue); }

    private static final OfInt res$LAYOUT = (OfInt) $LAYOUT.select(groupElement("res"));
    /** Byte offset of {@code res}. */
    public static final long res$OFFSET = $LAYOUT.byteOffset(groupElement("res"));
    public static OfInt res$layout() { return res$LAYOUT; }
    public static long res$offset() { return res$OFFSET; }
    public static int res(MemorySegment struct) { return struct.get(res$LAYOUT, res$OFFSET); }
    public static void res(MemorySegment struct, int fieldValue) { struct.set(res$LAYOUT, res$OFFSET, fieldValue); }

    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));
    /** Byte offset of {@code flags}. */
    public static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static OfInt flags$layout() { return flags$LAYOUT; }
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }
}
