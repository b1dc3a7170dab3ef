package dev.jwgd.offload;

import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_UDP_L4;
import static dev.jwgd.offload.InternetChecksum.IPPROTO_UDP;

import dev.jwgd.ffm.tun.virtio_net_hdr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * UDP receive coalescing in software (wireguard-go's {@code udpGRO}, Linux's
 * {@code udp_gro_receive_segment}): merges consecutive datagrams of one flow from a run of plaintext
 * packets into USO super-packets ({@code VIRTIO_NET_HDR_GSO_UDP_L4}) that a TUN with
 * {@code TUN_F_USO4|TUN_F_USO6} takes in one write; the kernel cuts them back into the datagrams.
 *
How a batch goes through it: {@link Coalescer}.
 *
 * <p>A datagram joins the open group of its flow (same addresses and ports) only if: IPv4 without
 * options or fragmentation and with a valid header checksum, or IPv6 without extension headers; the IP
 * and UDP length fields match the packet (no padding); TOS/traffic class, flow label, DF and TTL/hop
 * limit equal the group's; its payload is not empty and not larger than the group's segment size (the
 * first datagram's payload); the group stays within 65535 IP bytes and {@value #MAX_SEGMENTS} datagrams;
 * and its UDP checksum, and the first datagram's, are valid. A zero UDP checksum never merges: over
 * IPv4 it means "no checksum", and Linux's GRO keeps such datagrams apart for symmetry with GSO (which
 * always fills the checksum); over IPv6 it is invalid and left to the kernel to drop. A shorter datagram
 * ends its group. A UDP packet of the flow that cannot join ends the group too, so per-flow order is
 * kept, and so does, for every group between its addresses, an IPv4 later fragment or an IPv6 packet
 * with an extension header (its ports are not at hand); outputs come in the order of each group's first packet. Up to {@code maxFlows} groups are open
 * at once (the least recently used is closed to make room). Only groups of two or more datagrams
 * become super-packets: the kernel treats a GSO packet of one segment as not GSO.
 *
 * <p>IPv4 identification fields are not compared: UDP has no use for them, the kernel's GRO does not
 * compare them either, and the kernel's segmentation numbers the datagrams from the first one's id.
 *
 * <p>A coalesced output has {@code flags = NEEDS_CSUM}, {@code gso_type = UDP_L4}, {@code gso_size}
 * the segment size, {@code hdr_len} IP header + 8, {@code csum_start} the IP header length,
 * {@code csum_offset = 6}; IPv4 total length and header checksum (IPv6 payload length) and the UDP
 * length cover the whole, and the UDP checksum field holds the folded pseudo-header sum over that whole
 * length ({@code CHECKSUM_PARTIAL}, as {@code udp_gro_complete} leaves it).
 * */
public final class UdpCoalescer extends Coalescer {
    private static final int UDP_HEADER = 8;

    /** Whether output o's first datagram's checksum was verified (done once a second one wants to join). */
    private final boolean[] outHeadChecked;

    /** Datagrams not merged because their UDP checksum field was zero ("none" over IPv4). */
    public long zeroChecksums;

    public UdpCoalescer(int capacity, int maxFlows, int buffers, Arena arena) {
        super(capacity, maxFlows, buffers, arena);
        outHeadChecked = new boolean[capacity];
    }

    public UdpCoalescer(int capacity) {
        this(capacity, 8, 8, Arena.ofAuto());
    }

    @Override
    public boolean add(MemorySegment pkt, long off, int len, int tag) {
        if (outputs == capacity()) return false;
        Objects.checkFromIndexSize(off, len, pkt.byteSize());   // a caller's mistake, not bad packet bytes
        tick++;
        int iph = ipHeader(pkt, off, len, IPPROTO_UDP, UDP_HEADER);
        if (iph == PASS) {
            emit(pkt, off, len, tag);
            return true;
        }
        int version = ipVersion;
        long udp = off + iph;
        int ports = pkt.get(BE32, udp);
        int flow = find(version, pkt, off, ports);
        int payload = len - iph - UDP_HEADER;
        boolean eligible = ipMergeable && payload > 0 && Short.toUnsignedInt(pkt.get(BE16, udp + 4)) == len - iph;
        if (eligible && pkt.get(BE16, udp + 6) == 0) {
            zeroChecksums++;
            eligible = false;
        }
        if (eligible && !ipChecksumValid(pkt, off, version)) {
            badChecksums++;
            eligible = false;
        }
        if (!eligible) {
            if (flow >= 0) close(flow);
            emit(pkt, off, len, tag);
            return true;
        }
        if (flow >= 0) {
            int o = fOutput[flow];
            int verdict = canJoin(o, pkt, off, payload);
            if (verdict == JOIN) {
                if (transportChecksumValid(pkt, off, len, version, iph, IPPROTO_UDP)) {
                    if (appendPayload(flow, o, pkt, off, len, iph + UDP_HEADER, payload, tag)
                            && (payload < outGsoSize[o] || outSegments[o] >= MAX_SEGMENTS)) {
                        close(flow);
                    }
                    return true;
                }
                badChecksums++;
                close(flow);
                emit(pkt, off, len, tag);
                return true;
            }
            close(flow);
            if (verdict == HEAD_BAD) badChecksums++;
        }
        int o = emit(pkt, off, len, tag);
        openFlow(version, pkt, off, ports, o, iph, payload);
        outHeadChecked[o] = false;
        return true;
    }

    private int canJoin(int o, MemorySegment pkt, long off, int payload) {
        if (payload > outGsoSize[o]) return NO;
        if (outLength[o] + payload > MAX_IP || outSegments[o] >= MAX_SEGMENTS) return NO;
        if (!sameIpFields(o, pkt, off)) return NO;
        if (!outHeadChecked[o]) {
            // The first datagram is checked only once a second one wants to join it.
            if (!transportChecksumValid(outPacket[o], outOffset[o], outLength[o], outVersion[o], outIpHeader[o], IPPROTO_UDP)) return HEAD_BAD;
            outHeadChecked[o] = true;
        }
        return JOIN;
    }

    @Override
    void finishTransport(int o, MemorySegment buf, long ip, int len, int iph, int version) {
        virtio_net_hdr.gso_type(buf, 0, VIRTIO_NET_HDR_GSO_UDP_L4);
        virtio_net_hdr.hdr_len(buf, 0, iph + UDP_HEADER);
        virtio_net_hdr.csum_offset(buf, 0, 6);
        buf.set(BE16, ip + iph + 4, (short) (len - iph));
        buf.set(BE16, ip + iph + 6, (short) InternetChecksum.pseudoHeader(version, buf, ip, IPPROTO_UDP, len - iph));
    }
}
