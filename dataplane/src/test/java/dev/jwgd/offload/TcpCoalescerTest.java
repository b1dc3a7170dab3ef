package dev.jwgd.offload;

import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_F_NEEDS_CSUM;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV4;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ffm.tun.virtio_net_hdr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link TcpCoalescer}: a split super-packet coalesces back into exactly that super-packet, with the
 * virtio_net_hdr and fields a TUN write needs; segments that must stay apart stay apart, in order.
 */
class TcpCoalescerTest {
    private static final int SLOT = 2048;

    private final Arena arena = Arena.ofAuto();
    private final TcpCoalescer coalescer = new TcpCoalescer(256, 8, 8, arena);
    private final MemorySegment slots = arena.allocate((long) SLOT * 256);
    private final Segmenter segmenter = new Segmenter();

    private static int gsoType(Packets.Spec s) {
        return s.version == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
    }

    /** The super-packet as a sender hands it to the kernel: lengths for the whole, checksum partial. */
    private static MemorySegment superPacket(Packets.Spec spec, byte[] payload) {
        MemorySegment m = MemorySegment.ofArray(new byte[spec.ipHeaderLength() + spec.l4HeaderLength() + payload.length]);
        Packets.write(spec, payload, m, 0, true);
        return m;
    }

    /** Splits {@code sp} into the slots (at offset 16 of each), returns the number of packets. */
    private int splitIntoSlots(MemorySegment sp, Packets.Spec spec, int gso, int firstSlot) {
        int n = segmenter.prepare(sp, 0, (int) sp.byteSize(), VIRTIO_NET_HDR_F_NEEDS_CSUM, gsoType(spec), gso, spec.ipHeaderLength(), 16);
        assertTrue(n > 0, Segmenter.reason(n));
        for (int k = 0; k < n; k++) {
            int len = segmenter.segment(k, slots, (long) (firstSlot + k) * SLOT + 16, SLOT - 48);
            assertTrue(len > 0);
            assertTrue(coalescer.add(slots, (long) (firstSlot + k) * SLOT + 16, len, firstSlot + k));
        }
        return n;
    }

    @ParameterizedTest(name = "v{0}, payload {1}, gso_size {2}")
    @CsvSource({"4, 2000, 1000", "4, 2001, 1000", "4, 65483, 1448", "6, 65463, 1428", "6, 3000, 1220", "4, 1420, 700"})
    void aSplitSuperPacketCoalescesBackIntoTheSameSuperPacket(int version, int payloadLength, int gso) {
        Packets.Spec spec = new Packets.Spec();
        spec.version = version;
        spec.flags = Packets.ACK | Packets.PSH;
        spec.options = new byte[] {1, 1, 8, 10, 0, 0, 1, 0, 0, 0, 2, 0};
        byte[] payload = Packets.pattern(payloadLength, version);
        MemorySegment sp = superPacket(spec, payload);
        coalescer.reset();
        int n = splitIntoSlots(sp, spec, gso, 0);
        assertEquals(1, coalescer.finish(), "one output");
        assertTrue(coalescer.coalesced(0));
        assertEquals(n, coalescer.segments(0));
        assertEquals(0, coalescer.tag(0), "the first packet's tag");
        MemorySegment out = coalescer.packet(0);
        assertEquals(TcpCoalescer.VNET_HDR, coalescer.packetOffset(0));
        assertEquals(sp.byteSize(), coalescer.packetLength(0));
        assertArrayEquals(sp.toArray(ValueLayout.JAVA_BYTE), Packets.bytes(out, 10, coalescer.packetLength(0)),
                "headers (lengths, IPv4 checksum, PSH at the end, partial TCP checksum) and payload");
        assertEquals(VIRTIO_NET_HDR_F_NEEDS_CSUM, virtio_net_hdr.flags(out, 0));
        assertEquals(gsoType(spec), virtio_net_hdr.gso_type(out, 0));
        assertEquals(spec.ipHeaderLength() + spec.l4HeaderLength(), virtio_net_hdr.hdr_len(out, 0));
        assertEquals(gso, virtio_net_hdr.gso_size(out, 0));
        assertEquals(spec.ipHeaderLength(), virtio_net_hdr.csum_start(out, 0));
        assertEquals(16, virtio_net_hdr.csum_offset(out, 0));
    }

