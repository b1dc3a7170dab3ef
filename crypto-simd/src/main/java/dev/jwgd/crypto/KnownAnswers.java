package dev.jwgd.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/**
 * Start-up known-answer checks for an {@link Aead}: RFC 8439 §2.8.2 (seal) and Appendix A.5 (open), then agreement
 * with the scalar reference across the kernel's pass and lane boundaries, one by one and batched, and rejection of
 * a forged tag. Used by {@link AeadProvider} before it trusts an implementation.
 */
public final class KnownAnswers {
    private KnownAnswers() {}

    private static final HexFormat HEX = HexFormat.of();

    static final String RFC_2_8_2_KEY = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
    static final String RFC_2_8_2_NONCE = "070000004041424344454647";
    static final String RFC_2_8_2_AAD = "50515253c0c1c2c3c4c5c6c7";
    static final String RFC_2_8_2_PLAINTEXT = "Ladies and Gentlemen of the class of '99: If I could offer you only one"
            + " tip for the future, sunscreen would be it.";
    static final String RFC_2_8_2_CIPHERTEXT = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58"
            + "fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116";
    static final String RFC_2_8_2_TAG = "1ae10b594f09e26a7e902ecbd0600691";

    static final String RFC_A5_KEY = "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0";
    static final long RFC_A5_COUNTER = 0x0807060504030201L;
    static final String RFC_A5_AAD = "f33388860000000000004e91";
    static final String RFC_A5_CIPHERTEXT = "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
            + "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf332f830e710b97ce98c8a84abd0b9481"
            + "14ad176e008d33bd60f982b1ff37c8559797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
            + "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523eaf4534d7f83fa1155b0047718cbc546a"
            + "0d072b04b3564eea1b422273f548271a0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
            + "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29a6ad5cb4022b02709b";
    static final String RFC_A5_TAG = "eead9d67890cbb22392336fea1851f38";
    static final String RFC_A5_PLAINTEXT_START = "496e7465726e65742d4472616674732061726520647261667420646f63756d65";

    /** Lengths around the block (64 B), Poly1305 chunk (128 B), pass (16 blocks) and MTU boundaries. */
    private static final int[] LENGTHS = {0, 1, 15, 16, 63, 64, 65, 127, 128, 255, 256, 257, 959, 960, 961, 1023,
            1024, 1420, 1440, 2048, 4096, 16384};

    /**
     * Checks {@code aead} and throws {@link IllegalStateException} naming the first check that failed (never a key or
     * plaintext).
     */
    public static void verify(Aead aead) {
        try (Arena arena = Arena.ofConfined()) {
            rfc8439(aead, arena);
            agreesWithScalar(aead, arena);
        }
    }

    private static void rfc8439(Aead aead, Arena arena) {
        MemorySegment key = bytes(arena, RFC_2_8_2_KEY);
        MemorySegment nonce = bytes(arena, RFC_2_8_2_NONCE);
        MemorySegment aad = bytes(arena, RFC_2_8_2_AAD);
        byte[] plain = RFC_2_8_2_PLAINTEXT.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MemorySegment data = arena.allocate(plain.length + Aead.TAG_LENGTH);
        MemorySegment.copy(plain, 0, data, ValueLayout.JAVA_BYTE, 0, plain.length);
        aead.seal(key, nonce, aad, data, 0, plain.length);
        expect(aead, "RFC 8439 2.8.2 seal", data, RFC_2_8_2_CIPHERTEXT + RFC_2_8_2_TAG);
        if (!aead.open(key, nonce, aad, data, 0, plain.length + Aead.TAG_LENGTH)) {
            throw new IllegalStateException(aead.name() + ": RFC 8439 2.8.2 open rejected a valid tag");
        }
        expect(aead, "RFC 8439 2.8.2 open", data, HEX.formatHex(plain));

        MemorySegment a5 = bytes(arena, RFC_A5_CIPHERTEXT + RFC_A5_TAG);
        int a5Length = (int) a5.byteSize();
        MemorySegment a5Key = bytes(arena, RFC_A5_KEY);
        MemorySegment a5Aad = bytes(arena, RFC_A5_AAD);
        a5.set(ValueLayout.JAVA_BYTE, 7, (byte) (a5.get(ValueLayout.JAVA_BYTE, 7) ^ 4));
        if (aead.open(a5Key, RFC_A5_COUNTER, a5Aad, a5, 0, a5Length)) {
            throw new IllegalStateException(aead.name() + ": accepted RFC 8439 A.5 with a flipped ciphertext bit");
        }
        a5.set(ValueLayout.JAVA_BYTE, 7, (byte) (a5.get(ValueLayout.JAVA_BYTE, 7) ^ 4));
        if (!aead.open(a5Key, RFC_A5_COUNTER, a5Aad, a5, 0, a5Length)) {
            throw new IllegalStateException(aead.name() + ": RFC 8439 A.5 open rejected a valid tag");
        }
        String start = HEX.formatHex(a5.asSlice(0, 32).toArray(ValueLayout.JAVA_BYTE));
        if (!start.equals(RFC_A5_PLAINTEXT_START)) {
            throw new IllegalStateException(aead.name() + ": RFC 8439 A.5 decrypted to the wrong plaintext");
        }
    }

