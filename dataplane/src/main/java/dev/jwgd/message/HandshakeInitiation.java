package dev.jwgd.message;

import static dev.jwgd.message.Messages.LE_INT;

import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a 148-byte handshake initiation (whitepaper 5.4.2). Reusable: {@link #wrap} points it
 * at a message, {@link #wrapForWrite} at a buffer to fill.
 */
public final class HandshakeInitiation {
    public static final int TYPE_OFFSET = 0;
    public static final int SENDER_INDEX_OFFSET = 4;
    public static final int EPHEMERAL_OFFSET = 8;
    public static final int ENCRYPTED_STATIC_OFFSET = 40;
    public static final int ENCRYPTED_STATIC_LENGTH = 32 + Protocol.TAG_LENGTH;
    public static final int ENCRYPTED_TIMESTAMP_OFFSET = 88;
    public static final int ENCRYPTED_TIMESTAMP_LENGTH = Protocol.TAI64N_LENGTH + Protocol.TAG_LENGTH;
    public static final int MAC1_OFFSET = 116;
    public static final int MAC2_OFFSET = 132;
    public static final int LENGTH = Protocol.MESSAGE_INITIATION_SIZE;

    private MemorySegment segment;
    private long offset;

    /** Points at a received message; answers 0 or a {@code Messages.REJECT_} reason (then the view is unusable). */
    public int wrap(MemorySegment segment, long offset, int length) {
        int r = Messages.checkWrap(segment, offset, length, Protocol.MESSAGE_HANDSHAKE_INITIATION, LENGTH);
        if (r == 0) {
            this.segment = segment;
            this.offset = offset;
        } else {
            this.segment = null;
        }
        return r;
    }

    /** Points at {@code LENGTH} writable bytes, zeroes them and writes the type. */
    public HandshakeInitiation wrapForWrite(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        segment.asSlice(offset, LENGTH).fill((byte) 0);
        segment.set(LE_INT, offset, Protocol.MESSAGE_HANDSHAKE_INITIATION);
        return this;
    }

    public MemorySegment segment() { return segment; }
    public long offset() { return offset; }
    public int senderIndex() { return segment.get(LE_INT, offset + SENDER_INDEX_OFFSET); }
    public void senderIndex(int index) { segment.set(LE_INT, offset + SENDER_INDEX_OFFSET, index); }
    public MemorySegment ephemeral() { return segment.asSlice(offset + EPHEMERAL_OFFSET, 32); }
    public MemorySegment encryptedStatic() { return segment.asSlice(offset + ENCRYPTED_STATIC_OFFSET, ENCRYPTED_STATIC_LENGTH); }
    public MemorySegment encryptedTimestamp() { return segment.asSlice(offset + ENCRYPTED_TIMESTAMP_OFFSET, ENCRYPTED_TIMESTAMP_LENGTH); }
    public MemorySegment mac1() { return segment.asSlice(offset + MAC1_OFFSET, Protocol.MAC_LENGTH); }
    public MemorySegment mac2() { return segment.asSlice(offset + MAC2_OFFSET, Protocol.MAC_LENGTH); }
    /** The whole message. */
    public MemorySegment message() { return segment.asSlice(offset, LENGTH); }
}
