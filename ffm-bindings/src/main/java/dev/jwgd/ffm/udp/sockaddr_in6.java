package dev.jwgd.ffm.udp;

import static dev.jwgd.ffm.C.C_CHAR;
import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@snippet lang=c :
 * struct sockaddr_in6 {
 *     sa_family_t sin6_family;   // AF_INET6, host order
 *     in_port_t sin6_port;       // network order
 *     uint32_t sin6_flowinfo;    // network order
 *     struct in6_addr sin6_addr; // 16 bytes, network order
 *     uint32_t sin6_scope_id;    // host order
 * };                             // 28 bytes, align 4
 * }
 * The address is read and written as two big-endian longs (high and low 64 bits), so
 * {@code 2001:db8::1} is {@code (0x20010db800000000L, 1L)} and an IPv4-mapped address is
 * {@code (0, 0x0000ffff00000000L | ipv4)}.
 */
public final class sockaddr_in6 {
    private sockaddr_in6() {}

    static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_SHORT.withName("sin6_family"),
            sockaddr_in.BE_SHORT.withName("sin6_port"),
            sockaddr_in.BE_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, C_CHAR).withName("sin6_addr"),
            C_INT.withName("sin6_scope_id")).withName("sockaddr_in6");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return $LAYOUT.byteSize(); }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long sin6_family$OFFSET = $LAYOUT.byteOffset(groupElement("sin6_family"));
    private static final long sin6_port$OFFSET = $LAYOUT.byteOffset(groupElement("sin6_port"));
    private static final long sin6_flowinfo$OFFSET = $LAYOUT.byteOffset(groupElement("sin6_flowinfo"));
    private static final long sin6_addr$OFFSET = $LAYOUT.byteOffset(groupElement("sin6_addr"));
    private static final long sin6_scope_id$OFFSET = $LAYOUT.byteOffset(groupElement("sin6_scope_id"));

    public static long sin6_family$offset() { return sin6_family$OFFSET; }
    public static long sin6_port$offset() { return sin6_port$OFFSET; }
    public static long sin6_flowinfo$offset() { return sin6_flowinfo$OFFSET; }
    public static long sin6_addr$offset() { return sin6_addr$OFFSET; }
    public static long sin6_scope_id$offset() { return sin6_scope_id$OFFSET; }

    public static short sin6_family(MemorySegment s) { return s.get(C_SHORT, sin6_family$OFFSET); }
    public static void sin6_family(MemorySegment s, short v) { s.set(C_SHORT, sin6_family$OFFSET, v); }
    public static int sin6_port(MemorySegment s) { return Short.toUnsignedInt(s.get(sockaddr_in.BE_SHORT, sin6_port$OFFSET)); }
    public static void sin6_port(MemorySegment s, int port) { s.set(sockaddr_in.BE_SHORT, sin6_port$OFFSET, (short) port); }
    public static int sin6_flowinfo(MemorySegment s) { return s.get(sockaddr_in.BE_INT, sin6_flowinfo$OFFSET); }
    public static void sin6_flowinfo(MemorySegment s, int v) { s.set(sockaddr_in.BE_INT, sin6_flowinfo$OFFSET, v); }
    /** High 64 bits of sin6_addr. */
    public static long sin6_addr_hi(MemorySegment s) { return s.get(BE_LONG, sin6_addr$OFFSET); }
    /** Low 64 bits of sin6_addr. */
    public static long sin6_addr_lo(MemorySegment s) { return s.get(BE_LONG, sin6_addr$OFFSET + 8); }
    public static void sin6_addr(MemorySegment s, long hi, long lo) {
        s.set(BE_LONG, sin6_addr$OFFSET, hi);
        s.set(BE_LONG, sin6_addr$OFFSET + 8, lo);
    }
    public static int sin6_scope_id(MemorySegment s) { return s.get(C_INT, sin6_scope_id$OFFSET); }
    public static void sin6_scope_id(MemorySegment s, int v) { s.set(C_INT, sin6_scope_id$OFFSET, v); }
}
