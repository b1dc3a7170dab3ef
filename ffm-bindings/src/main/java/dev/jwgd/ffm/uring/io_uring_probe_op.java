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
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfShort;

/**
 * One opcode entry of {@link io_uring_probe}.
 *
 * {@snippet lang=c :
 * struct io_uring_probe_op {
 *     __u8 op;
 *     __u8 resv;
 *     __u16 flags;      // IO_URING_OP_SUPPORTED
 *     __u32 resv2;
 * };
 * }
 */
public final class io_uring_probe_op {
    private io_uring_probe_op() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("op"),
        C_CHAR.withName("resv"),
        C_SHORT.withName("flags"),
        C_INT.withName("resv2")
    ).withName("io_uring_probe_op");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_uring_probe_op). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfByte op$LAYOUT = (OfByte) $LAYOUT.select(groupElement("op"));
    /** Byte offset of {@code op}. */
    public static final long op$OFFSET = $LAYOUT.byteOffset(groupElement("op"));
    public static OfByte op$layout() { return op$LAYOUT; }
    public static long op$offset() { return op$OFFSET; }
    public static byte op(MemorySegment struct) { return struct.get(op$LAYOUT, op$OFFSET); }
    public static void op(MemorySegment struct, byte fieldValue) { struct.set(op$LAYOUT, op$OFFSET, fieldValue); }

    private static final OfByte resv$LAYOUT = (OfByte) $LAYOUT.select(groupElement("resv"));
    /** Byte offset of {@code resv}. */
    public static final long resv$OFFSET = $LAYOUT.byteOffset(groupElement("resv"));
    public static OfByte resv$layout() { return resv$LAYOUT; }
    public static long resv$offset() { return resv$OFFSET; }
    public static byte resv(MemorySegment struct) { return struct.get(resv$LAYOUT, resv$OFFSET); }
    public static void resv(MemorySegment struct, byte fieldValue) { struct.set(resv$LAYOUT, resv$OFFSET, fieldValue); }

    private static final OfShort flags$LAYOUT = (OfShort) $LAYOUT.select(groupElement("flags"));
    /** Byte offset of {@code flags}. */
    public static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static OfShort flags$layout() { return flags$LAYOUT; }
    public static long flags$offset() { return flags$OFFSET; }
    public static short flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, short fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

    private static final OfInt resv2$LAYOUT = (OfInt) $LAYOUT.select(groupElement("resv2"));
    /** Byte offset of {@code resv2}. */
    public static final long resv2$OFFSET = $LAYOUT.byteOffset(groupElement("resv2"));
    public static OfInt resv2$layout() { return resv2$LAYOUT; }
    public static long resv2$offset() { return resv2$OFFSET; }
    public static int resv2(MemorySegment struct) { return struct.get(resv2$LAYOUT, resv2$OFFSET); }
    public static void resv2(MemorySegment struct, int fieldValue) { struct.set(resv2$LAYOUT, resv2$OFFSET, fieldValue); }
}
