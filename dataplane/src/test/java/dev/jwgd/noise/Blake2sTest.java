package dev.jwgd.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Blake2sTest {
    private static final HexFormat HEX = HexFormat.of();

    /** wireguard-go device/kdf_test.go: KDF3 with HMAC-BLAKE2s; KDF1/KDF2 are its prefixes. */
    @ParameterizedTest
    @CsvSource({
        "746573742d6b6579, 746573742d696e707574, 6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633, df1194df20802a4fe594cde27e92991c8cae66c366e8106aaa937a55fa371e8a, fac6e2745a325f5dc5d11a5b165aad08b0ada28e7b4e666b7c077934a4d76c24",
        "776972656775617264, 776972656775617264, 491d43bbfdaa8750aaf535e334ecbfe5129967cd64635101c566d4caefda96e8, 1e71a379baefd8a79aa4662212fcafe19a23e2b609a3db7d6bcba8f560e3d25f, 31e1ae48bddfbe5de38f295e5452b1909a1b4e38e183926af3780b0c1e1f0160",
        "'', '', 8387b46bf43eccfcf349552a095d8315c4055beb90208fb1be23b894bc2ed5d0, 58a0e5f6faefccf4807bff1f05fa8a9217945762040bcec2f4b4a62bdfe0e86e, 0ce6ea98ec548f8e281e93e32db65621c45eb18dc6f0a7ad94178610a2f7338e",
    })
    void kdfMatchesWireguardGoVectors(String key, String input, String t0, String t1, String t2) {
        byte[] k = HEX.parseHex(key), in = HEX.parseHex(input);
        byte[][] three = Blake2s.kdf(3, k, in);
        assertEquals(t0, HEX.formatHex(three[0]));
        assertEquals(t1, HEX.formatHex(three[1]));
        assertEquals(t2, HEX.formatHex(three[2]));
        byte[][] two = Blake2s.kdf(2, k, in);
        assertEquals(t1, HEX.formatHex(two[1]));
        assertEquals(t0, HEX.formatHex(Blake2s.kdf1(k, in)));
    }

    /** RFC 7693 appendix B: BLAKE2s-256("abc"). */
    @Test
    void hashIsBlake2s256() {
        assertEquals("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
                HEX.formatHex(Blake2s.hash("abc".getBytes())));
    }

    /** MAC is keyed BLAKE2s with a 16-byte output, not a truncated 32-byte one. */
    @Test
    void macIsKeyedBlake2sWithSixteenByteOutput() {
        byte[] key = new byte[32];
        byte[] out16 = new byte[16];
        Blake2s.mac(key, "abc".getBytes(), 0, 3, out16, 0);
        var d = new org.bouncycastle.crypto.digests.Blake2sDigest(key, 16, null, null);
        d.update("abc".getBytes(), 0, 3);
        byte[] expected = new byte[16];
        d.doFinal(expected, 0);
        assertArrayEquals(expected, out16);
        var d32 = new org.bouncycastle.crypto.digests.Blake2sDigest(key, 32, null, null);
        d32.update("abc".getBytes(), 0, 3);
        byte[] full = new byte[32];
        d32.doFinal(full, 0);
        assertEquals(false, java.util.Arrays.equals(java.util.Arrays.copyOf(full, 16), out16),
                "the output length is a BLAKE2s parameter, so a 16-byte MAC differs from a cut 32-byte one");
    }
}
