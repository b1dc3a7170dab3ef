package dev.jwgd.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JDK's own {@code Cipher.getInstance("ChaCha20-Poly1305")} behind the {@link Aead} contract: the fallback when
 * the vector kernels cannot be used. It is intrinsified on JDK 25 (about 1.16 GB/s at 1420 B here) but allocates about
 * 2 KiB per packet inside the JDK (crypto.md §2.2), and it copies the key into a heap array it cannot wipe.
 */
public final class JdkChaCha20Poly1305 extends PacketByPacketAead {
    private static final class State {
        final Cipher cipher;
        final byte[] key = new byte[KEY_LENGTH];
        final byte[] nonce = new byte[NONCE_LENGTH];

        State() {
            try {
                cipher = Cipher.getInstance("ChaCha20-Poly1305");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK has no ChaCha20-Poly1305 cipher", e);
            }
        }
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    void sealPacket(MemorySegment key, int n0, long n12, MemorySegment aad, MemorySegment data, long offset,
                             int length) {
        State s = STATE.get();
        try {
            init(s, Cipher.ENCRYPT_MODE, key, n0, n12);
            updateAad(s.cipher, aad);
            ByteBuffer buf = data.asSlice(offset, (long) length + TAG_LENGTH).asByteBuffer();
            ByteBuffer in = buf.duplicate().limit(length);
            s.cipher.doFinal(in, buf);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK ChaCha20-Poly1305 failed to seal", e);
        }
    }

    @Override
    boolean openPacket(MemorySegment key, int n0, long n12, MemorySegment aad, MemorySegment data,
                                long offset, int lengthWithTag) {
        if (lengthWithTag < TAG_LENGTH) {
            return false;
        }
        State s = STATE.get();
        try {
            init(s, Cipher.DECRYPT_MODE, key, n0, n12);
            updateAad(s.cipher, aad);
            ByteBuffer buf = data.asSlice(offset, lengthWithTag).asByteBuffer();
            ByteBuffer in = buf.duplicate();
            s.cipher.doFinal(in, buf);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK ChaCha20-Poly1305 failed to open", e);
        }
    }

    private static void init(State s, int mode, MemorySegment key, int n0, long n12) throws GeneralSecurityException {
        MemorySegment.copy(key, ValueLayout.JAVA_BYTE, 0, s.key, 0, KEY_LENGTH);
        MemorySegment nonce = MemorySegment.ofArray(s.nonce);
        nonce.set(LittleEndian.INT, 0, n0);
        nonce.set(LittleEndian.LONG, 4, n12);
        SecretKeySpec k = new SecretKeySpec(s.key, "ChaCha20");
        java.util.Arrays.fill(s.key, (byte) 0);
        try {
            s.cipher.init(mode, k, new IvParameterSpec(s.nonce));
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            if (mode != Cipher.ENCRYPT_MODE) {
                throw e;
            }
            // The JDK refuses to encrypt twice in a row with the same key and nonce. The caller owns nonce
            // uniqueness (RFC 8439 §4), so step through another nonce and back.
            s.nonce[0] ^= 1;
            s.cipher.init(mode, k, new IvParameterSpec(s.nonce));
            s.nonce[0] ^= 1;
            s.cipher.init(mode, k, new IvParameterSpec(s.nonce));
        }
    }

    private static void updateAad(Cipher cipher, MemorySegment aad) {
        if (aad != null && aad.byteSize() > 0) {
            cipher.updateAAD(aad.asByteBuffer());
        }
    }
}
