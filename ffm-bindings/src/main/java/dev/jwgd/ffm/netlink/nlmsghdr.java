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
 * The header of every netlink message ({@code <linux/netlink.h>}).
 *
 * {@snippet lang=c :
 * struct nlmsghdr {
 *     __u32 nlmsg_len;     // length including this header
 *     __u16 nlmsg_type;
 *     __u16 nlmsg_flags;   // NLM_F_*
 *     __u32 nlmsg_seq;
 *     __u32 nlmsg_pid;
 * };
 * }
 */
public final class nlmsghdr {
    private nlmsghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("nlmsg_len"),
        C_SHORT.withName("nlmsg_type"),
        C_SHORT.withName("nlmsg_flags"),
        C_INT.withName("nlmsg_seq"),
        C_INT.withName("nlmsg_pid")
    ).withName("nlmsghdr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct nlmsghdr). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfInt nlmsg_len$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nlmsg_len"));
    /** Byte offset of {@code nlmsg_len}. */
    public static final long nlmsg_len$OFFSET = $LAYOUT.byteOffset(groupElement("nlmsg_len"));
    public static OfInt nlmsg_len$layout() { return nlmsg_len$LAYOUT; }
    public static long nlmsg_len$offset() { return nlmsg_len$OFFSET; }
    public static int nlmsg_len(MemorySegment struct) { return struct.get(nlmsg_len$LAYOUT, nlmsg_len$OFFSET); }
    public static void nlmsg_len(MemorySegment struct, int fieldValue) { struct.set(nlmsg_len$LAYOUT, nlmsg_len$OFFSET, fieldValue); }

    private static final OfShort nlmsg_type$LAYOUT = (OfShort) $LAYOUT.select(groupElement("nlmsg_type"));
    /** Byte offset of {@code nlmsg_type}. */
    public static final long nlmsg_type$OFFSET = $LAYOUT.byteOffset(groupElement("nlmsg_type"));
    public static OfShort nlmsg_type$layout() { return nlmsg_type$LAYOUT; }
    public static long nlmsg_type$offset() { return nlmsg_type$OFFSET; }
    public static short nlmsg_type(MemorySegment struct) { return struct.get(nlmsg_type$LAYOUT, nlmsg_type$OFFSET); }
    public static void nlmsg_type(MemorySegment struct, short fieldValue) { struct.set(nlmsg_type$LAYOUT, nlmsg_type$OFFSET, fieldValue); }

    private static final OfShort nlmsg_flags$LAYOUT = (OfShort) $LAYOUT.select(groupElement("nlmsg_flags"));
    /** Byte offset of {@code nlmsg_flags}. */
    public static final long nlmsg_flags$OFFSET = $LAYOUT.byteOffset(groupElement("nlmsg_flags"));
    public static OfShort nlmsg_flags$layout() { return nlmsg_flags$LAYOUT; }
    public static long nlmsg_flags$offset() { return nlmsg_flags$OFFSET; }
    public static short nlmsg_flags(MemorySegment struct) { return struct.get(nlmsg_flags$LAYOUT, nlmsg_flags$OFFSET); }
    public static void nlmsg_flags(MemorySegment struct, short fieldValue) { struct.set(nlmsg_flags$LAYOUT, nlmsg_flags$OFFSET, fieldValue); }

    private static final OfInt nlmsg_seq$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nlmsg_seq"));
    /** Byte offset of {@code nlmsg_seq}. */
    public static final long nlmsg_seq$OFFSET = $LAYOUT.byteOffset(groupElement("nlmsg_seq"));
    public static OfInt nlmsg_seq$layout() { return nlmsg_seq$LAYOUT; }
    public static long nlmsg_seq$offset() { return nlmsg_seq$OFFSET; }
    public static int nlmsg_seq(MemorySegment struct) { return struct.get(nlmsg_seq$LAYOUT, nlmsg_seq$OFFSET); }
    public static void nlmsg_seq(MemorySegment struct, int fieldValue) { struct.set(nlmsg_seq$LAYOUT, nlmsg_seq$OFFSET, fieldValue); }

    private static final OfInt nlmsg_pid$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nlmsg_pid"));
    /** Byte offset of {@code nlmsg_pid}. */
    public static final long nlmsg_pid$OFFSET = $LAYOUT.byteOffset(groupElement("nlmsg_pid"));
    public static OfInt nlmsg_pid$layout() { return nlmsg_pid$LAYOUT; }
    public static long nlmsg_pid$offset() { return nlmsg_pid$OFFSET; }
    public static int nlmsg_pid(MemorySegment struct) { return struct.get(nlmsg_pid$LAYOUT, nlmsg_pid$OFFSET); }
    public static void nlmsg_pid(MemorySegment struct, int fieldValue) { struct.set(nlmsg_pid$LAYOUT, nlmsg_pid$OFFSET, fieldValue); }
}
