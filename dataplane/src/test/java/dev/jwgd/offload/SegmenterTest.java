package dev.jwgd.offload;

import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_F_NEEDS_CSUM;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_NONE;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV4;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV6;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_UDP_L4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Segmenter}: each packet cut from a super-packet is byte for byte the packet a sender would
 * have built on its own (lengths, id, seq, flags, checksums), for TCP and UDP over IPv4 and IPv6;
 * single packets get their partial checksum finished; malformed input is refused with a code.
 */
class SegmenterTest {
    private static final int MAX = 65535;

    @Test
    void anIpv6UdpSuperPacketMayExceed65535BytesButNotTheIpv6Limit() {
        Packets.Spec s = new Packets.Spec();
        s.version = 6;
        s.udp = true;
        MemorySegment largest = MemorySegment.ofArray(new byte[40 + 65535]);
        int len = Packets.write(s, Packets.pattern(65535 - 8, 1), largest, 0, true);
        assertEquals(Segmenter.MAX_IPV6_PACKET, len);
        assertEquals(50, segmenter.prepare(largest, 0, len, 1, VIRTIO_NET_HDR_GSO_UDP_L4, 1311, 40, 6));
        MemorySegment over = MemorySegment.ofArray(new byte[len + 1]);
        MemorySegment.copy(largest, 0, over, 0, len);
        assertEquals(Segmenter.REJECT_LENGTH, segmenter.prepare(over, 0, len + 1, 1, VIRTIO_NET_HDR_GSO_UDP_L4, 1311, 40, 6));
    }

    private final Segmenter segmenter = new Segmenter();

    /** Builds the super-packet of {@code spec} + {@code payload} as the kernel hands it over (checksum partial). */
    private static MemorySegment superPacket(Packets.Spec spec, byte[] payload) {
        MemorySegment m = MemorySegment.ofArray(new byte[spec.ipHeaderLength() + spec.l4HeaderLength() + payload.length]);
        Packets.write(spec, payload, m, 0, true);
        return m;
    }

    private static int gsoType(Packets.Spec s) {
        return s.udp ? VIRTIO_NET_HDR_GSO_UDP_L4 : s.version == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
    }

    /** The packet segment k should be, built independently. */
    private static byte[] expected(Packets.Spec base, byte[] payload, int gso, int k, int count) {
        Packets.Spec s = base.copy();
        s.seq = base.seq + k * gso;
        s.ipId = (base.ipId + k) & 0xffff;
        if (k != count - 1) s.flags &= ~(Packets.FIN | Packets.PSH);
        if (k != 0) s.flags &= ~Packets.CWR;
        int from = k * gso;
        byte[] chunk = java.util.Arrays.copyOfRange(payload, from, Math.min(payload.length, from + gso));
        MemorySegment m = MemorySegment.ofArray(new byte[s.ipHeaderLength() + s.l4HeaderLength() + chunk.length]);
        int len = Packets.write(s, chunk, m, 0, false);
        return Packets.bytes(m, 0, len);
    }

    private void splitsLikeASender(Packets.Spec spec, int payloadLength, int gso) {
        byte[] payload = Packets.pattern(payloadLength, gso);
        MemorySegment sp = superPacket(spec, payload);
        byte[] before = sp.toArray(ValueLayout.JAVA_BYTE);
        int len = (int) sp.byteSize();
        int count = segmenter.prepare(sp, 0, len, VIRTIO_NET_HDR_F_NEEDS_CSUM, gsoType(spec), gso, spec.ipHeaderLength(),
                spec.udp ? 6 : 16);
        assertEquals((payloadLength + gso - 1) / gso, count, Segmenter.reason(count));
        MemorySegment dst = MemorySegment.ofArray(new byte[4096]);
        for (int k = 0; k < count; k++) {
            int n = segmenter.segment(k, dst, 7, 4000);
            byte[] want = expected(spec, payload, gso, k, count);
            assertEquals(want.length, n, "segment " + k + " length");
            assertArrayEquals(want, Packets.bytes(dst, 7, n), "segment " + k + " of " + count);
            assertTrue(Packets.checksumsValid(dst, 7, n), "segment " + k + " checksums");
        }
        assertArrayEquals(before, sp.toArray(ValueLayout.JAVA_BYTE), "the super-packet is only read");
    }

    @ParameterizedTest(name = "TCPv4 payload {0}, gso_size {1}")
    @CsvSource({"2840, 1420", "2841, 1420", "65495, 1448", "1, 1380", "100, 1", "4000, 536"})
    void tcpv4SuperPacketBecomesThePacketsTheSenderWouldHaveSent(int payload, int gso) {
        Packets.Spec s = new Packets.Spec();
        s.flags = Packets.ACK | Packets.PSH | Packets.CWR;
        splitsLikeASender(s, payload, gso);
    }

