package dev.jwgd.ffm.udp;

import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_LONG;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

/**
 * {@snippet lang=c :
 * struct cmsghdr {
 *     size_t cmsg_len;     // header + payload, without trailing padding: CMSG_LEN(payload)
 *     int cmsg_level;
 *     int cmsg_type;
 *     // unsigned char __cmsg_data[];  CMSG_DATA: at offset 16
 * };                       // 16 bytes, align 8
 * }
 * The {@code CMSG_*} macros of {@code <sys/socket.h>} are static methods here (x86_64 values).
 * The {@code (MemorySegment, long at)} accessors address a header inside a control buffer.
 */
public final class cmsghdr {
    private cmsghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_LONG.withName("cmsg_len"),
            C_INT.withName("cmsg_level"),
            C_INT.withName("cmsg_type")).withName("cmsghdr");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return $LAYOUT.byteSize(); }

    private static final long cmsg_len$OFFSET = $LAYOUT.byteOffset(groupElement("cmsg_len"));
    private static final long cmsg_level$OFFSET = $LAYOUT.byteOffset(groupElement("cmsg_level"));
    private static final long cmsg_type$OFFSET = $LAYOUT.byteOffset(groupElement("cmsg_type"));

    public static long cmsg_len$offset() { return cmsg_len$OFFSET; }
    public static long cmsg_level$offset() { return cmsg_level$OFFSET; }
    public static long cmsg_type$offset() { return cmsg_type$OFFSET; }

    public static long cmsg_len(MemorySegment s, long at) { return s.get(C_LONG, at + cmsg_len$OFFSET); }
    public static void cmsg_len(MemorySegment s, long at, long v) { s.set(C_LONG, at + cmsg_len$OFFSET, v); }
    public static int cmsg_level(MemorySegment s, long at) { return s.get(C_INT, at + cmsg_level$OFFSET); }
    public static void cmsg_level(MemorySegment s, long at, int v) { s.set(C_INT, at + cmsg_level$OFFSET, v); }
    public static int cmsg_type(MemorySegment s, long at) { return s.get(C_INT, at + cmsg_type$OFFSET); }
    public static void cmsg_type(MemorySegment s, long at, int v) { s.set(C_INT, at + cmsg_type$OFFSET, v); }

    /** {@code CMSG_ALIGN(len)}: round up to sizeof(size_t). */
    public static long CMSG_ALIGN(long len) { return (len + 7) & ~7L; }
    /** {@code CMSG_LEN(len)}: cmsg_len for a payload of {@code len} bytes. */
    public static long CMSG_LEN(long len) { return 16 + len; }
    /** {@code CMSG_SPACE(len)}: bytes a cmsg with that payload takes in the control buffer. */
    public static long CMSG_SPACE(long len) { return 16 + CMSG_ALIGN(len); }
    /** Offset of {@code CMSG_DATA} from the header's start. */
    public static long CMSG_DATA_OFFSET() { return 16; }
}
