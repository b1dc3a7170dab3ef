package dev.jwgd.offload;

import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_F_NEEDS_CSUM;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_UDP_L4;
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
 * {@link UdpCoalescer}: a split USO super-packet coalesces back into exactly that super-packet, with the
 * virtio_net_hdr and fields a TUN write needs; datagrams that must stay apart stay apart, in order.
 */
class UdpCoalescerTest {
    private static final int SLOT = 2048;

    private final Arena arena = Arena.ofAuto();
    private final UdpCoalescer coalescer = new UdpCoalescer(256, 8, 8, arena);
    private final MemorySegment slots = arena.allocate((long) SLOT * 256);
    private final Segmenter segmenter = new Segmenter();

    private static Packets.Spec udp(int version) {
        Packets.Spec s = new Packets.Spec();
        s.udp = true;
        s.version = version;
        return s;
    }

    /** The super-packet as a sender hands it to the kernel with UDP_SEGMENT: lengths for the whole, checksum partial. */
    private static MemorySegment superPacket(Packets.Spec spec, byte[] payload) {
        MemorySegment m = MemorySegment.ofArray(new byte[spec.ipHeaderLength() + 8 + payload.length]);
        Packets.write(spec, payload, m, 0, true);
        return m;
    }

    /** Splits {@code sp} into the slots (at offset 16 of each) and adds each datagram; returns the count. */
    private int splitIntoSlots(MemorySegment sp, Packets.Spec spec, int gso) {
        int n = segmenter.prepare(sp, 0, (int) sp.byteSize(), VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_UDP_L4, gso, spec.ipHeaderLength(), 6);
        assertTrue(n > 0, Segmenter.reason(n));
        for (int k = 0; k < n; k++) {
            int len = segmenter.segment(k, slots, (long) k * SLOT + 16, SLOT - 48);
            assertTrue(len > 0);
            assertTrue(Packets.checksumsValid(slots, (long) k * SLOT + 16, len), "datagram " + k + " as a sender's kernel would send it");
            assertTrue(coalescer.add(slots, (long) k * SLOT + 16, len, k));
        }
        return n;
    }

    @ParameterizedTest(name = "v{0}, payload {1}, gso_size {2}")
    @CsvSource({"4, 2000, 1000", "4, 2001, 1000", "4, 65507, 1472", "6, 65487, 1452", "6, 3000, 1220", "4, 1400, 700", "6, 64, 1"})
    void aSplitUsoSuperPacketCoalescesBackIntoTheSameSuperPacket(int version, int payloadLength, int gso) {
        Packets.Spec spec = udp(version);
        byte[] payload = Packets.pattern(payloadLength, version);
        MemorySegment sp = superPacket(spec, payload);
        coalescer.reset();
        int n = splitIntoSlots(sp, spec, gso);
        assertEquals(1, coalescer.finish(), "one output");
        assertTrue(coalescer.coalesced(0));
        assertEquals(n, coalescer.segments(0));
        assertEquals(0, coalescer.tag(0), "the first datagram's tag");
        MemorySegment out = coalescer.packet(0);
        assertEquals(UdpCoalescer.VNET_HDR, coalescer.packetOffset(0));
        assertEquals(sp.byteSize(), coalescer.packetLength(0));
        assertArrayEquals(sp.toArray(ValueLayout.JAVA_BYTE), Packets.bytes(out, 10, coalescer.packetLength(0)),
                "headers (IP lengths, IPv4 checksum, UDP length, partial UDP checksum) and payload");
        assertEquals(VIRTIO_NET_HDR_F_NEEDS_CSUM, virtio_net_hdr.flags(out, 0));
        assertEquals(VIRTIO_NET_HDR_GSO_UDP_L4, virtio_net_hdr.gso_type(out, 0));
        assertEquals(spec.ipHeaderLength() + 8, virtio_net_hdr.hdr_len(out, 0));
        assertEquals(gso, virtio_net_hdr.gso_size(out, 0));
        assertEquals(spec.ipHeaderLength(), virtio_net_hdr.csum_start(out, 0));
        assertEquals(6, virtio_net_hdr.csum_offset(out, 0));
    }

