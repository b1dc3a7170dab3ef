package dev.jwgd.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessagesTest {
    private static MemorySegment message(int type, int length) {
        MemorySegment s = MemorySegment.ofArray(new byte[length]);
        if (length > 0) s.set(ValueLayout.JAVA_BYTE, 0, (byte) type);
        return s;
    }

    @Test
    void handshakeMessagesMustHaveTheirExactSize() {
        assertEquals(1, Messages.classify(message(1, 148), 0, 148));
        assertEquals(Messages.REJECT_WRONG_SIZE, Messages.classify(message(1, 149), 0, 149));
        assertEquals(Messages.REJECT_WRONG_SIZE, Messages.classify(message(1, 147), 0, 147));
        assertEquals(2, Messages.classify(message(2, 92), 0, 92));
        assertEquals(Messages.REJECT_WRONG_SIZE, Messages.classify(message(2, 93), 0, 93));
        assertEquals(3, Messages.classify(message(3, 64), 0, 64));
        assertEquals(Messages.REJECT_WRONG_SIZE, Messages.classify(message(3, 63), 0, 63));
    }

    @Test
    void dataMessagesNeedAtLeastHeaderAndTag() {
        assertEquals(4, Messages.classify(message(4, 32), 0, 32));
        assertEquals(4, Messages.classify(message(4, 1500), 0, 1500));
        assertEquals(Messages.REJECT_WRONG_SIZE, Messages.classify(message(4, 31), 0, 31));
    }

    @Test
    void aNonZeroReservedByteMakesTheTypeUnknown() {
        for (int i = 1; i < 4; i++) {
            MemorySegment s = message(1, 148);
            s.set(ValueLayout.JAVA_BYTE, i, (byte) 1);
            assertEquals(Messages.REJECT_UNKNOWN_TYPE, Messages.classify(s, 0, 148), "reserved byte " + i);
        }
        assertEquals(Messages.REJECT_UNKNOWN_TYPE, Messages.classify(message(5, 148), 0, 148));
        assertEquals(Messages.REJECT_UNKNOWN_TYPE, Messages.classify(message(0, 148), 0, 148));
    }

    @Test
    void shortAndOutOfBoundsRangesAreTruncated() {
        assertEquals(Messages.REJECT_TRUNCATED, Messages.classify(message(1, 3), 0, 3));
        assertEquals(Messages.REJECT_TRUNCATED, Messages.classify(message(1, 148), 1, 148));
        assertEquals(Messages.REJECT_TRUNCATED, Messages.classify(message(1, 148), -1, 148));
        assertEquals(Messages.REJECT_TOO_LARGE, Messages.classify(message(4, 70000), 0, 70000));
    }

    @Test
    void initiationFieldsSitAtTheWireOffsets() {
        MemorySegment s = MemorySegment.ofArray(new byte[200]);
        HandshakeInitiation m = new HandshakeInitiation().wrapForWrite(s, 10);
        m.senderIndex(0x04030201);
        m.mac2().fill((byte) 0xee);
        byte[] b = s.toArray(ValueLayout.JAVA_BYTE);
        assertEquals("0100000001020304", HexFormat.of().formatHex(b, 10, 18));
        assertEquals((byte) 0xee, b[10 + 132]);
        assertEquals((byte) 0xee, b[10 + 147]);
        assertEquals(0, b[10 + 131]);
        assertEquals(0, m.wrap(s, 10, 148));
        assertEquals(0x04030201, m.senderIndex());
        assertEquals(Protocol.MESSAGE_INITIATION_SIZE, HandshakeInitiation.LENGTH);
        assertEquals(HandshakeInitiation.MAC1_OFFSET + 32, HandshakeInitiation.LENGTH);
    }

    @Test
    void responseAndCookieAndDataFieldsSitAtTheWireOffsets() {
        MemorySegment s = MemorySegment.ofArray(new byte[92]);
        HandshakeResponse r = new HandshakeResponse().wrapForWrite(s, 0);
        r.senderIndex(1);
        r.receiverIndex(2);
        assertEquals("020000000100000002000000", HexFormat.of().formatHex(s.toArray(ValueLayout.JAVA_BYTE), 0, 12));
        assertEquals(HandshakeResponse.MAC1_OFFSET + 32, HandshakeResponse.LENGTH);

        MemorySegment c = MemorySegment.ofArray(new byte[64]);
        CookieReply cr = new CookieReply().wrapForWrite(c, 0);
        cr.receiverIndex(0x0a0b0c0d);
        assertEquals("030000000d0c0b0a", HexFormat.of().formatHex(c.toArray(ValueLayout.JAVA_BYTE), 0, 8));
        assertEquals(CookieReply.ENCRYPTED_COOKIE_OFFSET + 32, CookieReply.LENGTH);

        MemorySegment d = MemorySegment.ofArray(new byte[32]);
        TransportData.writeHeader(d, 0, 0x11223344, 0x0102030405060708L);
        assertEquals("04000000443322110807060504030201", HexFormat.of().formatHex(d.toArray(ValueLayout.JAVA_BYTE), 0, 16));
        TransportData t = new TransportData();
        assertEquals(0, t.wrap(d, 0, 32));
        assertEquals(0x0102030405060708L, t.counter());
        assertEquals(16, t.sealedLength());
    }

    @Test
    void wrappingTheWrongTypeIsRefused() {
        assertEquals(Messages.REJECT_UNKNOWN_TYPE, new HandshakeResponse().wrap(message(1, 148), 0, 148));
        assertEquals(Messages.REJECT_WRONG_SIZE, new HandshakeInitiation().wrap(message(1, 92), 0, 92));
    }

    @Test
    void paddingRoundsUpToSixteenButNeverPastTheMtu() {
        assertEquals(0, Protocol.paddedLength(0, 1420));
        assertEquals(16, Protocol.paddedLength(1, 1420));
        assertEquals(16, Protocol.paddedLength(16, 1420));
        assertEquals(1420, Protocol.paddedLength(1419, 1420));
        assertEquals(1420, Protocol.paddedLength(1420, 1420));
        assertEquals(1424, Protocol.paddedLength(1421, 0));
        assertEquals(1420 + 16, Protocol.paddedLength(1421, 1420), "GSO-sized: the last unit is padded");
    }
}
