package dev.jwgd.crypto;

import java.lang.foreign.MemorySegment;

/** Argument checks shared by every {@link Aead}: clear messages, and none of them mentions a secret. */
public final class AeadBounds {
    private AeadBounds() {}

    public static void checkKey(MemorySegment key) {
        if (key.byteSize() < Aead.KEY_LENGTH) {
            throw new IllegalArgumentException("key segment has " + key.byteSize() + " bytes, needs " + Aead.KEY_LENGTH);
        }
    }

    public static void checkNonce(MemorySegment nonce) {
        if (nonce.byteSize() != Aead.NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce segment has " + nonce.byteSize() + " bytes, must have exactly "
                    + Aead.NONCE_LENGTH);
        }
    }

    /** The bytes at {@code [offset, offset + length + TAG_LENGTH)} must lie in {@code data}. */
    public static void checkData(MemorySegment data, long offset, int length) {
        if (offset < 0 || length < 0 || offset + length + Aead.TAG_LENGTH > data.byteSize()) {
            throw new IllegalArgumentException("packet [" + offset + ", +" + length + " + " + Aead.TAG_LENGTH
                    + " tag) does not fit in a segment of " + data.byteSize() + " bytes");
        }
    }

    /** For open: the bytes at {@code [offset, offset + lengthWithTag)} must lie in {@code data}. */
    public static void checkSealed(MemorySegment data, long offset, int lengthWithTag) {
        if (offset < 0 || lengthWithTag < 0 || offset + lengthWithTag > data.byteSize()) {
            throw new IllegalArgumentException("packet [" + offset + ", +" + lengthWithTag
                    + ") does not fit in a segment of " + data.byteSize() + " bytes");
        }
    }
}
