package dev.jwgd.ffm.tun;

import static dev.jwgd.ffm.C.C_CHAR;
import static dev.jwgd.ffm.C.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * {@snippet lang=c :
 * struct virtio_net_hdr {
 *     __u8 flags;          // VIRTIO_NET_HDR_F_*
 *     __u8 gso_type;       // VIRTIO_NET_HDR_GSO_*
 *     __virtio16 hdr_len;  // IP + L4 header length; do not trust it on read (linux-ffm.md 1.2)
 *     __virtio16 gso_size; // payload bytes per segment
 *     __virtio16 csum_start;
 *     __virtio16 csum_offset;
 * };                       // 10 bytes, align 2; fields in host order (little-endian) for TUN on x86
 * }
 * The {@code (MemorySegment, long offset)} accessors read a header at an offset inside a larger
 * packet buffer without slicing, for the data path; the u16 fields come back as unsigned ints.
 */
public final class virtio_net_hdr {
    private virtio_net_hdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_CHAR.withName("flags"),
            C_CHAR.withName("gso_type"),
            C_SHORT.withName("hdr_len"),
            C_SHORT.withName("gso_size"),
            C_SHORT.withName("csum_start"),
            C_SHORT.withName("csum_offset")).withName("virtio_net_hdr");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return $LAYOUT.byteSize(); }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    private static final long gso_type$OFFSET = $LAYOUT.byteOffset(groupElement("gso_type"));
    private static final long hdr_len$OFFSET = $LAYOUT.byteOffset(groupElement("hdr_len"));
    private static final long gso_size$OFFSET = $LAYOUT.byteOffset(groupElement("gso_size"));
    private static final long csum_start$OFFSET = $LAYOUT.byteOffset(groupElement("csum_start"));
    private static final long csum_offset$OFFSET = $LAYOUT.byteOffset(groupElement("csum_offset"));

    public static long flags$offset() { return flags$OFFSET; }
    public static long gso_type$offset() { return gso_type$OFFSET; }
    public static long hdr_len$offset() { return hdr_len$OFFSET; }
    public static long gso_size$offset() { return gso_size$OFFSET; }
    public static long csum_start$offset() { return csum_start$OFFSET; }
    public static long csum_offset$offset() { return csum_offset$OFFSET; }

    // Packet buffers have no alignment guarantee at an arbitrary offset: use unaligned shorts.
    private static final java.lang.foreign.ValueLayout.OfShort U16 = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

    public static int flags(MemorySegment s, long at) { return Byte.toUnsignedInt(s.get(C_CHAR, at + flags$OFFSET)); }
    public static void flags(MemorySegment s, long at, int v) { s.set(C_CHAR, at + flags$OFFSET, (byte) v); }
    public static int gso_type(MemorySegment s, long at) { return Byte.toUnsignedInt(s.get(C_CHAR, at + gso_type$OFFSET)); }
    public static void gso_type(MemorySegment s, long at, int v) { s.set(C_CHAR, at + gso_type$OFFSET, (byte) v); }
    public static int hdr_len(MemorySegment s, long at) { return Short.toUnsignedInt(s.get(U16, at + hdr_len$OFFSET)); }
    public static void hdr_len(MemorySegment s, long at, int v) { s.set(U16, at + hdr_len$OFFSET, (short) v); }
    public static int gso_size(MemorySegment s, long at) { return Short.toUnsignedInt(s.get(U16, at + gso_size$OFFSET)); }
    public static void gso_size(MemorySegment s, long at, int v) { s.set(U16, at + gso_size$OFFSET, (short) v); }
    public static int csum_start(MemorySegment s, long at) { return Short.toUnsignedInt(s.get(U16, at + csum_start$OFFSET)); }
    public static void csum_start(MemorySegment s, long at, int v) { s.set(U16, at + csum_start$OFFSET, (short) v); }
    public static int csum_offset(MemorySegment s, long at) { return Short.toUnsignedInt(s.get(U16, at + csum_offset$OFFSET)); }
    public static void csum_offset(MemorySegment s, long at, int v) { s.set(U16, at + csum_offset$OFFSET, (short) v); }

    /** Writes an all-zero header (GSO_NONE, no checksum request): what a plain packet needs in front. */
    public static void clear(MemorySegment s, long at) {
        s.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, at, 0L);
        s.set(U16, at + 8, (short) 0);
    }
}
