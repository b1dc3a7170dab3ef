package dev.jwgd.offload;

import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_F_NEEDS_CSUM;

import dev.jwgd.ffm.tun.virtio_net_hdr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * What TCP and UDP receive coalescing share: the outputs of a batch in order (the caller's packets
 * passed through, or super-packets in buffers this instance owns, each with a {@code virtio_net_hdr}
 * in front), the 64 KiB super-packet buffers, and the table of open groups, one per flow (addresses
 * and ports), least recently used first to go. {@link TcpCoalescer} and {@link UdpCoalescer} decide
 * what may join a group and what the finished super-packet's transport header says.
 *
 * <p>Use, per batch: {@link #reset}; {@code add} each packet in order; {@link #finish}; then write each
 * output {@code i < }{@link #outputs()} in order. A coalesced output ({@link #coalesced}) starts with
 * its {@code virtio_net_hdr} at offset 0 of {@link #packet}; any other output is the caller's packet as
 * given, untouched, to be written behind an all-zero header. The packets given to {@code add} must stay
 * unchanged until the outputs are written. Allocation-free after construction; one thread at a time.
 */
public abstract sealed class Coalescer permits TcpCoalescer, UdpCoalescer {
    /** Size of {@code struct virtio_net_hdr}. */
    public static final int VNET_HDR = 10;
    /** At most this many packets per super-packet (Linux's {@code UDP_GRO_CNT_MAX}, and TSO's 64). */
    public static final int MAX_SEGMENTS = 64;
    static final int MAX_IP = 65535;
    static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** canJoin's verdicts: joins; does not; the group's first packet has a bad checksum. */
    static final int JOIN = 0;
    static final int NO = 1;
    static final int HEAD_BAD = 2;

    // ---- outputs, in order ----
    private final int capacity;
    final MemorySegment[] outPacket;
    final long[] outOffset;
    final int[] outLength;
    private final int[] outTag;
    private final int[] outBuffer;      // -1: the caller's packet, passed through
    final int[] outSegments;
    final int[] outVersion;
    final int[] outIpHeader;
    final int[] outGsoSize;
    int outputs;

    // ---- super-packet buffers: 10 + 65535 bytes each ----
    private final MemorySegment[] buffers;
    private int buffersUsed;

    // ---- open groups, one per flow ----
    private final int maxFlows;
    int flows;
    long tick;
    private final int[] fVersion;
    private final long[] fK0;
    private final long[] fK1;
    private final long[] fK2;
    private final long[] fK3;
    private final int[] fPorts;
    final int[] fOutput;
    final long[] fLastUse;

    /** Packets merged into a super-packet (after the first of each), since construction. */
    public long merged;
    /** Super-packets made, since construction. */
    public long superPackets;
    /** Packets not merged because their transport (or IPv4 header) checksum was wrong. */
    public long badChecksums;
    /** Merges given up because every buffer was in use. */
    public long noBuffer;

    /**
     * @param capacity the most packets {@code add} takes between resets (a batch)
     * @param maxFlows groups open at once
     * @param buffers super-packets per batch (each 64 KiB)
     */
    Coalescer(int capacity, int maxFlows, int buffers, Arena arena) {
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

    public final int capacity() {
        return capacity;
    }

    /** Forgets the outputs, groups and buffer use of the previous batch. */
    public final void reset() {
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
    public abstract boolean add(MemorySegment pkt, long off, int len, int tag);

    /** {@link #ipHeader}'s answer for a packet that passes through untouched. */
    static final int PASS = -1;
    /** Set by {@link #ipHeader}: the packet's IP version, and whether its IP layer lets it merge. */
    int ipVersion;
    boolean ipMergeable;

    /**
     * For a packet of transport {@code protocol} with its ports in reach: the IP header length, with
     * {@link #ipVersion} and {@link #ipMergeable} (IPv4 without options or fragmentation, IP length fields
     * matching {@code len}) set. {@link #PASS} for anything else; an IPv4 later fragment or an IPv6
     * extension header (ports not in reach: it may belong to any group between its addresses) first
     * closes the groups of its addresses, so nothing merged later overtakes it.
     */
    final int ipHeader(MemorySegment pkt, long off, int len, int protocol, int transportHeader) {
        if (len < 20) return PASS;
        int version = (pkt.get(ValueLayout.JAVA_BYTE, off) >>> 4) & 0xf;
        ipVersion = version;
        if (version == 4) {
            int iph = (pkt.get(ValueLayout.JAVA_BYTE, off) & 0xf) * 4;
            if (pkt.get(ValueLayout.JAVA_BYTE, off + 9) != protocol || iph < 20) return PASS;
            int fragment = pkt.get(BE16, off + 6);
            if ((fragment & 0x1fff) != 0) {
                closeAddresses(4, pkt, off);
                return PASS;
            }
            ipMergeable = iph == 20 && (fragment & 0x2000) == 0 && Short.toUnsignedInt(pkt.get(BE16, off + 2)) == len;
            return len < iph + transportHeader ? PASS : iph;
        }
        if (version == 6 && len >= 40) {
            int next = Byte.toUnsignedInt(pkt.get(ValueLayout.JAVA_BYTE, off + 6));
            if (next != protocol) {
                if (next != InternetChecksum.IPPROTO_TCP && next != InternetChecksum.IPPROTO_UDP
                        && next != InternetChecksum.IPPROTO_ICMPV6) closeAddresses(6, pkt, off);
                return PASS;
            }
            ipMergeable = Short.toUnsignedInt(pkt.get(BE16, off + 4)) + 40 == len;
            return len < 40 + transportHeader ? PASS : 40;
        }
        return PASS;
    }

    /** The transport checksum of the packet at {@code off} verifies (pseudo-header included). */
    static boolean transportChecksumValid(MemorySegment pkt, long off, int len, int version, int iph, int protocol) {
        int l4 = len - iph;
        int pseudo = InternetChecksum.pseudoHeader(version, pkt, off, protocol, l4);
        return InternetChecksum.sum(pkt, off + iph, l4, pseudo) == 0xffff;
    }

    /** A valid IPv4 header checksum (IPv6 has none). */
    static boolean ipChecksumValid(MemorySegment pkt, long off, int version) {
        return version != 4 || InternetChecksum.sum(pkt, off, 20, 0) == 0xffff;
    }

    /** Appends the caller's packet as the next output; returns its index. */
    final int emit(MemorySegment pkt, long off, int len, int tag) {
        int o = outputs++;
        outPacket[o] = pkt;
        outOffset[o] = off;
        outLength[o] = len;
        outTag[o] = tag;
        outBuffer[o] = -1;
        outSegments[o] = 1;
        return o;
    }

    /** Opens a group for the flow of the packet at {@code off} whose first packet is output {@code o}; returns its slot. */
    final int openFlow(int version, MemorySegment pkt, long off, int ports, int o, int iph, int payload) {
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
        return f;
    }

    /** The open group of the packet's flow (addresses and the 32 bits of ports), or -1. */
    final int find(int version, MemorySegment pkt, long off, int ports) {
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
    final void closeAddresses(int version, MemorySegment pkt, long off) {
        if (flows == 0) return;
        long k0 = version == 4 ? pkt.get(BE64, off + 12) : pkt.get(BE64, off + 8);
        for (int f = flows - 1; f >= 0; f--) {
            if (fVersion[f] != version || fK0[f] != k0) continue;
            if (version == 6 && (fK1[f] != pkt.get(BE64, off + 16) || fK2[f] != pkt.get(BE64, off + 24) || fK3[f] != pkt.get(BE64, off + 32))) continue;
            close(f);
        }
    }

    final void close(int f) {
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
            moveFlow(last, f);
        }
    }

    /** Copies a subclass's own per-group state from slot {@code from} to {@code to} (a group was closed). */
    void moveFlow(int from, int to) {}

    /**
     * TOS, DF and TTL (IPv4) or traffic class, flow label and hop limit (IPv6) of the packet at
     * {@code off} equal those of output {@code o}'s first packet.
     */
    final boolean sameIpFields(int o, MemorySegment pkt, long off) {
        MemorySegment head = outPacket[o];
        long h = outOffset[o];
        if (outVersion[o] == 4) {
            return pkt.get(ValueLayout.JAVA_BYTE, off + 1) == head.get(ValueLayout.JAVA_BYTE, h + 1)                   // TOS
                    && ((pkt.get(ValueLayout.JAVA_BYTE, off + 6) ^ head.get(ValueLayout.JAVA_BYTE, h + 6)) & 0xe0) == 0  // DF, reserved
                    && pkt.get(ValueLayout.JAVA_BYTE, off + 8) == head.get(ValueLayout.JAVA_BYTE, h + 8);              // TTL
        }
        return pkt.get(BE32, off) == head.get(BE32, h)                                                                // class, flow label
                && pkt.get(ValueLayout.JAVA_BYTE, off + 7) == head.get(ValueLayout.JAVA_BYTE, h + 7);                  // hop limit
    }

    /**
     * Appends {@code payload} bytes from {@code pkt[off + hdr...]} to output {@code o}, first moving
     * its packet into a buffer of its own if it is still the caller's. Returns false, having closed
     * the group and emitted the packet alone, when no buffer is left in this batch.
     */
    final boolean appendPayload(int flow, int o, MemorySegment pkt, long off, int len, int hdr, int payload, int tag) {
        if (outBuffer[o] < 0) {
            if (buffersUsed == buffers.length) {
                noBuffer++;
                close(flow);
                emit(pkt, off, len, tag);
                return false;
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
        return true;
    }

    /**
     * Ends the batch: closes every group and fills in the {@code virtio_net_hdr}, IP lengths and
     * checksums and the transport header of the super-packets. Returns {@link #outputs()}.
     */
    public final int finish() {
        flows = 0;
        for (int o = 0; o < outputs; o++) {
            if (outBuffer[o] < 0) continue;
            MemorySegment buf = outPacket[o];
            int len = outLength[o];
            int iph = outIpHeader[o];
            int version = outVersion[o];
            virtio_net_hdr.flags(buf, 0, VIRTIO_NET_HDR_F_NEEDS_CSUM);
            virtio_net_hdr.gso_size(buf, 0, outGsoSize[o]);
            virtio_net_hdr.csum_start(buf, 0, iph);
            long ip = VNET_HDR;
            if (version == 4) {
                buf.set(BE16, ip + 2, (short) len);
                buf.set(BE16, ip + 10, (short) 0);
                buf.set(BE16, ip + 10, (short) InternetChecksum.checksum(buf, ip, iph, 0));
            } else {
                buf.set(BE16, ip + 4, (short) (len - 40));
            }
            finishTransport(o, buf, ip, len, iph, version);
        }
        return outputs;
    }

    /** The super-packet's gso_type, hdr_len, csum_offset and transport header (lengths, partial checksum). */
    abstract void finishTransport(int o, MemorySegment buf, long ip, int len, int iph, int version);

    /** The number of outputs after {@link #finish}. */
    public final int outputs() {
        return outputs;
    }

    /** Whether output {@code i} is a super-packet in this coalescer's buffer (else the caller's packet). */
    public final boolean coalesced(int i) {
        return outBuffer[i] >= 0;
    }

    /** The segment holding output {@code i}; for a super-packet it starts with the virtio_net_hdr. */
    public final MemorySegment packet(int i) {
        return outPacket[i];
    }

    /** Where output {@code i}'s IP header starts in {@link #packet}. */
    public final long packetOffset(int i) {
        return outOffset[i];
    }

    /** Output {@code i}'s IP length (without a virtio_net_hdr). */
    public final int packetLength(int i) {
        return outLength[i];
    }

    /** The tag given with output {@code i}'s (first) packet. */
    public final int tag(int i) {
        return outTag[i];
    }

    /** How many packets output {@code i} stands for. */
    public final int segments(int i) {
        return outSegments[i];
    }
}
