package dev.jwgd.crypto;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** The byte order of ChaCha20 and Poly1305 (RFC 8439 §2.1, §2.5): every word is little-endian, at any alignment. */
public final class LittleEndian {
    private LittleEndian() {}

    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
}
