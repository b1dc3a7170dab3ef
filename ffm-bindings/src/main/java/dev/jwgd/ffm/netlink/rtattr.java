package dev.jwgd.ffm.netlink;

import static dev.jwgd.ffm.C.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfShort;

/**
 * A routing attribute header ({@code <linux/rtnetlink.h>}); the payload follows at {@code RTA_LENGTH(0)}.
 *
 * {@snippet lang=c :
 * struct rtattr {
 *     unsigned short rta_len;    // 4 + payload length, before padding to RTA_ALIGNTO
 *     unsigned short rta_type;
 * };
 * }
 */
public final class rtattr {
    private rtattr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_SHORT.withName("rta_len"),
        C_SHORT.withName("rta_type")
    ).withName("rtattr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct rtattr). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfShort rta_len$LAYOUT = (OfShort) $LAYOUT.select(groupElement("rta_len"));
    /** Byte offset of {@code rta_len}. */
    public static final long rta_len$OFFSET = $LAYOUT.byteOffset(groupElement("rta_len"));
    public static OfShort rta_len$layout() { return rta_len$LAYOUT; }
    public static long rta_len$offset() { return rta_len$OFFSET; }
    public static short rta_len(MemorySegment struct) { return struct.get(rta_len$LAYOUT, rta_len$OFFSET); }
    public static void rta_len(MemorySegment struct, short fieldValue) { struct.set(rta_len$LAYOUT, rta_len$OFFSET, fieldValue); }

    private static final OfShort rta_type$LAYOUT = (OfShort) $LAYOUT.select(groupElement("rta_type"));
    /** Byte offset of {@code rta_type}. */
    public static final long rta_type$OFFSET = $LAYOUT.byteOffset(groupElement("rta_type"));
    public static OfShort rta_type$layout() { return rta_type$LAYOUT; }
    public static long rta_type$offset() { return rta_type$OFFSET; }
    public static short rta_type(MemorySegment struct) { return struct.get(rta_type$LAYOUT, rta_type$OFFSET); }
    public static void rta_type(MemorySegment struct, short fieldValue) { struct.set(rta_type$LAYOUT, rta_type$OFFSET, fieldValue); }
}
