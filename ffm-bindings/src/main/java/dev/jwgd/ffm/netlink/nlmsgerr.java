package dev.jwgd.ffm.netlink;

import static dev.jwgd.ffm.C.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;

/**
 * Payload of an {@code NLMSG_ERROR} message: the acknowledgement or the error of a request.
 *
 * {@snippet lang=c :
 * struct nlmsgerr {
 *     int             error;   // 0 (ack) or -errno
 *     struct nlmsghdr msg;     // the request's header (and more unless NLM_F_CAPPED)
 * };
 * }
 */
public final class nlmsgerr {
    private nlmsgerr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("error"),
        nlmsghdr.layout().withName("msg")
    ).withName("nlmsgerr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct nlmsgerr). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfInt error$LAYOUT = (OfInt) $LAYOUT.select(groupElement("error"));
    /** Byte offset of {@code error}. */
    public static final long error$OFFSET = $LAYOUT.byteOffset(groupElement("error"));
    public static OfInt error$layout() { return error$LAYOUT; }
    public static long error$offset() { return error$OFFSET; }
    public static int error(MemorySegment struct) { return struct.get(error$LAYOUT, error$OFFSET); }
    public static void error(MemorySegment struct, int fieldValue) { struct.set(error$LAYOUT, error$OFFSET, fieldValue); }

    /** Byte offset of the nested {@code struct nlmsghdr msg}. */
    public static final long msg$OFFSET = $LAYOUT.byteOffset(groupElement("msg"));
    public static long msg$offset() { return msg$OFFSET; }
    /** A view of the nested {@code msg} (allocates a slice: control path only). */
    public static MemorySegment msg(MemorySegment struct) { return struct.asSlice(msg$OFFSET, nlmsghdr.sizeof()); }
}
