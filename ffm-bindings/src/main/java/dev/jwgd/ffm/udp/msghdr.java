package dev.jwgd.ffm.udp;

import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_LONG;
import static dev.jwgd.ffm.C.C_POINTER;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * {@snippet lang=c :
 * struct msghdr {
 *     void *msg_name;          // sockaddr: destination on send, source on receive
 *     socklen_t msg_namelen;   // in/out: capacity before every receive
 *     struct iovec *msg_iov;
 *     size_t msg_iovlen;
 *     void *msg_control;       // cmsghdr buffer
 *     size_t msg_controllen;   // in/out: capacity before every receive
 *     int msg_flags;           // MSG_TRUNC / MSG_CTRUNC on receive
 * };                           // 56 bytes, align 8 (padding after msg_namelen and msg_flags)
 * }
 */
public final class msghdr {
    private msghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_POINTER.withName("msg_name"),
            C_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            C_POINTER.withName("msg_iov"),
            C_LONG.withName("msg_iovlen"),
            C_POINTER.withName("msg_control"),
            C_LONG.withName("msg_controllen"),
            C_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4)).withName("msghdr");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return $LAYOUT.byteSize(); }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long msg_name$OFFSET = $LAYOUT.byteOffset(groupElement("msg_name"));
    private static final long msg_namelen$OFFSET = $LAYOUT.byteOffset(groupElement("msg_namelen"));
    private static final long msg_iov$OFFSET = $LAYOUT.byteOffset(groupElement("msg_iov"));
    private static final long msg_iovlen$OFFSET = $LAYOUT.byteOffset(groupElement("msg_iovlen"));
    private static final long msg_control$OFFSET = $LAYOUT.byteOffset(groupElement("msg_control"));
    private static final long msg_controllen$OFFSET = $LAYOUT.byteOffset(groupElement("msg_controllen"));
    private static final long msg_flags$OFFSET = $LAYOUT.byteOffset(groupElement("msg_flags"));

    public static long msg_name$offset() { return msg_name$OFFSET; }
    public static long msg_namelen$offset() { return msg_namelen$OFFSET; }
    public static long msg_iov$offset() { return msg_iov$OFFSET; }
    public static long msg_iovlen$offset() { return msg_iovlen$OFFSET; }
    public static long msg_control$offset() { return msg_control$OFFSET; }
    public static long msg_controllen$offset() { return msg_controllen$OFFSET; }
    public static long msg_flags$offset() { return msg_flags$OFFSET; }

    public static MemorySegment msg_name(MemorySegment s) { return s.get(C_POINTER, msg_name$OFFSET); }
    public static void msg_name(MemorySegment s, MemorySegment v) { s.set(C_POINTER, msg_name$OFFSET, v); }
    public static int msg_namelen(MemorySegment s) { return s.get(C_INT, msg_namelen$OFFSET); }
    public static void msg_namelen(MemorySegment s, int v) { s.set(C_INT, msg_namelen$OFFSET, v); }
    public static MemorySegment msg_iov(MemorySegment s) { return s.get(C_POINTER, msg_iov$OFFSET); }
    public static void msg_iov(MemorySegment s, MemorySegment v) { s.set(C_POINTER, msg_iov$OFFSET, v); }
    public static long msg_iovlen(MemorySegment s) { return s.get(C_LONG, msg_iovlen$OFFSET); }
    public static void msg_iovlen(MemorySegment s, long v) { s.set(C_LONG, msg_iovlen$OFFSET, v); }
    public static MemorySegment msg_control(MemorySegment s) { return s.get(C_POINTER, msg_control$OFFSET); }
    public static void msg_control(MemorySegment s, MemorySegment v) { s.set(C_POINTER, msg_control$OFFSET, v); }
    public static long msg_controllen(MemorySegment s) { return s.get(C_LONG, msg_controllen$OFFSET); }
    public static void msg_controllen(MemorySegment s, long v) { s.set(C_LONG, msg_controllen$OFFSET, v); }
    public static int msg_flags(MemorySegment s) { return s.get(C_INT, msg_flags$OFFSET); }
    public static void msg_flags(MemorySegment s, int v) { s.set(C_INT, msg_flags$OFFSET, v); }
}
