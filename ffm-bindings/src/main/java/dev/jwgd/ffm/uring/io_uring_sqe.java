package dev.jwgd.ffm.uring;

import static dev.jwgd.ffm.C.C_CHAR;
import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_LONG_LONG;
import static dev.jwgd.ffm.C.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.foreign.ValueLayout.OfShort;

/**
 * One submission queue entry (64 bytes). The C anonymous unions are named {@code $anonN} here because
 * layout paths do not see through unnamed groups; every alias gets its own accessor with the C name.
 * The ring code writes SQEs with plain stores through the {@code $OFFSET} constants; the release store
 * of the SQ tail publishes them.
 *
 * {@snippet lang=c :
 * struct io_uring_sqe {
 *     __u8  opcode;
 *     __u8  flags;                 // IOSQE_*
 *     __u16 ioprio;                // also IORING_RECV_MULTISHOT etc. for send/recv
 *     __s32 fd;                    // or a registered-file index with IOSQE_FIXED_FILE
 *     union { __u64 off; __u64 addr2; struct { __u32 cmd_op; __u32 __pad1; }; };
 *     union { __u64 addr; __u64 splice_off_in; };
 *     __u32 len;
 *     union { __kernel_rwf_t rw_flags; __u32 fsync_flags; __u16 poll_events; __u32 poll32_events;
 *             __u32 msg_flags; __u32 timeout_flags; __u32 accept_flags; __u32 cancel_flags;
 *             __u32 uring_cmd_flags; ... };
 *     __u64 user_data;
 *     union { __u16 buf_index; __u16 buf_group; } __attribute__((packed));
 *     __u16 personality;
 *     union { __s32 splice_fd_in; __u32 file_index; struct { __u16 addr_len; __u16 __pad3[1]; }; };
 *     union { struct { __u64 addr3; __u64 __pad2[1]; }; __u8 cmd[0]; };
 * };
 * }
 */
