package dev.jwgd.ffm.udp;

import static dev.jwgd.ffm.C.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * {@snippet lang=c :
 * struct mmsghdr {
 *     struct msghdr msg_hdr;
 *     unsigned int msg_len;   // bytes sent or received for this entry
 * };                          // 64 bytes, align 8
 * }
 */
public final class mmsghdr {
    private mmsghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            msghdr.layout().withName("msg_hdr"),
            C_INT.withName("msg_len"),
            MemoryLayout.paddingLayout(4)).withName("mmsghdr");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return $LAYOUT.byteSize(); }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }
    public static MemorySegment allocateArray(long n, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(n, $LAYOUT));
    }

    private static final long msg_hdr$OFFSET = $LAYOUT.byteOffset(groupElement("msg_hdr"));
    private static final long msg_len$OFFSET = $LAYOUT.byteOffset(groupElement("msg_len"));

    public static long msg_hdr$offset() { return msg_hdr$OFFSET; }
    public static long msg_len$offset() { return msg_len$OFFSET; }

    public static int msg_len(MemorySegment s) { return s.get(C_INT, msg_len$OFFSET); }
    public static void msg_len(MemorySegment s, int v) { s.set(C_INT, msg_len$OFFSET, v); }
}
