package dev.jwgd.offload;

import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV4;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_TCPV6;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_UDP_L4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Segmenter} on random super-packets: valid ones split into packets whose checksums verify and
 * whose payloads concatenate to the original; random and mutated ones with random virtio_net_hdr
 * values never make it throw, touch its input, or write outside the destination range it was given
 * (the segments passed in are exact slices, so any access outside them would throw).
 */
class SegmenterProperties {
    static LongStream seeds() {
        return new SplittableRandom(0x5e6e17e5L).longs(40);
    }

    private static Packets.Spec randomSpec(SplittableRandom r) {
        Packets.Spec s = new Packets.Spec();
        s.version = r.nextBoolean() ? 4 : 6;
        s.udp = r.nextInt(3) == 0;
        s.seq = r.nextInt();
        s.ack = r.nextInt();
        s.ipId = r.nextInt(0x10000);
        s.flags = Packets.ACK | (r.nextBoolean() ? Packets.PSH : 0) | (r.nextInt(4) == 0 ? Packets.FIN : 0) | (r.nextInt(4) == 0 ? Packets.CWR : 0);
        s.options = new byte[4 * r.nextInt(0, 11)];
        r.nextBytes(s.options);
        if (s.version == 4 && r.nextInt(4) == 0) s.ipOptions = new byte[4 * r.nextInt(1, 11)];
        return s;
    }

