package dev.jwgd.ffm.udp;

import static dev.jwgd.ffm.C.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

/**
 * {@snippet lang=c :
 * struct in_pktinfo {
 *     int ipi_ifindex;               // interface the datagram came in on / to send through (0 = any)
 *     struct in_addr ipi_spec_dst;   // receive: local address; send: source address to use
 *     struct in_addr ipi_addr;       // receive: header destination address
 * };                                 // 12 bytes, align 4; addresses network order
 * }
 */
public final class in_pktinfo {
    private in_pktinfo() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_INT.withName("ipi_ifindex"),
            sockaddr_in.BE_INT.withName("ipi_spec_dst"),
            sockaddr_in.BE_INT.withName("ipi_addr")).withName("in_pktinfo");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return $LAYOUT.byteSize(); }

    private static final long ipi_ifindex$OFFSET = $LAYOUT.byteOffset(groupElement("ipi_ifindex"));
    private static final long ipi_spec_dst$OFFSET = $LAYOUT.byteOffset(groupElement("ipi_spec_dst"));
    private static final long ipi_addr$OFFSET = $LAYOUT.byteOffset(groupElement("ipi_addr"));

    public static long ipi_ifindex$offset() { return ipi_ifindex$OFFSET; }
    public static long ipi_spec_dst$offset() { return ipi_spec_dst$OFFSET; }
    public static long ipi_addr$offset() { return ipi_addr$OFFSET; }

    public static int ipi_ifindex(MemorySegment s, long at) { return s.get(C_INT, at + ipi_ifindex$OFFSET); }
    public static void ipi_ifindex(MemorySegment s, long at, int v) { s.set(C_INT, at + ipi_ifindex$OFFSET, v); }
    public static int ipi_spec_dst(MemorySegment s, long at) { return s.get(sockaddr_in.BE_INT, at + ipi_spec_dst$OFFSET); }
    public static void ipi_spec_dst(MemorySegment s, long at, int v) { s.set(sockaddr_in.BE_INT, at + ipi_spec_dst$OFFSET, v); }
    public static int ipi_addr(MemorySegment s, long at) { return s.get(sockaddr_in.BE_INT, at + ipi_addr$OFFSET); }
    public static void ipi_addr(MemorySegment s, long at, int v) { s.set(sockaddr_in.BE_INT, at + ipi_addr$OFFSET, v); }
}
