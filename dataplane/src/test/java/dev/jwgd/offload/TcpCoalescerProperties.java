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
 * {@link TcpCoalescer} on random runs of packets from several flows, some mutated (flags, gaps,
 * checksums, lengths, random bytes, non-TCP): it never throws or changes its input (each packet is
 * given as an exact slice, so reading outside it would throw), and splitting its outputs again gives
 * back every input packet, each flow's packets in their original order.
 */
class TcpCoalescerProperties {
    static LongStream seeds() {
        return new SplittableRandom(0xc0a1e5ceL).longs(40);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void outputsSplitBackIntoTheInputsWithEachFlowInOrder(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            TcpCoalescer c = new TcpCoalescer(128, r.nextInt(1, 9), r.nextInt(1, 9), arena);
            Segmenter seg = new Segmenter();
            for (int round = 0; round < 4; round++) {
                String at = "seed " + seed + ", round " + round;
                int flows = r.nextInt(1, 6);
                Packets.Spec[] flow = new Packets.Spec[flows];
                int[] mss = new int[flows];
                for (int f = 0; f < flows; f++) {
                    Packets.Spec s = new Packets.Spec();
                    s.version = r.nextBoolean() ? 4 : 6;
                    s.srcPort = 1000 + f;
                    s.seq = r.nextInt();
                    s.ack = r.nextInt();
                    s.ipId = r.nextInt(0x10000);
                    s.options = r.nextBoolean() ? new byte[0] : new byte[] {1, 1, 8, 10, 0, 0, 0, (byte) f, 0, 0, 0, 9};
                    flow[f] = s;
                    mss[f] = r.nextInt(1, 1400);
                }
                int n = r.nextInt(1, 129);
                int rate = round % 2 == 0 ? 80 : 12;   // rounds with rare mutations, rounds with many
                List<byte[]> inputs = new ArrayList<>();
                c.reset();
                for (int i = 0; i < n; i++) {
                    int f = r.nextInt(flows);
                    Packets.Spec s = flow[f].copy();
                    int payload = r.nextInt(rate) == 0 ? r.nextInt(0, mss[f] + 1) : mss[f];
                    if (r.nextInt(rate / 2) == 0) payload = 0;                  // a pure ACK between segments
                    s.flags = r.nextInt(rate) == 0 ? Packets.ACK | Packets.PSH : Packets.ACK;
                    if (r.nextInt(rate) == 0) s.udp = true;
                    if (r.nextInt(rate) == 0) s.seq += 1;
                    if (r.nextInt(rate) == 0) s.flags |= Packets.FIN;
                    if (r.nextInt(rate) == 0) s.ack += 1;
                    byte[] b = new byte[s.ipHeaderLength() + s.l4HeaderLength() + payload];
                    Packets.write(s, Packets.pattern(payload, i), MemorySegment.ofArray(b), 0, false);
                    switch (r.nextInt(rate)) {
                        case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));     // a bit flip anywhere
                        case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));                 // cut short
                        case 2 -> { b = new byte[r.nextInt(0, 80)]; r.nextBytes(b); }         // garbage
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
                    for (int i = 0; i < n; i++) {
                        MemorySegment m = MemorySegment.ofArray(inputs.get(i));
                        assertTrue(c.add(m, 0, inputs.get(i).length, i), at);
                    }
                    int outs = c.finish();
                    for (int o = 0; o < outs; o++) {
                        segments += c.segments(o);
                        MemorySegment p = c.packet(o);
                        long off = c.packetOffset(o);
                        int len = c.packetLength(o);
                        if (!c.coalesced(o)) {
                            expanded.add(p.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE));
                            continue;
                        }
                        long h = off - TcpCoalescer.VNET_HDR;
                        int k = seg.prepare(p, off, len, virtio_net_hdr.flags(p, h), virtio_net_hdr.gso_type(p, h), virtio_net_hdr.gso_size(p, h),
                                virtio_net_hdr.csum_start(p, h), virtio_net_hdr.csum_offset(p, h));
                        assertEquals(c.segments(o), k, at + ", output " + o + ": " + Segmenter.reason(k));
                        MemorySegment d = MemorySegment.ofArray(new byte[2048]);
                        for (int j = 0; j < k; j++) {
                            int l = seg.segment(j, d, 0, 2048);
                            assertTrue(l > 0, at);
                            expanded.add(d.asSlice(0, l).toArray(ValueLayout.JAVA_BYTE));
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
                    + c.superPackets + " super-packets of " + (c.merged + c.superPackets) + " packets)");
        }
    }

    /**
     * Groups packets by TCP flow (others each on their own), each as hex with the IPv4 id and header
     * checksum blanked: a re-split super-packet numbers its ids from the first packet's.
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
                if (b[9] == 6 && ihl >= 20 && first && b.length >= ihl + 20) key = hex.formatHex(b, 12, 20) + hex.formatHex(b, ihl, ihl + 4);
                norm[4] = norm[5] = norm[10] = norm[11] = 0;
            } else if (b.length >= 60 && (b[0] >>> 4 & 0xf) == 6 && b[6] == 6) {
                key = hex.formatHex(b, 8, 40) + hex.formatHex(b, 40, 44);
            }
            if (key == null) key = "other " + other++ + " " + hex.formatHex(b);
            m.computeIfAbsent(key, x -> new ArrayList<>()).add(hex.formatHex(norm));
        }
        return m;
    }
}
