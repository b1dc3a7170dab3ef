package dev.jwgd.crypto;

import java.lang.foreign.MemorySegment;

/**
 * ChaCha20-Poly1305 (RFC 8439), in place on a {@link MemorySegment}, heap or off-heap.
 *
 * <p>{@code seal} encrypts {@code data[offset, offset+length)} in place and writes the 16-byte tag
 * right after it, at {@code offset+length}. {@code open} takes the ciphertext followed by its tag
 * ({@code lengthWithTag} bytes), checks the tag in constant time first, and only then decrypts in
 * place; on failure it returns false and leaves the buffer as it was. {@code aad} may be
 * {@link MemorySegment#NULL} or empty for no additional data.
 *
 * <p>The {@code counter} forms use WireGuard's nonce: 4 zero bytes then the little-endian 64-bit
 * counter. {@code key} is the 32 key bytes at offset 0 of its segment. Implementations allocate
 * nothing per call once warm and are safe for concurrent use on distinct buffers.
 */
public interface Aead {
    int KEY_LENGTH = 32;
    int NONCE_LENGTH = 12;
    int TAG_LENGTH = 16;

    void seal(MemorySegment key, long counter, MemorySegment aad, MemorySegment data, long offset, int length);

    boolean open(MemorySegment key, long counter, MemorySegment aad, MemorySegment data, long offset, int lengthWithTag);

    /** The general RFC 8439 form with a 12-byte nonce at offset 0 of {@code nonce}. */
    void seal(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment data, long offset, int length);

    boolean open(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment data, long offset, int lengthWithTag);

    /**
     * Seals every packet of the batch (each {@code length} bytes of plaintext, tag written after it) and marks each
     * {@link AeadBatch#ok(int) ok}. The same bytes as sealing them one by one.
     *
     * @throws IllegalArgumentException before touching any packet, if one has no room for its tag
     */
    void sealBatch(AeadBatch batch);

    /**
     * Opens every packet of the batch (each {@code length} bytes of ciphertext followed by the tag): each packet
     * whose tag checks is decrypted in place and marked {@link AeadBatch#ok(int) ok}; the others are left untouched.
     */
    void openBatch(AeadBatch batch);

    /** A short name for logs and benchmarks, e.g. {@code vector-512}, {@code scalar}, {@code jdk}. */
    String name();
}
