package dev.jwgd.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.session.Keypair;
import dev.jwgd.timers.VirtualClock;
import org.junit.jupiter.api.Test;

/**
 * Device behaviours that depend on protocol time, on a virtual clock the test moves: endpoint
 * fail-over while handshakes time out, and the rekey after REKEY_AFTER_TIME with traffic going on.
 * (The pipeline threads run for real; only the protocol clock is virtual.)
 */
class DeviceVirtualClockTest {

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void aDeadFirstCandidateIsLeftForTheNextOneWhenTheHandshakeTimesOut() throws Exception {
        VirtualClock clock = new VirtualClock();
        try (TestNet net = new TestNet()) {
            var a = net.node("a", "192.0.2.1:51820", clock, EndpointSet.SYSTEM_RESOLVER);
            var b = net.node("b", "192.0.2.2:51821", clock, EndpointSet.SYSTEM_RESOLVER);
            Peer bOnA = a.addPeer(b, "10.0.0.2/32", "192.0.2.99:51821", "192.0.2.2/32:51821");
            b.addPeer(a, "10.0.0.1/32");
            net.startAll();

            byte[] packet = TestNet.ipv4("10.0.0.1", "10.0.0.2", 60, 9);
            a.tun.inject(packet);
            waitFor(() -> net.network.lost() >= 1, "the first initiation to the dead candidate");
            assertEquals("192.0.2.99:51821", bOnA.endpoints().current().toString());
            clock.advanceSeconds(6); // REKEY_TIMEOUT + jitter: the retransmission goes to the next candidate
            byte[] got = b.tun.take(10_000);
            assertNotNull(got, "the staged packet arrives once the second candidate answered");
            assertArrayEquals(packet, got);
            assertEquals("192.0.2.2:51821", bOnA.endpoints().current().toString(), "a stays with the candidate that answered");
            var snapshot = a.device.snapshot();
            assertEquals(new java.net.InetSocketAddress("192.0.2.2", 51821), snapshot.peers().getFirst().endpoint(),
                    "get reports the endpoint in use");
        }
    }

    @Test
    void theInitiatorRekeysAfterRekeyAfterTimeAndTrafficContinues() throws Exception {
        VirtualClock clock = new VirtualClock();
        try (TestNet net = new TestNet()) {
            var a = net.node("a", "192.0.2.1:51820", clock, EndpointSet.SYSTEM_RESOLVER);
            var b = net.node("b", "192.0.2.2:51821", clock, EndpointSet.SYSTEM_RESOLVER);
            Peer bOnA = a.addPeer(b, "10.0.0.2/32", "192.0.2.2:51821");
            Peer aOnB = b.addPeer(a, "10.0.0.1/32", "192.0.2.1:51820");
            net.startAll();

            a.tun.inject(TestNet.ipv4("10.0.0.1", "10.0.0.2", 60, 1));
            assertNotNull(b.tun.take(10_000), "first session");
            Keypair first = bOnA.session().currentKeypair();
            assertTrue(first.initiator(), "a initiated the first session");

            clock.advanceSeconds(121); // past REKEY_AFTER_TIME (120 s), before REJECT_AFTER_TIME (180 s)
            byte[] p2 = TestNet.ipv4("10.0.0.1", "10.0.0.2", 60, 2);
            a.tun.inject(p2);
            assertArrayEquals(p2, b.tun.take(10_000), "the old session still carries data until the new one is ready");
            waitFor(() -> bOnA.session().currentKeypair() != first, "a's new session");
            assertNotSame(first, bOnA.session().currentKeypair());

            clock.advanceSeconds(70); // the first keypair is now past REJECT_AFTER_TIME; the new one is not
            for (int i = 0; i < 5; i++) {
                byte[] p = TestNet.ipv4("10.0.0.1", "10.0.0.2", 100, 10 + i);
                a.tun.inject(p);
                assertArrayEquals(p, b.tun.take(10_000), "packet " + i + " after the rekey");
            }
            byte[] back = TestNet.ipv4("10.0.0.2", "10.0.0.1", 100, 99);
            b.tun.inject(back);
            assertArrayEquals(back, a.tun.take(10_000), "and back, on b's confirmed new session");
            assertNotSame(first, aOnB.session().currentKeypair());
        }
    }
}
