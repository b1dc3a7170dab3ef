package dev.jwgd.ffm.uring;

import static dev.jwgd.ffm.C.C_CHAR;
import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfShort;

/**
 * Result of {@code IORING_REGISTER_PROBE}; {@code ops[i]} ({@link io_uring_probe_op}) follow at 16 + 8*i.
 *
 * {@snippet lang=c :
 * struct io_uring_probe {
 *     __u8 last_op;
 *     __u8 ops_len;
 *     __u16 resv;
 *     __u32 resv2[3];
 *     struct io_uring_probe_op ops[];
 * };
 * }
 */
public final class io_uring_probe {
    private io_uring_probe() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("last_op"),
        C_CHAR.withName("ops_len"),
        C_SHORT.withName("resv"),
        MemoryLayout.sequenceLayout(3, C_INT).withName("resv2")
    ).withName("io_uring_probe");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_uring_probe). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfByte last_op$LAYOUT = (OfByte) $LAYOUT.select(groupElement("last_op"));
    /** Byte offset of {@code last_op}. */
    public static final long last_op$OFFSET = $LAYOUT.byteOffset(groupElement("last_op"));
    public static OfByte last_op$layout() { return last_op$LAYOUT; }
    public static long last_op$offset() { return last_op$OFFSET; }
    public static byte last_op(MemorySegment struct) { return struct.get(last_op$LAYOUT, last_op$OFFSET); }
    public static void last_op(MemorySegment struct, byte fieldValue) { struct.set(last_op$LAYOUT, last_op$OFFSET, fieldValue); }

    private static final OfByte ops_len$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ops_len"));
    /** Byte offset of {@code ops_len}. */
    public static final long ops_len$OFFSET = $LAYOUT.byteOffset(groupElement("ops_len"));
    public static OfByte ops_len$layout() { return ops_len$LAYOUT; }
    public static long ops_len$offset() { return ops_len$OFFSET; }
    public static byte ops_len(MemorySegment struct) { return struct.get(ops_len$LAYOUT, ops_len$OFFSET); }
    public static void ops_len(MemorySegment struct, byte fieldValue) { struct.set(ops_len$LAYOUT, ops_len$OFFSET, fieldValue); }

    private static final OfShort resv$LAYOUT = (OfShort) $LAYOUT.select(groupElement("resv"));
    /** Byte offset of {@code resv}. */
    public static final long resv$OFFSET = $LAYOUT.byteOffset(groupElement("resv"));
    public static OfShort resv$layout() { return resv$LAYOUT; }
    public static long resv$offset() { return resv$OFFSET; }
    public static short resv(MemorySegment struct) { return struct.get(resv$LAYOUT, resv$OFFSET); }
    public static void resv(MemorySegment struct, short fieldValue) { struct.set(resv$LAYOUT, resv$OFFSET, fieldValue); }

    /** Byte offset of the array {@code resv2[3]}. */
    public static final long resv2$OFFSET = $LAYOUT.byteOffset(groupElement("resv2"));
    public static long resv2$offset() { return resv2$OFFSET; }
    public static long resv2$dimension() { return 3; }
    public static int resv2(MemorySegment struct, long index) {
        return struct.get(C_INT, resv2$OFFSET + index * C_INT.byteSize());
    }
    public static void resv2(MemorySegment struct, long index, int fieldValue) {
        struct.set(C_INT, resv2$OFFSET + index * C_INT.byteSize(), fieldValue);
    }
}
