package dev.jwgd.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Two devices over in-memory ends: a handshake, then data both ways, IPv4 and IPv6 inside. */
class DeviceTwoWayTest {

    @Test
    void firstPacketStartsHandshakeAndArrivesAfterIt_thenDataFlowsBothWays() throws Exception {
        try (TestNet net = new TestNet()) {
            var a = net.node("a", "192.0.2.1:51820");
            var b = net.node("b", "192.0.2.2:51821");
            Peer bOnA = a.addPeer(b, "10.0.0.2/32, fd00::2/128", "192.0.2.2:51821");
            Peer aOnB = b.addPeer(a, "10.0.0.1/32, fd00::1/128", "192.0.2.1:51820");
            net.startAll();

            byte[] ping = TestNet.ipv4("10.0.0.1", "10.0.0.2", 100, 1);
            assertTrue(a.tun.inject(ping));
            byte[] got = b.tun.take(5000);
            assertNotNull(got, "the staged packet reaches b once the handshake completes");
            assertArrayEquals(ping, got, "b's TUN gets exactly the packet a's TUN read (padding removed)");

            byte[] pong = TestNet.ipv4("10.0.0.2", "10.0.0.1", 100, 2);
            assertTrue(b.tun.inject(pong));
            assertArrayEquals(pong, a.tun.take(5000), "the answer travels back on the same session");

            for (int i = 0; i < 50; i++) {
                a.tun.inject(TestNet.ipv6("fd00::1", "fd00::2", 1 + i * 27, i));
            }
            for (int i = 0; i < 50; i++) {
                byte[] p = b.tun.take(5000);
                assertNotNull(p, "IPv6 packet " + i + " arrives");
                assertArrayEquals(TestNet.ipv6("fd00::1", "fd00::2", 1 + i * 27, i), p, "IPv6 packet " + i + " in order");
            }
            assertTrue(bOnA.session().currentKeypair() != null && aOnB.session().currentKeypair() != null, "both sides hold a current session");
            assertTrue(bOnA.session().lastHandshakeWallClockNanos() > 0 && aOnB.session().lastHandshakeWallClockNanos() > 0, "latest handshake recorded");
            assertEquals(a.publicKey, aOnB.publicKey());
        }
    }

    @Test
    void packetWhoseInnerSourceBelongsToAnotherPeerIsDropped() throws Exception {
        try (TestNet net = new TestNet()) {
            var a = net.node("a", "192.0.2.1:51820");
            var b = net.node("b", "192.0.2.2:51821");
            var c = net.node("c", "192.0.2.3:51822");
            // a gives b the /24 but c the more specific 10.0.0.99/32 (kernel netns.sh "crypto-RP filter").
            a.addPeer(b, "10.0.0.0/24", "192.0.2.2:51821");
            a.addPeer(c, "10.0.0.99/32", "192.0.2.3:51822");
            b.addPeer(a, "10.0.0.1/32", "192.0.2.1:51820");
            net.startAll();

            byte[] spoofed = TestNet.ipv4("10.0.0.99", "10.0.0.1", 40, 3);
            byte[] honest = TestNet.ipv4("10.0.0.2", "10.0.0.1", 40, 4);
            b.tun.inject(spoofed);
            b.tun.inject(honest);
            assertArrayEquals(honest, a.tun.take(5000), "b's own source passes");
            assertNull(a.tun.take(300), "the packet with c's source address from b was dropped");
            assertEquals(1, a.pipeline.receivePath().droppedSourceFilter, "and counted as a source-filter drop");
        }
    }

    @Test
    void countersIncludeHandshakesAsTheKernelSelftestFigures() throws Exception {
        try (TestNet net = new TestNet()) {
            var a = net.node("a", "192.0.2.1:51820");
            var b = net.node("b", "192.0.2.2:51821");
            Peer bOnA = a.addPeer(b, "10.0.0.2/32", "192.0.2.2:51821");
            b.addPeer(a, "10.0.0.1/32", "192.0.2.1:51820");
            net.startAll();
            // netns.sh: 10 pings of 84-byte ICMP packets -> 96 padded + 32 = 128-byte messages.
            for (int i = 0; i < 10; i++) {
                byte[] echo = TestNet.ipv4("10.0.0.1", "10.0.0.2", 64, i);
                a.tun.inject(echo);
                assertNotNull(b.tun.take(5000));
                b.tun.inject(TestNet.ipv4("10.0.0.2", "10.0.0.1", 64, i));
                assertNotNull(a.tun.take(5000));
            }
            // a: sent 148 (initiation) + 10 x 128 (+ maybe a keepalive 32); got 92 (response) + 10 x 128.
            assertEquals(1372, bOnA.session().rxBytes(), "rx = 92 + 10 x 128");
            long tx = bOnA.session().txBytes();
            assertTrue(tx == 1428 || tx == 1460, "tx = 148 + 10 x 128 (+32 keepalive), was " + tx);
        }
    }
}
