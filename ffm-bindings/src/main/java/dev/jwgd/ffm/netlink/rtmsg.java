package dev.jwgd.ffm.netlink;

import static dev.jwgd.ffm.C.C_CHAR;
import static dev.jwgd.ffm.C.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfInt;

/**
 * Family header of RTM_NEWROUTE / RTM_DELROUTE ({@code <linux/rtnetlink.h>}).
 *
 * {@snippet lang=c :
 * struct rtmsg {
 *     unsigned char rtm_family;
 *     unsigned char rtm_dst_len;
 *     unsigned char rtm_src_len;
 *     unsigned char rtm_tos;
 *     unsigned char rtm_table;     // RT_TABLE_UNSPEC when the id (> 255) is in RTA_TABLE
 *     unsigned char rtm_protocol;  // RTPROT_*
 *     unsigned char rtm_scope;     // RT_SCOPE_*
 *     unsigned char rtm_type;      // RTN_*
 *     unsigned      rtm_flags;
 * };
 * }
 */
public final class rtmsg {
    private rtmsg() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("rtm_family"),
        C_CHAR.withName("rtm_dst_len"),
        C_CHAR.withName("rtm_src_len"),
        C_CHAR.withName("rtm_tos"),
        C_CHAR.withName("rtm_table"),
        C_CHAR.withName("rtm_protocol"),
        C_CHAR.withName("rtm_scope"),
        C_CHAR.withName("rtm_type"),
        C_INT.withName("rtm_flags")
    ).withName("rtmsg");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct rtmsg). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfByte rtm_family$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_family"));
    /** Byte offset of {@code rtm_family}. */
    public static final long rtm_family$OFFSET = $LAYOUT.byteOffset(groupElement("rtm_family"));
    public static OfByte rtm_family$layout() { return rtm_family$LAYOUT; }
    public static long rtm_family$offset() { return rtm_family$OFFSET; }
    public static byte rtm_family(MemorySegment struct) { return struct.get(rtm_family$LAYOUT, rtm_family$OFFSET); }
    public static void rtm_family(MemorySegment struct, byte fieldValue) { struct.set(rtm_family$LAYOUT, rtm_family$OFFSET, fieldValue); }

    private static final OfByte rtm_dst_len$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_dst_len"));
    /** Byte offset of {@code rtm_dst_len}. */
    public static final long rtm_dst_len$OFFSET = $LAYOUT.byteOffset(groupElement("rtm_dst_len"));
    public static OfByte rtm_dst_len$layout() { return rtm_dst_len$LAYOUT; }
    public static long rtm_dst_len$offset() { return rtm_dst_len$OFFSET; }
    public static byte rtm_dst_len(MemorySegment struct) { return struct.get(rtm_dst_len$LAYOUT, rtm_dst_len$OFFSET); }
    public static void rtm_dst_len(MemorySegment struct, byte fieldValue) { struct.set(rtm_dst_len$LAYOUT, rtm_dst_len$OFFSET, fieldValue); }

    private static final OfByte rtm_src_len$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_src_len"));
    /** Byte offset of {@code rtm_src_len}. */
    public static final long rtm_src_len$OFFSET = $LAYOUT.byteOffset(groupElement("rtm_src_len"));
    public static OfByte rtm_src_len$layout() { return rtm_src_len$LAYOUT; }
    public static long rtm_src_len$offset() { return rtm_src_len$OFFSET; }
    public static byte rtm_src_len(MemorySegment struct) { return struct.get(rtm_src_len$LAYOUT, rtm_src_len$OFFSET); }
    public static void rtm_src_len(MemorySegment struct, byte fieldValue) { struct.set(rtm_src_len$LAYOUT, rtm_src_len$OFFSET, fieldValue); }

    private static final OfByte rtm_tos$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_tos"));
    /** Byte offset of {@code rtm_tos}. */
    public static final long rtm_tos$OFFSET = $LAYOUT.byteOffset(groupElement("rtm_tos"));
    public static OfByte rtm_tos$layout() { return rtm_tos$LAYOUT; }
    public static long rtm_tos$offset() { return rtm_tos$OFFSET; }
    public static byte rtm_tos(MemorySegment struct) { return struct.get(rtm_tos$LAYOUT, rtm_tos$OFFSET); }
    public static void rtm_tos(MemorySegment struct, byte fieldValue) { struct.set(rtm_tos$LAYOUT, rtm_tos$OFFSET, fieldValue); }

    private static final OfByte rtm_table$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_table"));
    /** Byte offset of {@code rtm_table}. */
    public static final long rtm_table$OFFSET = $LAYOUT.byteOffset(groupElement("rtm_table"));
    public static OfByte rtm_table$layout() { return rtm_table$LAYOUT; }
    public static long rtm_table$offset() { return rtm_table$OFFSET; }
    public static byte rtm_table(MemorySegment struct) { return struct.get(rtm_table$LAYOUT, rtm_table$OFFSET); }
    public static void rtm_table(MemorySegment struct, byte fieldValue) { struct.set(rtm_table$LAYOUT, rtm_table$OFFSET, fieldValue); }

    private static final OfByte rtm_protocol$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_protocol"));
    /** Byte offset of {@code rtm_protocol}. */
    public static final long rtm_protocol$OFFSET = $LAYOUT.byteOffset(groupElement("rtm_protocol"));
    public static OfByte rtm_protocol$layout() { return rtm_protocol$LAYOUT; }
    public static long rtm_protocol$offset() { return rtm_protocol$OFFSET; }
    public static byte rtm_protocol(MemorySegment struct) { return struct.get(rtm_protocol$LAYOUT, rtm_protocol$OFFSET); }
    public static void rtm_protocol(MemorySegment struct, byte fieldValue) { struct.set(rtm_protocol$LAYOUT, rtm_protocol$OFFSET, fieldValue); }

    private static final OfByte rtm_scope$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_scope"));
    /** Byte offset of {@code rtm_scope}. */
    public static final long rtm_scope$OFFSET = $LAYOUT.byteOffset(groupElement("rtm_scope"));
    public static OfByte rtm_scope$layout() { return rtm_scope$LAYOUT; }
    public static long rtm_scope$offset() { return rtm_scope$OFFSET; }
    public static byte rtm_scope(MemorySegment struct) { return struct.get(rtm_scope$LAYOUT, rtm_scope$OFFSET); }
    public static void rtm_scope(MemorySegment struct, byte fieldValue) { struct.set(rtm_scope$LAYOUT, rtm_scope$OFFSET, fieldValue); }

    private static final OfByte rtm_type$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_type"));
    /** Byte offset of {@code rtm_type}. */
    public static final long rtm_type$OFFSET = $LAYOUT.byteOffset(groupElement("rtm_type"));
    public static OfByte rtm_type$layout() { return rtm_type$LAYOUT; }
    public static long rtm_type$offset() { return rtm_type$OFFSET; }
    public static byte rtm_type(MemorySegment struct) { return struct.get(rtm_type$LAYOUT, rtm_type$OFFSET); }
    public static void rtm_type(MemorySegment struct, byte fieldValue) { struct.set(rtm_type$LAYOUT, rtm_type$OFFSET, fieldValue); }

    private static final OfInt rtm_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("rtm_flags"));
    /** Byte offset of {@code rtm_flags}. */
    public static final long rtm_flags$OFFSET = $LAYOUT.byteOffset(groupElement("rtm_flags"));
    public static OfInt rtm_flags$layout() { return rtm_flags$LAYOUT; }
    public static long rtm_flags$offset() { return rtm_flags$OFFSET; }
    public static int rtm_flags(MemorySegment struct) { return struct.get(rtm_flags$LAYOUT, rtm_flags$OFFSET); }
    public static void rtm_flags(MemorySegment struct, int fieldValue) { struct.set(rtm_flags$LAYOUT, rtm_flags$OFFSET, fieldValue); }
}
