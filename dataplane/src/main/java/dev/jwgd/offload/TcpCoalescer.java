package dev.jwgd.offload;

import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV4;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV6;
import static dev.jwgd.offload.InternetChecksum.IPPROTO_TCP;

import dev.jwgd.ffm.tun.virtio_net_hdr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * TCP receive coalescing in software (GRO; wireguard-go's {@code tcpGRO}, Linux's
 * {@code tcp_gro_receive}): merges consecutive TCP segments of one flow from a run of plaintext packets
 * into super-packets that a TUN opened with {@code IFF_VNET_HDR} and TSO takes in one write. How a
 * batch goes through it: {@link Coalescer}.
 *
 * <p>A segment joins the open group of its flow (same addresses and ports) only if: IPv4 without
 * options or fragmentation and with a valid header checksum, or IPv6 without extension headers; the IP
 * length fields match the packet; TOS/traffic class, flow label, DF and TTL/hop limit equal the group's;
 * the ACK number, window, TCP header length and options are identical; its flags are ACK or ACK|PSH;
 * its sequence number continues the group; its payload is not larger than the group's segment size
 * (the first packet's payload); the group stays within 65535 IP bytes and {@value #MAX_SEGMENTS}
 * segments; and its TCP checksum, and the first packet's, are valid. A PSH or a shorter segment ends
 * its group. A TCP packet of the flow that cannot join ends the group too, so per-flow order is kept,
 * and so does, for every group between its addresses, a packet whose ports are hidden (an IPv4 later
 * fragment, an IPv6 extension header); outputs come in the order of each group's first packet. Up to
 * {@code maxFlows} groups are open at once (the least recently used is closed to make room).
 *
 * <p>A coalesced output has {@code flags = NEEDS_CSUM}, {@code gso_type} TCPV4/TCPV6, {@code gso_size}
 * the segment size, {@code hdr_len} IP + TCP header, {@code csum_start} the IP header length,
 * {@code csum_offset = 16}; IPv4 total length and header checksum (IPv6 payload length) cover the
 * whole, and the TCP checksum field holds the folded pseudo-header sum ({@code CHECKSUM_PARTIAL}).
 */
public final class TcpCoalescer extends Coalescer {
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;

    private final int[] outTcpHeader;
    private final int[] fNextSeq;

    public TcpCoalescer(int capacity, int maxFlows, int buffers, Arena arena) {
        super(capacity, maxFlows, buffers, arena);
        outTcpHeader = new int[capacity];
        fNextSeq = new int[maxFlows];
    }

    public TcpCoalescer(int capacity) {
        this(capacity, 8, 8, Arena.ofAuto());
    }

    @Override
    public boolean add(MemorySegment pkt, long off, int len, int tag) {
        if (outputs == capacity()) return false;
        Objects.checkFromIndexSize(off, len, pkt.byteSize());   // a caller's mistake, not bad packet bytes
        tick++;
        int iph = ipHeader(pkt, off, len, IPPROTO_TCP, 20);
        if (iph == PASS) {
            emit(pkt, off, len, tag);
            return true;
        }
        int version = ipVersion;
        long tcp = off + iph;
        int ports = pkt.get(BE32, tcp);
        int flow = find(version, pkt, off, ports);
        int tcph = ((pkt.get(ValueLayout.JAVA_BYTE, tcp + 12) >>> 4) & 0xf) * 4;
        int flags = Byte.toUnsignedInt(pkt.get(ValueLayout.JAVA_BYTE, tcp + 13));
        int payload = len - iph - tcph;
        boolean eligible = ipMergeable && tcph >= 20 && payload > 0 && (flags == TCP_ACK || flags == (TCP_ACK | TCP_PSH));
        if (eligible && !ipChecksumValid(pkt, off, version)) {
            badChecksums++;
            eligible = false;
        }
        if (!eligible) {
            if (flow >= 0) close(flow);
            emit(pkt, off, len, tag);
            return true;
        }
        int seq = pkt.get(BE32, tcp + 4);
        if (flow >= 0) {
            int o = fOutput[flow];
            int verdict = canJoin(o, flow, pkt, off, len, iph, tcph, payload, seq);
            if (verdict == JOIN) {
                if (transportChecksumValid(pkt, off, len, version, iph, IPPROTO_TCP)) {
                    append(flow, o, pkt, off, len, iph + tcph, payload, flags, tag);
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
        if ((flags & TCP_PSH) == 0) {
            int f = openFlow(version, pkt, off, ports, o, iph, payload);
            fNextSeq[f] = seq + payload;
            outTcpHeader[o] = tcph;
        }
        return true;
    }

    private int canJoin(int o, int flow, MemorySegment pkt, long off, int len, int iph, int tcph, int payload, int seq) {
        MemorySegment head = outPacket[o];
        long h = outOffset[o];
        if (seq != fNextSeq[flow] || tcph != outTcpHeader[o] || payload > outGsoSize[o]) return NO;
        if (outLength[o] + payload > MAX_IP || outSegments[o] >= MAX_SEGMENTS) return NO;
        long tcp = off + iph;
        long htcp = h + iph;
        // ACK number, then data offset/flags/window (flags are ACK or ACK|PSH here: mask PSH), then options.
        if (pkt.get(BE32, tcp + 8) != head.get(BE32, htcp + 8)) return NO;
        if (((pkt.get(BE32, tcp + 12) ^ head.get(BE32, htcp + 12)) & ~(TCP_PSH << 16)) != 0) return NO;
        if (tcph > 20 && MemorySegment.mismatch(pkt, tcp + 20, tcp + tcph, head, htcp + 20, htcp + tcph) != -1) return NO;
        if (!sameIpFields(o, pkt, off)) return NO;
        if (outSegments[o] == 1 && !transportChecksumValid(head, h, outLength[o], outVersion[o], iph, IPPROTO_TCP)) return HEAD_BAD;
        return JOIN;
    }

    private void append(int flow, int o, MemorySegment pkt, long off, int len, int hdr, int payload, int flags, int tag) {
        if (!appendPayload(flow, o, pkt, off, len, hdr, payload, tag)) return;
        fNextSeq[flow] += payload;
        boolean ends = false;
        if ((flags & TCP_PSH) != 0) {
            MemorySegment buf = outPacket[o];
            long f = VNET_HDR + outIpHeader[o] + 13;
            buf.set(ValueLayout.JAVA_BYTE, f, (byte) (buf.get(ValueLayout.JAVA_BYTE, f) | TCP_PSH));
            ends = true;
        }
        if (payload < outGsoSize[o] || outSegments[o] >= MAX_SEGMENTS) ends = true;
        if (ends) close(flow);
    }

    @Override
    void moveFlow(int from, int to) {
        fNextSeq[to] = fNextSeq[from];
    }

    @Override
    void finishTransport(int o, MemorySegment buf, long ip, int len, int iph, int version) {
        virtio_net_hdr.gso_type(buf, 0, version == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6);
        virtio_net_hdr.hdr_len(buf, 0, iph + outTcpHeader[o]);
        virtio_net_hdr.csum_offset(buf, 0, 16);
        buf.set(BE16, ip + iph + 16, (short) InternetChecksum.pseudoHeader(version, buf, ip, IPPROTO_TCP, len - iph));
    }
}