    @ParameterizedTest(name = "v{0}")
    @CsvSource({"4", "6"})
    void theFieldsOfTheSuperPacketAreThoseTheKernelExpects(int version) {
        Packets.Spec spec = udp(version);
        int iph = spec.ipHeaderLength();
        int[] sizes = {900, 900, 900, 400};
        coalescer.reset();
        for (int i = 0; i < sizes.length; i++) {
            long at = (long) i * SLOT + 16;
            spec.ipId = 7 + i;
            coalescer.add(slots, at, Packets.write(spec, Packets.pattern(sizes[i], i), slots, at, false), i);
        }
        assertEquals(1, coalescer.finish());
        MemorySegment out = coalescer.packet(0);
        int len = iph + 8 + 3100;
        assertEquals(len, coalescer.packetLength(0));
        if (version == 4) {
            assertEquals(len, Short.toUnsignedInt(out.get(Packets.BE16, 10 + 2)), "IPv4 total length");
            assertEquals(7, Short.toUnsignedInt(out.get(Packets.BE16, 10 + 4)), "the first datagram's IPv4 id");
            assertEquals(0xffff, InternetChecksum.sumReference(out, 10, 20, 0), "IPv4 header checksum");
        } else {
            assertEquals(len - 40, Short.toUnsignedInt(out.get(Packets.BE16, 10 + 4)), "IPv6 payload length");
        }
        assertEquals(len - iph, Short.toUnsignedInt(out.get(Packets.BE16, 10 + iph + 4)), "UDP length of the whole");
        assertEquals(Packets.pseudo(out, 10, version, 17, len - iph), Short.toUnsignedInt(out.get(Packets.BE16, 10 + iph + 6)),
                "UDP checksum field: the folded pseudo-header sum over the whole length");
        assertEquals(900, virtio_net_hdr.gso_size(out, 0));
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(Packets.pattern(sizes[i], i), Packets.bytes(out, 10 + iph + 8 + 900L * i, sizes[i]), "payload " + i);
        }
        assertEquals(3, coalescer.merged);
        assertEquals(1, coalescer.superPackets);
    }

    @Test
    void theCoalescedSuperPacketSplitsBackIntoTheVeryDatagramsThatWentIn() {
        Packets.Spec spec = udp(4);
        coalescer.reset();
        int n = 6;
        for (int i = 0; i < n; i++) {
            long at = (long) i * SLOT + 16;
            spec.ipId = 300 + i;                 // as a sender's kernel numbers the datagrams of one send
            coalescer.add(slots, at, Packets.write(spec, Packets.pattern(i == n - 1 ? 17 : 1300, i), slots, at, false), i);
        }
        assertEquals(1, coalescer.finish());
        MemorySegment out = coalescer.packet(0);
        int count = segmenter.prepare(out, 10, coalescer.packetLength(0), virtio_net_hdr.flags(out, 0), virtio_net_hdr.gso_type(out, 0),
                virtio_net_hdr.gso_size(out, 0), virtio_net_hdr.csum_start(out, 0), virtio_net_hdr.csum_offset(out, 0));
        assertEquals(n, count);
        MemorySegment again = MemorySegment.ofArray(new byte[SLOT]);
        for (int k = 0; k < n; k++) {
            int len = segmenter.segment(k, again, 0, SLOT);
            assertArrayEquals(Packets.bytes(slots, (long) k * SLOT + 16, len), Packets.bytes(again, 0, len), "datagram " + k);
        }
    }

    @Test
    void moreThan64DatagramsMakeSeveralSuperPacketsInOrder() {
        Packets.Spec spec = udp(4);
        coalescer.reset();
        int n = splitIntoSlots(superPacket(spec, Packets.pattern(100 * 80, 1)), spec, 100);
        assertEquals(80, n);
        assertEquals(2, coalescer.finish());
        assertEquals(64, coalescer.segments(0));
        assertEquals(16, coalescer.segments(1));
        assertEquals(64, coalescer.tag(1));
        assertEquals(Packets.pattern(8000, 1)[6400], coalescer.packet(1).get(ValueLayout.JAVA_BYTE, 10 + 28), "the second starts where the first ended");
    }

    @Test
    void aGroupStaysWithin65535Bytes() {
        Packets.Spec spec = udp(4);
        coalescer.reset();
        for (int i = 0; i < 50; i++) {
            long at = (long) i * SLOT + 16;
            coalescer.add(slots, at, Packets.write(spec, Packets.pattern(1400, i), slots, at, false), i);
        }
        assertEquals(2, coalescer.finish());
        assertEquals(46, coalescer.segments(0), "28 + 46 x 1400 = 64428; one more would pass 65535");
        assertEquals(4, coalescer.segments(1));
        assertEquals(46, coalescer.tag(1));
    }

    // ---- datagrams that must not merge ----

    /** Adds one datagram per spec (payload sizes given), returns "tag:segments" per output. */
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

    /** Four 1000-byte datagrams of one flow; {@code change} alters the third only. */
    private List<String> fourWithThird(Consumer<Packets.Spec> change, Consumer<MemorySegment> tamper, int version) {
        List<Packets.Spec> specs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Packets.Spec s = udp(version);
            if (i == 2 && change != null) change.accept(s);
            specs.add(s);
        }
        return run(specs, new int[] {1000, 1000, 1000, 1000}, tamper);
    }

    private List<String> fourWithThird(Consumer<Packets.Spec> change, Consumer<MemorySegment> tamper) {
        return fourWithThird(change, tamper, 4);
    }

    @Test
    void datagramsOfOneFlowMergeIntoOne() {
        assertEquals(List.of("0:4"), fourWithThird(null, null, 4));
        assertEquals(List.of("0:4"), fourWithThird(null, null, 6));
    }

    @Test
    void aDatagramOfAnotherFlowDoesNotInterruptAGroup() {
        assertEquals(List.of("0:3", "2:1"), fourWithThird(s -> s.srcPort = 1, null), "another source port");
        assertEquals(List.of("0:3", "2:1"), fourWithThird(s -> s.dst4 = new byte[] {10, 0, 0, 3}, null), "another destination");
    }

    @Test
    void differentIpv4FieldsStartANewGroup() {
        // The fourth is like the first two again, so it cannot join the third either.
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.ttl = 63, null), "TTL");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.tos = 4, null), "TOS");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.dontFragment = false, null), "DF");
    }

    @Test
    void differentIpv6ClassFlowLabelOrHopLimitStartANewGroup() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.flowLabel = 7, null, 6), "flow label");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.tos = 0x20, null, 6), "traffic class");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.ttl = 1, null, 6), "hop limit");
    }

    @Test
    void ipv4OptionsOrFragmentsPassThroughAndEndTheGroup() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(s -> s.ipOptions = new byte[] {1, 1, 1, 0}, null), "options");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(null, p -> {
            p.set(Packets.BE16, 6, (short) 0x2000);                                  // more fragments
            p.set(Packets.BE16, 10, (short) 0);
            p.set(Packets.BE16, 10, (short) InternetChecksum.checksum(p, 0, 20, 0));
        }), "a first fragment");
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(null, p -> {
            p.set(Packets.BE16, 6, (short) 0x00b9);                                  // a later fragment: no ports to see
            p.set(Packets.BE16, 10, (short) 0);
            p.set(Packets.BE16, 10, (short) InternetChecksum.checksum(p, 0, 20, 0));
        }), "a later fragment ends the group between its addresses");
    }

    @Test
    void anIpv6ExtensionHeaderPassesThrough() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(null, p -> p.set(ValueLayout.JAVA_BYTE, 6, (byte) 0), 6),
                "next header hop-by-hop hides the ports: the group between the same addresses ends, so nothing overtakes it");
        assertEquals(List.of("0:3", "2:1"), fourWithThird(s -> s.dst6[15] = 9, p -> p.set(ValueLayout.JAVA_BYTE, 6, (byte) 0), 6),
                "between other addresses it ends nothing");
    }

    @Test
    void aBadUdpChecksumIsNeverMerged() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(null, p -> p.set(Packets.BE16, 26, (short) (p.get(Packets.BE16, 26) ^ 1))));
        assertEquals(1, coalescer.badChecksums);
    }

    @Test
    void aBadIpv4HeaderChecksumIsNeverMerged() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(null, p -> p.set(Packets.BE16, 10, (short) (p.get(Packets.BE16, 10) ^ 1))));
        assertEquals(1, coalescer.badChecksums);
    }

    @Test
    void aZeroUdpChecksumIsNeverMergedEvenWhereItMeansNone() {
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(null, p -> p.set(Packets.BE16, 26, (short) 0), 4));
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(null, p -> p.set(Packets.BE16, 46, (short) 0), 6));
        assertEquals(2, coalescer.zeroChecksums);
        assertEquals(0, coalescer.badChecksums, "over IPv4 it is a legal datagram, not a bad one");
    }

    @Test
    void aBadChecksumOnTheFirstDatagramKeepsItAlone() {
        List<Packets.Spec> specs = List.of(udp(4), udp(4), udp(4));
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
        assertEquals(1, coalescer.badChecksums);
    }

    @Test
    void aUdpLengthThatDisagreesWithThePacketIsNeverMerged() {
        // A UDP length shorter than the packet: trailing padding, which a super-packet cannot carry.
        assertEquals(List.of("0:2", "2:1", "3:1"), fourWithThird(null, p -> p.set(Packets.BE16, 24, (short) (p.get(Packets.BE16, 24) - 1))));
    }

    @Test
    void aLargerDatagramCannotFollowAndAShorterOneEndsTheGroup() {
        List<Packets.Spec> specs = new ArrayList<>();
        int[] sizes = {1000, 1000, 1200, 1200, 500, 1200, 1};
        for (int i = 0; i < sizes.length; i++) specs.add(udp(4));
        assertEquals(List.of("0:2", "2:3", "5:2"), run(specs, sizes, null));
    }

    @Test
    void anEmptyDatagramOfTheFlowEndsTheGroupSoNothingOvertakesIt() {
        List<Packets.Spec> specs = new ArrayList<>();
        int[] sizes = {1000, 1000, 0, 1000, 1000};
        for (int i = 0; i < sizes.length; i++) specs.add(udp(6));
        assertEquals(List.of("0:2", "2:1", "3:2"), run(specs, sizes, null));
    }

    @Test
    void interleavedFlowsEachMergeAndKeepTheirOwnOrder() {
        List<Packets.Spec> specs = new ArrayList<>();
        int[] sizes = new int[9];
        for (int i = 0; i < 9; i++) {
            Packets.Spec s = udp(i % 3 == 2 ? 6 : 4);
            s.srcPort = 40000 + i % 3;
            sizes[i] = 800;
            specs.add(s);
        }
        assertEquals(List.of("0:3", "1:3", "2:3"), run(specs, sizes, null));
    }

    @Test
    void tcpSegmentsPassThroughUntouchedAndDoNotEndAUdpGroup() {
        List<Packets.Spec> specs = new ArrayList<>();
        for (int i = 0; i < 4; i++) specs.add(udp(4));
        specs.get(2).udp = false;           // same addresses and ports, but TCP
        assertEquals(List.of("0:3", "2:1"), run(specs, new int[] {700, 700, 700, 700}, null));
    }

    @Test
    void withMoreFlowsThanSlotsTheLeastRecentlyUsedGroupIsClosed() {
        UdpCoalescer two = new UdpCoalescer(16, 2, 8, arena);
        two.reset();
        int[] order = {0, 1, 2, 0, 1, 2};
        for (int i = 0; i < order.length; i++) {
            Packets.Spec s = udp(4);
            s.srcPort = 1000 + order[i];
            long at = (long) i * SLOT + 16;
            two.add(slots, at, Packets.write(s, Packets.pattern(500, i), slots, at, false), i);
        }
        // flow 0 is evicted by flow 2, flow 1 by flow 0's second datagram, flow 2 by flow 1's: nothing merges.
        assertEquals(6, two.finish());
        for (int o = 0; o < 6; o++) assertEquals(o, two.tag(o));
    }

    @Test
    void whenEveryBufferIsInUseDatagramsPassThroughAndAreCounted() {
        UdpCoalescer one = new UdpCoalescer(16, 8, 1, arena);
        one.reset();
        for (int i = 0; i < 4; i++) {
            Packets.Spec s = udp(4);
            s.srcPort = 1000 + i / 2;
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