    private static int gsoType(Packets.Spec s) {
        return s.udp ? VIRTIO_NET_HDR_GSO_UDP_L4 : s.version == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void validSuperPacketsSplitIntoValidPacketsCarryingThePayloadInOrder(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Segmenter seg = new Segmenter();
        for (int round = 0; round < 10; round++) {
            Packets.Spec s = randomSpec(r);
            int hdr = s.ipHeaderLength() + s.l4HeaderLength();
            int payloadLength = r.nextInt(1, 65536 - hdr);
            int gso = r.nextInt(4) == 0 ? r.nextInt(1, 200) : r.nextInt(500, 1900);
            byte[] payload = new byte[payloadLength];
            r.nextBytes(payload);
            MemorySegment sp = MemorySegment.ofArray(new byte[hdr + payloadLength]);
            Packets.write(s, payload, sp, 0, true);
            String at = "seed " + seed + ", round " + round + ", v" + s.version + (s.udp ? " UDP" : " TCP") + ", payload " + payloadLength + ", gso " + gso;
            int count = seg.prepare(sp, 0, (int) sp.byteSize(), 1, gsoType(s), gso, s.ipHeaderLength(), s.udp ? 6 : 16);
            assertEquals((payloadLength + gso - 1) / gso, count, at + ": " + Segmenter.reason(count));
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            MemorySegment dst = MemorySegment.ofArray(new byte[hdr + gso]);
            // Every packet of a split into up to 60, else the first 30, 10 random ones and the last.
            boolean all = count <= 60;
            int checks = all ? count : 41;
            for (int c = 0; c < checks; c++) {
                int k = all || c < 30 ? c : c == 40 ? count - 1 : r.nextInt(30, count);
                int n = seg.segment(k, dst, 0, (int) dst.byteSize());
                assertEquals(hdr + Math.min(gso, payloadLength - k * gso), n, at + ", packet " + k);
                assertTrue(Packets.checksumsValid(dst, 0, n), at + ", packet " + k + " checksums");
                if (!s.udp) {
                    assertEquals(s.seq + k * gso, dst.get(Packets.BE32, s.ipHeaderLength() + 4), at + ", seq of " + k);
                    int flags = dst.get(ValueLayout.JAVA_BYTE, s.ipHeaderLength() + 13) & 0xff;
                    int want = s.flags & ~(k == count - 1 ? 0 : Packets.FIN | Packets.PSH) & ~(k == 0 ? 0 : Packets.CWR);
                    assertEquals(want, flags, at + ", flags of " + k);
                }
                if (all) joined.write(dst.asSlice(hdr, n - hdr).toArray(ValueLayout.JAVA_BYTE), 0, n - hdr);
            }
            if (all) assertArrayEquals(payload, joined.toByteArray(), at + ": the payload, in order");
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomAndMutatedInputNeverThrowsNorTouchesAnythingButTheDestinationRange(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Segmenter seg = new Segmenter();
        for (int round = 0; round < 60; round++) {
            String at = "seed " + seed + ", round " + round;
            byte[] bytes;
            Packets.Spec s = randomSpec(r);
            int hdr = s.ipHeaderLength() + s.l4HeaderLength();
            if (r.nextInt(5) == 0) {
                bytes = new byte[r.nextInt(0, 3000)];
                r.nextBytes(bytes);
            } else {
                byte[] payload = new byte[r.nextInt(0, 6000)];
                r.nextBytes(payload);
                bytes = new byte[hdr + payload.length];
                Packets.write(s, payload, MemorySegment.ofArray(bytes), 0, true);
                for (int m = r.nextInt(0, 4); m > 0 && bytes.length > 0; m--) {
                    int i = r.nextInt(Math.min(bytes.length, hdr + 4));
                    bytes[i] = (byte) r.nextInt();
                }
                if (r.nextInt(4) == 0 && bytes.length > 0) bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
            }
            byte[] original = bytes.clone();
            MemorySegment src = MemorySegment.ofArray(bytes);
            int flags = r.nextInt(4) == 0 ? r.nextInt(256) : 1;
            int gsoType = switch (r.nextInt(6)) {
                case 0 -> r.nextInt(256);
                case 1 -> 0;
                default -> gsoType(s);
            };
            int gso = r.nextInt(5) == 0 ? r.nextInt(0x10000) : r.nextInt(0, 2000);
            int csumStart = r.nextInt(3) == 0 ? r.nextInt(0x10000) : s.ipHeaderLength() + (r.nextInt(4) == 0 ? r.nextInt(-4, 5) : 0);
            int csumOffset = r.nextInt(3) == 0 ? r.nextInt(0x10000) : (s.udp ? 6 : 16);
            int len = bytes.length == 0 ? 0 : (r.nextInt(6) == 0 ? r.nextInt(bytes.length + 1) : bytes.length);
            int count;
            try {
                count = seg.prepare(src, 0, len, flags, gsoType & 0xff, gso & 0xffff, csumStart & 0xffff, csumOffset & 0xffff);
                if (count > 0) {
                    int capacity = r.nextInt(0, 2200);
                    byte[] outer = new byte[capacity + 64];
                    MemorySegment dst = MemorySegment.ofArray(outer).asSlice(32, capacity);
                    for (int t = 0; t < Math.min(count, 30); t++) {
                        int k = r.nextInt(5) == 0 ? r.nextInt(-2, count + 3) : r.nextInt(count);
                        int n = seg.segment(k, dst, 0, capacity);
                        assertTrue(n <= capacity, at + ": length " + n + " within capacity " + capacity);
                        if (k < 0 || k >= count) assertEquals(Segmenter.REJECT_INDEX, n, at);
                    }
                    for (int i = 0; i < 32; i++) {
                        assertEquals(0, outer[i], at + ": nothing before the destination");
                        assertEquals(0, outer[outer.length - 1 - i], at + ": nothing after the destination");
                    }
                } else {
                    assertTrue(count < 0, at + ": a prepared packet has at least one segment");
                }
                if (len >= 0 && len <= bytes.length && flags == 1) {
                    byte[] copy = java.util.Arrays.copyOf(original, len);
                    Segmenter.completeChecksum(MemorySegment.ofArray(copy), 0, len, csumStart & 0xffff, csumOffset & 0xffff);
                }
            } catch (RuntimeException e) {
                fail(at + ": threw " + e, e);
            }
            assertArrayEquals(original, bytes, at + ": the input is only read");
        }
    }
}
