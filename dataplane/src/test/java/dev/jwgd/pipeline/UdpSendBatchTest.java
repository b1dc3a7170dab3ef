package dev.jwgd.pipeline;

import static dev.jwgd.pipeline.UdpSocketEndTest.content;
import static dev.jwgd.pipeline.UdpSocketEndTest.identity;
import static dev.jwgd.pipeline.UdpSocketEndTest.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * How {@link UdpSendBatch} groups datagrams into GSO messages (no sockets involved): equal lengths to
 * one destination share a message up to 64 segments and 65000 bytes, a shorter datagram ends its
 * message, anything else starts a new one, and datagrams that cannot go are skipped.
 */
class UdpSendBatchTest {
    private static final Endpoint P = Endpoint.ofV4(0xc0000202, 51820);
    private static final Endpoint Q = Endpoint.ofV4(0xc0000202, 51821);

    private final PacketBatch batch = new PacketBatch(128, 4096);
    private final UdpSendBatch out = new UdpSendBatch(16, 65000, 4096);

    private int fill(int n, boolean gso) {
        return out.fill(batch, identity(n), 0, n, true, gso, 0);
    }

    private void assertMessages(int[] datagrams, int[] segments) {
        assertEquals(datagrams.length, out.messages, "messages");
        for (int m = 0; m < datagrams.length; m++) {
            assertEquals(datagrams[m], out.datagrams[m], "datagrams in message " + m);
            assertEquals(segments[m], out.udp.segmentSize(m), "UDP_SEGMENT of message " + m);
        }
    }

    @Test
    void equalDatagramsToOnePeerShareAMessageUpTo65000Bytes() {
        for (int i = 0; i < 64; i++) put(batch, i, i, 1452, P);
        assertEquals(64, fill(64, true));
        assertMessages(new int[] {44, 20}, new int[] {1452, 1452});
        assertEquals(44 * 1452, out.bytes[0]);
        byte[] second = new byte[1452];
        MemorySegment.copy(out.udp.buffer(1), 1452, MemorySegment.ofArray(second), 0, 1452);
        assertArrayEquals(content(45, 1452), second, "datagrams lie back to back in send order");
        assertEquals(44, out.first[1]);
        assertEquals(63, out.last[1]);
    }

    @Test
    void aMessageHoldsAtMost64Segments() {
        for (int i = 0; i < 100; i++) put(batch, i, i, 100, P);
        assertEquals(100, fill(100, true));
        assertMessages(new int[] {64, 36}, new int[] {100, 100});
    }

    @Test
    void aShorterDatagramEndsItsMessageAndALongerOneStartsANewOne() {
        int[] lengths = {1452, 1452, 600, 600, 1452, 1452};
        for (int i = 0; i < lengths.length; i++) put(batch, i, i, lengths[i], P);
        fill(lengths.length, true);
        assertMessages(new int[] {3, 1, 2}, new int[] {1452, 0, 1452});
        assertEquals(1452 * 2 + 600, out.bytes[0]);
    }

    @Test
    void anotherDestinationStartsANewMessageButAnEqualEndpointObjectDoesNot() {
        put(batch, 0, 0, 1000, P);
        put(batch, 1, 1, 1000, Endpoint.ofV4(0xc0000202, 51820));
        put(batch, 2, 2, 1000, Q);
        put(batch, 3, 3, 1000, Endpoint.ofV6(0x20010db800050000L, 2, 51820));
        fill(4, true);
        assertMessages(new int[] {2, 1, 1}, new int[] {1000, 0, 0});
    }

    @Test
    void withoutGsoOrBeforeThePlainMarkEveryDatagramIsAMessage() {
        for (int i = 0; i < 6; i++) put(batch, i, i, 1000, P);
        fill(6, false);
        assertMessages(new int[] {1, 1, 1, 1, 1, 1}, new int[] {0, 0, 0, 0, 0, 0});
        out.fill(batch, identity(6), 0, 6, true, true, 3);
        assertMessages(new int[] {1, 1, 1, 3}, new int[] {0, 0, 0, 1000});
    }

    @Test
    void datagramsWithoutDestinationTooLongOrOfAMissingFamilyAreSkipped() {
        put(batch, 0, 0, 100, P);
        put(batch, 1, 1, 100, null);
        put(batch, 2, 2, 100, Endpoint.ofV6(0x20010db800050000L, 2, 51820));
        batch.length[3] = 5000;
        batch.destination[3] = P;
        put(batch, 4, 4, 100, P);
        assertEquals(5, out.fill(batch, identity(5), 0, 5, false, true, 0));   // an IPv4-only socket
        assertEquals(3, out.skipped);
        assertMessages(new int[] {2}, new int[] {100});
    }

    @Test
    void fillingStopsWhenTheMessagesRunOutAndResumesWhereItStopped() {
        for (int i = 0; i < 20; i++) put(batch, i, i, 100 + i, P);   // all different: one message each
        assertEquals(16, fill(20, true));
        assertEquals(16, out.messages);
        assertEquals(20, out.fill(batch, identity(20), 16, 20, true, true, 0));
        assertEquals(4, out.messages);
        assertEquals(16, out.first[0]);
    }
}
