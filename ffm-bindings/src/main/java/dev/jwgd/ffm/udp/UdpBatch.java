package dev.jwgd.ffm.udp;

import static dev.jwgd.ffm.C.C_INT;
import static dev.jwgd.ffm.C.C_LONG;
import static dev.jwgd.ffm.C.C_POINTER;
import static dev.jwgd.ffm.C.C_SHORT;

import dev.jwgd.ffm.libc.Sockets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * N reusable datagram slots for {@code sendmmsg}/{@code recvmmsg} (linux-ffm.md 2.2-2.4): each slot has
 * a payload buffer, a sockaddr (destination on send, source on receive), an iovec, an mmsghdr and a
 * control buffer, all carved from one off-heap segment and wired together once at construction.
 *
 * <p>Send: fill {@link #buffer}, {@link #setLength}, {@link #setAddressIPv4}/{@link #setAddressIPv6},
 * optionally {@link #setSegmentSize} (UDP GSO: the payload is cut into datagrams of that size) and a
 * source address ({@link #setSourceIPv4}); then {@link UdpSocket#send}. Receive: {@link UdpSocket#receive}
 * fills {@link #length}, the source address, and from the control messages the GRO segment size
 * ({@link #groSegmentSize}) and the local address the datagram came to ({@link #localIPv4} ...).
 *
 * <p>A batch belongs to one thread at a time; nothing is allocated after construction except by the
 * {@code InetSocketAddress} convenience methods, which are for the control path and tests.
 * An IPv4 peer on a dual-stack IPv6 socket is the mapped address {@code (0, 0xffff00000000L | ipv4)}.
 */
public final class UdpBatch {
    static final long MSG_STRIDE = 64;     // sizeof(struct mmsghdr)
    static final long IOV_STRIDE = 16;     // sizeof(struct iovec)
    static final long NAME_STRIDE = 32;    // sizeof(struct sockaddr_in6) = 28, rounded up
    static final int SOCKADDR_IN_SIZE = 16;
    static final int SOCKADDR_IN6_SIZE = 28;
    /** Control bytes per slot: room for IPV6_PKTINFO(40) + IP_PKTINFO(32) + UDP_GRO(24) on a dual-stack receive. */
    public static final int CONTROL_SPACE = 128;

    private static final long HDR = mmsghdr.msg_hdr$offset();
    private static final long NAME = HDR + msghdr.msg_name$offset();
    private static final long NAMELEN = HDR + msghdr.msg_namelen$offset();
    private static final long IOV = HDR + msghdr.msg_iov$offset();
    private static final long IOVLEN = HDR + msghdr.msg_iovlen$offset();
    private static final long CONTROL = HDR + msghdr.msg_control$offset();
    private static final long CONTROLLEN = HDR + msghdr.msg_controllen$offset();
    private static final long FLAGS = HDR + msghdr.msg_flags$offset();
    private static final long MSG_LEN = mmsghdr.msg_len$offset();

    private final int slots;
    private final int bufferSize;
    private final MemorySegment memory;
    private final long iovBase, nameBase, controlBase, bufferBase;
    private final MemorySegment[] messages;   // slot i's mmsghdr, for passing &msgvec[i] without slicing per call
    private final MemorySegment[] buffers;
    // send-side options
    private final int[] segmentSize;
    private final int[] sourceFamily;
    private final int[] sourceIPv4;
    private final long[] sourceHi, sourceLo;
    private final int[] sourceIfindex;
    // receive-side results, parsed from the control messages
    private final int[] groSize;
    private final int[] localFamily;
    private final int[] localIPv4;
    private final long[] localHi, localLo;
    private final int[] localIfindex;

    public UdpBatch(int slots, int bufferSize, Arena arena) {
        if (slots <= 0 || slots > 1024) throw new IllegalArgumentException("slots must be 1..1024 (UIO_MAXIOV), got " + slots);
        if (bufferSize <= 0 || bufferSize > 65535) throw new IllegalArgumentException("bufferSize must be 1..65535, got " + bufferSize);
        this.slots = slots;
        this.bufferSize = bufferSize;
        this.iovBase = slots * MSG_STRIDE;
        this.nameBase = iovBase + slots * IOV_STRIDE;
        this.controlBase = nameBase + slots * NAME_STRIDE;
        this.bufferBase = (controlBase + (long) slots * CONTROL_SPACE + 63) & ~63L;
        this.memory = arena.allocate(bufferBase + (long) slots * bufferSize, 64);
        this.messages = new MemorySegment[slots];
        this.buffers = new MemorySegment[slots];
        this.segmentSize = new int[slots];
        this.sourceFamily = new int[slots];
        this.sourceIPv4 = new int[slots];
        this.sourceHi = new long[slots];
        this.sourceLo = new long[slots];
        this.sourceIfindex = new int[slots];
        this.groSize = new int[slots];
        this.localFamily = new int[slots];
        this.localIPv4 = new int[slots];
        this.localHi = new long[slots];
        this.localLo = new long[slots];
        this.localIfindex = new int[slots];
        for (int i = 0; i < slots; i++) {
            long m = i * MSG_STRIDE;
            long iov = iovBase + i * IOV_STRIDE;
            messages[i] = memory.asSlice(m, MSG_STRIDE);
            buffers[i] = memory.asSlice(bufferBase + (long) i * bufferSize, bufferSize);
            memory.set(C_POINTER, m + NAME, memory.asSlice(nameBase + i * NAME_STRIDE));
            memory.set(C_INT, m + NAMELEN, SOCKADDR_IN6_SIZE);
            memory.set(C_POINTER, m + IOV, memory.asSlice(iov));
            memory.set(C_LONG, m + IOVLEN, 1L);
            memory.set(C_POINTER, m + CONTROL, memory.asSlice(controlBase + (long) i * CONTROL_SPACE));
            memory.set(C_POINTER, iov + iovec.iov_base$offset(), buffers[i]);
            memory.set(C_LONG, iov + iovec.iov_len$offset(), (long) bufferSize);
        }
    }

    public int slots() { return slots; }

    public int bufferSize() { return bufferSize; }

    /** Slot {@code i}'s payload buffer (a slice made at construction). */
    public MemorySegment buffer(int i) { return buffers[i]; }

    /** Bytes the last send or receive moved for slot {@code i} (the kernel's msg_len). */
    public int length(int i) { return memory.get(C_INT, i * MSG_STRIDE + MSG_LEN); }

    /** Payload bytes to send from slot {@code i}. */
    public void setLength(int i, int length) {
        if (length < 0 || length > bufferSize) throw new IndexOutOfBoundsException("length " + length + " outside 0.." + bufferSize);
        memory.set(C_LONG, iovBase + i * IOV_STRIDE + iovec.iov_len$offset(), (long) length);
    }

    /** msg_flags of the last receive into slot {@code i} (MSG_TRUNC, MSG_CTRUNC). */
    public int messageFlags(int i) { return memory.get(C_INT, i * MSG_STRIDE + FLAGS); }

    /** The payload or the control data did not fit: the datagram was cut. */
    public boolean truncated(int i) { return (messageFlags(i) & (Sockets.MSG_TRUNC | Sockets.MSG_CTRUNC)) != 0; }

    // ---- slot address: destination for send, source after receive ----

    public void setAddressIPv4(int i, int address, int port) {
        long n = nameBase + i * NAME_STRIDE;
        memory.set(C_LONG, n, 0L);
        memory.set(C_LONG, n + 8, 0L);
        memory.set(C_SHORT, n + sockaddr_in.sin_family$offset(), (short) Sockets.AF_INET);
        memory.set(sockaddr_in.BE_SHORT, n + sockaddr_in.sin_port$offset(), (short) port);
        memory.set(sockaddr_in.BE_INT, n + sockaddr_in.sin_addr$offset(), address);
        memory.set(C_INT, i * MSG_STRIDE + NAMELEN, SOCKADDR_IN_SIZE);
    }

    public void setAddressIPv6(int i, long hi, long lo, int port, int scopeId) {
        long n = nameBase + i * NAME_STRIDE;
        memory.set(C_SHORT, n + sockaddr_in6.sin6_family$offset(), (short) Sockets.AF_INET6);
        memory.set(sockaddr_in.BE_SHORT, n + sockaddr_in6.sin6_port$offset(), (short) port);
        memory.set(C_INT, n + sockaddr_in6.sin6_flowinfo$offset(), 0);
        memory.set(sockaddr_in6.BE_LONG, n + sockaddr_in6.sin6_addr$offset(), hi);
        memory.set(sockaddr_in6.BE_LONG, n + sockaddr_in6.sin6_addr$offset() + 8, lo);
        memory.set(C_INT, n + sockaddr_in6.sin6_scope_id$offset(), scopeId);
        memory.set(C_INT, i * MSG_STRIDE + NAMELEN, SOCKADDR_IN6_SIZE);
    }

    /** Copies slot {@code j}'s address of {@code from} into slot {@code i}: reply to a sender. */
    public void copyAddress(int i, UdpBatch from, int j) {
        MemorySegment.copy(from.memory, from.nameBase + j * NAME_STRIDE, memory, nameBase + i * NAME_STRIDE, NAME_STRIDE);
        memory.set(C_INT, i * MSG_STRIDE + NAMELEN, from.memory.get(C_INT, j * MSG_STRIDE + NAMELEN));
    }

    /** AF_INET or AF_INET6. */
    public int addressFamily(int i) { return memory.get(C_SHORT, nameBase + i * NAME_STRIDE); }

    /** The port (both families keep it at offset 2). */
    public int addressPort(int i) { return Short.toUnsignedInt(memory.get(sockaddr_in.BE_SHORT, nameBase + i * NAME_STRIDE + 2)); }

    public int addressIPv4(int i) { return memory.get(sockaddr_in.BE_INT, nameBase + i * NAME_STRIDE + sockaddr_in.sin_addr$offset()); }

    public long addressIPv6Hi(int i) { return memory.get(sockaddr_in6.BE_LONG, nameBase + i * NAME_STRIDE + sockaddr_in6.sin6_addr$offset()); }

    public long addressIPv6Lo(int i) { return memory.get(sockaddr_in6.BE_LONG, nameBase + i * NAME_STRIDE + sockaddr_in6.sin6_addr$offset() + 8); }

    /** Control-path convenience: sets the address from a resolved {@link InetSocketAddress}. */
    public void setAddress(int i, InetSocketAddress a) {
        if (a.isUnresolved()) throw new IllegalArgumentException("unresolved address " + a);
        switch (a.getAddress()) {
            case Inet4Address v4 -> setAddressIPv4(i, ByteBuffer.wrap(v4.getAddress()).getInt(), a.getPort());
            case Inet6Address v6 -> {
                ByteBuffer b = ByteBuffer.wrap(v6.getAddress());
                setAddressIPv6(i, b.getLong(), b.getLong(), a.getPort(), v6.getScopeId());
            }
            default -> throw new IllegalArgumentException("not an IP address: " + a);
        }
    }

    /** Control-path convenience: the slot's address as an {@link InetSocketAddress} (allocates). */
    public InetSocketAddress address(int i) {
        try {
            if (addressFamily(i) == Sockets.AF_INET) {
                return new InetSocketAddress(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(addressIPv4(i)).array()), addressPort(i));
            }
            byte[] b = ByteBuffer.allocate(16).putLong(addressIPv6Hi(i)).putLong(addressIPv6Lo(i)).array();
            return new InetSocketAddress(InetAddress.getByAddress(b), addressPort(i));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);   // cannot happen for 4- and 16-byte arrays
        }
    }

    // ---- send options ----

    /**
     * UDP GSO for slot {@code i}: the payload leaves as datagrams of {@code size} bytes (the last may be
     * shorter); 0 = off. At most {@link UdpSocket#GSO_MAX_SEGMENTS_PORTABLE} segments and
     * {@link UdpSocket#MAX_PAYLOAD_IPV4} bytes in all. A send failing with -EIO means the egress device
     * cannot checksum: stop using GSO on that socket, as wireguard-go does.
     */
    public void setSegmentSize(int i, int size) {
        if (size < 0 || size > 65535) throw new IllegalArgumentException("segment size " + size);
        segmentSize[i] = size;
    }

    public int segmentSize(int i) { return segmentSize[i]; }

    /** Send slot {@code i} from this local IPv4 address (IP_PKTINFO ipi_spec_dst); ifindex 0 = any. */
    public void setSourceIPv4(int i, int address, int ifindex) {
        sourceFamily[i] = Sockets.AF_INET;
        sourceIPv4[i] = address;
        sourceIfindex[i] = ifindex;
    }

    /** Send slot {@code i} from this local IPv6 address (IPV6_PKTINFO); also works for ::ffff:a.b.c.d on dual-stack. */
    public void setSourceIPv6(int i, long hi, long lo, int ifindex) {
        sourceFamily[i] = Sockets.AF_INET6;
        sourceHi[i] = hi;
        sourceLo[i] = lo;
        sourceIfindex[i] = ifindex;
    }

    /** Let the kernel pick slot {@code i}'s source address again. */
    public void clearSource(int i) { sourceFamily[i] = 0; }

    // ---- receive results ----

    /** The UDP_GRO segment size of the last receive into slot {@code i}, or 0 when the datagram was not coalesced. */
    public int groSegmentSize(int i) { return groSize[i]; }

    /** AF_INET or AF_INET6 when the last receive carried pktinfo, else 0. */
    public int localFamily(int i) { return localFamily[i]; }

    /** The local IPv4 address the datagram was addressed to (IP_PKTINFO ipi_spec_dst), or 0. */
    public int localIPv4(int i) { return localIPv4[i]; }

    public long localIPv6Hi(int i) { return localHi[i]; }

    public long localIPv6Lo(int i) { return localLo[i]; }

    /** The interface the datagram came in on (from pktinfo), or 0. */
    public int localIfindex(int i) { return localIfindex[i]; }

    // ---- used by UdpSocket ----

    MemorySegment message(int i) { return messages[i]; }

    /** Writes slot i's control messages (pktinfo source, GSO size) and sets msg_controllen. */
    void prepareSend(int i) {
        long c = controlBase + (long) i * CONTROL_SPACE;
        long used = 0;
        int family = sourceFamily[i];
        if (family == Sockets.AF_INET) {
            cmsghdr.cmsg_len(memory, c, cmsghdr.CMSG_LEN(12));
            cmsghdr.cmsg_level(memory, c, in_h.SOL_IP);
            cmsghdr.cmsg_type(memory, c, in_h.IP_PKTINFO);
            in_pktinfo.ipi_ifindex(memory, c + 16, sourceIfindex[i]);
            in_pktinfo.ipi_spec_dst(memory, c + 16, sourceIPv4[i]);
            in_pktinfo.ipi_addr(memory, c + 16, 0);
            used = cmsghdr.CMSG_SPACE(12);
        } else if (family == Sockets.AF_INET6) {
            cmsghdr.cmsg_len(memory, c, cmsghdr.CMSG_LEN(20));
            cmsghdr.cmsg_level(memory, c, in_h.SOL_IPV6);
            cmsghdr.cmsg_type(memory, c, in_h.IPV6_PKTINFO);
            in6_pktinfo.ipi6_addr(memory, c + 16, sourceHi[i], sourceLo[i]);
            in6_pktinfo.ipi6_ifindex(memory, c + 16, sourceIfindex[i]);
            used = cmsghdr.CMSG_SPACE(20);
        }
        int gso = segmentSize[i];
        if (gso > 0) {
            long g = c + used;
            cmsghdr.cmsg_len(memory, g, cmsghdr.CMSG_LEN(2));   // must be exactly CMSG_LEN(2): a u16 payload
            cmsghdr.cmsg_level(memory, g, in_h.SOL_UDP);
            cmsghdr.cmsg_type(memory, g, in_h.UDP_SEGMENT);
            memory.set(C_SHORT, g + 16, (short) gso);
            used += cmsghdr.CMSG_SPACE(2);
        }
        memory.set(C_LONG, i * MSG_STRIDE + CONTROLLEN, used);
    }

    /** Resets the in/out lengths of slot i to their capacities before a receive. */
    void prepareReceive(int i) {
        long m = i * MSG_STRIDE;
        memory.set(C_INT, m + NAMELEN, SOCKADDR_IN6_SIZE);
        memory.set(C_LONG, m + CONTROLLEN, (long) CONTROL_SPACE);
        memory.set(C_INT, m + FLAGS, 0);
        memory.set(C_LONG, iovBase + i * IOV_STRIDE + iovec.iov_len$offset(), (long) bufferSize);
    }

    /** Slot i's control buffer (tests write crafted control messages into it). */
    MemorySegment controlBuffer(int i) { return memory.asSlice(controlBase + (long) i * CONTROL_SPACE, CONTROL_SPACE); }

    /** Sets slot i's msg_controllen as the kernel would after a receive. */
    void setControlLength(int i, long length) { memory.set(C_LONG, i * MSG_STRIDE + CONTROLLEN, length); }

    /** Records a recvmsg length in msg_len, as recvmmsg does, so that {@link #length} works for both. */
    void setReceivedLength(int i, int n) { memory.set(C_INT, i * MSG_STRIDE + MSG_LEN, n); }

    /** Walks slot i's received control messages (CMSG_FIRSTHDR/CMSG_NXTHDR) and records GRO size and pktinfo. */
    void parseControl(int i) {
        groSize[i] = 0;
        localFamily[i] = 0;
        localIPv4[i] = 0;
        localHi[i] = 0;
        localLo[i] = 0;
        localIfindex[i] = 0;
        long start = controlBase + (long) i * CONTROL_SPACE;
        long end = start + Math.min(memory.get(C_LONG, i * MSG_STRIDE + CONTROLLEN), CONTROL_SPACE);
        long c = start;
        while (c + 16 <= end) {
            long len = cmsghdr.cmsg_len(memory, c);
            if (len < 16 || len > end - c) break;                 // malformed: stop rather than read past the buffer
            int level = cmsghdr.cmsg_level(memory, c);
            int type = cmsghdr.cmsg_type(memory, c);
            long data = c + 16;
            long payload = len - 16;
            if (level == in_h.SOL_UDP && type == in_h.UDP_GRO && payload >= 2) {
                // the kernel writes an int (cmsg_len 20); read the low 16 bits as wireguard-go does
                groSize[i] = Short.toUnsignedInt(memory.get(C_SHORT, data));
            } else if (level == in_h.SOL_IP && type == in_h.IP_PKTINFO && payload >= 12) {
                // a dual-stack socket gets both IP_PKTINFO and IPV6_PKTINFO: the family stays AF_INET6 then
                if (localFamily[i] != Sockets.AF_INET6) localFamily[i] = Sockets.AF_INET;
                localIPv4[i] = in_pktinfo.ipi_spec_dst(memory, data);
                localIfindex[i] = in_pktinfo.ipi_ifindex(memory, data);
            } else if (level == in_h.SOL_IPV6 && type == in_h.IPV6_PKTINFO && payload >= 20) {
                localFamily[i] = Sockets.AF_INET6;
                localHi[i] = in6_pktinfo.ipi6_addr_hi(memory, data);
                localLo[i] = in6_pktinfo.ipi6_addr_lo(memory, data);
                localIfindex[i] = in6_pktinfo.ipi6_ifindex(memory, data);
            }
            c += cmsghdr.CMSG_ALIGN(len);
        }
    }
}
