package dev.jwgd.message;

import static dev.jwgd.message.Messages.LE_INT;

import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;

/** Flyweight over a 64-byte cookie reply (whitepaper 5.4.7). */
public final class CookieReply {
    public static final int TYPE_OFFSET = 0;
    public static final int RECEIVER_INDEX_OFFSET = 4;
    public static final int NONCE_OFFSET = 8;
    public static final int ENCRYPTED_COOKIE_OFFSET = 32;
    public static final int ENCRYPTED_COOKIE_LENGTH = Protocol.COOKIE_LENGTH + Protocol.TAG_LENGTH;
    public static final int LENGTH = Protocol.MESSAGE_COOKIE_REPLY_SIZE;

    private MemorySegment segment;
    private long offset;

    public int wrap(MemorySegment segment, long offset, int length) {
        int r = Messages.checkWrap(segment, offset, length, Protocol.MESSAGE_HANDSHAKE_COOKIE, LENGTH);
        this.segment = r == 0 ? segment : null;
        this.offset = offset;
        return r;
    }

    public CookieReply wrapForWrite(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        segment.asSlice(offset, LENGTH).fill((byte) 0);
        segment.set(LE_INT, offset, Protocol.MESSAGE_HANDSHAKE_COOKIE);
        return this;
    }

    public MemorySegment segment() { return segment; }
    public long offset() { return offset; }
    public int receiverIndex() { return segment.get(LE_INT, offset + RECEIVER_INDEX_OFFSET); }
    public void receiverIndex(int index) { segment.set(LE_INT, offset + RECEIVER_INDEX_OFFSET, index); }
    public MemorySegment nonce() { return segment.asSlice(offset + NONCE_OFFSET, Protocol.COOKIE_NONCE_LENGTH); }
    public MemorySegment encryptedCookie() { return segment.asSlice(offset + ENCRYPTED_COOKIE_OFFSET, ENCRYPTED_COOKIE_LENGTH); }
    public MemorySegment message() { return segment.asSlice(offset, LENGTH); }
}
