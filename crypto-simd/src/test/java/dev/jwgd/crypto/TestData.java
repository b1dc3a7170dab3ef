package dev.jwgd.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** Shared by the crypto tests: hex, segments, the implementations under test, and the BouncyCastle oracle. */
final class TestData {
    private TestData() {}

    static final HexFormat HEX = HexFormat.of();

    /** Every implementation, every vector width forced, whatever this CPU prefers. */
    static List<Aead> implementations() {
        List<Aead> all = new ArrayList<>();
        all.add(AeadProvider.scalar());
        all.add(AeadProvider.jdk());
        all.addAll(vectorImplementations());
        return all;
    }

    static List<Aead> vectorImplementations() {
        return List.of(AeadProvider.vector(512), AeadProvider.vector(256), AeadProvider.vector(128));
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s.replaceAll("[\\s:]", ""));
    }

    static MemorySegment heap(byte[] b) {
        return MemorySegment.ofArray(b.clone());
    }

    static MemorySegment offHeap(Arena arena, byte[] b) {
        MemorySegment s = arena.allocate(Math.max(1, b.length), 64);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
        return b.length == 0 ? s.asSlice(0, 0) : s;
    }

    static byte[] bytes(MemorySegment s, long offset, long length) {
        return s.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** WireGuard's nonce: 4 zero bytes, then the counter little-endian. */
    static byte[] wireGuardNonce(long counter) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (8 * i));
        }
        return n;
    }

    /** BouncyCastle's ChaCha20-Poly1305, out of place: ciphertext followed by the tag. */
    static byte[] bcSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plain) {
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[c.getOutputSize(plain.length)];
        int n = c.processBytes(plain, 0, plain.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** BouncyCastle's open, or null when the tag is wrong. */
    static byte[] bcOpen(byte[] key, byte[] nonce, byte[] aad, byte[] sealed) {
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(false, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[c.getOutputSize(sealed.length)];
        int n = c.processBytes(sealed, 0, sealed.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            return null;
        }
        return out;
    }
}
