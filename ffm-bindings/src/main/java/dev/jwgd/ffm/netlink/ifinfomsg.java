package dev.jwgd.ffm.netlink;

import static dev.jwgd.ffm.C.C_CHAR;
import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfShort;

/**
 * Family header of RTM_NEWLINK / RTM_GETLINK / RTM_DELLINK ({@code <linux/rtnetlink.h>}).
 *
 * {@snippet lang=c :
 * struct ifinfomsg {
 *     unsigned char  ifi_family;
 *     unsigned char  __ifi_pad;
 *     unsigned short ifi_type;     // ARPHRD_*
 *     int            ifi_index;
 *     unsigned       ifi_flags;    // IFF_*
 *     unsigned       ifi_change;   // which IFF_* bits to change
 * };
 * }
 */
public final class ifinfomsg {
    private ifinfomsg() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("ifi_family"),
        C_CHAR.withName("__ifi_pad"),
        C_SHORT.withName("ifi_type"),
        C_INT.withName("ifi_index"),
        C_INT.withName("ifi_flags"),
        C_INT.withName("ifi_change")
    ).withName("ifinfomsg");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct ifinfomsg). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfByte ifi_family$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ifi_family"));
    /** Byte offset of {@code ifi_family}. */
    public static final long ifi_family$OFFSET = $LAYOUT.byteOffset(groupElement("ifi_family"));
    public static OfByte ifi_family$layout() { return ifi_family$LAYOUT; }
    public static long ifi_family$offset() { return ifi_family$OFFSET; }
    public static byte ifi_family(MemorySegment struct) { return struct.get(ifi_family$LAYOUT, ifi_family$OFFSET); }
    public static void ifi_family(MemorySegment struct, byte fieldValue) { struct.set(ifi_family$LAYOUT, ifi_family$OFFSET, fieldValue); }

    private static final OfByte __ifi_pad$LAYOUT = (OfByte) $LAYOUT.select(groupElement("__ifi_pad"));
    /** Byte offset of {@code __ifi_pad}. */
    public static final long __ifi_pad$OFFSET = $LAYOUT.byteOffset(groupElement("__ifi_pad"));
    public static OfByte __ifi_pad$layout() { return __ifi_pad$LAYOUT; }
    public static long __ifi_pad$offset() { return __ifi_pad$OFFSET; }
    public static byte __ifi_pad(MemorySegment struct) { return struct.get(__ifi_pad$LAYOUT, __ifi_pad$OFFSET); }
    public static void __ifi_pad(MemorySegment struct, byte fieldValue) { struct.set(__ifi_pad$LAYOUT, __ifi_pad$OFFSET, fieldValue); }

    private static final OfShort ifi_type$LAYOUT = (OfShort) $LAYOUT.select(groupElement("ifi_type"));
    /** Byte offset of {@code ifi_type}. */
    public static final long ifi_type$OFFSET = $LAYOUT.byteOffset(groupElement("ifi_type"));
    public static OfShort ifi_type$layout() { return ifi_type$LAYOUT; }
    public static long ifi_type$offset() { return ifi_type$OFFSET; }
    public static short ifi_type(MemorySegment struct) { return struct.get(ifi_type$LAYOUT, ifi_type$OFFSET); }
    public static void ifi_type(MemorySegment struct, short fieldValue) { struct.set(ifi_type$LAYOUT, ifi_type$OFFSET, fieldValue); }

    private static final OfInt ifi_index$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ifi_index"));
    /** Byte offset of {@code ifi_index}. */
    public static final long ifi_index$OFFSET = $LAYOUT.byteOffset(groupElement("ifi_index"));
    public static OfInt ifi_index$layout() { return ifi_index$LAYOUT; }
    public static long ifi_index$offset() { return ifi_index$OFFSET; }
    public static int ifi_index(MemorySegment struct) { return struct.get(ifi_index$LAYOUT, ifi_index$OFFSET); }
    public static void ifi_index(MemorySegment struct, int fieldValue) { struct.set(ifi_index$LAYOUT, ifi_index$OFFSET, fieldValue); }

    private static final OfInt ifi_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ifi_flags"));
    /** Byte offset of {@code ifi_flags}. */
    public static final long ifi_flags$OFFSET = $LAYOUT.byteOffset(groupElement("ifi_flags"));
    public static OfInt ifi_flags$layout() { return ifi_flags$LAYOUT; }
    public static long ifi_flags$offset() { return ifi_flags$OFFSET; }
    public static int ifi_flags(MemorySegment struct) { return struct.get(ifi_flags$LAYOUT, ifi_flags$OFFSET); }
    public static void ifi_flags(MemorySegment struct, int fieldValue) { struct.set(ifi_flags$LAYOUT, ifi_flags$OFFSET, fieldValue); }

    private static final OfInt ifi_change$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ifi_change"));
    /** Byte offset of {@code ifi_change}. */
    public static final long ifi_change$OFFSET = $LAYOUT.byteOffset(groupElement("ifi_change"));
    public static OfInt ifi_change$layout() { return ifi_change$LAYOUT; }
    public static long ifi_change$offset() { return ifi_change$OFFSET; }
    public static int ifi_change(MemorySegment struct) { return struct.get(ifi_change$LAYOUT, ifi_change$OFFSET); }
    public static void ifi_change(MemorySegment struct, int fieldValue) { struct.set(ifi_change$LAYOUT, ifi_change$OFFSET, fieldValue); }
}
