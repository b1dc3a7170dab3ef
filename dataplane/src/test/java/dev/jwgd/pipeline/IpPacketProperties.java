package dev.jwgd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The IP header reader on real headers and on random bytes (it must only ever answer, never throw). */
class IpPacketProperties {
    static LongStream seeds() {
        return new SplittableRandom(0x1B0A7).longs(30);
    }

    @Test
    void readsIpv4AndIpv6HeaderFields() {
        byte[] v4 = new byte[60];
        ByteBuffer.wrap(v4).put((byte) 0x45).put((byte) 0).putShort((short) 52).putInt(0).putInt(0)
                .putInt(0x0a000001).putInt(0x0a000002);
        MemorySegment s = MemorySegment.ofArray(v4);
        assertEquals(4, IpPacket.version(s, 0, 60));
        assertEquals(52, IpPacket.claimedLength(s, 0, 60), "trailing padding is not part of the packet");
        assertEquals(0x0a000001, IpPacket.v4Source(s, 0));
        assertEquals(0x0a000002, IpPacket.v4Destination(s, 0));

        byte[] v6 = new byte[48];
        ByteBuffer b = ByteBuffer.wrap(v6).putInt(0x60000000).putShort((short) 8).putShort((short) 0);
        b.putLong(0xfd00000000000000L).putLong(1).putLong(0xfd00000000000000L).putLong(2);
        MemorySegment t = MemorySegment.ofArray(v6);
        assertEquals(6, IpPacket.version(t, 0, 48));
        assertEquals(48, IpPacket.claimedLength(t, 0, 48));
        assertEquals(1, IpPacket.v6SourceLow(t, 0));
        assertEquals(0xfd00000000000000L, IpPacket.v6DestinationHigh(t, 0));
        assertEquals(-1, IpPacket.claimedLength(t, 0, 47), "a claimed length beyond the data is refused");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomBytesGiveAnAnswerWithinBounds(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int k = 0; k < 500; k++) {
            byte[] p = new byte[r.nextInt(100)];
            r.nextBytes(p);
            MemorySegment s = MemorySegment.ofArray(p);
            int v = IpPacket.version(s, 0, p.length);
            assertTrue(v == 0 || v == 4 || v == 6, "seed " + seed + ": version " + v);
            int c = IpPacket.claimedLength(s, 0, p.length);
            assertTrue(c == -1 || (c >= 20 && c <= p.length), "seed " + seed + ": claimed " + c + " of " + p.length);
        }
    }
}
