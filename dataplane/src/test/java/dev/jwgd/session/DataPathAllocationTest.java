package dev.jwgd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The engine's data-path entry points (keypair lookups, counters, replay window, the per-batch
 * timer and counter updates) allocate nothing once warm, as the conventions require.
 */
class DataPathAllocationTest {
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long round(InMemoryPeers n, Keypair send, Keypair receive, long counterBase, int count) {
        long now = n.clock.nanos();
        long sum = 0;
        for (int i = 0; i < count; i++) {
            Keypair s = n.a.peer.sendingKeypair();
            sum += s.nextSendCounter(now);
            Keypair r = n.b.engine.receivingKeypair(receive.localIndex(), now);
            if (r.acceptCounter(counterBase + i)) sum++;
        }
        n.a.peer.authenticatedSend(count * 48, true);
        n.b.peer.authenticatedReceive(receive, count * 48, true);
        return sum;
    }

    @Test
    void sendAndReceiveBookkeepingAllocatesNothingOnceWarm() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean, "needs allocation counters");
        InMemoryPeers n = new InMemoryPeers(30);
        n.establish();
        Keypair send = n.a.peer.currentKeypair();
        Keypair receive = n.b.peer.currentKeypair();
        assertNotNull(send);
        assertEquals(send.remoteIndex(), receive.localIndex());
        long base = 1_000;
        for (int warm = 0; warm < 200; warm++) {
            round(n, send, receive, base, 100);
            base += 100;
        }
        long before = allocatedBytes();
        long sum = round(n, send, receive, base, 10_000);
        long allocated = allocatedBytes() - before;
        assertTrue(sum > 0);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 10 000 packets");
    }
}
