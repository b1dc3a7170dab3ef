package dev.jwgd.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.uapi.SetRequest;
import dev.jwgd.uapi.SetRequestParser;
import dev.jwgd.uapi.UapiException;
import org.junit.jupiter.api.Test;

/** The device's side of the UAPI: what a `set` does to a running device and what `get` reports. */
class DeviceUapiTest {
    private static SetRequest parse(String body) {
        var r = SetRequestParser.parse(body);
        if (!r.ok()) throw new AssertionError(r.error().getMessage());
        return r.request();
    }

    @Test
    void privateKeyIsClampedAndAPeerWithOurOwnKeyIsIgnored() throws Exception {
        try (TestNet net = new TestNet()) {
            var a = net.node("a", "192.0.2.1:51820");
            byte[] raw = new byte[32];
            java.util.Arrays.fill(raw, (byte) 0xff);
            Key unclamped = Key.of(raw);
            Key other = Curve25519.publicKey(Curve25519.generatePrivateKey());
            String own = Curve25519.publicKey(new dev.jwgd.uapi.SetOperation.SetPrivateKey(unclamped).key()).toHex();
            a.device.apply(parse("private_key=" + unclamped.toHex() + "\npublic_key=" + own + "\nallowed_ip=10.9.9.9/32\n"
                    + "public_key=" + other.toHex() + "\nallowed_ip=10.0.0.7/24\n"));
            var snap = a.device.snapshot();
            byte[] k = snap.privateKey().bytes();
            assertEquals(0xf8, k[0] & 0xff, "low bits cleared");
            assertEquals(0x7f, k[31] & 0xff, "top bit cleared, bit 254 set");
            assertEquals(1, snap.peers().size(), "the section with our own public key was ignored");
            assertEquals(other, snap.peers().getFirst().publicKey());
            assertEquals("10.0.0.0/24", snap.peers().getFirst().allowedIps().getFirst().toString(), "host bits cleared");
        }
    }

    @Test
    void turningPersistentKeepaliveOnSendsAtOnceAndAFailedLineKeepsWhatCameBefore() throws Exception {
        try (TestNet net = new TestNet()) {
            var a = net.node("a", "192.0.2.1:51820");
            var b = net.node("b", "192.0.2.2:51821");
            b.addPeer(a, "10.0.0.1/32");
            net.startAll();
            a.device.apply(parse("public_key=" + b.publicKey.toHex() + "\nendpoint=192.0.2.2:51821\n"
                    + "persistent_keepalive_interval=25\nallowed_ip=10.0.0.2/32\n"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            Peer bOnA = a.device.lookupPeer(b.publicKey);
            while (bOnA.session().lastHandshakeWallClockNanos() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(bOnA.session().lastHandshakeWallClockNanos() > 0,
                    "the immediate keepalive started a handshake that completed, with no data sent");
            assertEquals(25, a.device.snapshot().peers().getFirst().persistentKeepalive());

            // One request whose second line fails: the first stays applied (no rollback), the old port stays.
            net.network.bind(dev.jwgd.pipeline.Endpoint.of(new java.net.InetSocketAddress("192.0.2.1", 51999)), 1);
            UapiException e = assertThrows(UapiException.class,
                    () -> a.device.apply(parse("fwmark=7\nlisten_port=51999\n")), "port 51999 is taken on a's address");
            assertEquals(dev.jwgd.ffm.Errno.EADDRINUSE, e.errno());
            assertEquals(7, a.device.snapshot().fwmark(), "no rollback: the fwmark before the failing line stays");
            assertEquals(51820, a.device.snapshot().listenPort(), "the old port is kept when rebinding fails");
        }
    }
}