    @Test
    void theCoalescedSuperPacketSplitsBackIntoTheVeryPacketsThatWentIn() {
        Packets.Spec spec = new Packets.Spec();
        spec.flags = Packets.ACK;
        coalescer.reset();
        MemorySegment sp = superPacket(spec, Packets.pattern(7000, 5));
        int n = splitIntoSlots(sp, spec, 1300, 0);
        assertEquals(1, coalescer.finish());
        MemorySegment out = coalescer.packet(0);
        int count = segmenter.prepare(out, 10, coalescer.packetLength(0), virtio_net_hdr.flags(out, 0), virtio_net_hdr.gso_type(out, 0),
                virtio_net_hdr.gso_size(out, 0), virtio_net_hdr.csum_start(out, 0), virtio_net_hdr.csum_offset(out, 0));
        assertEquals(n, count);
        MemorySegment again = MemorySegment.ofArray(new byte[SLOT]);
        for (int k = 0; k < n; k++) {
            int len = segmenter.segment(k, again, 0, SLOT);
            assertArrayEquals(Packets.bytes(slots, (long) k * SLOT + 16, len), Packets.bytes(again, 0, len), "packet " + k);
        }
    }

    @Test
    void moreThan64SegmentsMakeSeveralSuperPacketsInOrder() {
        Packets.Spec spec = new Packets.Spec();
        coalescer.reset();
        int n = splitIntoSlots(superPacket(spec, Packets.pattern(100 * 80, 1)), spec, 100, 0);
        assertEquals(80, n);
        assertEquals(2, coalescer.finish());
        assertEquals(64, coalescer.segments(0));
        assertEquals(16, coalescer.segments(1));
        assertEquals(64, coalescer.tag(1));
        assertEquals(spec.seq + 6400, coalescer.packet(1).get(Packets.BE32, 10 + 20 + 4), "the second starts where the first ended");
    }

    // ---- segments that must not merge ----

    /** Adds one packet per spec (payload sizes given), returns "tag:segments" per output. */
    private List<String> run(List<Packets.Spec> specs, int[] payloads, Consumer<MemorySegment> tamperThird) {
        coalescer.reset();
        for (int i = 0; i < specs.size(); i++) {
            long at = (long) i * SLOT + 16;
            int len = Packets.write(specs.get(i), Packets.pattern(payloads[i], i), slots, at, false);
            if (i == 2 && tamperThird != null) tamperThird.accept(slots.asSlice(at, len));
            assertTrue(coalescer.add(slots, at, len, i));
        }
        int outs = coalescer.finish();
        List<String> r = new ArrayList<>();
        for (int o = 0; o < outs; o++) r.add(coalescer.tag(o) + ":" + coalescer.segments(o));
        return r;
    }

    /** Four contiguous 1000-byte segments of one flow; {@code change} alters the third (and what follows it). */
    private List<String> fourWithThird(Consumer<Packets.Spec> change, Consumer<MemorySegment> tamper) {
        return fourWithThird(change, tamper, 4);
    }

    private List<String> fourWithThird(Consumer<Packets.Spec> change, Consumer<MemorySegment> tamper, int version) {
        List<Packets.Spec> specs = new ArrayList<>();
        int seq = 5000;
        for (int i = 0; i < 4; i++) {
            Packets.Spec s = new Packets.Spec();
            s.version = version;
            s.seq = seq;
            s.ipId = 10 + i;
            if (i == 2 && change != null) change.accept(s);
            seq = s.seq + 1000;
            specs.add(s);
        }
        return run(specs, new int[] {1000, 1000, 1000, 1000}, tamper);
    }

