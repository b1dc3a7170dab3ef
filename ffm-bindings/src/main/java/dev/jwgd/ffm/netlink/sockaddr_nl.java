package dev.jwgd.ffm.netlink;

import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfShort;

/**
 * A netlink socket address ({@code <linux/netlink.h>}).
 *
 * {@snippet lang=c :
 * struct sockaddr_nl {
 *     __kernel_sa_family_t nl_family;   // AF_NETLINK
 *     unsigned short       nl_pad;
 *     __u32                nl_pid;      // port id; 0 = the kernel
 *     __u32                nl_groups;   // multicast group mask
 * };
 * }
 */
public final class sockaddr_nl {
    private sockaddr_nl() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_SHORT.withName("nl_family"),
        C_SHORT.withName("nl_pad"),
        C_INT.withName("nl_pid"),
        C_INT.withName("nl_groups")
    ).withName("sockaddr_nl");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct sockaddr_nl). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfShort nl_family$LAYOUT = (OfShort) $LAYOUT.select(groupElement("nl_family"));
    /** Byte offset of {@code nl_family}. */
    public static final long nl_family$OFFSET = $LAYOUT.byteOffset(groupElement("nl_family"));
    public static OfShort nl_family$layout() { return nl_family$LAYOUT; }
    public static long nl_family$offset() { return nl_family$OFFSET; }
    public static short nl_family(MemorySegment struct) { return struct.get(nl_family$LAYOUT, nl_family$OFFSET); }
    public static void nl_family(MemorySegment struct, short fieldValue) { struct.set(nl_family$LAYOUT, nl_family$OFFSET, fieldValue); }

    private static final OfShort nl_pad$LAYOUT = (OfShort) $LAYOUT.select(groupElement("nl_pad"));
    /** Byte offset of {@code nl_pad}. */
    public static final long nl_pad$OFFSET = $LAYOUT.byteOffset(groupElement("nl_pad"));
    public static OfShort nl_pad$layout() { return nl_pad$LAYOUT; }
    public static long nl_pad$offset() { return nl_pad$OFFSET; }
    public static short nl_pad(MemorySegment struct) { return struct.get(nl_pad$LAYOUT, nl_pad$OFFSET); }
    public static void nl_pad(MemorySegment struct, short fieldValue) { struct.set(nl_pad$LAYOUT, nl_pad$OFFSET, fieldValue); }

    private static final OfInt nl_pid$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nl_pid"));
    /** Byte offset of {@code nl_pid}. */
    public static final long nl_pid$OFFSET = $LAYOUT.byteOffset(groupElement("nl_pid"));
    public static OfInt nl_pid$layout() { return nl_pid$LAYOUT; }
    public static long nl_pid$offset() { return nl_pid$OFFSET; }
    public static int nl_pid(MemorySegment struct) { return struct.get(nl_pid$LAYOUT, nl_pid$OFFSET); }
    public static void nl_pid(MemorySegment struct, int fieldValue) { struct.set(nl_pid$LAYOUT, nl_pid$OFFSET, fieldValue); }

    private static final OfInt nl_groups$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nl_groups"));
    /** Byte offset of {@code nl_groups}. */
    public static final long nl_groups$OFFSET = $LAYOUT.byteOffset(groupElement("nl_groups"));
    public static OfInt nl_groups$layout() { return nl_groups$LAYOUT; }
    public static long nl_groups$offset() { return nl_groups$OFFSET; }
    public static int nl_groups(MemorySegment struct) { return struct.get(nl_groups$LAYOUT, nl_groups$OFFSET); }
    public static void nl_groups(MemorySegment struct, int fieldValue) { struct.set(nl_groups$LAYOUT, nl_groups$OFFSET, fieldValue); }
}
