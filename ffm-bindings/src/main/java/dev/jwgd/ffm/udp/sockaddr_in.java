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
 * struct sockaddr_in {
 *     sa_family_t sin_family;   // AF_INET, host order
 *     in_port_t sin_port;       // network order
 *     struct in_addr sin_addr;  // { in_addr_t s_addr; } network order
 *     unsigned char sin_zero[8];
 * };                            // 16 bytes, align 4
 * }
 * The port and address layouts are big-endian, so the accessors give numbers: port 51820,
 * address 0xC0000201 for 192.0.2.1.
 */
public final class sockaddr_in {
    private sockaddr_in() {}

    static final ValueLayout.OfShort BE_SHORT = C_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE_INT = C_INT.withOrder(ByteOrder.BIG_ENDIAN);

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_SHORT.withName("sin_family"),
            BE_SHORT.withName("sin_port"),
            BE_INT.withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, C_CHAR).withName("sin_zero")).withName("sockaddr_in");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return $LAYOUT.byteSize(); }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long sin_family$OFFSET = $LAYOUT.byteOffset(groupElement("sin_family"));
    private static final long sin_port$OFFSET = $LAYOUT.byteOffset(groupElement("sin_port"));
    private static final long sin_addr$OFFSET = $LAYOUT.byteOffset(groupElement("sin_addr"));
    private static final long sin_zero$OFFSET = $LAYOUT.byteOffset(groupElement("sin_zero"));

    public static long sin_family$offset() { return sin_family$OFFSET; }
    public static long sin_port$offset() { return sin_port$OFFSET; }
    public static long sin_addr$offset() { return sin_addr$OFFSET; }
    public static long sin_zero$offset() { return sin_zero$OFFSET; }

    public static short sin_family(MemorySegment s) { return s.get(C_SHORT, sin_family$OFFSET); }
    public static void sin_family(MemorySegment s, short v) { s.set(C_SHORT, sin_family$OFFSET, v); }
    /** The port as a number 0..65535. */
    public static int sin_port(MemorySegment s) { return Short.toUnsignedInt(s.get(BE_SHORT, sin_port$OFFSET)); }
    public static void sin_port(MemorySegment s, int port) { s.set(BE_SHORT, sin_port$OFFSET, (short) port); }
    /** The IPv4 address as a number, most significant byte first on the wire. */
    public static int sin_addr(MemorySegment s) { return s.get(BE_INT, sin_addr$OFFSET); }
    public static void sin_addr(MemorySegment s, int address) { s.set(BE_INT, sin_addr$OFFSET, address); }
}