    @Test
    void contiguousSegmentsOfOneFlowMergeIntoOne() {
        assertEquals(List.of("0:4"), fourWithThird(null, null));
    }

    @Test
    void aGapInTheSequenceStartsANewGroup() {
        assertEquals(List.of("0:2", "2:2"), fourWithThird(s -> s.seq += 1, null));
    }

    @Test
    void aDifferentAckNumberStartsANewGroup() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.ack = 78, null),
                "the fourth has the old ack: it cannot join the third either");
    }

    @Test
    void flagsOtherThanAckOrPshAckPassThroughAndEndTheGroup() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.flags = Packets.ACK | Packets.FIN, null));
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.flags = Packets.ACK | 0x20, null), "URG");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.flags = Packets.ACK | Packets.CWR, null), "CWR");
    }

    @Test
    void pshEndsTheGroupItJoins() {
        assertEquals(List.of("0:3", "3:1"), fourWithThird(s -> s.flags = Packets.ACK | Packets.PSH, null));
    }

    @Test
    void differentTcpOptionsOrWindowStartANewGroup() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.options = new byte[] {1, 1, 1, 1}, null));
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(null, p -> {
            p.set(Packets.BE16, 20 + 14, (short) 1000);                             // another window
            Packets.refreshTcpChecksum(p);
        }));
    }

    @Test
    void aBadTcpChecksumIsNeverMerged() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(null, p -> p.set(Packets.BE16, 36, (short) (p.get(Packets.BE16, 36) ^ 1))));
    }

    @Test
    void aBadChecksumOnTheFirstPacketKeepsItAlone() {
        List<Packets.Spec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Packets.Spec s = new Packets.Spec();
            s.seq = 100 + 1000 * i;
            specs.add(s);
        }
        coalescer.reset();
        for (int i = 0; i < 3; i++) {
            long at = (long) i * SLOT + 16;
            int len = Packets.write(specs.get(i), Packets.pattern(1000, i), slots, at, false);
            if (i == 0) slots.set(ValueLayout.JAVA_BYTE, at + 100, (byte) (slots.get(ValueLayout.JAVA_BYTE, at + 100) + 1));
            coalescer.add(slots, at, len, i);
        }
        assertEquals(2, coalescer.finish());
        assertEquals("0:1 1:2", coalescer.tag(0) + ":" + coalescer.segments(0) + " " + coalescer.tag(1) + ":" + coalescer.segments(1));
        assertFalse(coalescer.coalesced(0));
    }

    @Test
    void differentIpv6ClassFlowLabelOrHopLimitStartANewGroup() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.flowLabel = 7, null, 6), "flow label");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.ttl = 1, null, 6), "hop limit");
        assertEquals(List.of("0:4"), fourWithThird(null, null, 6), "and otherwise IPv6 merges");
    }

    @Test
    void differentIpFieldsStartANewGroup() {
        // The fourth is like the first two again, so it cannot join the third either.
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.ttl = 63, null), "TTL");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.tos = 4, null), "TOS");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.dontFragment = false, null), "DF");
    }

    @Test
    void ipv4OptionsPassThroughAndEndTheGroup() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.ipOptions = new byte[] {1, 1, 1, 0}, null));
    }

    @Test
    void aPacketWhosePortsAreHiddenEndsTheGroupsOfItsAddressesSoNothingOvertakesIt() {
        // The third does not advance the sequence, so without the rule the fourth would join the first two
        // and be written before the third.
        Consumer<Packets.Spec> noAdvance = s -> s.seq -= 1000;
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(noAdvance, p -> {
            p.set(Packets.BE16, 6, (short) 0x00b9);                                  // a later IPv4 fragment
            p.set(Packets.BE16, 10, (short) 0);
            p.set(Packets.BE16, 10, (short) InternetChecksum.checksum(p, 0, 20, 0));
        }), "a later fragment");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(noAdvance, p -> p.set(ValueLayout.JAVA_BYTE, 6, (byte) 0), 6),
                "an IPv6 extension header (hop-by-hop)");
        assertEquals(List.of("0:3", "2:1"), fourWithThird(noAdvance, p -> p.set(ValueLayout.JAVA_BYTE, 6, (byte) 17), 6),
                "a UDP packet between the same addresses is another flow and ends nothing");
    }

    @Test
    void aLargerSegmentCannotFollowAndAShorterOneEndsTheGroup() {
        List<Packets.Spec> specs = new ArrayList<>();
        int seq = 0;
        int[] sizes = {1000, 1000, 1200, 1200, 500, 1200};
        for (int size : sizes) {
            Packets.Spec s = new Packets.Spec();
            s.seq = seq;
            seq += size;
            specs.add(s);
        }
        assertEquals(List.of("0:2", "2:3", "5:1"), run(specs, sizes, null));
    }

    @Test
    void interleavedFlowsEachMergeAndKeepTheirOwnOrder() {
        List<Packets.Spec> specs = new ArrayList<>();
        int[] seqs = {0, 0, 0};
        int[] sizes = new int[9];
        for (int i = 0; i < 9; i++) {
            Packets.Spec s = new Packets.Spec();
            int f = i % 3;
            s.srcPort = 40000 + f;
            if (f == 2) s.version = 6;
            s.seq = seqs[f];
            seqs[f] += 800;
            sizes[i] = 800;
            specs.add(s);
        }
        assertEquals(List.of("0:3", "1:3", "2:3"), run(specs, sizes, null));
    }

    @Test
    void aPacketWithoutPayloadOfTheFlowEndsTheGroupSoNothingOvertakesIt() {
        List<Packets.Spec> specs = new ArrayList<>();
        int[] sizes = {1000, 1000, 0, 1000};
        int seq = 0;
        for (int size : sizes) {
            Packets.Spec s = new Packets.Spec();
            s.seq = seq;
            seq += size;
            specs.add(s);
        }
        assertEquals(List.of("0:2", "2:1", "3:1"), run(specs, sizes, null));
    }

    @Test
    void withMoreFlowsThanSlotsTheLeastRecentlyUsedGroupIsClosed() {
        TcpCoalescer two = new TcpCoalescer(16, 2, 8, arena);
        two.reset();
        int[] seqs = new int[3];
        int[] order = {0, 1, 2, 0, 1, 2};
        for (int i = 0; i < order.length; i++) {
            Packets.Spec s = new Packets.Spec();
            s.srcPort = 1000 + order[i];
            s.seq = seqs[order[i]];
            seqs[order[i]] += 500;
            long at = (long) i * SLOT + 16;
            two.add(slots, at, Packets.write(s, Packets.pattern(500, i), slots, at, false), i);
        }
        // flow 0 is evicted by flow 2, flow 1 by flow 0's second packet, flow 2 by flow 1's: nothing merges.
        assertEquals(6, two.finish());
        for (int o = 0; o < 6; o++) assertEquals(o, two.tag(o));
    }

    @Test
    void whenEveryBufferIsInUseSegmentsPassThroughAndAreCounted() {
        TcpCoalescer one = new TcpCoalescer(16, 8, 1, arena);
        one.reset();
        for (int i = 0; i < 4; i++) {
            Packets.Spec s = new Packets.Spec();
            s.srcPort = 1000 + i / 2;
            s.seq = (i % 2) * 700;
            long at = (long) i * SLOT + 16;
            one.add(slots, at, Packets.write(s, Packets.pattern(700, i), slots, at, false), i);
        }
        assertEquals(3, one.finish());
        assertEquals(2, one.segments(0));
        assertEquals(2, one.tag(1));
        assertEquals(3, one.tag(2));
        assertEquals(1, one.noBuffer);
    }
}
