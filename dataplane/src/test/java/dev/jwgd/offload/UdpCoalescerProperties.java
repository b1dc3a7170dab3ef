package dev.jwgd.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jwgd.ffm.tun.virtio_net_hdr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link UdpCoalescer} on random runs of datagrams from several flows, some mutated (sizes, IP fields,
 * checksums, lengths, bit flips, garbage, TCP between), alone and behind a {@link TcpCoalescer} as
 * {@code VnetTunEnd} chains them: it never throws or changes its input (each packet is given as an exact
 * slice, so reading outside it would throw), every super-packet is one {@link Segmenter} accepts, and
 * splitting the outputs again gives back every input packet, each flow's packets in their original order.
 */
class UdpCoalescerProperties {
    static LongStream seeds() {
        return new SplittableRandom(0x5dc0a1e5L).longs(40);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void outputsSplitBackIntoTheInputsWithEachFlowInOrder(long seed) {
        check(seed, false);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void behindTheTcpCoalescerMixedTrafficSplitsBackWithEachFlowInOrder(long seed) {
        check(seed, true);
    }

    private static void check(long seed, boolean chained) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            UdpCoalescer c = new UdpCoalescer(128, r.nextInt(1, 9), r.nextInt(1, 9), arena);
            TcpCoalescer tcp = new TcpCoalescer(128, r.nextInt(1, 9), r.nextInt(1, 9), arena);
            Segmenter seg = new Segmenter();
            for (int round = 0; round < 4; round++) {
                String at = "seed " + seed + (chained ? " (chained)" : "") + ", round " + round;
                int flows = r.nextInt(1, 6);
                Packets.Spec[] flow = new Packets.Spec[flows];
                int[] size = new int[flows];
                for (int f = 0; f < flows; f++) {
                    Packets.Spec s = new Packets.Spec();
                    s.udp = !chained || r.nextBoolean();
                    s.version = r.nextBoolean() ? 4 : 6;
                    s.srcPort = 1000 + f;
                    s.seq = r.nextInt();
                    s.ipId = r.nextInt(0x10000);
                    flow[f] = s;
                    size[f] = r.nextInt(1, 1400);
                }
                int n = r.nextInt(1, 129);
                int rate = round % 2 == 0 ? 80 : 12;   // rounds with rare mutations, rounds with many
                List<byte[]> inputs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int f = r.nextInt(flows);
                    Packets.Spec s = flow[f].copy();
                    int payload = r.nextInt(rate) == 0 ? r.nextInt(0, size[f] + 1) : size[f];
                    if (r.nextInt(rate) == 0) payload = r.nextInt(1, 1400);
                    if (!s.udp && r.nextInt(rate / 2) == 0) payload = 0;
                    if (r.nextInt(rate) == 0) s.udp = !s.udp;
                    if (r.nextInt(rate) == 0) s.ttl -= 1;
                    if (r.nextInt(rate) == 0) s.tos = 4;
                    if (r.nextInt(rate) == 0) s.flowLabel ^= 1;
                    if (r.nextInt(rate) == 0) s.dontFragment = false;
                    if (s.version == 4 && r.nextInt(rate) == 0) s.ipOptions = new byte[] {1, 1, 1, 0};
                    byte[] b = new byte[s.ipHeaderLength() + s.l4HeaderLength() + payload];
                    Packets.write(s, Packets.pattern(payload, i), MemorySegment.ofArray(b), 0, false);
                    int iph = s.ipHeaderLength();
                    switch (r.nextInt(rate)) {
                        case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));     // a bit flip anywhere
                        case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));                 // cut short
                        case 2 -> { b = new byte[r.nextInt(0, 80)]; r.nextBytes(b); }         // garbage
                        case 3 -> { if (s.udp) { b[iph + 6] = 0; b[iph + 7] = 0; } }          // no UDP checksum
                        case 4 -> { if (s.udp) b[iph + 5] -= 1; }                             // UDP length one short
                        case 5 -> { if (s.version == 6) b[6] = 0; }                           // a hop-by-hop header
                        default -> { }
                    }
                    flow[f].seq = s.seq + payload;
                    flow[f].ipId = (flow[f].ipId + 1) & 0xffff;
                    inputs.add(b);
                }
                List<byte[]> originals = new ArrayList<>();
                for (byte[] b : inputs) originals.add(b.clone());
                List<byte[]> expanded = new ArrayList<>();
                int segments = 0;
                try {
                    c.reset();
                    tcp.reset();
                    if (chained) {
                        for (int i = 0; i < n; i++) assertTrue(tcp.add(MemorySegment.ofArray(inputs.get(i)), 0, inputs.get(i).length, i), at);
                        int t = tcp.finish();
                        for (int o = 0; o < t; o++) assertTrue(c.add(tcp.packet(o), tcp.packetOffset(o), tcp.packetLength(o), o), at);
                    } else {
                        for (int i = 0; i < n; i++) assertTrue(c.add(MemorySegment.ofArray(inputs.get(i)), 0, inputs.get(i).length, i), at);
                    }
                    int outs = c.finish();
                    for (int o = 0; o < outs; o++) {
                        if (c.coalesced(o)) {
                            segments += c.segments(o);
                            split(seg, c.packet(o), c.packetOffset(o), c.packetLength(o), c.segments(o), expanded, at + ", output " + o);
                        } else if (chained && tcp.coalesced(c.tag(o))) {
                            int t = c.tag(o);
                            segments += tcp.segments(t);
                            split(seg, tcp.packet(t), tcp.packetOffset(t), tcp.packetLength(t), tcp.segments(t), expanded, at + ", TCP output " + t);
                        } else {
                            segments += chained ? tcp.segments(c.tag(o)) : 1;
                            expanded.add(c.packet(o).asSlice(c.packetOffset(o), c.packetLength(o)).toArray(ValueLayout.JAVA_BYTE));
                        }
                    }
                } catch (RuntimeException e) {
                    fail(at + ": threw " + e, e);
                }
                for (int i = 0; i < n; i++) assertArrayEquals(originals.get(i), inputs.get(i), at + ": input " + i + " untouched");
                assertEquals(n, segments, at + ": every packet accounted for once");
                assertEquals(byFlow(originals), byFlow(expanded), at + ": each flow's packets, in order");
            }
            assertTrue(c.superPackets > 0, "seed " + seed + ": the runs did coalesce ("
                    + c.superPackets + " super-packets of " + (c.merged + c.superPackets) + " datagrams)");
        }
    }

    /** Checks a super-packet's virtio_net_hdr with the Segmenter and adds its packets to {@code out}. */
    private static void split(Segmenter seg, MemorySegment p, long off, int len, int segments, List<byte[]> out, String at) {
        long h = off - UdpCoalescer.VNET_HDR;
        int k = seg.prepare(p, off, len, virtio_net_hdr.flags(p, h), virtio_net_hdr.gso_type(p, h), virtio_net_hdr.gso_size(p, h),
                virtio_net_hdr.csum_start(p, h), virtio_net_hdr.csum_offset(p, h));
        assertEquals(segments, k, at + ": " + Segmenter.reason(k));
        assertTrue(k >= 2, at + ": a super-packet of one segment");
        MemorySegment d = MemorySegment.ofArray(new byte[2048]);
        for (int j = 0; j < k; j++) {
            int l = seg.segment(j, d, 0, 2048);
            assertTrue(l > 0, at + ": " + Segmenter.reason(l));
            assertTrue(Packets.checksumsValid(d, 0, l), at + ": segment " + j + " checksums");
            out.add(d.asSlice(0, l).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /**
     * Groups packets by flow (addresses, protocol and ports of an unfragmented IPv4 or extension-free IPv6
     * TCP/UDP packet long enough for its L4 header; any other packet on its own), each as hex with the IPv4 id and header checksum
     * blanked: a re-split super-packet numbers its ids from the first packet's.
     */
    private static Map<String, List<String>> byFlow(List<byte[]> packets) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        int other = 0;
        HexFormat hex = HexFormat.of();
        for (byte[] b : packets) {
            byte[] norm = b.clone();
            String key = null;
            if (b.length >= 20 && (b[0] >>> 4 & 0xf) == 4) {
                int ihl = (b[0] & 0xf) * 4;
                boolean first = ((b[6] & 0x1f) | b[7]) == 0;
                if ((b[9] == 6 || b[9] == 17) && ihl >= 20 && first && b.length >= ihl + (b[9] == 6 ? 20 : 8)) {
                    key = b[9] + " " + hex.formatHex(b, 12, 20) + hex.formatHex(b, ihl, ihl + 4);
                }
                norm[4] = norm[5] = norm[10] = norm[11] = 0;
            } else if (b.length >= 48 && (b[0] >>> 4 & 0xf) == 6 && ((b[6] == 6 && b.length >= 60) || (b[6] == 17 && b.length >= 48))) {
                key = b[6] + " " + hex.formatHex(b, 8, 40) + hex.formatHex(b, 40, 44);
            }
            if (key == null) key = "other " + other++ + " " + hex.formatHex(b);
            m.computeIfAbsent(key, x -> new ArrayList<>()).add(hex.formatHex(norm));
        }
        return m;
    }
}
