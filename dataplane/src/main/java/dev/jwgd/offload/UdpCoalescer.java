package dev.jwgd.offload;

import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_F_NEEDS_CSUM;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_UDP_L4;
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
 * UDP receive coalescing in software (wireguard-go's {@code udpGRO}, Linux's
 * {@code udp_gro_receive_segment}): merges consecutive datagrams of one flow from a run of plaintext
 * packets into USO super-packets ({@code VIRTIO_NET_HDR_GSO_UDP_L4}) that a TUN with
 * {@code TUN_F_USO4|TUN_F_USO6} takes in one write; the kernel cuts them back into the datagrams.
 *
 * <p>Use, per batch, exactly like {@link TcpCoalescer}: {@link #reset}; {@link #add} each packet in
 * order; {@link #finish}; then write each output {@code i < }{@link #outputs()} in order. A coalesced
 * output lives in a buffer this instance owns with its {@code virtio_net_hdr} at
 * {@code packetOffset(i) - 10}; any other output is the caller's packet as given, untouched. The
 * packets given to {@link #add} must stay unchanged until the outputs are written.
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
 *
 * <p>Allocation-free after construction; one thread at a time.
 */
public final class UdpCoalescer {
    /** Size of {@code struct virtio_net_hdr}. */
    public static final int VNET_HDR = 10;
    /** At most this many datagrams per super-packet (Linux's {@code UDP_GRO_CNT_MAX}). */
    public static final int MAX_SEGMENTS = 64;
    private static final int UDP_HEADER = 8;
    private static final int MAX_IP = 65535;
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
    private final int[] outGsoSize;
    private final boolean[] outHeadChecked;
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
    private final long[] fLastUse;

    /** Datagrams merged into a super-packet (after the first of each), since construction. */
    public long merged;
    /** Super-packets made, since construction. */
    public long superPackets;
    /** Datagrams not merged because their UDP (or IPv4 header) checksum was wrong. */
    public long badChecksums;
    /** Datagrams not merged because their UDP checksum field was zero ("none" over IPv4). */
    public long zeroChecksums;
    /** Merges given up because every buffer was in use. */
    public long noBuffer;

    /**
     * @param capacity the most packets {@link #add} takes between resets (a batch)
     * @param maxFlows groups open at once
     * @param buffers super-packets per batch (each 64 KiB)
     */
    public UdpCoalescer(int capacity, int maxFlows, int buffers, Arena arena) {
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
        outGsoSize = new int[capacity];
        outHeadChecked = new boolean[capacity];
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
        fLastUse = new long[maxFlows];
    }

    public UdpCoalescer(int capacity) {
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
        if (len < 20 + UDP_HEADER) {
            emit(pkt, off, len, tag);
            return true;
        }
        int version = (pkt.get(ValueLayout.JAVA_BYTE, off) >>> 4) & 0xf;
        int iph;
        boolean eligible;
        if (version == 4) {
            iph = (pkt.get(ValueLayout.JAVA_BYTE, off) & 0xf) * 4;
            if (pkt.get(ValueLayout.JAVA_BYTE, off + 9) != IPPROTO_UDP || iph < 20) {
                emit(pkt, off, len, tag);
                return true;
            }
            if ((pkt.get(BE16, off + 6) & 0x1fff) != 0) {
                closeAddresses(4, pkt, off);  // a later fragment: no ports to see, it may belong to any group of its addresses
                emit(pkt, off, len, tag);
                return true;
            }
            eligible = iph == 20 && (pkt.get(BE16, off + 6) & 0x2000) == 0 && Short.toUnsignedInt(pkt.get(BE16, off + 2)) == len;
        } else if (version == 6 && len >= 40 + UDP_HEADER) {
            iph = 40;
            int next = Byte.toUnsignedInt(pkt.get(ValueLayout.JAVA_BYTE, off + 6));
            if (next != IPPROTO_UDP) {
                // An extension header hides the protocol and ports: it may be UDP of any group of its addresses.
                if (next != IPPROTO_TCP && next != IPPROTO_ICMPV6) closeAddresses(6, pkt, off);
                emit(pkt, off, len, tag);
                return true;
            }
            eligible = Short.toUnsignedInt(pkt.get(BE16, off + 4)) + 40 == len;
        } else {
            emit(pkt, off, len, tag);
            return true;
        }
        if (len < iph + UDP_HEADER) {
            emit(pkt, off, len, tag);
            return true;
        }
        long udp = off + iph;
        int ports = pkt.get(BE32, udp);
        int flow = find(version, pkt, off, ports);
        int payload = len - iph - UDP_HEADER;
        eligible &= payload > 0 && Short.toUnsignedInt(pkt.get(BE16, udp + 4)) == len - iph;
        if (eligible && pkt.get(BE16, udp + 6) == 0) {
            zeroChecksums++;
            eligible = false;
        }
        if (eligible && version == 4 && InternetChecksum.sum(pkt, off, 20, 0) != 0xffff) {
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
            int verdict = canJoin(o, pkt, off, len, payload);
            if (verdict == JOIN) {
                if (udpChecksumValid(pkt, off, len, version, iph)) {
                    append(flow, o, pkt, off, len, iph + UDP_HEADER, payload, tag);
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
        open(version, pkt, off, ports, o, iph, payload);
        return true;
    }

    private static final int JOIN = 0;
    private static final int NO = 1;
    private static final int HEAD_BAD = 2;

    private int canJoin(int o, MemorySegment pkt, long off, int len, int payload) {
        MemorySegment head = outPacket[o];
        long h = outOffset[o];
        if (payload > outGsoSize[o]) return NO;
        if (outLength[o] + payload > MAX_IP || outSegments[o] >= MAX_SEGMENTS) return NO;
        if (outVersion[o] == 4) {
            if (pkt.get(ValueLayout.JAVA_BYTE, off + 1) != head.get(ValueLayout.JAVA_BYTE, h + 1)) return NO;        // TOS
            if (((pkt.get(ValueLayout.JAVA_BYTE, off + 6) ^ head.get(ValueLayout.JAVA_BYTE, h + 6)) & 0xe0) != 0) return NO;  // DF, reserved
            if (pkt.get(ValueLayout.JAVA_BYTE, off + 8) != head.get(ValueLayout.JAVA_BYTE, h + 8)) return NO;        // TTL
        } else {
            if (pkt.get(BE32, off) != head.get(BE32, h)) return NO;                                                   // class, flow label
            if (pkt.get(ValueLayout.JAVA_BYTE, off + 7) != head.get(ValueLayout.JAVA_BYTE, h + 7)) return NO;        // hop limit
        }
        if (!outHeadChecked[o]) {
            // The first datagram is checked only once a second one wants to join it.
            if (!udpChecksumValid(head, h, outLength[o], outVersion[o], outIpHeader[o])) return HEAD_BAD;
            outHeadChecked[o] = true;
        }
        return JOIN;
    }

    private static boolean udpChecksumValid(MemorySegment pkt, long off, int len, int version, int iph) {
        int l4 = len - iph;
        int pseudo = InternetChecksum.pseudoHeader(version, pkt, off, IPPROTO_UDP, l4);
        return InternetChecksum.sum(pkt, off + iph, l4, pseudo) == 0xffff;
    }

    private void append(int flow, int o, MemorySegment pkt, long off, int len, int hdr, int payload, int tag) {
        if (outBuffer[o] < 0) {
            if (buffersUsed == buffers.length) {
                noBuffer++;
                close(flow);
                // The datagram starts no group of its own: no buffer is left for one in this batch.
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
        MemorySegment.copy(pkt, off + hdr, outPacket[o], VNET_HDR + outLength[o], payload);
        outLength[o] += payload;
        outSegments[o]++;
        fLastUse[flow] = tick;
        merged++;
        if (payload < outGsoSize[o] || outSegments[o] >= MAX_SEGMENTS) close(flow);
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

    private void open(int version, MemorySegment pkt, long off, int ports, int o, int iph, int payload) {
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
        fLastUse[f] = tick;
        outVersion[o] = version;
        outIpHeader[o] = iph;
        outGsoSize[o] = payload;
        outHeadChecked[o] = false;
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
            fLastUse[f] = fLastUse[last];
        }
    }

    /**
     * Ends the batch: closes every group and fills in the {@code virtio_net_hdr}, IP and UDP lengths and
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
            virtio_net_hdr.gso_type(buf, 0, VIRTIO_NET_HDR_GSO_UDP_L4);
            virtio_net_hdr.hdr_len(buf, 0, iph + UDP_HEADER);
            virtio_net_hdr.gso_size(buf, 0, outGsoSize[o]);
            virtio_net_hdr.csum_start(buf, 0, iph);
            virtio_net_hdr.csum_offset(buf, 0, 6);
            long ip = VNET_HDR;
            if (version == 4) {
                buf.set(BE16, ip + 2, (short) len);
                buf.set(BE16, ip + 10, (short) 0);
                buf.set(BE16, ip + 10, (short) InternetChecksum.checksum(buf, ip, iph, 0));
            } else {
                buf.set(BE16, ip + 4, (short) (len - 40));
            }
            buf.set(BE16, ip + iph + 4, (short) (len - iph));
            buf.set(BE16, ip + iph + 6, (short) InternetChecksum.pseudoHeader(version, buf, ip, IPPROTO_UDP, len - iph));
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