    @Test
    void tcpv4WithTimestampOptionsAndFinKeepsOptionsEverywhereAndFinOnlyLast() {
        Packets.Spec s = new Packets.Spec();
        s.options = new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
        s.flags = Packets.ACK | Packets.FIN | Packets.PSH;
        s.ipId = 0xfffe;                                        // the id wraps
        s.seq = 0xfffff000;                                     // and so does seq
        splitsLikeASender(s, 9000, 1388);
    }

    @ParameterizedTest(name = "TCPv6 payload {0}, gso_size {1}")
    @CsvSource({"2800, 1400", "65475, 1428", "1399, 1400", "5000, 1220"})
    void tcpv6SuperPacketBecomesThePacketsTheSenderWouldHaveSent(int payload, int gso) {
        Packets.Spec s = new Packets.Spec();
        s.version = 6;
        s.flags = Packets.ACK | Packets.PSH;
        splitsLikeASender(s, payload, gso);
    }

    @ParameterizedTest(name = "UDP v{0} payload {1}, gso_size {2}")
    @CsvSource({"4, 3000, 1000", "4, 2999, 1000", "6, 2400, 800", "6, 60000, 1372", "4, 1, 1"})
    void udpSuperPacketBecomesDatagramsWithTheirOwnLengthAndChecksum(int version, int payload, int gso) {
        Packets.Spec s = new Packets.Spec();
        s.version = version;
        s.udp = true;
        splitsLikeASender(s, payload, gso);
    }

    @Test
    void segmentsCanBeWrittenInAnyOrderAndAgainSoACallerCanResume() {
        Packets.Spec s = new Packets.Spec();
        byte[] payload = Packets.pattern(10_000, 3);
        MemorySegment sp = superPacket(s, payload);
        int count = segmenter.prepare(sp, 0, (int) sp.byteSize(), 1, VIRTIO_NET_HDR_GSO_TCPV4, 1400, 20, 16);
        assertEquals(8, count);
        MemorySegment dst = MemorySegment.ofArray(new byte[2000]);
        for (int k : new int[] {7, 3, 0, 3, 5}) {
            int n = segmenter.segment(k, dst, 0, 2000);
            assertArrayEquals(expected(s, payload, 1400, k, count), Packets.bytes(dst, 0, n), "segment " + k);
        }
        assertEquals(Segmenter.REJECT_INDEX, segmenter.segment(8, dst, 0, 2000));
        assertEquals(Segmenter.REJECT_INDEX, segmenter.segment(-1, dst, 0, 2000));
    }

    @Test
    void aSinglePacketWithNeedsCsumGetsItsChecksumFinishedAndOneWithoutIsCopiedAsIs() {
        Packets.Spec s = new Packets.Spec();
        s.udp = true;
        MemorySegment partial = superPacket(s, Packets.pattern(300, 1));
        int len = (int) partial.byteSize();
        assertEquals(1, segmenter.prepare(partial, 0, len, VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_NONE, 0, 20, 6));
        MemorySegment dst = MemorySegment.ofArray(new byte[2000]);
        assertEquals(len, segmenter.segment(0, dst, 16, 1984));
        MemorySegment full = MemorySegment.ofArray(new byte[len]);
        Packets.write(s, Packets.pattern(300, 1), full, 0, false);
        assertArrayEquals(full.toArray(ValueLayout.JAVA_BYTE), Packets.bytes(dst, 16, len), "checksum finished");

        assertEquals(1, segmenter.prepare(partial, 0, len, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0));
        assertEquals(len, segmenter.segment(0, dst, 16, 1984));
        assertArrayEquals(partial.toArray(ValueLayout.JAVA_BYTE), Packets.bytes(dst, 16, len), "no flag: untouched");
    }

    @Test
    void completeChecksumFinishesTcpInPlaceAndRefusesAFieldOutsideThePacket() {
        Packets.Spec s = new Packets.Spec();
        s.version = 6;
        MemorySegment p = superPacket(s, Packets.pattern(1001, 9));
        int len = (int) p.byteSize();
        assertEquals(0, Segmenter.completeChecksum(p, 0, len, 40, 16));
        assertTrue(Packets.checksumsValid(p, 0, len));
        assertEquals(Segmenter.REJECT_CSUM_FIELDS, Segmenter.completeChecksum(p, 0, len, len - 1, 0));
        assertEquals(Segmenter.REJECT_CSUM_FIELDS, Segmenter.completeChecksum(p, 0, len, 40, len));
        assertEquals(Segmenter.REJECT_CSUM_FIELDS, Segmenter.completeChecksum(p, 0, len, 0xffff, 0xffff));
        assertEquals(Segmenter.REJECT_CSUM_FIELDS, Segmenter.completeChecksum(p, 0, len + 1, 40, 16));
    }

