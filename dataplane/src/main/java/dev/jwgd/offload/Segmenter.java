package dev.jwgd.offload;

import static dev.jwgd.offload.InternetChecksum.IPPROTO_TCP;
import static dev.jwgd.offload.InternetChecksum.IPPROTO_UDP;

import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_F_NEEDS_CSUM;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_NONE;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV4;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV6;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_UDP_L4;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Cuts a TCP or UDP super-packet read from a TUN with {@code IFF_VNET_HDR} into the packets it stands
 * for (TSO / USO done in software, like wireguard-go's {@code gsoSplit} and Linux's
 * {@code tcp_gso_segment} / {@code __udp_gso_segment}), and finishes the checksum of a single packet
 * that arrives with {@code VIRTIO_NET_HDR_F_NEEDS_CSUM} (wireguard-go's {@code gsoNoneChecksum}).
 *
 * <p>Use: {@link #prepare} checks one super-packet and its {@code virtio_net_hdr} values and returns
 * how many packets it holds; {@link #segment} then writes packet {@code k} anywhere, in any order and
 * as often as wanted: it only reads the super-packet, so a caller whose batch fills up can resume at
 * the next {@code k} later. The instance keeps the checked headers between the two; it allocates
 * nothing and never throws for bad input: every problem is a negative {@code REJECT_*} code.
 *
 * <p>Each packet gets: the IP header copied (IPv4: total length, id + k, header checksum; IPv6:
 * payload length), the L4 header copied (TCP: seq + k × gso_size, FIN and PSH only on the last
 * packet, CWR only on the first; UDP: length) and a complete L4 checksum. {@code hdr_len} from the
 * kernel is not trusted: the header length is {@code csum_start} + the TCP data offset, or + 8 for UDP.
 *
 * <p>Not thread-safe: one instance per reader.
 */
public final class Segmenter {
    /** The packet is shorter than its headers, empty, or longer than IP allows (65535 bytes; IPv6 40 + 65535). */
    public static final int REJECT_LENGTH = -1;
    /** A gso_type other than NONE, TCPV4, TCPV6, UDP_L4 (ECN variants included: TUN_F_TSO_ECN is never enabled). */
    public static final int REJECT_GSO_TYPE = -2;
    /** csum_start or csum_offset does not point at the L4 checksum of this packet. */
    public static final int REJECT_CSUM_FIELDS = -3;
    /** The IP version, header length or protocol does not match the gso_type. */
    public static final int REJECT_HEADERS = -4;
    /** gso_size is 0. */
    public static final int REJECT_GSO_SIZE = -5;
    /** A packet does not fit the destination given to {@link #segment}. */
    public static final int REJECT_NO_ROOM = -6;
    /** {@link #segment} was asked for a packet the prepared super-packet does not have (or none is prepared). */
    public static final int REJECT_INDEX = -7;

    /** The longest IPv4 packet. */
    public static final int MAX_IPV4_PACKET = 65535;
    /** The longest IPv6 packet without jumbograms: the header plus a 16-bit payload length. */
    public static final int MAX_IPV6_PACKET = 40 + 65535;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    // The prepared super-packet (valid while count > 0).
    private MemorySegment src;
    private long srcOff;
    private int srcLen;
    private int count;
    private boolean gso;
    private boolean needsCsum;
    private int version;
    private int protocol;
    private int ipHeaderLength;
    private int headerLength;
    private int gsoSize;
    private int csumStart;
    private int csumOffset;

    /** A short name for a {@code REJECT_*} code, for logs and test messages. */
    public static String reason(int code) {
        return switch (code) {
            case REJECT_LENGTH -> "bad length";
            case REJECT_GSO_TYPE -> "unknown gso_type";
            case REJECT_CSUM_FIELDS -> "csum_start/csum_offset out of place";
            case REJECT_HEADERS -> "headers do not match gso_type";
            case REJECT_GSO_SIZE -> "gso_size 0";
            case REJECT_NO_ROOM -> "segment larger than the destination";
            case REJECT_INDEX -> "no such segment";
            default -> code >= 0 ? "ok" : "unknown code " + code;
        };
    }

    /**
     * Checks the packet {@code src[off, off+len)} (starting at its IP header) against the
     * {@code virtio_net_hdr} values it came with, and remembers it for {@link #segment}. Returns the
     * number of packets it stands for (1 for GSO_NONE), or a {@code REJECT_*} code.
     */
    public int prepare(MemorySegment src, long off, int len, int flags, int gsoType, int gsoSize, int csumStart, int csumOffset) {
        this.count = 0;
        this.src = null;
        if (len <= 0 || len > MAX_IPV6_PACKET || off < 0 || off + len > src.byteSize()) return REJECT_LENGTH;
        boolean needs = (flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0;
        if (gsoType == VIRTIO_NET_HDR_GSO_NONE) {
            if (needs && (csumStart > len || csumOffset > len || csumStart + csumOffset + 2 > len)) return REJECT_CSUM_FIELDS;
            remember(src, off, len, false, needs, 0, 0, 0, len, 0, csumStart, csumOffset);
            this.count = 1;
            return 1;
        }
        int wantVersion;
        int wantProtocol;
        switch (gsoType) {
            case VIRTIO_NET_HDR_GSO_TCPV4 -> { wantVersion = 4; wantProtocol = IPPROTO_TCP; }
            case VIRTIO_NET_HDR_GSO_TCPV6 -> { wantVersion = 6; wantProtocol = IPPROTO_TCP; }
            case VIRTIO_NET_HDR_GSO_UDP_L4 -> { wantVersion = 0; wantProtocol = IPPROTO_UDP; }
            default -> { return REJECT_GSO_TYPE; }
        }
        if (gsoSize == 0) return REJECT_GSO_SIZE;
        int v = (src.get(ValueLayout.JAVA_BYTE, off) >>> 4) & 0xf;
        if ((v != 4 && v != 6) || (wantVersion != 0 && v != wantVersion)) return REJECT_HEADERS;
        int iph;
        int proto;
        if (v == 4) {
            if (len < 20 || len > MAX_IPV4_PACKET) return REJECT_LENGTH;
            iph = (src.get(ValueLayout.JAVA_BYTE, off) & 0xf) * 4;
            proto = Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, off + 9));
            // A fragment cannot be a segmentation source.
            if (iph < 20 || (src.get(BE16, off + 6) & 0x3fff) != 0) return REJECT_HEADERS;
        } else {
            if (len < 40) return REJECT_LENGTH;
            iph = 40;
            proto = Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, off + 6));   // no extension headers
        }
        if (proto != wantProtocol) return REJECT_HEADERS;
        if (csumStart != iph) return REJECT_CSUM_FIELDS;
        int l4h;
        if (proto == IPPROTO_TCP) {
            if (csumOffset != 16) return REJECT_CSUM_FIELDS;
            if (len < iph + 20) return REJECT_LENGTH;
            l4h = ((src.get(ValueLayout.JAVA_BYTE, off + iph + 12) >>> 4) & 0xf) * 4;
            if (l4h < 20) return REJECT_HEADERS;
        } else {
            if (csumOffset != 6) return REJECT_CSUM_FIELDS;
            l4h = 8;
        }
        int hdr = iph + l4h;
        if (len <= hdr) return REJECT_LENGTH;   // a super-packet without payload
        remember(src, off, len, true, needs, v, proto, iph, hdr, gsoSize, csumStart, csumOffset);
        this.count = (len - hdr + gsoSize - 1) / gsoSize;
        return count;
    }

    private void remember(MemorySegment s, long off, int len, boolean gso, boolean needs, int v, int proto, int iph,
            int hdr, int size, int cstart, int coff) {
        this.src = s;
        this.srcOff = off;
        this.srcLen = len;
        this.gso = gso;
        this.needsCsum = needs;
        this.version = v;
        this.protocol = proto;
        this.ipHeaderLength = iph;
        this.headerLength = hdr;
        this.gsoSize = size;
        this.csumStart = cstart;
        this.csumOffset = coff;
    }

    /** The number of packets of the prepared super-packet (0 when none is prepared). */
    public int segmentCount() {
        return count;
    }

    /** The header length {@link #prepare} derived (IP + L4), for diagnostics; the whole packet for GSO_NONE. */
    public int headerLength() {
        return headerLength;
    }

    /**
     * Writes packet {@code k} (0-based) of the prepared super-packet to {@code dst} at {@code dstOff},
     * using at most {@code capacity} bytes; returns its length or a {@code REJECT_*} code. The
     * destination must not overlap the super-packet.
     */
    public int segment(int k, MemorySegment dst, long dstOff, int capacity) {
        if (k < 0 || k >= count) return REJECT_INDEX;
        if (!gso) {
            if (srcLen > capacity || dstOff < 0 || dstOff + srcLen > dst.byteSize()) return REJECT_NO_ROOM;
            MemorySegment.copy(src, srcOff, dst, dstOff, srcLen);
            if (needsCsum) completeChecksum(dst, dstOff, srcLen, csumStart, csumOffset);
            return srcLen;
        }
        int payloadAt = headerLength + k * gsoSize;
        int payload = Math.min(gsoSize, srcLen - payloadAt);
        int len = headerLength + payload;
        if (len > capacity || dstOff < 0 || dstOff + len > dst.byteSize()) return REJECT_NO_ROOM;
        boolean last = k == count - 1;
        MemorySegment.copy(src, srcOff, dst, dstOff, headerLength);
        MemorySegment.copy(src, srcOff + payloadAt, dst, dstOff + headerLength, payload);
        if (version == 4) {
            dst.set(BE16, dstOff + 2, (short) len);
            dst.set(BE16, dstOff + 4, (short) (src.get(BE16, srcOff + 4) + k));
            dst.set(BE16, dstOff + 10, (short) 0);
            dst.set(BE16, dstOff + 10, (short) InternetChecksum.checksum(dst, dstOff, ipHeaderLength, 0));
        } else {
            dst.set(BE16, dstOff + 4, (short) (len - 40));
        }
        long l4 = dstOff + ipHeaderLength;
        int l4Length = len - ipHeaderLength;
        if (protocol == IPPROTO_TCP) {
            dst.set(BE32, l4 + 4, src.get(BE32, srcOff + ipHeaderLength + 4) + k * gsoSize);
            int flags = Byte.toUnsignedInt(dst.get(ValueLayout.JAVA_BYTE, l4 + 13));
            if (!last) flags &= ~(TCP_FIN | TCP_PSH);
            if (k > 0) flags &= ~TCP_CWR;
            dst.set(ValueLayout.JAVA_BYTE, l4 + 13, (byte) flags);
        } else {
            dst.set(BE16, l4 + 4, (short) l4Length);
        }
        dst.set(BE16, l4 + csumOffset, (short) 0);
        int pseudo = InternetChecksum.pseudoHeader(version, dst, dstOff, protocol, l4Length);
        int sum = InternetChecksum.checksum(dst, l4, l4Length, pseudo);
        if (sum == 0 && protocol == IPPROTO_UDP) sum = 0xffff;   // 0 means "no checksum" in UDP (RFC 768)
        dst.set(BE16, l4 + csumOffset, (short) sum);
        return len;
    }

    /**
     * Finishes a {@code CHECKSUM_PARTIAL} packet in place: the 16-bit field at {@code csumStart + csumOffset}
     * holds the pseudo-header sum; sums from {@code csumStart} to the end with it and stores the complement
     * (0 stored as 0xffff, as the kernel's {@code skb_checksum_help} does). Returns 0, or
     * {@link #REJECT_CSUM_FIELDS} when the field is not inside the packet.
     */
    public static int completeChecksum(MemorySegment pkt, long off, int len, int csumStart, int csumOffset) {
        if (csumStart < 0 || csumOffset < 0 || csumStart > len || csumOffset > len || csumStart + csumOffset + 2 > len
                || off < 0 || off + len > pkt.byteSize()) {
            return REJECT_CSUM_FIELDS;
        }
        long at = off + csumStart + csumOffset;
        int initial = Short.toUnsignedInt(pkt.get(BE16, at));
        pkt.set(BE16, at, (short) 0);
        int sum = InternetChecksum.checksum(pkt, off + csumStart, len - csumStart, initial);
        pkt.set(BE16, at, (short) (sum == 0 ? 0xffff : sum));
        return 0;
    }
}
