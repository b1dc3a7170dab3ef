package dev.jwgd.offload;

import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_F_NEEDS_CSUM;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV4;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV6;
import static dev.jwgd.offload.InternetChecksum.IPPROTO_ICMPV6;
import static dev.jwgd.offload.InternetChecksum.IPPROTO_TCP;
import static dev.jwgd.offload.InternetChecksum.IPPROTO_UDP;

import dev.jwgd.ffm.tun.virtio_net_hdr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * TCP receive coalescing in software (GRO; wireguard-go's {@code tcpGRO}, Linux's
 * {@code tcp_gro_receive}): merges consecutive TCP segments of one flow from a run of plaintext packets
 * into super-packets that a TUN opened with {@code IFF_VNET_HDR} and TSO takes in one write.
 *
 * <p>Use, per batch: {@link #reset}; {@link #add} each packet in order; {@link #finish}; then write
 * each output {@code i < }{@link #outputs()} in order. A coalesced output lives in a buffer this
 * instance owns, with its {@code virtio_net_hdr} already at {@code packetOffset(i) - 10}
 * ({@code packet(i)} starts with it). Any other output is the caller's packet as given, untouched: it
 * goes to the TUN with an all-zero {@code virtio_net_hdr} in front. The packets given to {@link #add}
 * must stay unchanged until the outputs are written.
 *
 * <p>A segment joins the open group of its flow (same addresses and ports) only if: IPv4 without
 * options or fragmentation and with a valid header checksum, or IPv6 without extension headers; the IP
 * length fields match the packet; TOS/traffic class, flow label, DF and TTL/hop limit equal the group's;
 * the ACK number, window, TCP header length and options are identical; its flags are ACK or ACK|PSH;
 * its sequence number continues the group; its payload is not larger than the group's segment size
 * (the first packet's payload); the group stays within 65535 IP bytes and {@value #MAX_SEGMENTS}
 * segments; and its TCP checksum, and the first packet's, are valid. A PSH or a shorter segment ends
 * its group. A TCP packet of the flow that cannot join ends the group too, so per-flow order is kept;
 * outputs come in the order of each group's first packet. Up to {@code maxFlows} groups are open at
 * once (the least recently used is closed to make room).
 *
 * <p>A coalesced output has {@code flags = NEEDS_CSUM}, {@code gso_type} TCPV4/TCPV6, {@code gso_size}
 * the segment size, {@code hdr_len} IP + TCP header, {@code csum_start} the IP header length,
 * {@code csum_offset = 16}; IPv4 total length and header checksum (IPv6 payload length) cover the
 * whole, and the TCP checksum field holds the folded pseudo-header sum ({@code CHECKSUM_PARTIAL}).
 *
 * <p>Allocation-free after construction; one thread at a time.
 */
public final class TcpCoalescer {
    /** Size of {@code struct virtio_net_hdr}. */
    public static final int VNET_HDR = 10;
    /** At most this many segments per super-packet. */
    public static final int MAX_SEGMENTS = 64;
    private static final int MAX_IP = 65535;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    // ---- outputs, in order ----
    private final int capacity;
    private final MemorySegment[] outPacket;
    private final long[] outOffset;
    private final int[] outLength;
    private final int[] outTag;
    private final int[] outBuffer;      // -1: the caller's packet, passed through
    private final int[] outSegments;
    private final int[] outVersion;
    private final int[] outIpHeader;
    private final int[] outTcpHeader;
    private final int[] outGsoSize;
    private int outputs;

    // ---- super-packet buffers: 10 + 65535 bytes each ----
    private final MemorySegment[] buffers;
    private int buffersUsed;

    // ---- open groups, one per flow ----
    private final int maxFlows;
    private int flows;
    private long tick;
    private final int[] fVersion;
    private final long[] fK0;
    private final long[] fK1;
    private final long[] fK2;
    private final long[] fK3;
    private final int[] fPorts;
    private final int[] fOutput;
    private final int[] fNextSeq;
    private final long[] fLastUse;

    /** Packets merged into a super-packet (after the first of each), since construction. */
    public long merged;
    /** Super-packets made, since construction. */
    public long superPackets;
    /** Segments not merged because their TCP (or IPv4 header) checksum was wrong. */
    public long badChecksums;
    /** Merges given up because every buffer was in use. */
    public long noBuffer;

    /**
     * @param capacity the most packets {@link #add} takes between resets (a batch)
     * @param maxFlows groups open at once
     * @param buffers super-packets per batch (each 64 KiB)
     */
    public TcpCoalescer(int capacity, int maxFlows, int buffers, Arena arena) {
        if (capacity <= 0 || maxFlows <= 0 || buffers <= 0) throw new IllegalArgumentException("capacity, flows and buffers must be positive");
        this.capacity = capacity;
        outPacket = new MemorySegment[capacity];
        outOffset = new long[capacity];
        outLength = new int[capacity];
        outTag = new int[capacity];
        outBuffer = new int[capacity];
        outSegments = new int[capacity];
        outVersion = new int[capacity];
        outIpHeader = new int[capacity];
        outTcpHeader = new int[capacity];
        outGsoSize = new int[capacity];
        this.buffers = new MemorySegment[buffers];
        for (int i = 0; i < buffers; i++) this.buffers[i] = arena.allocate(VNET_HDR + MAX_IP, 64);
        this.maxFlows = maxFlows;
        fVersion = new int[maxFlows];
        fK0 = new long[maxFlows];
        fK1 = new long[maxFlows];
        fK2 = new long[maxFlows];
        fK3 = new long[maxFlows];
        fPorts = new int[maxFlows];
        fOutput = new int[maxFlows];
        fNextSeq = new int[maxFlows];
        fLastUse = new long[maxFlows];
    }

    public TcpCoalescer(int capacity) {
        this(capacity, 8, 8, Arena.ofAuto());
    }

    public int capacity() {
        return capacity;
    }

    /** Forgets the outputs, groups and buffer use of the previous batch. */
    public void reset() {
        for (int i = 0; i < outputs; i++) outPacket[i] = null;
        outputs = 0;
        buffersUsed = 0;
        flows = 0;
    }

    /**
     * Takes the next packet, {@code pkt[off, off+len)} from its IP header; {@code tag} comes back with
     * its output (e.g. the batch slot). Returns false, taking nothing, once {@link #capacity} packets
     * were added since the last reset; never throws for bad packet bytes (an {@code off}/{@code len}
     * outside {@code pkt} is an IndexOutOfBoundsException).
     */
    public boolean add(MemorySegment pkt, long off, int len, int tag) {
        if (outputs == capacity) return false;
        Objects.checkFromIndexSize(off, len, pkt.byteSize());   // a caller's mistake, not bad packet bytes
        tick++;
        if (len < 20) {
            emit(pkt, off, len, tag);
            return true;
        }
        int version = (pkt.get(ValueLayout.JAVA_BYTE, off) >>> 4) & 0xf;
        int iph;
        boolean eligible;
        if (version == 4) {
            iph = (pkt.get(ValueLayout.JAVA_BYTE, off) & 0xf) * 4;
            if (pkt.get(ValueLayout.JAVA_BYTE, off + 9) != IPPROTO_TCP || iph < 20) {
                emit(pkt, off, len, tag);
                return true;
            }
            if ((pkt.get(BE16, off + 6) & 0x1fff) != 0) {
                closeAddresses(4, pkt, off);  // a later fragment: no ports to see, it may belong to any group of its addresses
                emit(pkt, off, len, tag);
                return true;
            }
            eligible = iph == 20 && (pkt.get(BE16, off + 6) & 0x2000) == 0 && Short.toUnsignedInt(pkt.get(BE16, off + 2)) == len;
        } else if (version == 6 && len >= 40) {
            iph = 40;
            int next = Byte.toUnsignedInt(pkt.get(ValueLayout.JAVA_BYTE, off + 6));
            if (next != IPPROTO_TCP) {
                // An extension header hides the protocol and ports: it may be TCP of any group of its addresses.
                if (next != IPPROTO_UDP && next != IPPROTO_ICMPV6) closeAddresses(6, pkt, off);
                emit(pkt, off, len, tag);
                return true;
            }
            eligible = Short.toUnsignedInt(pkt.get(BE16, off + 4)) + 40 == len;
        } else {
            emit(pkt, off, len, tag);
            return true;
        }
        if (len < iph + 20) {
            emit(pkt, off, len, tag);
            return true;
        }
        long tcp = off + iph;
        int ports = pkt.get(BE32, tcp);
        int flow = find(version, pkt, off, ports);
        int tcph = ((pkt.get(ValueLayout.JAVA_BYTE, tcp + 12) >>> 4) & 0xf) * 4;
        int flags = Byte.toUnsignedInt(pkt.get(ValueLayout.JAVA_BYTE, tcp + 13));
        int payload = len - iph - tcph;
        eligible &= tcph >= 20 && payload > 0 && (flags == TCP_ACK || flags == (TCP_ACK | TCP_PSH));
        if (eligible && version == 4 && InternetChecksum.sum(pkt, off, 20, 0) != 0xffff) {
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
                if (tcpChecksumValid(pkt, off, len, version, iph)) {
                    append(flow, o, pkt, off, len, iph + tcph, payload, flags, tag);
                    return true;
                }
                badChecksums++;
                close(flow);
                emit(pkt, off, len, tag);
                return true;
            }
            close(flow);
            if (verdict == HEAD_BAD) {
                badChecksums++;
            }
        }
        int o = emit(pkt, off, len, tag);
        if ((flags & TCP_PSH) == 0) open(version, pkt, off, ports, o, seq + payload, iph, tcph, payload);
        return true;
    }

    private static final int JOIN = 0;
    private static final int NO = 1;
    private static final int HEAD_BAD = 2;

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
        if (outVersion[o] == 4) {
            if (pkt.get(ValueLayout.JAVA_BYTE, off + 1) != head.get(ValueLayout.JAVA_BYTE, h + 1)) return NO;        // TOS
            if (((pkt.get(ValueLayout.JAVA_BYTE, off + 6) ^ head.get(ValueLayout.JAVA_BYTE, h + 6)) & 0xe0) != 0) return NO;  // DF, reserved
            if (pkt.get(ValueLayout.JAVA_BYTE, off + 8) != head.get(ValueLayout.JAVA_BYTE, h + 8)) return NO;        // TTL
        } else {
            if (pkt.get(BE32, off) != head.get(BE32, h)) return NO;                                                   // class, flow label
            if (pkt.get(ValueLayout.JAVA_BYTE, off + 7) != head.get(ValueLayout.JAVA_BYTE, h + 7)) return NO;        // hop limit
        }
        if (outSegments[o] == 1 && !tcpChecksumValid(head, h, outLength[o], outVersion[o], iph)) return HEAD_BAD;
        return JOIN;
    }

    private static boolean tcpChecksumValid(MemorySegment pkt, long off, int len, int version, int iph) {
        int l4 = len - iph;
        int pseudo = InternetChecksum.pseudoHeader(version, pkt, off, IPPROTO_TCP, l4);
        return InternetChecksum.sum(pkt, off + iph, l4, pseudo) == 0xffff;
    }

    private void append(int flow, int o, MemorySegment pkt, long off, int len, int hdr, int payload, int flags, int tag) {
        if (outBuffer[o] < 0) {
            if (buffersUsed == buffers.length) {
                noBuffer++;
                close(flow);
                // The packet starts no group of its own: no buffer is left for one in this batch.
                emit(pkt, off, len, tag);
                return;
            }
            int b = buffersUsed++;
            MemorySegment buf = buffers[b];
            MemorySegment.copy(outPacket[o], outOffset[o], buf, VNET_HDR, outLength[o]);
            outBuffer[o] = b;
            outPacket[o] = buf;
            outOffset[o] = VNET_HDR;
            superPackets++;
        }
        MemorySegment buf = outPacket[o];
        MemorySegment.copy(pkt, off + hdr, buf, VNET_HDR + outLength[o], payload);
        outLength[o] += payload;
        outSegments[o]++;
        fNextSeq[flow] += payload;
        fLastUse[flow] = tick;
        merged++;
        boolean ends = false;
        if ((flags & TCP_PSH) != 0) {
            long f = VNET_HDR + outIpHeader[o] + 13;
            buf.set(ValueLayout.JAVA_BYTE, f, (byte) (buf.get(ValueLayout.JAVA_BYTE, f) | TCP_PSH));
            ends = true;
        }
        if (payload < outGsoSize[o] || outSegments[o] >= MAX_SEGMENTS) ends = true;
        if (ends) close(flow);
    }

    private int emit(MemorySegment pkt, long off, int len, int tag) {
        int o = outputs++;
        outPacket[o] = pkt;
        outOffset[o] = off;
        outLength[o] = len;
        outTag[o] = tag;
        outBuffer[o] = -1;
        outSegments[o] = 1;
        return o;
    }

    private void open(int version, MemorySegment pkt, long off, int ports, int o, int nextSeq, int iph, int tcph, int payload) {
        int f;
        if (flows < maxFlows) {
            f = flows++;
        } else {
            f = 0;
            for (int i = 1; i < flows; i++) if (fLastUse[i] < fLastUse[f]) f = i;
        }
        fVersion[f] = version;
        if (version == 4) {
            fK0[f] = pkt.get(BE64, off + 12);
            fK1[f] = 0;
            fK2[f] = 0;
            fK3[f] = 0;
        } else {
            fK0[f] = pkt.get(BE64, off + 8);
            fK1[f] = pkt.get(BE64, off + 16);
            fK2[f] = pkt.get(BE64, off + 24);
            fK3[f] = pkt.get(BE64, off + 32);
        }
        fPorts[f] = ports;
        fOutput[f] = o;
        fNextSeq[f] = nextSeq;
        fLastUse[f] = tick;
        outVersion[o] = version;
        outIpHeader[o] = iph;
        outTcpHeader[o] = tcph;
        outGsoSize[o] = payload;
    }

    private int find(int version, MemorySegment pkt, long off, int ports) {
        if (flows == 0) return -1;
        long k0;
        long k1 = 0;
        long k2 = 0;
        long k3 = 0;
        if (version == 4) {
            k0 = pkt.get(BE64, off + 12);
        } else {
            k0 = pkt.get(BE64, off + 8);
            k1 = pkt.get(BE64, off + 16);
            k2 = pkt.get(BE64, off + 24);
            k3 = pkt.get(BE64, off + 32);
        }
        for (int f = 0; f < flows; f++) {
            if (fPorts[f] == ports && fVersion[f] == version && fK0[f] == k0 && fK1[f] == k1 && fK2[f] == k2 && fK3[f] == k3) return f;
        }
        return -1;
    }

    /** Closes every group between the addresses of the packet at {@code off}, whatever its ports. */
    private void closeAddresses(int version, MemorySegment pkt, long off) {
        if (flows == 0) return;
        long k0 = version == 4 ? pkt.get(BE64, off + 12) : pkt.get(BE64, off + 8);
        for (int f = flows - 1; f >= 0; f--) {
            if (fVersion[f] != version || fK0[f] != k0) continue;
            if (version == 6 && (fK1[f] != pkt.get(BE64, off + 16) || fK2[f] != pkt.get(BE64, off + 24) || fK3[f] != pkt.get(BE64, off + 32))) continue;
            close(f);
        }
    }

    private void close(int f) {
        int last = --flows;
        if (f != last) {
            fVersion[f] = fVersion[last];
            fK0[f] = fK0[last];
            fK1[f] = fK1[last];
            fK2[f] = fK2[last];
            fK3[f] = fK3[last];
            fPorts[f] = fPorts[last];
            fOutput[f] = fOutput[last];
            fNextSeq[f] = fNextSeq[last];
            fLastUse[f] = fLastUse[last];
        }
    }

    /**
     * Ends the batch: closes every group and fills in the {@code virtio_net_hdr}, IP lengths and
     * checksums of the super-packets. Returns {@link #outputs()}.
     */
    public int finish() {
        flows = 0;
        for (int o = 0; o < outputs; o++) {
            if (outBuffer[o] < 0) continue;
            MemorySegment buf = outPacket[o];
            int len = outLength[o];
            int iph = outIpHeader[o];
            int version = outVersion[o];
            virtio_net_hdr.flags(buf, 0, VIRTIO_NET_HDR_F_NEEDS_CSUM);
            virtio_net_hdr.gso_type(buf, 0, version == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6);
            virtio_net_hdr.hdr_len(buf, 0, iph + outTcpHeader[o]);
            virtio_net_hdr.gso_size(buf, 0, outGsoSize[o]);
            virtio_net_hdr.csum_start(buf, 0, iph);
            virtio_net_hdr.csum_offset(buf, 0, 16);
            long ip = VNET_HDR;
            if (version == 4) {
                buf.set(BE16, ip + 2, (short) len);
                buf.set(BE16, ip + 10, (short) 0);
                buf.set(BE16, ip + 10, (short) InternetChecksum.checksum(buf, ip, iph, 0));
            } else {
                buf.set(BE16, ip + 4, (short) (len - 40));
            }
            buf.set(BE16, ip + iph + 16, (short) InternetChecksum.pseudoHeader(version, buf, ip, IPPROTO_TCP, len - iph));
        }
        return outputs;
    }

    /** The number of outputs after {@link #finish}. */
    public int outputs() {
        return outputs;
    }

    /** Whether output {@code i} is a super-packet in this coalescer's buffer (else the caller's packet). */
    public boolean coalesced(int i) {
        return outBuffer[i] >= 0;
    }

    /** The segment holding output {@code i}; for a super-packet it starts with the virtio_net_hdr. */
    public MemorySegment packet(int i) {
        return outPacket[i];
    }

    /** Where output {@code i}'s IP header starts in {@link #packet}. */
    public long packetOffset(int i) {
        return outOffset[i];
    }

    /** Output {@code i}'s IP length (without a virtio_net_hdr). */
    public int packetLength(int i) {
        return outLength[i];
    }

    /** The tag given with output {@code i}'s (first) packet. */
    public int tag(int i) {
        return outTag[i];
    }

    /** How many packets output {@code i} stands for. */
    public int segments(int i) {
        return outSegments[i];
    }
}
