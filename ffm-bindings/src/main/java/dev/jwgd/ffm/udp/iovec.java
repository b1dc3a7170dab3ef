package dev.jwgd.ffm.udp;

import static dev.jwgd.ffm.C.C_LONG;
import static dev.jwgd.ffm.C.C_POINTER;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * {@snippet lang=c :
 * struct iovec {
 *     void *iov_base;
 *     size_t iov_len;
 * };                  // 16 bytes, align 8
 * }
 */
public final class iovec {
    private iovec() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_POINTER.withName("iov_base"),
            C_LONG.withName("iov_len")).withName("iovec");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return $LAYOUT.byteSize(); }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }
    public static MemorySegment allocateArray(long n, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(n, $LAYOUT));
    }

    private static final long iov_base$OFFSET = $LAYOUT.byteOffset(groupElement("iov_base"));
    private static final long iov_len$OFFSET = $LAYOUT.byteOffset(groupElement("iov_len"));

    public static long iov_base$offset() { return iov_base$OFFSET; }
    public static long iov_len$offset() { return iov_len$OFFSET; }

    public static MemorySegment iov_base(MemorySegment s) { return s.get(C_POINTER, iov_base$OFFSET); }
    public static void iov_base(MemorySegment s, MemorySegment v) { s.set(C_POINTER, iov_base$OFFSET, v); }
    public static long iov_len(MemorySegment s) { return s.get(C_LONG, iov_len$OFFSET); }
    public static void iov_len(MemorySegment s, long v) { s.set(C_LONG, iov_len$OFFSET, v); }
}
