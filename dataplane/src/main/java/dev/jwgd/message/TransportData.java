package dev.jwgd.message;

import static dev.jwgd.message.Messages.LE_INT;
import static dev.jwgd.message.Messages.LE_LONG;

import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a transport data message (whitepaper 5.4.6): 16-byte header, then the sealed padded
 * packet and its tag. Static accessors let the data path read a header without any object.
 */
public final class TransportData {
    public static final int TYPE_OFFSET = 0;
    public static final int RECEIVER_INDEX_OFFSET = 4;
    public static final int COUNTER_OFFSET = 8;
    public static final int PAYLOAD_OFFSET = Protocol.MESSAGE_TRANSPORT_HEADER_SIZE;
    public static final int MIN_LENGTH = Protocol.MESSAGE_KEEPALIVE_SIZE;

    private MemorySegment segment;
    private long offset;
    private int length;

    public int wrap(MemorySegment segment, long offset, int length) {
        int r = Messages.checkWrap(segment, offset, length, Protocol.MESSAGE_TRANSPORT_DATA, 0);
        this.segment = r == 0 ? segment : null;
        this.offset = offset;
        this.length = length;
        return r;
    }

    public int receiverIndex() { return receiverIndex(segment, offset); }
    public long counter() { return counter(segment, offset); }
    public int length() { return length; }
    /** Ciphertext plus tag length. */
    public int sealedLength() { return length - PAYLOAD_OFFSET; }
    public MemorySegment segment() { return segment; }
    public long offset() { return offset; }

    public static int receiverIndex(MemorySegment s, long offset) { return s.get(LE_INT, offset + RECEIVER_INDEX_OFFSET); }
    public static long counter(MemorySegment s, long offset) { return s.get(LE_LONG, offset + COUNTER_OFFSET); }

    /** Writes the 16-byte header. */
    public static void writeHeader(MemorySegment s, long offset, int receiverIndex, long counter) {
        s.set(LE_INT, offset, Protocol.MESSAGE_TRANSPORT_DATA);
        s.set(LE_INT, offset + RECEIVER_INDEX_OFFSET, receiverIndex);
        s.set(LE_LONG, offset + COUNTER_OFFSET, counter);
    }
}
