package dev.jwgd.ffm.udp;

import static dev.jwgd.ffm.C.C_CHAR;
import static dev.jwgd.ffm.C.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

/**
 * {@snippet lang=c :
 * struct in6_pktinfo {
 *     struct in6_addr ipi6_addr;   // receive: destination (local) address; send: source to use
 *     int ipi6_ifindex;            // needed for link-local sources
 * };                               // 20 bytes, align 4
 * }
 * The address is two big-endian longs, as in {@link sockaddr_in6}.
 */
public final class in6_pktinfo {
    private in6_pktinfo() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, C_CHAR).withName("ipi6_addr"),
            C_INT.withName("ipi6_ifindex")).withName("in6_pktinfo");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return $LAYOUT.byteSize(); }

    private static final long ipi6_addr$OFFSET = $LAYOUT.byteOffset(groupElement("ipi6_addr"));
    private static final long ipi6_ifindex$OFFSET = $LAYOUT.byteOffset(groupElement("ipi6_ifindex"));

    public static long ipi6_addr$offset() { return ipi6_addr$OFFSET; }
    public static long ipi6_ifindex$offset() { return ipi6_ifindex$OFFSET; }

    public static long ipi6_addr_hi(MemorySegment s, long at) { return s.get(sockaddr_in6.BE_LONG, at + ipi6_addr$OFFSET); }
    public static long ipi6_addr_lo(MemorySegment s, long at) { return s.get(sockaddr_in6.BE_LONG, at + ipi6_addr$OFFSET + 8); }
    public static void ipi6_addr(MemorySegment s, long at, long hi, long lo) {
        s.set(sockaddr_in6.BE_LONG, at + ipi6_addr$OFFSET, hi);
        s.set(sockaddr_in6.BE_LONG, at + ipi6_addr$OFFSET + 8, lo);
    }
    public static int ipi6_ifindex(MemorySegment s, long at) { return s.get(C_INT, at + ipi6_ifindex$OFFSET); }
    public static void ipi6_ifindex(MemorySegment s, long at, int v) { s.set(C_INT, at + ipi6_ifindex$OFFSET, v); }
}
