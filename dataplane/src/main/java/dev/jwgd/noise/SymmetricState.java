package dev.jwgd.noise;

import dev.jwgd.crypto.Aead;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The Noise SymmetricState (Noise spec section 5.2) with WireGuard's names: {@code chainKey} (ck),
 * {@code hash} (h), {@link #mixHash}, {@link #mixKey}, {@link #mixKeyAndHash}, encrypt/decrypt-and-hash,
 * {@link #split}. WireGuard's handshake is exactly these calls in the IKpsk2 order; keeping them here
 * lets a test drive the generic pattern against the Noise test vectors with the same code.
 * Not thread-safe: one per handshake computation.
 */
public final class SymmetricState {
    private final Aead aead;
    byte[] chainKey;
    byte[] hash;
    private byte[] key;
    private long nonce;

    /** InitializeSymmetric(protocolName) then MixHash(prologue). */
    public SymmetricState(Aead aead, byte[] protocolName, byte[] prologue) {
        this.aead = aead;
        if (protocolName.length <= Blake2s.HASH_LENGTH) {
            hash = Arrays.copyOf(protocolName, Blake2s.HASH_LENGTH);
        } else {
            hash = Blake2s.hash(protocolName);
        }
        chainKey = hash.clone();
        mixHash(prologue);
    }

    /** Starts from a precomputed (chainKey, hash), e.g. WireGuard's C0 and H0. */
    public SymmetricState(Aead aead, byte[] chainKey, byte[] hash, boolean copy) {
        this.aead = aead;
        this.chainKey = copy ? chainKey.clone() : chainKey;
        this.hash = copy ? hash.clone() : hash;
    }

    public byte[] chainKey() { return chainKey; }
    public byte[] hash() { return hash; }

    public void mixHash(byte[] data) {
        hash = Blake2s.hash(hash, data);
    }

    /** (ck, k) = KDF2(ck, input); n = 0. */
    public void mixKey(byte[] input) {
        byte[][] t = Blake2s.kdf(2, chainKey, input);
        wipe(chainKey);
        chainKey = t[0];
        setKey(t[1]);
    }

    /** (ck, τ, k) = KDF3(ck, input); MixHash(τ); n = 0. The psk token. */
    public void mixKeyAndHash(byte[] input) {
        byte[][] t = Blake2s.kdf(3, chainKey, input);
        wipe(chainKey);
        chainKey = t[0];
        mixHash(t[1]);
        wipe(t[1]);
        setKey(t[2]);
    }

    private void setKey(byte[] k) {
        if (key != null) wipe(key);
        key = k;
        nonce = 0;
    }

    /** AEAD(k, n++, plaintext, h), then MixHash(ciphertext). Without a key, the plaintext itself. */
    public byte[] encryptAndHash(byte[] plaintext) {
        byte[] out;
        if (key == null) {
            out = plaintext.clone();
        } else {
            out = Arrays.copyOf(plaintext, plaintext.length + Aead.TAG_LENGTH);
            aead.seal(MemorySegment.ofArray(key), nonce++, MemorySegment.ofArray(hash), MemorySegment.ofArray(out), 0, plaintext.length);
        }
        mixHash(out);
        return out;
    }

    /** The inverse of {@link #encryptAndHash}; null if the tag does not verify (state then unusable). */
    public byte[] decryptAndHash(byte[] ciphertext) {
        byte[] plain;
        if (key == null) {
            plain = ciphertext.clone();
        } else {
            if (ciphertext.length < Aead.TAG_LENGTH) return null;
            byte[] buf = ciphertext.clone();
            if (!aead.open(MemorySegment.ofArray(key), nonce++, MemorySegment.ofArray(hash), MemorySegment.ofArray(buf), 0, buf.length)) {
                return null;
            }
            plain = Arrays.copyOf(buf, buf.length - Aead.TAG_LENGTH);
            wipe(buf);
        }
        mixHash(ciphertext);
        return plain;
    }

    /** (k1, k2) = KDF2(ck, ε): the initiator's sending key first. */
    public byte[][] split() {
        return Blake2s.kdf(2, chainKey, new byte[0]);
    }

    /** Zeroes the chaining key and the cipher key. */
    public void wipe() {
        wipe(chainKey);
        if (key != null) wipe(key);
    }

    static void wipe(byte[] b) {
        if (b != null) Arrays.fill(b, (byte) 0);
    }
}
