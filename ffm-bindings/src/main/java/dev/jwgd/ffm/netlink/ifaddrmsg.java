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
 * Family header of RTM_NEWADDR / RTM_DELADDR ({@code <linux/if_addr.h>}).
 *
 * {@snippet lang=c :
 * struct ifaddrmsg {
 *     __u8  ifa_family;
 *     __u8  ifa_prefixlen;
 *     __u8  ifa_flags;     // IFA_F_* (low 8 bits; more in IFA_FLAGS)
 *     __u8  ifa_scope;
 *     __u32 ifa_index;
 * };
 * }
 */
public final class ifaddrmsg {
    private ifaddrmsg() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("ifa_family"),
        C_CHAR.withName("ifa_prefixlen"),
        C_CHAR.withName("ifa_flags"),
        C_CHAR.withName("ifa_scope"),
        C_INT.withName("ifa_index")
    ).withName("ifaddrmsg");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct ifaddrmsg). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfByte ifa_family$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ifa_family"));
    /** Byte offset of {@code ifa_family}. */
    public static final long ifa_family$OFFSET = $LAYOUT.byteOffset(groupElement("ifa_family"));
    public static OfByte ifa_family$layout() { return ifa_family$LAYOUT; }
    public static long ifa_family$offset() { return ifa_family$OFFSET; }
    public static byte ifa_family(MemorySegment struct) { return struct.get(ifa_family$LAYOUT, ifa_family$OFFSET); }
    public static void ifa_family(MemorySegment struct, byte fieldValue) { struct.set(ifa_family$LAYOUT, ifa_family$OFFSET, fieldValue); }

    private static final OfByte ifa_prefixlen$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ifa_prefixlen"));
    /** Byte offset of {@code ifa_prefixlen}. */
    public static final long ifa_prefixlen$OFFSET = $LAYOUT.byteOffset(groupElement("ifa_prefixlen"));
    public static OfByte ifa_prefixlen$layout() { return ifa_prefixlen$LAYOUT; }
    public static long ifa_prefixlen$offset() { return ifa_prefixlen$OFFSET; }
    public static byte ifa_prefixlen(MemorySegment struct) { return struct.get(ifa_prefixlen$LAYOUT, ifa_prefixlen$OFFSET); }
    public static void ifa_prefixlen(MemorySegment struct, byte fieldValue) { struct.set(ifa_prefixlen$LAYOUT, ifa_prefixlen$OFFSET, fieldValue); }

    private static final OfByte ifa_flags$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ifa_flags"));
    /** Byte offset of {@code ifa_flags}. */
    public static final long ifa_flags$OFFSET = $LAYOUT.byteOffset(groupElement("ifa_flags"));
    public static OfByte ifa_flags$layout() { return ifa_flags$LAYOUT; }
    public static long ifa_flags$offset() { return ifa_flags$OFFSET; }
    public static byte ifa_flags(MemorySegment struct) { return struct.get(ifa_flags$LAYOUT, ifa_flags$OFFSET); }
    public static void ifa_flags(MemorySegment struct, byte fieldValue) { struct.set(ifa_flags$LAYOUT, ifa_flags$OFFSET, fieldValue); }

    private static final OfByte ifa_scope$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ifa_scope"));
    /** Byte offset of {@code ifa_scope}. */
    public static final long ifa_scope$OFFSET = $LAYOUT.byteOffset(groupElement("ifa_scope"));
    public static OfByte ifa_scope$layout() { return ifa_scope$LAYOUT; }
    public static long ifa_scope$offset() { return ifa_scope$OFFSET; }
    public static byte ifa_scope(MemorySegment struct) { return struct.get(ifa_scope$LAYOUT, ifa_scope$OFFSET); }
    public static void ifa_scope(MemorySegment struct, byte fieldValue) { struct.set(ifa_scope$LAYOUT, ifa_scope$OFFSET, fieldValue); }

    private static final OfInt ifa_index$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ifa_index"));
    /** Byte offset of {@code ifa_index}. */
    public static final long ifa_index$OFFSET = $LAYOUT.byteOffset(groupElement("ifa_index"));
    public static OfInt ifa_index$layout() { return ifa_index$LAYOUT; }
    public static long ifa_index$offset() { return ifa_index$OFFSET; }
    public static int ifa_index(MemorySegment struct) { return struct.get(ifa_index$LAYOUT, ifa_index$OFFSET); }
    public static void ifa_index(MemorySegment struct, int fieldValue) { struct.set(ifa_index$LAYOUT, ifa_index$OFFSET, fieldValue); }
}
