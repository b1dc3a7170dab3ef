package dev.jwgd.crypto;

import static dev.jwgd.crypto.TestData.bytes;
import static dev.jwgd.crypto.TestData.heap;
import static dev.jwgd.crypto.TestData.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The test vectors of RFC 8439: §2.3.2, §2.4.2, §2.5.2, §2.6.2, §2.8.2 and Appendix A.1-A.5. */
class Rfc8439VectorsTest {
    static final String KEY_00_1F = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String KEY_80_9F = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
    static final String ZERO_KEY = "00".repeat(32);
    static final String KEY_A5 = "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0";
    static final String SUNSCREEN = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for"
            + " the future, sunscreen would be it.";
    static final String IETF = "Any submission to the IETF intended by the Contributor for publication as all or part"
            + " of an IETF Internet-Draft or RFC and any statement made within the context of an IETF activity is"
            + " considered an \"IETF Contribution\". Such statements include oral statements in IETF sessions, as"
            + " well as written and electronic communications made at any time or place, which are addressed to";
    static final String JABBERWOCKY = "'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\nAll mimsy"
            + " were the borogoves,\nAnd the mome raths outgrabe.";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int n0(byte[] nonce) {
        return MemorySegment.ofArray(nonce).get(LittleEndian.INT, 0);
    }

    private static long n12(byte[] nonce) {
        return MemorySegment.ofArray(nonce).get(LittleEndian.LONG, 4);
    }

    /** Runs the scalar ChaCha20 over {@code plain} and returns the result. */
    private static byte[] chacha(String key, String nonce, int counter, byte[] plain) {
        byte[] n = hex(nonce);
        MemorySegment data = heap(plain);
        ChaCha20.xor(heap(hex(key)), 0, n0(n), n12(n), counter, data, 0, plain.length);
        return bytes(data, 0, plain.length);
    }

