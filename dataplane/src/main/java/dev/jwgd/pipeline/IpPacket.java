package dev.jwgd.pipeline;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads the few IPv4/IPv6 header fields the data path needs (version, length, source and
 * destination) straight from a packet in a {@link MemorySegment}. Static, allocation-free; every
 * method takes the offset of the packet's first byte.
 */
public final class IpPacket {
    private IpPacket() {}

    public static final int V4_HEADER = 20;
    public static final int V6_HEADER = 40;
    public static final int V4_SRC = 12;
    public static final int V4_DST = 16;
    public static final int V6_SRC = 8;
    public static final int V6_DST = 24;

    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** 4, 6, or 0 when {@code length} is too short for that version's header. */
    public static int version(MemorySegment s, long off, int length) {
        if (length < 1) return 0;
        int v = (s.get(ValueLayout.JAVA_BYTE, off) >>> 4) & 0xf;
        if (v == 4 && length >= V4_HEADER) return 4;
        if (v == 6 && length >= V6_HEADER) return 6;
        return 0;
    }

    /**
     * The length the IP header claims (v4 total length; v6 40 + payload length), or -1 when it is
     * shorter than the header or longer than {@code available}: such packets are dropped.
     */
    public static int claimedLength(MemorySegment s, long off, int available) {
        int v = version(s, off, available);
        int len;
        if (v == 4) {
            len = Short.toUnsignedInt(s.get(BE16, off + 2));
            if (len < V4_HEADER) return -1;
        } else if (v == 6) {
            len = V6_HEADER + Short.toUnsignedInt(s.get(BE16, off + 4));
        } else {
            return -1;
        }
        return len <= available ? len : -1;
    }

    public static int v4Source(MemorySegment s, long off) { return s.get(BE32, off + V4_SRC); }

    public static int v4Destination(MemorySegment s, long off) { return s.get(BE32, off + V4_DST); }

    public static long v6SourceHigh(MemorySegment s, long off) { return s.get(BE64, off + V6_SRC); }

    public static long v6SourceLow(MemorySegment s, long off) { return s.get(BE64, off + V6_SRC + 8); }

    public static long v6DestinationHigh(MemorySegment s, long off) { return s.get(BE64, off + V6_DST); }

    public static long v6DestinationLow(MemorySegment s, long off) { return s.get(BE64, off + V6_DST + 8); }
}
