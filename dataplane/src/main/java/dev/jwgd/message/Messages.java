package dev.jwgd.message;

import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The header check every received datagram goes through first (whitepaper 5.4, wireguard-go
 * {@code receive.go}): the first four bytes are read as one little-endian u32, so a non-zero reserved
 * byte is an unknown type; handshake messages must have their exact size, data messages at least 32
 * bytes. Answers a type ({@code > 0}) or a rejection reason ({@code < 0}); never throws on wire input.
 */
public final class Messages {
    private Messages() {}

    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Fewer than 4 bytes, or the given range does not fit in the segment. */
    public static final int REJECT_TRUNCATED = -1;
    /** Type byte unknown or a reserved byte not zero. */
    public static final int REJECT_UNKNOWN_TYPE = -2;
    /** A handshake message whose length is not exactly its size, or a data message under 32 bytes. */
    public static final int REJECT_WRONG_SIZE = -3;
    /** Larger than the largest UDP payload. */
    public static final int REJECT_TOO_LARGE = -4;

    /** The message type of {@code segment[offset, offset+length)}, or a {@code REJECT_} reason. */
    public static int classify(MemorySegment segment, long offset, int length) {
        if (length < 4 || offset < 0 || offset + length > segment.byteSize()) return REJECT_TRUNCATED;
        if (length > Protocol.MAX_MESSAGE_SIZE) return REJECT_TOO_LARGE;
        int type = segment.get(LE_INT, offset);
        return switch (type) {
            case Protocol.MESSAGE_HANDSHAKE_INITIATION ->
                    length == Protocol.MESSAGE_INITIATION_SIZE ? type : REJECT_WRONG_SIZE;
            case Protocol.MESSAGE_HANDSHAKE_RESPONSE ->
                    length == Protocol.MESSAGE_RESPONSE_SIZE ? type : REJECT_WRONG_SIZE;
            case Protocol.MESSAGE_HANDSHAKE_COOKIE ->
                    length == Protocol.MESSAGE_COOKIE_REPLY_SIZE ? type : REJECT_WRONG_SIZE;
            case Protocol.MESSAGE_TRANSPORT_DATA ->
                    length >= Protocol.MESSAGE_KEEPALIVE_SIZE ? type : REJECT_WRONG_SIZE;
            default -> REJECT_UNKNOWN_TYPE;
        };
    }

    /** A short name for counters and debug logs. */
    public static String reason(int code) {
        return switch (code) {
            case REJECT_TRUNCATED -> "truncated";
            case REJECT_UNKNOWN_TYPE -> "unknown type or reserved bytes set";
            case REJECT_WRONG_SIZE -> "wrong size";
            case REJECT_TOO_LARGE -> "too large";
            default -> code > 0 ? "type " + code : "unknown";
        };
    }

    static int checkWrap(MemorySegment segment, long offset, int length, int expectedType, int exactSize) {
        int t = classify(segment, offset, length);
        if (t < 0) return t;
        if (t != expectedType) return REJECT_UNKNOWN_TYPE;
        if (exactSize > 0 && length != exactSize) return REJECT_WRONG_SIZE;
        return 0;
    }
}
