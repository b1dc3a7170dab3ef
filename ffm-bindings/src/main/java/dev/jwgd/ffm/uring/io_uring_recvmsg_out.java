package dev.jwgd.ffm.uring;

import static dev.jwgd.ffm.C.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;

/**
 * Header the kernel writes at the start of each provided buffer filled by a multishot RECVMSG, followed by
 * the name ({@code msg_namelen} of the template bytes), the control data ({@code msg_controllen} bytes)
 * and the payload.
 *
 * {@snippet lang=c :
 * struct io_uring_recvmsg_out {
 *     __u32 namelen;
 *     __u32 controllen;
 *     __u32 payloadlen;
 *     __u32 flags;
 * };
 * }
 */
public final class io_uring_recvmsg_out {
    private io_uring_recvmsg_out() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("namelen"),
        C_INT.withName("controllen"),
        C_INT.withName("payloadlen"),
        C_INT.withName("flags")
    ).withName("io_uring_recvmsg_out");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_uring_recvmsg_out). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfInt namelen$LAYOUT = (OfInt) $LAYOUT.select(groupElement("namelen"));
    /** Byte offset of {@code namelen}. */
    public static final long namelen$OFFSET = $LAYOUT.byteOffset(groupElement("namelen"));
    public static OfInt namelen$layout() { return namelen$LAYOUT; }
    public static long namelen$offset() { return namelen$OFFSET; }
    public static int namelen(MemorySegment struct) { return struct.get(namelen$LAYOUT, namelen$OFFSET); }
    public static void namelen(MemorySegment struct, int fieldValue) { struct.set(namelen$LAYOUT, namelen$OFFSET, fieldValue); }

    private static final OfInt controllen$LAYOUT = (OfInt) $LAYOUT.select(groupElement("controllen"));
    /** Byte offset of {@code controllen}. */
    public static final long controllen$OFFSET = $LAYOUT.byteOffset(groupElement("controllen"));
    public static OfInt controllen$layout() { return controllen$LAYOUT; }
    public static long controllen$offset() { return controllen$OFFSET; }
    public static int controllen(MemorySegment struct) { return struct.get(controllen$LAYOUT, controllen$OFFSET); }
    public static void controllen(MemorySegment struct, int fieldValue) { struct.set(controllen$LAYOUT, controllen$OFFSET, fieldValue); }

    private static final OfInt payloadlen$LAYOUT = (OfInt) $LAYOUT.select(groupElement("payloadlen"));
    /** Byte offset of {@code payloadlen}. */
    public static final long payloadlen$OFFSET = $LAYOUT.byteOffset(groupElement("payloadlen"));
    public static OfInt payloadlen$layout() { return payloadlen$LAYOUT; }
    public static long payloadlen$offset() { return payloadlen$OFFSET; }
    public static int payloadlen(MemorySegment struct) { return struct.get(payloadlen$LAYOUT, payloadlen$OFFSET); }
    public static void payloadlen(MemorySegment struct, int fieldValue) { struct.set(payloadlen$LAYOUT, payloadlen$OFFSET, fieldValue); }

    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));
    /** Byte offset of {@code flags}. */
    public static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static OfInt flags$layout() { return flags$LAYOUT; }
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }
}