    private static void agreesWithScalar(Aead aead, Arena arena) {
        Aead reference = new ScalarChaCha20Poly1305();
        MemorySegment key = arena.allocate(32);
        for (int i = 0; i < 32; i++) {
            key.set(ValueLayout.JAVA_BYTE, i, (byte) (0x5a + 7 * i));
        }
        AeadBatch batch = new AeadBatch(LENGTHS.length);
        MemorySegment[] expected = new MemorySegment[LENGTHS.length];
        for (int n = 0; n < LENGTHS.length; n++) {
            int length = LENGTHS[n];
            MemorySegment mine = pattern(arena, length, n);
            MemorySegment theirs = pattern(arena, length, n);
            long counter = 0xfffffff0L + 3L * n;
            aead.seal(key, counter, MemorySegment.NULL, mine, 0, length);
            reference.seal(key, counter, MemorySegment.NULL, theirs, 0, length);
            if (mine.mismatch(theirs) != -1) {
                throw new IllegalStateException(aead.name() + ": seal differs from the scalar reference at " + length
                        + " B");
            }
            expected[n] = theirs;
            batch.add(key, counter, pattern(arena, length, n), 0, length);
        }
        aead.sealBatch(batch);
        for (int n = 0; n < LENGTHS.length; n++) {
            if (batch.data(n).mismatch(expected[n]) != -1 || !batch.ok(n)) {
                throw new IllegalStateException(aead.name() + ": batched seal differs from one by one at "
                        + LENGTHS[n] + " B");
            }
        }
        int flipped = 5;
        MemorySegment bad = batch.data(flipped);
        bad.set(ValueLayout.JAVA_BYTE, LENGTHS[flipped] + 3, (byte) (bad.get(ValueLayout.JAVA_BYTE,
                LENGTHS[flipped] + 3) ^ 0x10));
        AeadBatch open = new AeadBatch(LENGTHS.length);
        for (int n = 0; n < LENGTHS.length; n++) {
            open.add(key, batch.nonce12(n), batch.data(n), 0, LENGTHS[n] + Aead.TAG_LENGTH);
        }
        aead.openBatch(open);
        for (int n = 0; n < LENGTHS.length; n++) {
            boolean want = n != flipped;
            if (open.ok(n) != want) {
                throw new IllegalStateException(aead.name() + ": batched open " + (want ? "rejected" : "accepted")
                        + " the packet of " + LENGTHS[n] + " B");
            }
            if (want && open.data(n).asSlice(0, LENGTHS[n]).mismatch(pattern(arena, LENGTHS[n], n)
                    .asSlice(0, LENGTHS[n])) != -1) {
                throw new IllegalStateException(aead.name() + ": batched open gave the wrong plaintext at "
                        + LENGTHS[n] + " B");
            }
        }
    }

    private static MemorySegment pattern(Arena arena, int length, int salt) {
        MemorySegment s = arena.allocate(length + Aead.TAG_LENGTH);
        for (int i = 0; i < length; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + salt * 17 + (i >>> 8)));
        }
        return s;
    }

    private static MemorySegment bytes(Arena arena, String hex) {
        byte[] b = HEX.parseHex(hex);
        MemorySegment s = arena.allocate(b.length);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
        return s;
    }

    private static void expect(Aead aead, String what, MemorySegment data, String hex) {
        byte[] want = HEX.parseHex(hex);
        byte[] got = data.asSlice(0, want.length).toArray(ValueLayout.JAVA_BYTE);
        if (!java.util.Arrays.equals(want, got)) {
            throw new IllegalStateException(aead.name() + ": " + what + " gave the wrong bytes");
        }
    }
}
