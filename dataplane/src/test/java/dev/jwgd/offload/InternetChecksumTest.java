package dev.jwgd.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Known values for the Internet checksum and its pseudo-headers, for all three implementations. */
class InternetChecksumTest {
    private static MemorySegment hex(String h) {
        return MemorySegment.ofArray(HexFormat.of().parseHex(h.replace(" ", "")));
    }

    private static void allAgree(int expected, MemorySegment s, long off, int len, int initial) {
        assertEquals(expected, InternetChecksum.sumReference(s, off, len, initial), "reference");
        assertEquals(expected, InternetChecksum.sumScalar(s, off, len, initial), "scalar");
        assertEquals(expected, InternetChecksum.sumVector(s, off, len, initial), "vector");
        assertEquals(expected, InternetChecksum.sum(s, off, len, initial), "chosen: " + InternetChecksum.implementation());
    }

    @Test
    void rfc1071SectionThreeExampleSumsToDdf2() {
        // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 -> one's-complement sum ddf2, checksum 220d.
        MemorySegment s = hex("0001f203f4f5f6f7");
        allAgree(0xddf2, s, 0, 8, 0);
        assertEquals(0x220d, InternetChecksum.checksum(s, 0, 8, 0));
    }

    @Test
    void aRealIpv4HeaderHasChecksumB861AndVerifiesToFfff() {
        // 192.168.0.1 -> 192.168.0.199, UDP, total length 115: the header checksum is b861.
        MemorySegment header = hex("45000073000040004011 b861 c0a80001c0a800c7");
        allAgree(0xffff, header, 0, 20, 0);
        MemorySegment zeroed = hex("45000073000040004011 0000 c0a80001c0a800c7");
        assertEquals(0xb861, InternetChecksum.checksum(zeroed, 0, 20, 0));
    }

    @Test
    void anOddLastBytePadsWithZeroOnTheRight() {
        allAgree(0xab00, hex("ab"), 0, 1, 0);
        allAgree(0x0102 + 0x0300, hex("010203"), 0, 3, 0);
        allAgree(0, hex(""), 0, 0, 0);
    }

    @Test
    void theInitialValueIsAddedWithEndAroundCarry() {
        allAgree(0x0001, hex("ffff"), 0, 2, 0x0001);     // ffff + 0001 = 1 0000 -> 0001
        allAgree(0x0003, hex("0001"), 0, 2, 0x10001);    // a 32-bit initial folds too
    }

    @Test
    void anAllOnesRangeLongerThanOneVectorBlockSumsToFfff() {
        MemorySegment s = MemorySegment.ofArray(new byte[65535]);
        s.fill((byte) 0xff);
        allAgree(0xffff, s, 0, 65534, 0);
        allAgree(0xff00, s, 1, 65533, 0);               // odd tail: ffff words vanish, ff00 stays
    }

    @Test
    void ipv4PseudoHeaderOfAKnownUdpDatagramGivesItsWireChecksum() {
        // 10.0.0.1:1234 -> 10.0.0.2:5678, payload "hi": the pseudo-header equals RFC 768's layout built
        // byte by byte, and the checksum equals the sum of every 16-bit word written out by hand.
        MemorySegment p = hex("4500001e00010000401100000a0000010a000002 04d2162e000a0000 6869");
        int pseudo = InternetChecksum.pseudoHeaderV4(p, 0, 17, 10);
        MemorySegment explicit = hex("0a0000010a000002 0011 000a");
        assertEquals(InternetChecksum.sumReference(explicit, 0, 12, 0), pseudo);
        int c = InternetChecksum.checksum(p, 20, 10, pseudo);
        // the same sum written out word by word: 0a00+0001+0a00+0002+0011+000a + 04d2+162e+000a+0000+6869
        long words = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 0x0011 + 0x000a + 0x04d2 + 0x162e + 0x000a + 0x6869;
        assertEquals(~InternetChecksum.fold(words) & 0xffff, c);
    }

    @Test
    void warmingUpLeavesTheResultsUnchanged() {
        MemorySegment s = hex("0001f203f4f5f6f7");
        InternetChecksum.warmUp();
        allAgree(0xddf2, s, 0, 8, 0);
    }

    @Test
    void ipv6PseudoHeaderCoversBothAddressesProtocolAndA32BitLength() {
        MemorySegment ip = MemorySegment.ofArray(new byte[40]);
        for (int i = 8; i < 40; i++) ip.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 3));
        int got = InternetChecksum.pseudoHeaderV6(ip, 0, 6, 0x12345);
        assertEquals(Packets.pseudo(ip, 0, 6, 6, 0x12345), got);
    }
}
