package dev.jwgd.message;

import static dev.jwgd.message.Messages.LE_INT;

import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;

/** Flyweight over a 92-byte handshake response (whitepaper 5.4.3). */
public final class HandshakeResponse {
    public static final int TYPE_OFFSET = 0;
    public static final int SENDER_INDEX_OFFSET = 4;
    public static final int RECEIVER_INDEX_OFFSET = 8;
    public static final int EPHEMERAL_OFFSET = 12;
    public static final int ENCRYPTED_NOTHING_OFFSET = 44;
    public static final int ENCRYPTED_NOTHING_LENGTH = Protocol.TAG_LENGTH;
    public static final int MAC1_OFFSET = 60;
    public static final int MAC2_OFFSET = 76;
    public static final int LENGTH = Protocol.MESSAGE_RESPONSE_SIZE;

    private MemorySegment segment;
    private long offset;

    public int wrap(MemorySegment segment, long offset, int length) {
        int r = Messages.checkWrap(segment, offset, length, Protocol.MESSAGE_HANDSHAKE_RESPONSE, LENGTH);
        this.segment = r == 0 ? segment : null;
        this.offset = offset;
        return r;
    }

    public HandshakeResponse wrapForWrite(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        segment.asSlice(offset, LENGTH).fill((byte) 0);
        segment.set(LE_INT, offset, Protocol.MESSAGE_HANDSHAKE_RESPONSE);
        return this;
    }

    public MemorySegment segment() { return segment; }
    public long offset() { return offset; }
    public int senderIndex() { return segment.get(LE_INT, offset + SENDER_INDEX_OFFSET); }
    public void senderIndex(int index) { segment.set(LE_INT, offset + SENDER_INDEX_OFFSET, index); }
    public int receiverIndex() { return segment.get(LE_INT, offset + RECEIVER_INDEX_OFFSET); }
    public void receiverIndex(int index) { segment.set(LE_INT, offset + RECEIVER_INDEX_OFFSET, index); }
    public MemorySegment ephemeral() { return segment.asSlice(offset + EPHEMERAL_OFFSET, 32); }
    public MemorySegment encryptedNothing() { return segment.asSlice(offset + ENCRYPTED_NOTHING_OFFSET, ENCRYPTED_NOTHING_LENGTH); }
    public MemorySegment mac1() { return segment.asSlice(offset + MAC1_OFFSET, Protocol.MAC_LENGTH); }
    public MemorySegment mac2() { return segment.asSlice(offset + MAC2_OFFSET, Protocol.MAC_LENGTH); }
    public MemorySegment message() { return segment.asSlice(offset, LENGTH); }
}
