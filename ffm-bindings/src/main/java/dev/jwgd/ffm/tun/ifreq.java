package dev.jwgd.ffm.tun;

import static dev.jwgd.ffm.C.C_CHAR;
import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_LONG;
import static dev.jwgd.ffm.C.C_POINTER;
import static dev.jwgd.ffm.C.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfShort;
import java.nio.charset.StandardCharsets;

/**
 * {@snippet lang=c :
 * struct ifreq {
 *     char ifr_name[IFNAMSIZ];              // ifrn_name
 *     union {
 *         struct sockaddr ifru_addr, ifru_dstaddr, ifru_broadaddr, ifru_netmask, ifru_hwaddr;
 *         short ifru_flags;                 // #define ifr_flags  ifr_ifru.ifru_flags
 *         int ifru_ivalue;                  // #define ifr_ifindex / ifr_qlen  ifr_ifru.ifru_ivalue
 *         int ifru_mtu;                     // #define ifr_mtu    ifr_ifru.ifru_mtu
 *         struct ifmap ifru_map;            // 24 bytes, holds unsigned longs: aligns the union to 8
 *         char ifru_slave[IFNAMSIZ];
 *         char ifru_newname[IFNAMSIZ];
 *         __caddr_t ifru_data;
 *     } ifr_ifru;
 * };                                        // 40 bytes, align 8
 * }
 * The union members carry their C names; the header's {@code ifr_*} macros become accessors.
 */
public final class ifreq {
    private ifreq() {}

    private static final GroupLayout ifr_ifru$LAYOUT_ = MemoryLayout.unionLayout(
            MemoryLayout.sequenceLayout(16, C_CHAR).withName("ifru_addr"),
            MemoryLayout.sequenceLayout(16, C_CHAR).withName("ifru_hwaddr"),
            C_SHORT.withName("ifru_flags"),
            C_INT.withName("ifru_ivalue"),
            C_INT.withName("ifru_mtu"),
            MemoryLayout.sequenceLayout(3, C_LONG).withName("ifru_map"),
            MemoryLayout.sequenceLayout(16, C_CHAR).withName("ifru_slave"),
            MemoryLayout.sequenceLayout(16, C_CHAR).withName("ifru_newname"),
            C_POINTER.withName("ifru_data")).withName("ifr_ifru");

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, C_CHAR).withName("ifr_name"),
            ifr_ifru$LAYOUT_).withName("ifreq");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return $LAYOUT.byteSize(); }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long ifr_name$OFFSET = $LAYOUT.byteOffset(groupElement("ifr_name"));
    private static final long ifr_ifru$OFFSET = $LAYOUT.byteOffset(groupElement("ifr_ifru"));
    private static final OfShort ifru_flags$LAYOUT = (OfShort) $LAYOUT.select(groupElement("ifr_ifru"), groupElement("ifru_flags"));
    private static final long ifru_flags$OFFSET = $LAYOUT.byteOffset(groupElement("ifr_ifru"), groupElement("ifru_flags"));
    private static final OfInt ifru_ivalue$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ifr_ifru"), groupElement("ifru_ivalue"));
    private static final long ifru_ivalue$OFFSET = $LAYOUT.byteOffset(groupElement("ifr_ifru"), groupElement("ifru_ivalue"));
    private static final OfInt ifru_mtu$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ifr_ifru"), groupElement("ifru_mtu"));
    private static final long ifru_mtu$OFFSET = $LAYOUT.byteOffset(groupElement("ifr_ifru"), groupElement("ifru_mtu"));
    private static final long ifru_data$OFFSET = $LAYOUT.byteOffset(groupElement("ifr_ifru"), groupElement("ifru_data"));
    private static final long ifru_newname$OFFSET = $LAYOUT.byteOffset(groupElement("ifr_ifru"), groupElement("ifru_newname"));

    public static long ifr_name$offset() { return ifr_name$OFFSET; }
    public static long ifr_ifru$offset() { return ifr_ifru$OFFSET; }
    public static long ifr_flags$offset() { return ifru_flags$OFFSET; }
    public static long ifr_ifindex$offset() { return ifru_ivalue$OFFSET; }
    public static long ifr_mtu$offset() { return ifru_mtu$OFFSET; }
    public static long ifr_data$offset() { return ifru_data$OFFSET; }
    public static long ifr_newname$offset() { return ifru_newname$OFFSET; }

    /** The interface name (NUL-terminated within IFNAMSIZ bytes). */
    public static String ifr_name(MemorySegment struct) {
        return struct.asSlice(ifr_name$OFFSET, if_tun_h.IFNAMSIZ).getString(0, StandardCharsets.US_ASCII);
    }

    /**
     * Stores {@code name} NUL-terminated at ifr_name. Throws IllegalArgumentException when it does not
     * fit in IFNAMSIZ-1 bytes or is not ASCII: the kernel would silently truncate instead.
     */
    public static void ifr_name(MemorySegment struct, String name) {
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(name) || name.length() >= if_tun_h.IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be at most " + (if_tun_h.IFNAMSIZ - 1) + " ASCII bytes: '" + name + "'");
        }
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        struct.asSlice(ifr_name$OFFSET, if_tun_h.IFNAMSIZ).fill((byte) 0);
        MemorySegment.copy(b, 0, struct, C_CHAR, ifr_name$OFFSET, b.length);
    }

    public static short ifr_flags(MemorySegment struct) { return struct.get(ifru_flags$LAYOUT, ifru_flags$OFFSET); }
    public static void ifr_flags(MemorySegment struct, short value) { struct.set(ifru_flags$LAYOUT, ifru_flags$OFFSET, value); }
    public static int ifr_ifindex(MemorySegment struct) { return struct.get(ifru_ivalue$LAYOUT, ifru_ivalue$OFFSET); }
    public static void ifr_ifindex(MemorySegment struct, int value) { struct.set(ifru_ivalue$LAYOUT, ifru_ivalue$OFFSET, value); }
    public static int ifr_mtu(MemorySegment struct) { return struct.get(ifru_mtu$LAYOUT, ifru_mtu$OFFSET); }
    public static void ifr_mtu(MemorySegment struct, int value) { struct.set(ifru_mtu$LAYOUT, ifru_mtu$OFFSET, value); }
}
