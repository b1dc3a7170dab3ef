package dev.jwgd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class HandshakeQueueTest {
    private static PacketBatch oneMessage(int length, byte fill) {
        PacketBatch b = new PacketBatch(1, 2048);
        b.slot(0).fill(fill);
        b.offset[0] = 0;
        b.length[0] = length;
        b.sourceV6[0] = false;
        b.sourceLow[0] = 0xC0000209L;
        b.sourcePort[0] = 4444;
        return b;
    }

    @Test
    void isBoundedCountsWhatItDropsAndRecyclesSlots() throws Exception {
        HandshakeQueue q = new HandshakeQueue(2);
        assertTrue(q.offer(oneMessage(148, (byte) 1), 0));
        assertTrue(q.offer(oneMessage(92, (byte) 2), 0));
        assertFalse(q.offer(oneMessage(148, (byte) 3), 0), "a full queue refuses instead of blocking the data path");
        assertEquals(1, q.dropped);
        assertEquals(2, q.size());

        int s = q.take(1000);
        assertEquals(148, q.slots().length[s], "first in, first out");
        assertEquals(1, q.slots().slot(s).get(ValueLayout.JAVA_BYTE, 147));
        assertEquals(4444, q.slots().sourcePort[s], "the source travels with the message");
        q.release(s);
        assertTrue(q.offer(oneMessage(64, (byte) 4), 0), "a released slot is reused");
        assertFalse(q.offer(oneMessage(HandshakeQueue.SLOT_SIZE + 1, (byte) 5), 0), "an oversized datagram is dropped");
        assertEquals(-1, new HandshakeQueue(1).take(10), "an empty queue times out");
    }
}