public final class io_uring_sqe {
    private io_uring_sqe() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("opcode"),
        C_CHAR.withName("flags"),
        C_SHORT.withName("ioprio"),
        C_INT.withName("fd"),
        MemoryLayout.unionLayout(
            C_LONG_LONG.withName("off"),
            C_LONG_LONG.withName("addr2"),
            MemoryLayout.structLayout(
                C_INT.withName("cmd_op"),
                MemoryLayout.paddingLayout(4)
            ).withName("$anon1")
        ).withName("$anon0"),
        MemoryLayout.unionLayout(
            C_LONG_LONG.withName("addr"),
            C_LONG_LONG.withName("splice_off_in")
        ).withName("$anon2"),
        C_INT.withName("len"),
        MemoryLayout.unionLayout(
            C_INT.withName("rw_flags"),
            C_INT.withName("fsync_flags"),
            C_SHORT.withName("poll_events"),
            C_INT.withName("poll32_events"),
            C_INT.withName("msg_flags"),
            C_INT.withName("timeout_flags"),
            C_INT.withName("accept_flags"),
            C_INT.withName("cancel_flags"),
            C_INT.withName("uring_cmd_flags")
        ).withName("$anon3"),
        C_LONG_LONG.withName("user_data"),
        MemoryLayout.unionLayout(
            C_SHORT.withName("buf_index"),
            C_SHORT.withName("buf_group")
        ).withName("$anon4"),
        C_SHORT.withName("personality"),
        MemoryLayout.unionLayout(
            C_INT.withName("splice_fd_in"),
            C_INT.withName("file_index"),
            MemoryLayout.structLayout(
                C_SHORT.withName("addr_len"),
                MemoryLayout.paddingLayout(2)
            ).withName("$anon6")
        ).withName("$anon5"),
        C_LONG_LONG.withName("addr3"),
        MemoryLayout.paddingLayout(8)
    ).withName("io_uring_sqe");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** sizeof(struct io_uring_sqe). */
    public static long sizeof() { return $LAYOUT.byteSize(); }

    /** A zeroed struct from {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** A zeroed array of {@code count} structs from {@code allocator}. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    private static final OfByte opcode$LAYOUT = (OfByte) $LAYOUT.select(groupElement("opcode"));
    /** Byte offset of {@code opcode}. */
    public static final long opcode$OFFSET = $LAYOUT.byteOffset(groupElement("opcode"));
    public static OfByte opcode$layout() { return opcode$LAYOUT; }
    public static long opcode$offset() { return opcode$OFFSET; }
    public static byte opcode(MemorySegment struct) { return struct.get(opcode$LAYOUT, opcode$OFFSET); }
    public static void opcode(MemorySegment struct, byte fieldValue) { struct.set(opcode$LAYOUT, opcode$OFFSET, fieldValue); }

    private static final OfByte flags$LAYOUT = (OfByte) $LAYOUT.select(groupElement("flags"));
    /** Byte offset of {@code flags}. */
    public static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));
    public static OfByte flags$layout() { return flags$LAYOUT; }
    public static long flags$offset() { return flags$OFFSET; }
    public static byte flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    public static void flags(MemorySegment struct, byte fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

    private static final OfShort ioprio$LAYOUT = (OfShort) $LAYOUT.select(groupElement("ioprio"));
    /** Byte offset of {@code ioprio}. */
    public static final long ioprio$OFFSET = $LAYOUT.byteOffset(groupElement("ioprio"));
    public static OfShort ioprio$layout() { return ioprio$LAYOUT; }
    public static long ioprio$offset() { return ioprio$OFFSET; }
    public static short ioprio(MemorySegment struct) { return struct.get(ioprio$LAYOUT, ioprio$OFFSET); }
    public static void ioprio(MemorySegment struct, short fieldValue) { struct.set(ioprio$LAYOUT, ioprio$OFFSET, fieldValue); }

    private static final OfInt fd$LAYOUT = (OfInt) $LAYOUT.select(groupElement("fd"));
    /** Byte offset of {@code fd}. */
    public static final long fd$OFFSET = $LAYOUT.byteOffset(groupElement("fd"));
    public static OfInt fd$layout() { return fd$LAYOUT; }
    public static long fd$offset() { return fd$OFFSET; }
    public static int fd(MemorySegment struct) { return struct.get(fd$LAYOUT, fd$OFFSET); }
    public static void fd(MemorySegment struct, int fieldValue) { struct.set(fd$LAYOUT, fd$OFFSET, fieldValue); }

    private static final OfLong off$LAYOUT = (OfLong) $LAYOUT.select(groupElement("$anon0"), groupElement("off"));
    /** Byte offset of {@code off}. */
    public static final long off$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("off"));
    public static OfLong off$layout() { return off$LAYOUT; }
    public static long off$offset() { return off$OFFSET; }
    public static long off(MemorySegment struct) { return struct.get(off$LAYOUT, off$OFFSET); }
    public static void off(MemorySegment struct, long fieldValue) { struct.set(off$LAYOUT, off$OFFSET, fieldValue); }

    private static final OfLong addr2$LAYOUT = (OfLong) $LAYOUT.select(groupElement("$anon0"), groupElement("addr2"));
    /** Byte offset of {@code addr2}. */
    public static final long addr2$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("addr2"));
    public static OfLong addr2$layout() { return addr2$LAYOUT; }
    public static long addr2$offset() { return addr2$OFFSET; }
    public static long addr2(MemorySegment struct) { return struct.get(addr2$LAYOUT, addr2$OFFSET); }
    public static void addr2(MemorySegment struct, long fieldValue) { struct.set(addr2$LAYOUT, addr2$OFFSET, fieldValue); }

    private static final OfInt cmd_op$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon0"), groupElement("$anon1"), groupElement("cmd_op"));
    /** Byte offset of {@code cmd_op}. */
    public static final long cmd_op$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("$anon1"), groupElement("cmd_op"));
    public static OfInt cmd_op$layout() { return cmd_op$LAYOUT; }
    public static long cmd_op$offset() { return cmd_op$OFFSET; }
    public static int cmd_op(MemorySegment struct) { return struct.get(cmd_op$LAYOUT, cmd_op$OFFSET); }
    public static void cmd_op(MemorySegment struct, int fieldValue) { struct.set(cmd_op$LAYOUT, cmd_op$OFFSET, fieldValue); }

    private static final OfLong addr$LAYOUT = (OfLong) $LAYOUT.select(groupElement("$anon2"), groupElement("addr"));
    /** Byte offset of {@code addr}. */
    public static final long addr$OFFSET = $LAYOUT.byteOffset(groupElement("$anon2"), groupElement("addr"));
    public static OfLong addr$layout() { return addr$LAYOUT; }
    public static long addr$offset() { return addr$OFFSET; }
    public static long addr(MemorySegment struct) { return struct.get(addr$LAYOUT, addr$OFFSET); }
    public static void addr(MemorySegment struct, long fieldValue) { struct.set(addr$LAYOUT, addr$OFFSET, fieldValue); }

    private static final OfLong splice_off_in$LAYOUT = (OfLong) $LAYOUT.select(groupElement("$anon2"), groupElement("splice_off_in"));
    /** Byte offset of {@code splice_off_in}. */
    public static final long splice_off_in$OFFSET = $LAYOUT.byteOffset(groupElement("$anon2"), groupElement("splice_off_in"));
    public static OfLong splice_off_in$layout() { return splice_off_in$LAYOUT; }
    public static long splice_off_in$offset() { return splice_off_in$OFFSET; }
    public static long splice_off_in(MemorySegment struct) { return struct.get(splice_off_in$LAYOUT, splice_off_in$OFFSET); }
    public static void splice_off_in(MemorySegment struct, long fieldValue) { struct.set(splice_off_in$LAYOUT, splice_off_in$OFFSET, fieldValue); }

    private static final OfInt len$LAYOUT = (OfInt) $LAYOUT.select(groupElement("len"));
    /** Byte offset of {@code len}. */
    public static final long len$OFFSET = $LAYOUT.byteOffset(groupElement("len"));
    public static OfInt len$layout() { return len$LAYOUT; }
    public static long len$offset() { return len$OFFSET; }
    public static int len(MemorySegment struct) { return struct.get(len$LAYOUT, len$OFFSET); }
    public static void len(MemorySegment struct, int fieldValue) { struct.set(len$LAYOUT, len$OFFSET, fieldValue); }

    private static final OfInt rw_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("rw_flags"));
    /** Byte offset of {@code rw_flags}. */
    public static final long rw_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("rw_flags"));
    public static OfInt rw_flags$layout() { return rw_flags$LAYOUT; }
    public static long rw_flags$offset() { return rw_flags$OFFSET; }
    public static int rw_flags(MemorySegment struct) { return struct.get(rw_flags$LAYOUT, rw_flags$OFFSET); }
    public static void rw_flags(MemorySegment struct, int fieldValue) { struct.set(rw_flags$LAYOUT, rw_flags$OFFSET, fieldValue); }

    private static final OfInt fsync_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("fsync_flags"));
    /** Byte offset of {@code fsync_flags}. */
    public static final long fsync_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("fsync_flags"));
    public static OfInt fsync_flags$layout() { return fsync_flags$LAYOUT; }
    public static long fsync_flags$offset() { return fsync_flags$OFFSET; }
    public static int fsync_flags(MemorySegment struct) { return struct.get(fsync_flags$LAYOUT, fsync_flags$OFFSET); }
    public static void fsync_flags(MemorySegment struct, int fieldValue) { struct.set(fsync_flags$LAYOUT, fsync_flags$OFFSET, fieldValue); }

    private static final OfShort poll_events$LAYOUT = (OfShort) $LAYOUT.select(groupElement("$anon3"), groupElement("poll_events"));
    /** Byte offset of {@code poll_events}. */
    public static final long poll_events$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("poll_events"));
    public static OfShort poll_events$layout() { return poll_events$LAYOUT; }
    public static long poll_events$offset() { return poll_events$OFFSET; }
    public static short poll_events(MemorySegment struct) { return struct.get(poll_events$LAYOUT, poll_events$OFFSET); }
    public static void poll_events(MemorySegment struct, short fieldValue) { struct.set(poll_events$LAYOUT, poll_events$OFFSET, fieldValue); }

    private static final OfInt poll32_events$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("poll32_events"));
    /** Byte offset of {@code poll32_events}. */
    public static final long poll32_events$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("poll32_events"));
    public static OfInt poll32_events$layout() { return poll32_events$LAYOUT; }
    public static long poll32_events$offset() { return poll32_events$OFFSET; }
    public static int poll32_events(MemorySegment struct) { return struct.get(poll32_events$LAYOUT, poll32_events$OFFSET); }
    public static void poll32_events(MemorySegment struct, int fieldValue) { struct.set(poll32_events$LAYOUT, poll32_events$OFFSET, fieldValue); }

    private static final OfInt msg_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("msg_flags"));
    /** Byte offset of {@code msg_flags}. */
    public static final long msg_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("msg_flags"));
    public static OfInt msg_flags$layout() { return msg_flags$LAYOUT; }
    public static long msg_flags$offset() { return msg_flags$OFFSET; }
    public static int msg_flags(MemorySegment struct) { return struct.get(msg_flags$LAYOUT, msg_flags$OFFSET); }
    public static void msg_flags(MemorySegment struct, int fieldValue) { struct.set(msg_flags$LAYOUT, msg_flags$OFFSET, fieldValue); }

    private static final OfInt timeout_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("timeout_flags"));
    /** Byte offset of {@code timeout_flags}. */
    public static final long timeout_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("timeout_flags"));
    public static OfInt timeout_flags$layout() { return timeout_flags$LAYOUT; }
    public static long timeout_flags$offset() { return timeout_flags$OFFSET; }
    public static int timeout_flags(MemorySegment struct) { return struct.get(timeout_flags$LAYOUT, timeout_flags$OFFSET); }
    public static void timeout_flags(MemorySegment struct, int fieldValue) { struct.set(timeout_flags$LAYOUT, timeout_flags$OFFSET, fieldValue); }

    private static final OfInt accept_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("accept_flags"));
    /** Byte offset of {@code accept_flags}. */
    public static final long accept_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("accept_flags"));
    public static OfInt accept_flags$layout() { return accept_flags$LAYOUT; }
    public static long accept_flags$offset() { return accept_flags$OFFSET; }
    public static int accept_flags(MemorySegment struct) { return struct.get(accept_flags$LAYOUT, accept_flags$OFFSET); }
    public static void accept_flags(MemorySegment struct, int fieldValue) { struct.set(accept_flags$LAYOUT, accept_flags$OFFSET, fieldValue); }

    private static final OfInt cancel_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("cancel_flags"));
    /** Byte offset of {@code cancel_flags}. */
    public static final long cancel_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("cancel_flags"));
    public static OfInt cancel_flags$layout() { return cancel_flags$LAYOUT; }
    public static long cancel_flags$offset() { return cancel_flags$OFFSET; }
    public static int cancel_flags(MemorySegment struct) { return struct.get(cancel_flags$LAYOUT, cancel_flags$OFFSET); }
    public static void cancel_flags(MemorySegment struct, int fieldValue) { struct.set(cancel_flags$LAYOUT, cancel_flags$OFFSET, fieldValue); }

    private static final OfInt uring_cmd_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon3"), groupElement("uring_cmd_flags"));
    /** Byte offset of {@code uring_cmd_flags}. */
    public static final long uring_cmd_flags$OFFSET = $LAYOUT.byteOffset(groupElement("$anon3"), groupElement("uring_cmd_flags"));
    public static OfInt uring_cmd_flags$layout() { return uring_cmd_flags$LAYOUT; }
    public static long uring_cmd_flags$offset() { return uring_cmd_flags$OFFSET; }
    public static int uring_cmd_flags(MemorySegment struct) { return struct.get(uring_cmd_flags$LAYOUT, uring_cmd_flags$OFFSET); }
    public static void uring_cmd_flags(MemorySegment struct, int fieldValue) { struct.set(uring_cmd_flags$LAYOUT, uring_cmd_flags$OFFSET, fieldValue); }

    private static final OfLong user_data$LAYOUT = (OfLong) $LAYOUT.select(groupElement("user_data"));
    /** Byte offset of {@code user_data}. */
    public static final long user_data$OFFSET = $LAYOUT.byteOffset(groupElement("user_data"));
    public static OfLong user_data$layout() { return user_data$LAYOUT; }
    public static long user_data$offset() { return user_data$OFFSET; }
    public static long user_data(MemorySegment struct) { return struct.get(user_data$LAYOUT, user_data$OFFSET); }
    public static void user_data(MemorySegment struct, long fieldValue) { struct.set(user_data$LAYOUT, user_data$OFFSET, fieldValue); }

    private static final OfShort buf_index$LAYOUT = (OfShort) $LAYOUT.select(groupElement("$anon4"), groupElement("buf_index"));
    /** Byte offset of {@code buf_index}. */
    public static final long buf_index$OFFSET = $LAYOUT.byteOffset(groupElement("$anon4"), groupElement("buf_index"));
    public static OfShort buf_index$layout() { return buf_index$LAYOUT; }
    public static long buf_index$offset() { return buf_index$OFFSET; }
    public static short buf_index(MemorySegment struct) { return struct.get(buf_index$LAYOUT, buf_index$OFFSET); }
    public static void buf_index(MemorySegment struct, short fieldValue) { struct.set(buf_index$LAYOUT, buf_index$OFFSET, fieldValue); }

    private static final OfShort buf_group$LAYOUT = (OfShort) $LAYOUT.select(groupElement("$anon4"), groupElement("buf_group"));
    /** Byte offset of {@code buf_group}. */
    public static final long buf_group$OFFSET = $LAYOUT.byteOffset(groupElement("$anon4"), groupElement("buf_group"));
    public static OfShort buf_group$layout() { return buf_group$LAYOUT; }
    public static long buf_group$offset() { return buf_group$OFFSET; }
    public static short buf_group(MemorySegment struct) { return struct.get(buf_group$LAYOUT, buf_group$OFFSET); }
    public static void buf_group(MemorySegment struct, short fieldValue) { struct.set(buf_group$LAYOUT, buf_group$OFFSET, fieldValue); }

    private static final OfShort personality$LAYOUT = (OfShort) $LAYOUT.select(groupElement("personality"));
    /** Byte offset of {@code personality}. */
    public static final long personality$OFFSET = $LAYOUT.byteOffset(groupElement("personality"));
    public static OfShort personality$layout() { return personality$LAYOUT; }
    public static long personality$offset() { return personality$OFFSET; }
    public static short personality(MemorySegment struct) { return struct.get(personality$LAYOUT, personality$OFFSET); }
    public static void personality(MemorySegment struct, short fieldValue) { struct.set(personality$LAYOUT, personality$OFFSET, fieldValue); }

    private static final OfInt splice_fd_in$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon5"), groupElement("splice_fd_in"));
    /** Byte offset of {@code splice_fd_in}. */
    public static final long splice_fd_in$OFFSET = $LAYOUT.byteOffset(groupElement("$anon5"), groupElement("splice_fd_in"));
    public static OfInt splice_fd_in$layout() { return splice_fd_in$LAYOUT; }
    public static long splice_fd_in$offset() { return splice_fd_in$OFFSET; }
    public static int splice_fd_in(MemorySegment struct) { return struct.get(splice_fd_in$LAYOUT, splice_fd_in$OFFSET); }
    public static void splice_fd_in(MemorySegment struct, int fieldValue) { struct.set(splice_fd_in$LAYOUT, splice_fd_in$OFFSET, fieldValue); }

    private static final OfInt file_index$LAYOUT = (OfInt) $LAYOUT.select(groupElement("$anon5"), groupElement("file_index"));
    /** Byte offset of {@code file_index}. */
    public static final long file_index$OFFSET = $LAYOUT.byteOffset(groupElement("$anon5"), groupElement("file_index"));
    public static OfInt file_index$layout() { return file_index$LAYOUT; }
    public static long file_index$offset() { return file_index$OFFSET; }
    public static int file_index(MemorySegment struct) { return struct.get(file_index$LAYOUT, file_index$OFFSET); }
    public static void file_index(MemorySegment struct, int fieldValue) { struct.set(file_index$LAYOUT, file_index$OFFSET, fieldValue); }

    private static final OfShort addr_len$LAYOUT = (OfShort) $LAYOUT.select(groupElement("$anon5"), groupElement("$anon6"), groupElement("addr_len"));
    /** Byte offset of {@code addr_len}. */
    public static final long addr_len$OFFSET = $LAYOUT.byteOffset(groupElement("$anon5"), groupElement("$anon6"), groupElement("addr_len"));
    public static OfShort addr_len$layout() { return addr_len$LAYOUT; }
    public static long addr_len$offset() { return addr_len$OFFSET; }
    public static short addr_len(MemorySegment struct) { return struct.get(addr_len$LAYOUT, addr_len$OFFSET); }
    public static void addr_len(MemorySegment struct, short fieldValue) { struct.set(addr_len$LAYOUT, addr_len$OFFSET, fieldValue); }

    private static final OfLong addr3$LAYOUT = (OfLong) $LAYOUT.select(groupElement("addr3"));
    /** Byte offset of {@code addr3}. */
    public static final long addr3$OFFSET = $LAYOUT.byteOffset(groupElement("addr3"));
    public static OfLong addr3$layout() { return addr3$LAYOUT; }
    public static long addr3$offset() { return addr3$OFFSET; }
    public static long addr3(MemorySegment struct) { return struct.get(addr3$LAYOUT, addr3$OFFSET); }
    public static void addr3(MemorySegment struct, long fieldValue) { struct.set(addr3$LAYOUT, addr3$OFFSET, fieldValue); }
}
