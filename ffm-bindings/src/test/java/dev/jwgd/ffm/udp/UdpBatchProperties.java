package dev.jwgd.ffm.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ffm.libc.Sockets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The control-message walk of {@link UdpBatch} (what a receive parses) against crafted buffers:
 * well-formed sequences give back exactly what they carry, and random or mutated bytes never make
 * it throw or read outside the slot's control space.
 */
class UdpBatchProperties {
    static LongStream seeds() {
        return new SplittableRandom(0x5eed_f0e1L).longs(200);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void wellFormedControlMessagesAreParsedExactly(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            UdpBatch b = new UdpBatch(2, 64, arena);
            MemorySegment c = b.controlBuffer(1);
            c.fill((byte) r.nextInt(256));
            int gro = r.nextBoolean() ? 1 + r.nextInt(65535) : 0;
            int v4 = r.nextBoolean() ? r.nextInt() : 0;
            boolean v6 = r.nextBoolean();
            long hi = r.nextLong(), lo = r.nextLong();
            int ifindex = 1 + r.nextInt(1000);
            long at = 0;
            // an unknown message first sometimes, which must be skipped
            if (r.nextBoolean()) at = put(c, at, 1, 40 + r.nextInt(10), 4 + r.nextInt(8));
            if (v4 != 0) {
                long d = at + 16;
                at = put(c, at, in_h.SOL_IP, in_h.IP_PKTINFO, 12);
                in_pktinfo.ipi_ifindex(c, d, ifindex);
                in_pktinfo.ipi_spec_dst(c, d, v4);
                in_pktinfo.ipi_addr(c, d, ~v4);
            }
            if (v6) {
                long d = at + 16;
                at = put(c, at, in_h.SOL_IPV6, in_h.IPV6_PKTINFO, 20);
                in6_pktinfo.ipi6_addr(c, d, hi, lo);
                in6_pktinfo.ipi6_ifindex(c, d, ifindex);
            }
            if (gro != 0) {
                long d = at + 16;
                at = put(c, at, in_h.SOL_UDP, in_h.UDP_GRO, 4);
                c.set(ValueLayout.JAVA_INT, d, gro);
            }
            b.setControlLength(1, at);
            b.parseControl(1);
            assertEquals(gro, b.groSegmentSize(1), "GRO size, seed " + seed);
            int family = v6 ? Sockets.AF_INET6 : v4 != 0 ? Sockets.AF_INET : 0;
            assertEquals(family, b.localFamily(1), "family, seed " + seed);
            assertEquals(v4, b.localIPv4(1), "IPv4 local, seed " + seed);
            if (v6) {
                assertEquals(hi, b.localIPv6Hi(1), "IPv6 hi, seed " + seed);
                assertEquals(lo, b.localIPv6Lo(1), "IPv6 lo, seed " + seed);
            }
            assertEquals(family == 0 ? 0 : ifindex, b.localIfindex(1), "ifindex, seed " + seed);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomAndMutatedControlBytesNeverBreakTheWalk(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            UdpBatch b = new UdpBatch(3, 64, arena);
            MemorySegment c = b.controlBuffer(1);
            // start from a valid GRO + pktinfo sequence, then corrupt it
            long at = put(c, 0, in_h.SOL_IP, in_h.IP_PKTINFO, 12);
            at = put(c, at, in_h.SOL_UDP, in_h.UDP_GRO, 4);
            int flips = r.nextInt(1, 12);
            for (int k = 0; k < flips; k++) {
                int pos = r.nextInt(UdpBatch.CONTROL_SPACE);
                if (r.nextInt(4) == 0) c.set(ValueLayout.JAVA_LONG_UNALIGNED, pos & ~7 & 0x78, r.nextLong()); // wild cmsg_len
                else c.set(ValueLayout.JAVA_BYTE, pos, (byte) r.nextInt(256));
            }
            long[] lengths = {at, r.nextLong(), -1, 0, 15, UdpBatch.CONTROL_SPACE, Long.MAX_VALUE, r.nextInt(UdpBatch.CONTROL_SPACE + 1)};
            MemorySegment neighbour = b.controlBuffer(2);
            neighbour.fill((byte) 0x33);
            for (long len : lengths) {
                b.setControlLength(1, len);
                b.parseControl(1);                         // must not throw
                int gro = b.groSegmentSize(1);
                assertTrue(gro >= 0 && gro <= 0xffff, "GRO size " + gro + ", seed " + seed + ", controllen " + len);
                int fam = b.localFamily(1);
                assertTrue(fam == 0 || fam == Sockets.AF_INET || fam == Sockets.AF_INET6, "family " + fam + ", seed " + seed);
            }
            for (long k = 0; k < UdpBatch.CONTROL_SPACE; k++) {
                assertEquals((byte) 0x33, neighbour.get(ValueLayout.JAVA_BYTE, k), "parse wrote outside its slot, seed " + seed);
            }
        }
    }

    /** Writes a cmsghdr with {@code payload} bytes at {@code at}; returns the next header's offset. */
    private static long put(MemorySegment c, long at, int level, int type, int payload) {
        cmsghdr.cmsg_len(c, at, cmsghdr.CMSG_LEN(payload));
        cmsghdr.cmsg_level(c, at, level);
        cmsghdr.cmsg_type(c, at, type);
        return at + cmsghdr.CMSG_SPACE(payload);
    }
}
