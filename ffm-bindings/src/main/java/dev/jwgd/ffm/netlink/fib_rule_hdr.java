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
 * Family header of RTM_NEWRULE / RTM_DELRULE, the policy-routing rules ({@code <linux/fib_rules.h>}).
 *
 * {@snippet lang=c :
 * struct fib_rule_hdr {
 *     __u8  family;
 *     __u8  dst_len;
 *     __u8  src_len;
 *     __u8  tos;
 *     __u8  table;     // RT_TABLE_UNSPEC when the id (> 255) is in FRA_TABLE
 *     __u8  res1;
 *     __u8  res2;
 *     __u8  action;    // FR_ACT_*
 *     __u32 flags;     // FIB_RULE_*
 * };
 * }
 */
public final class fib_rule_hdr {
    private fib_rule_hdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("family"),
        C_CHAR.withName("dst_len"),
        C_CHAR.withName("src_len"),
        C_CHAR.withName("tos"),
        C_CHAR.withName("table"),
        C_CHAR.withName("res1"),
        C_CHAR.withName("res2"),
        C_CHAR.withName("action"),
        C_INT.withName("flags")
    ).withName("fib_rule_hdr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct fib_rule_hdr). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfByte family$LAYOUT = (OfByte) $LAYOUT.select(groupElement("family"));
    /** Byte offset of {@code family}. */
    public static final long family$OFFSET = $LAYOUT.byteOffset(groupElement("family"));
    public static OfByte family$layout() { return family$LAYOUT; }
    public static long family$offset() { return family$OFFSET; }
    public static byte family(MemorySegment struct) { return struct.get(family$LAYOUT, family$OFFSET); }
    public static void family(MemorySegment struct, byte fieldValue) { struct.set(family$LAYOUT, family$OFFSET, fieldValue); }

    private static final OfByte dst_len$LAYOUT = (OfByte) $LAYOUT.select(groupElement("dst_len"));
    /** Byte offset of {@code dst_len}. */
    public static final long dst_len$OFFSET = $LAYOUT.byteOffset(groupElement("dst_len"));
    public static OfByte dst_len$layout() { return dst_len$LAYOUT; }
    public static long dst_len$offset() { return dst_len$OFFSET; }
    public static byte dst_len(MemorySegment struct) { return struct.get(dst_len$LAYOUT, dst_len$OFFSET); }
    public static void dst_len(MemorySegment struct, byte fieldValue) { struct.set(dst_len$LAYOUT, dst_len$OFFSET, fieldValue); }

    private static final OfByte src_len$LAYOUT = (OfByte) $LAYOUT.select(groupElement("src_len"));
    /** Byte offset of {@code src_len}. */
    public static final long src_len$OFFSET = $LAYOUT.byteOffset(groupElement("src_len"));
    public static OfByte src_len$layout() { return src_len$LAYOUT; }
    public static long src_len$offset() { return src_len$OFFSET; }
    public static byte src_len(MemorySegment struct) { return struct.get(src_len$LAYOUT, src_len$OFFSET); }
    public static void src_len(MemorySegment struct, byte fieldValue) { struct.set(src_len$LAYOUT, src_len$OFFSET, fieldValue); }

    private static final OfByte tos$LAYOUT = (OfByte) $LAYOUT.select(groupElement("tos"));
    /** Byte offset of {@code tos}. */
    public static final long tos$OFFSET = $LAYOUT.byteOffset(groupElement("tos"));
    public static OfByte tos$layout() { return tos$LAYOUT; }
    public static long tos$offset() { return tos$OFFSET; }
    public static byte tos(MemorySegment struct) { return struct.get(tos$LAYOUT, tos$OFFSET); }
    public static void tos(MemorySegment struct, byte fieldValue) { struct.set(tos$LAYOUT, tos$OFFSET, fieldValue); }

    private static final OfByte table$LAYOUT = (OfByte) $LAYOUT.select(groupElement("table"));
    /** Byte offset of {@code table}. */
    public static final long table$OFFSET = $LAYOUT.byteOffset(groupElement("table"));
    public static OfByte table$layout() { return table$LAYOUT; }
    public static long table$offset() { return table$OFFSET; }
    public static byte table(MemorySegment struct) { return struct.get(table$LAYOUT, table$OFFSET); }
    public static void table(MemorySegment struct, byte fieldValue) { struct.set(table$LAYOUT, table$OFFSET, fieldValue); }

    private static final OfByte res1$LAYOUT = (OfByte) $LAYOUT.select(groupElement("res1"));
    /** Byte offset of {@code res1}. */
    public static final long res1$OFFSET = $LAYOUT.byteOffset(groupElement("res1"));
    public static OfByte res1$layout() { return res1$LAYOUT; }
    public static long res1$offset() { return res1$OFFSET; }
    public static byte res1(MemorySegment struct) { return struct.get(res1$LAYOUT, res1$OFFSET); }
    public static void res1(MemorySegment struct, byte fieldValue) { struct.set(res1$LAYOUT, res1$OFFSET, fieldValue); }

    private static final OfByte res2$LAYOUT = (OfByte) $LAYOUT.select(groupElement("res2"));
    /** Byte offset of {@code res2}. */
    public static final long res2$OFFSET = $LAYOUT.byteOffset(groupElement("res2"));
    public static OfByte res2$layout() { return res2$LAYOUT; }
    public static long res2$offset() { return res2$OFFSET; }
    public static byte res2(MemorySegment struct) { return struct.get(res2$LAYOUT, res2$OFFSET); }
    public static void res2(MemorySegment struct, byte fieldValue) { struct.set(res2$LAYOUT, res2$OFFSET, fieldValue); }

    private static final OfByte action$LAYOUT = (OfByte) $LAYOUT.select(groupElement("action"));
    /** Byte offset of {@code action}. */
    public static final long action$OFFSET = $LAYOUT.byteOffset(groupElement("action"));
    public static OfByte action$layout() { return action$LAYOUT; }
    public static long action$offset() { return action$OFFSET; }
    public static byte action(MemorySegment struct) { return struct.get(action$LAYOUT, action$OFFSET); }
    public static void action(MemorySegment struct, byte fieldValue) { struct.set(action$LAYOUT, action$OFFSET, fieldValue); }

    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));
    /** Byte offset of {@code flags}. */
    public static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static OfInt flags$layout() { return flags$LAYOUT; }
    public static long flags$offset() { return flags$OFFSET; }
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }
}
