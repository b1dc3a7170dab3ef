package dev.jwgd.keys;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 32-byte WireGuard key (private, public or preshared) with its two text forms: base64, as in
 * config files and {@code wg}, and lowercase hex, as in the UAPI. Equality is constant-time.
 * {@link #zero()} wipes it when it is discarded.
 */
public final class Key {
    public static final int LENGTH = 32;
    private final byte[] bytes;

    private Key(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code b}, which must be 32 bytes. */
    public static Key of(byte[] b) {
        if (b.length != LENGTH) throw new IllegalArgumentException("a key is 32 bytes, not " + b.length);
        return new Key(b.clone());
    }

    /** Parses the base64 form; the message never echoes the input, which may be secret. */
    public static Key fromBase64(String s) {
        String t = s.strip();
        if (t.length() != 44 || t.charAt(43) != '=') throw new IllegalArgumentException("Key is not the correct length or format");
        byte[] b;
        try {
            b = Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Key is not valid base64");
        }
        // The decoder ignores the two unused low bits of the last character; wg rejects them, and so do we.
        if (b.length != LENGTH || !Base64.getEncoder().encodeToString(b).equals(t)) {
            java.util.Arrays.fill(b, (byte) 0);
            throw new IllegalArgumentException("Key is not the correct length or format");
        }
        return new Key(b);
    }

    /** Parses the 64-character hex form used by the UAPI. */
    public static Key fromHex(String s) {
        if (s.length() != 64) throw new IllegalArgumentException("hex key must be 64 characters");
        try {
            return new Key(HexFormat.of().parseHex(s));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hex key has a character that is not a hex digit");
        }
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes themselves, for callers in this project that will not keep or change them. */
    public byte[] unsafeBytes() {
        return bytes;
    }

    public boolean isZero() {
        int acc = 0;
        for (byte b : bytes) acc |= b;
        return acc == 0;
    }

    /** Overwrites the key with zeros. */
    public void zero() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Never prints the key: keys must not reach logs by accident. */
    @Override
    public String toString() {
        return "Key[redacted]";
    }
}