    @Test
    void malformedSuperPacketsAreRefusedWithTheirReason() {
        Packets.Spec v4 = new Packets.Spec();
        MemorySegment p = superPacket(v4, Packets.pattern(3000, 1));
        int len = (int) p.byteSize();
        assertEquals(Segmenter.REJECT_GSO_SIZE, segmenter.prepare(p, 0, len, 1, VIRTIO_NET_HDR_GSO_TCPV4, 0, 20, 16));
        assertEquals(Segmenter.REJECT_GSO_TYPE, segmenter.prepare(p, 0, len, 1, 3, 1000, 20, 16), "legacy UFO");
        assertEquals(Segmenter.REJECT_GSO_TYPE, segmenter.prepare(p, 0, len, 1, 0x81, 1000, 20, 16), "ECN");
        assertEquals(Segmenter.REJECT_HEADERS, segmenter.prepare(p, 0, len, 1, VIRTIO_NET_HDR_GSO_TCPV6, 1000, 20, 16), "v4 as TCPV6");
        assertEquals(Segmenter.REJECT_HEADERS, segmenter.prepare(p, 0, len, 1, VIRTIO_NET_HDR_GSO_UDP_L4, 1000, 20, 6), "TCP as UDP");
        assertEquals(Segmenter.REJECT_CSUM_FIELDS, segmenter.prepare(p, 0, len, 1, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 24, 16));
        assertEquals(Segmenter.REJECT_CSUM_FIELDS, segmenter.prepare(p, 0, len, 1, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 20, 6));
        assertEquals(Segmenter.REJECT_LENGTH, segmenter.prepare(p, 0, 40, 1, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 20, 16), "headers only");
        assertEquals(Segmenter.REJECT_LENGTH, segmenter.prepare(p, 0, 30, 1, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 20, 16), "cut TCP header");
        assertEquals(Segmenter.REJECT_LENGTH, segmenter.prepare(p, 0, 0, 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0));
        assertEquals(Segmenter.REJECT_LENGTH, segmenter.prepare(p, 0, len + 1, 1, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 20, 16), "beyond the segment");
        assertEquals(Segmenter.REJECT_CSUM_FIELDS, segmenter.prepare(p, 0, len, 1, VIRTIO_NET_HDR_GSO_NONE, 0, len - 1, 0));
        assertEquals(0, segmenter.segmentCount(), "nothing prepared after a refusal");
        assertEquals(Segmenter.REJECT_INDEX, segmenter.segment(0, p, 0, len));

        MemorySegment big = MemorySegment.ofArray(new byte[MAX + 1]);
        MemorySegment.copy(p, 0, big, 0, len);
        assertEquals(Segmenter.REJECT_LENGTH, segmenter.prepare(big, 0, MAX + 1, 1, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 20, 16), "over 64 KiB");

        p.set(ValueLayout.JAVA_BYTE, 32, (byte) 0x40);                 // TCP data offset 4 words
        assertEquals(Segmenter.REJECT_HEADERS, segmenter.prepare(p, 0, len, 1, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 20, 16));
        p.set(ValueLayout.JAVA_BYTE, 32, (byte) 0x50);
        p.set(Packets.BE16, 6, (short) 0x2000);                        // a fragment
        assertEquals(Segmenter.REJECT_HEADERS, segmenter.prepare(p, 0, len, 1, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 20, 16));

        Packets.Spec opt = new Packets.Spec();
        opt.ipOptions = new byte[] {1, 1, 1, 0};                         // IPv4 options: csum_start must follow them
        MemorySegment o = superPacket(opt, Packets.pattern(3000, 2));
        assertEquals(Segmenter.REJECT_CSUM_FIELDS, segmenter.prepare(o, 0, (int) o.byteSize(), 1, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 20, 16));
        assertEquals(3, segmenter.prepare(o, 0, (int) o.byteSize(), 1, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 24, 16));
    }

    @Test
    void aSegmentLargerThanTheDestinationIsRefusedAndNothingIsWrittenPastIt() {
        Packets.Spec s = new Packets.Spec();
        MemorySegment p = superPacket(s, Packets.pattern(3000, 1));
        assertEquals(2, segmenter.prepare(p, 0, (int) p.byteSize(), 1, VIRTIO_NET_HDR_GSO_TCPV4, 1500, 20, 16));
        MemorySegment dst = MemorySegment.ofArray(new byte[1600]);
        assertEquals(Segmenter.REJECT_NO_ROOM, segmenter.segment(0, dst, 0, 1539));
        assertEquals(Segmenter.REJECT_NO_ROOM, segmenter.segment(0, dst, 100, 1540), "the capacity fits but the segment does not");
        assertEquals(-1, dst.mismatch(MemorySegment.ofArray(new byte[1600])), "nothing written");
        assertEquals(1540, segmenter.segment(0, dst, 60, 1540));
    }
}