    static Stream<Arguments> blockFunctionVectors() {
        return Stream.of(
                // §2.3.2
                Arguments.of(KEY_00_1F, "000000090000004a00000000", 1,
                        "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                                + "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"),
                // A.1 #1-#5
                Arguments.of(ZERO_KEY, "000000000000000000000000", 0,
                        "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                                + "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"),
                Arguments.of(ZERO_KEY, "000000000000000000000000", 1,
                        "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
                                + "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f"),
                Arguments.of("00".repeat(31) + "01", "000000000000000000000000", 1,
                        "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
                                + "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0"),
                Arguments.of("00ff" + "00".repeat(30), "000000000000000000000000", 2,
                        "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
                                + "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096"),
                Arguments.of(ZERO_KEY, "000000000000000000000002", 0,
                        "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
                                + "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d"));
    }

    @ParameterizedTest
    @MethodSource("blockFunctionVectors")
    void blockFunctionGivesTheRfcKeyStream(String key, String nonce, int counter, String expected) {
        byte[] n = hex(nonce);
        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        ChaCha20.block(heap(hex(key)), 0, n0(n), n12(n), counter, out, 0);
        assertArrayEquals(hex(expected), bytes(out, 0, 64));
    }

    static Stream<Arguments> encryptionVectors() {
        return Stream.of(
                // §2.4.2
                Arguments.of(KEY_00_1F, "000000000000004a00000000", 1, ascii(SUNSCREEN),
                        "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b357"
                                + "1639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7"
                                + "7937365af90bbf74a35be6b40b8eedf2785e42874d"),
                // A.2 #1-#3
                Arguments.of(ZERO_KEY, "000000000000000000000000", 0, new byte[64],
                        "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                                + "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"),
                Arguments.of("00".repeat(31) + "01", "000000000000000000000002", 1, ascii(IETF),
                        "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec2a97948bd3722915c8f3d337f7d37005"
                                + "0e9e96d647b7c39f56e031ca5eb6250d4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950"
                                + "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85ad00f8449ed8f72d0d662ab052691ca66"
                                + "424bc86d2df80ea41f43abf937d3259dc4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b"
                                + "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6ccc3aaf9f3979c92b3720fc88dc95ed84"
                                + "a1be059c6499b9fda236e7e818b04b0bc39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f"
                                + "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e698ced759c3ff9b6477338f3da4f9cd85"
                                + "14ea9982ccafb341b2384dd902f3d1ab7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221"),
                Arguments.of(KEY_A5, "000000000000000000000002", 42, ascii(JABBERWOCKY),
                        "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf166d3df2d721caf9b21e5fb14c616871"
                                + "fd84c54f9d65b283196c7fe4f60553ebf39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77"
                                + "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1"));
    }

    @ParameterizedTest
    @MethodSource("encryptionVectors")
    void encryptionGivesTheRfcCiphertext(String key, String nonce, int counter, byte[] plain, String expected) {
        assertArrayEquals(hex(expected), chacha(key, nonce, counter, plain));
    }

    static Stream<Arguments> poly1305Vectors() {
        String five = "02" + "00".repeat(31);
        return Stream.of(
                // §2.5.2
                Arguments.of("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
                        ascii("Cryptographic Forum Research Group"), "a8061dc1305136c6c22b8baf0c0127a9"),
                // A.3 #1-#11
                Arguments.of(ZERO_KEY, new byte[64], "00".repeat(16)),
                Arguments.of("00".repeat(16) + "36e5f6b5c5e06070f0efca96227a863e", ascii(IETF),
                        "36e5f6b5c5e06070f0efca96227a863e"),
                Arguments.of("36e5f6b5c5e06070f0efca96227a863e" + "00".repeat(16), ascii(IETF),
                        "f3477e7cd95417af89a6b8794c310cf0"),
                Arguments.of(KEY_A5, ascii(JABBERWOCKY), "4541669a7eaaee61e708dc7cbcc5eb62"),
                Arguments.of(five, hex("ff".repeat(16)), "03" + "00".repeat(15)),
                Arguments.of("02" + "00".repeat(15) + "ff".repeat(16), hex("02" + "00".repeat(15)),
                        "03" + "00".repeat(15)),
                Arguments.of("01" + "00".repeat(31),
                        hex("ff".repeat(16) + "f0" + "ff".repeat(15) + "11" + "00".repeat(15)), "05" + "00".repeat(15)),
                Arguments.of("01" + "00".repeat(31),
                        hex("ff".repeat(16) + "fb" + "fe".repeat(15) + "01".repeat(16)), "00".repeat(16)),
                Arguments.of(five, hex("fd" + "ff".repeat(15)), "fa" + "ff".repeat(15)),
                Arguments.of("0100000000000000040000000000000000000000000000000000000000000000",
                        hex("e33594d7505e43b900000000000000003394d7505e4379cd01000000000000000000000000000000"
                                + "0000000000000000" + "01000000000000000000000000000000"),
                        "14000000000000005500000000000000"),
                Arguments.of("0100000000000000040000000000000000000000000000000000000000000000",
                        hex("e33594d7505e43b900000000000000003394d7505e4379cd01000000000000000000000000000000"
                                + "0000000000000000"),
                        "13000000000000000000000000000000"));
    }

    @ParameterizedTest
    @MethodSource("poly1305Vectors")
    void poly1305GivesTheRfcTag(String key, byte[] message, String tag) {
        Poly1305 poly = new Poly1305();
        poly.init(heap(hex(key)), 0);
        poly.last(heap(message), 0, message.length);
        poly.finish();
        MemorySegment out = MemorySegment.ofArray(new byte[16]);
        poly.writeTag(out, 0);
        assertArrayEquals(hex(tag), bytes(out, 0, 16));
        assertTrue(poly.tagEquals(heap(hex(tag)), 0));
    }

    static Stream<Arguments> oneTimeKeyVectors() {
        return Stream.of(
                // §2.6.2
                Arguments.of(KEY_80_9F, "000000000001020304050607",
                        "8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646"),
                // A.4 #1-#3
                Arguments.of(ZERO_KEY, "000000000000000000000000",
                        "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"),
                Arguments.of("00".repeat(31) + "01", "000000000000000000000002",
                        "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739"),
                Arguments.of(KEY_A5, "000000000000000000000002",
                        "965e3bc6f9ec7ed9560808f4d229f94b137ff275ca9b3fcbdd59deaad23310ae"));
    }

    @ParameterizedTest
    @MethodSource("oneTimeKeyVectors")
    void poly1305KeyIsTheFirstHalfOfBlockZero(String key, String nonce, String oneTimeKey) {
        assertArrayEquals(hex(oneTimeKey), java.util.Arrays.copyOf(chacha(key, nonce, 0, new byte[64]), 32));
    }

    static List<Aead> implementations() {
        return TestData.implementations();
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aeadSealGivesSection282CiphertextAndTag(Aead aead) {
        byte[] plain = ascii(SUNSCREEN);
        for (boolean offHeap : new boolean[] {false, true}) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment data = offHeap ? arena.allocate(plain.length + 16 + 3).asSlice(3)
                        : MemorySegment.ofArray(new byte[plain.length + 16]);
                MemorySegment.copy(plain, 0, data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, plain.length);
                aead.seal(heap(hex(KEY_80_9F)), heap(hex("070000004041424344454647")),
                        heap(hex("50515253c0c1c2c3c4c5c6c7")), data, 0, plain.length);
                assertArrayEquals(hex(KnownAnswers.RFC_2_8_2_CIPHERTEXT + KnownAnswers.RFC_2_8_2_TAG),
                        bytes(data, 0, plain.length + 16), aead.name() + (offHeap ? " off-heap" : " heap"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aeadOpenDecryptsAppendixA5WithItsWireGuardShapedNonce(Aead aead) {
        byte[] sealed = hex(KnownAnswers.RFC_A5_CIPHERTEXT + KnownAnswers.RFC_A5_TAG);
        MemorySegment data = heap(sealed);
        assertTrue(aead.open(heap(hex(KEY_A5)), KnownAnswers.RFC_A5_COUNTER, heap(hex(KnownAnswers.RFC_A5_AAD)),
                data, 0, sealed.length), aead.name());
        String plain = new String(bytes(data, 0, sealed.length - 16), StandardCharsets.UTF_8);
        assertTrue(plain.startsWith("Internet-Drafts are draft documents valid for a maximum of six months"), plain);
        assertTrue(plain.endsWith("\u201cwork in progress./\u201d"), plain);
        assertEquals(sealed.length - 16, plain.getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aeadOpenRejectsAppendixA5WithAWrongAadAndLeavesTheBuffer(Aead aead) {
        byte[] sealed = hex(KnownAnswers.RFC_A5_CIPHERTEXT + KnownAnswers.RFC_A5_TAG);
        MemorySegment data = heap(sealed);
        byte[] aad = hex(KnownAnswers.RFC_A5_AAD);
        aad[11] ^= 1;
        assertFalse(aead.open(heap(hex(KEY_A5)), KnownAnswers.RFC_A5_COUNTER, heap(aad), data, 0, sealed.length));
        assertArrayEquals(sealed, bytes(data, 0, sealed.length));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void wireGuardCounterFormIsTheNonceOfFourZeroBytesAndTheLittleEndianCounter(Aead aead) {
        byte[] plain = ascii(JABBERWOCKY);
        MemorySegment a = MemorySegment.ofArray(java.util.Arrays.copyOf(plain, plain.length + 16));
        MemorySegment b = MemorySegment.ofArray(java.util.Arrays.copyOf(plain, plain.length + 16));
        aead.seal(heap(hex(KEY_A5)), 0x0807060504030201L, MemorySegment.NULL, a, 0, plain.length);
        aead.seal(heap(hex(KEY_A5)), heap(hex("000000000102030405060708")), MemorySegment.NULL, b, 0, plain.length);
        assertArrayEquals(bytes(b, 0, plain.length + 16), bytes(a, 0, plain.length + 16), aead.name());
    }
}
