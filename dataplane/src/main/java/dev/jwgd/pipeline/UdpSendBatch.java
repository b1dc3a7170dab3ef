package dev.jwgd.pipeline;

import dev.jwgd.ffm.udp.UdpBatch;
import dev.jwgd.ffm.udp.UdpSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One sendmmsg batch of {@link UdpSocketEnd}, filled from a {@link PacketBatch} with UDP GSO coalescing
 * (wireguard-go {@code conn/bind_std.go} {@code coalesceMessages}; linux-ffm.md 2.4): consecutive
 * datagrams with the same destination and the same length are copied back to back into one message
 * whose UDP_SEGMENT control message makes the kernel cut them apart again. A datagram shorter than
 * the first one of its message is the last of that message. Without GSO every datagram is a message
 * of its own.
 *
 * <p>For each message it remembers where in {@code indexes} its datagrams came from, so that a message
 * the kernel refuses as a GSO send can be rebuilt datagram by datagram. Used by one sender at a time
 * (see {@link UdpSendPool}); filling allocates nothing.
 */
final class UdpSendBatch {
    /** Segments per GSO message: the limit every kernel accepts (6.9+ takes 128). */
    static final int MAX_SEGMENTS = UdpSocket.GSO_MAX_SEGMENTS_PORTABLE;
    /** Bytes per GSO message, below the IPv4 limit of 65507 as wireguard-go keeps it. */
    static final int MAX_BYTES = 65000;

    private static final long V4_MAPPED = 0xffff00000000L;

    final UdpBatch udp;
    private final int maxDatagram;
    /** Messages filled by the last {@link #fill}. */
    int messages;
    /** Datagrams the last {@link #fill} passed over: no destination, too long, or IPv6 on an IPv4 socket. */
    int skipped;
    /** Per message: the positions in {@code indexes} of its first and last datagram, its datagram count, bytes and segment size. */
    final int[] first;
    final int[] last;
    final int[] datagrams;
    final int[] bytes;
    final int[] segment;

    /**
     * {@code slots} messages of {@code messageSize} bytes each; datagrams longer than {@code maxDatagram}
     * (at most messageSize) are not sent.
     */
    UdpSendBatch(int slots, int messageSize, int maxDatagram) {
        if (maxDatagram > messageSize) throw new IllegalArgumentException("datagram limit " + maxDatagram + " above message size " + messageSize);
        this.udp = new UdpBatch(slots, messageSize, Arena.ofAuto());
        this.maxDatagram = maxDatagram;
        this.first = new int[slots];
        this.last = new int[slots];
        this.datagrams = new int[slots];
        this.bytes = new int[slots];
        this.segment = new int[slots];
    }

    /**
     * Off-heap bytes of a {@link UdpBatch} of this geometry, about: the buffers plus per slot an
     * mmsghdr (64), iovec (16), sockaddr (32) and the control space.
     */
    static long offHeapBytes(int slots, int bufferSize) {
        return (long) slots * (bufferSize + 64 + 16 + 32 + UdpBatch.CONTROL_SPACE);
    }

    /**
     * Fills messages from {@code indexes[k..n)} until they are used up or the messages are full, and
     * returns the position after the last datagram taken. {@code gso} allows coalescing, but not for
     * datagrams at positions below {@code plainBefore} (a group the kernel refused, sent again one by one).
     */
    int fill(PacketBatch batch, int[] indexes, int k, int n, boolean dual, boolean gso, int plainBefore) {
        UdpBatch u = udp;
        int slots = u.slots();
        int m = -1;
        boolean open = false;          // message m may take another datagram of its size
        Endpoint groupTo = null;
        skipped = 0;
        while (k < n) {
            int i = indexes[k];
            Endpoint to = batch.destination[i];
            int len = batch.length[i];
            if (to == null || len > maxDatagram || (to.isV6() && !dual)) {
                skipped++;
                k++;
                continue;
            }
            if (open && len <= segment[m] && datagrams[m] < MAX_SEGMENTS && bytes[m] + len <= MAX_BYTES
                    && (to == groupTo || to.equals(groupTo))) {
                MemorySegment.copy(batch.slot(i), batch.offset[i], u.buffer(m), bytes[m], len);
                bytes[m] += len;
                datagrams[m]++;
                last[m] = k;
                if (len < segment[m]) open = false;   // a short segment ends the message
                k++;
                continue;
            }
            if (m + 1 == slots) break;
            m++;
            if (to.isV6()) {
                u.setAddressIPv6(m, to.high(), to.low(), to.port(), 0);
            } else if (dual) {
                u.setAddressIPv6(m, 0, V4_MAPPED | (to.v4() & 0xffffffffL), to.port(), 0);
            } else {
                u.setAddressIPv4(m, to.v4(), to.port());
            }
            MemorySegment.copy(batch.slot(i), batch.offset[i], u.buffer(m), 0, len);
            first[m] = k;
            last[m] = k;
            datagrams[m] = 1;
            bytes[m] = len;
            segment[m] = len;
            groupTo = to;
            open = gso && len > 0 && k >= plainBefore;
            k++;
        }
        messages = m + 1;
        for (int j = 0; j < messages; j++) {
            u.setLength(j, bytes[j]);
            u.setSegmentSize(j, datagrams[j] > 1 ? segment[j] : 0);
        }
        return k;
    }
}
