package dev.jwgd.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code wg} (wireguard-tools) driving a {@link UapiServer} over the in-memory device: {@code wg} finds the
 * interface by its socket in /var/run/wireguard, so no TUN device is needed. Needs root and {@code wg}.
 */
class WgToolInteropTest {
    @TempDir
    Path tmp;

    final InMemoryDevice dev = new InMemoryDevice();
    final String iface = "jwgdt" + ProcessHandle.current().pid() % 100000;
    UapiServer server;

    record Run(int exit, String out, String err) {}

    static boolean haveWg() {
        try {
            return new ProcessBuilder("wg", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @BeforeEach
    void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to use /var/run/wireguard");
        assumeTrue(haveWg(), "needs the wg tool (wireguard-tools)");
        server = UapiServer.start(iface, dev, () -> { });
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    Run wg(String... args) throws Exception {
        return wgWithInput(null, args);
    }

    Run wgWithInput(String stdin, String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>();
        cmd.add("wg");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("wg " + args[0] + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    Path keyFile(Key k) throws IOException {
        Path f = Files.createTempFile(tmp, "key", ".txt");
        Files.writeString(f, k.toBase64() + "\n");
        return f;
    }

    @Test
    void wgSetWithEveryOptionReachesTheDevice() throws Exception {
        Key priv = Curve25519.generatePrivateKey(), peer = Curve25519.publicKey(Curve25519.generatePrivateKey());
        Key psk = Curve25519.generatePresharedKey();
        Run r = wg("set", iface, "listen-port", "51820", "fwmark", "0x10", "private-key", keyFile(priv).toString(),
                "peer", peer.toBase64(), "preshared-key", keyFile(psk).toString(), "endpoint", "[2001:db8::2]:51821",
                "persistent-keepalive", "25", "allowed-ips", "10.0.0.2/32,2001:db8:1::/64");
        assertEquals(0, r.exit(), r.err());
        assertEquals(51820, dev.listenPort);
        assertEquals(0x10, dev.fwmark);
        assertEquals(priv, dev.privateKey);
        InMemoryDevice.Peer p = dev.peer(peer);
        assertNotNull(p);
        assertEquals(psk, p.presharedKey);
        assertEquals("[2001:db8::2]:51821", p.endpoints.getFirst().toString());
        assertEquals(25, p.keepalive);
        assertEquals(1, p.keepalivesSent, "turning persistent keepalive on sends one at once");
        assertEquals(List.of(IpPrefix.parse("10.0.0.2/32"), IpPrefix.parse("2001:db8:1::/64")), dev.snapshot().peers().getFirst().allowedIps());

        assertEquals(0, wg("set", iface, "peer", peer.toBase64(), "remove").exit());
        assertNull(dev.peer(peer));
    }

    @Test
    void wgShowAndDumpPrintTheSnapshot() throws Exception {
        Key priv = Curve25519.generatePrivateKey(), peer = Curve25519.publicKey(Curve25519.generatePrivateKey());
        assertEquals(0, wg("set", iface, "private-key", keyFile(priv).toString(), "listen-port", "4242", "peer", peer.toBase64(),
                "endpoint", "192.0.2.7:51820", "allowed-ips", "10.0.0.0/24").exit());
        dev.peer(peer).rx = 1428;
        dev.peer(peer).tx = 1372;
        dev.peer(peer).handshakeSec = 1_700_000_000L;
        Run dump = wg("show", iface, "dump");
        assertEquals(0, dump.exit(), dump.err());
        String pub = Curve25519.publicKey(priv).toBase64();
        assertEquals(priv.toBase64() + "\t" + pub + "\t4242\toff\n"
                + peer.toBase64() + "\t(none)\t192.0.2.7:51820\t10.0.0.0/24\t1700000000\t1428\t1372\toff\n", dump.out());
        Run show = wg("show", iface);
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("interface: " + iface), show.out());
        assertTrue(show.out().contains("listening port: 4242"), show.out());
        assertTrue(show.out().contains("endpoint: 192.0.2.7:51820"), show.out());
        assertTrue(show.out().contains("transfer: 1.39 KiB received, 1.34 KiB sent"), show.out());
        Run ifaces = wg("show", "interfaces");
        assertTrue(ifaces.out().contains(iface), ifaces.out());
        assertEquals("4242\n", wg("show", iface, "listen-port").out());
        assertEquals(peer.toBase64() + "\t192.0.2.7:51820\n", wg("show", iface, "endpoints").out(), "wg-quick reads endpoints for the MTU");
        assertEquals("off\n", wg("show", iface, "fwmark").out());
        assertEquals(0, wg("set", iface, "fwmark", "51820").exit());
        assertEquals("0xca6c\n", wg("show", iface, "fwmark").out(), "wg-quick reads the fwmark back this way");
    }

    String config(Key priv, Key p1, Key p2) {
        return """
                [Interface]
                ListenPort = 51820
                PrivateKey = %s

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.2/32, 2001:db8::2/128
                Endpoint = 192.0.2.2:51820

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.3/32
                Endpoint = [2001:db8::3]:51820
                PersistentKeepalive = 25
                """.formatted(priv.toBase64(), p1.toBase64(), p2.toBase64());
    }

    @Test
    void setconfAddconfSyncconfAndShowconfRoundTrip() throws Exception {
        Key priv = Curve25519.generatePrivateKey();
        Key p1 = Curve25519.publicKey(Curve25519.generatePrivateKey()), p2 = Curve25519.publicKey(Curve25519.generatePrivateKey());
        Key p3 = Curve25519.publicKey(Curve25519.generatePrivateKey());
        Path conf = tmp.resolve("a.conf");
        Files.writeString(conf, config(priv, p1, p2));
        // a peer that setconf must remove
        assertEquals(0, wg("set", iface, "peer", p3.toBase64(), "allowed-ips", "10.9.9.9/32").exit());
        Run set = wg("setconf", iface, conf.toString());
        assertEquals(0, set.exit(), set.err());
        assertNull(dev.peer(p3));
        assertEquals(2, dev.peers.size());

        Run showconf = wg("showconf", iface);
        assertEquals(0, showconf.exit(), showconf.err());
        assertEquals("""
                [Interface]
                ListenPort = 51820
                PrivateKey = %s

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.2/32, 2001:db8::2/128
                Endpoint = 192.0.2.2:51820

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.3/32
                Endpoint = [2001:db8::3]:51820
                PersistentKeepalive = 25
                """.formatted(priv.toBase64(), p1.toBase64(), p2.toBase64()), showconf.out());

        Path add = tmp.resolve("b.conf");
        Files.writeString(add, "[Peer]\nPublicKey = " + p3.toBase64() + "\nAllowedIPs = 10.0.0.2/32\n");
        Run addconf = wg("addconf", iface, add.toString());
        assertEquals(0, addconf.exit(), addconf.err());
        assertEquals(3, dev.peers.size(), "addconf keeps the existing peers");
        assertEquals(dev.peer(p3), dev.allowedIps.get(IpPrefix.parse("10.0.0.2/32")), "the prefix moved to the new peer");

        Path sync = tmp.resolve("c.conf");
        Files.writeString(sync, "[Interface]\nPrivateKey = " + priv.toBase64() + "\n[Peer]\nPublicKey = " + p2.toBase64() + "\nAllowedIPs = 10.0.0.3/32\n");
        Run syncconf = wg("syncconf", iface, sync.toString());
        assertEquals(0, syncconf.exit(), syncconf.err());
        assertEquals(1, dev.peers.size(), "syncconf removed the peers not in the file");
        assertNotNull(dev.peer(p2));
        assertEquals(40000, dev.listenPort, "syncconf, like setconf, sends listen_port=0 when the file has none (the device picks one)");
    }

    @Test
    void aPeerWithThousandsOfAllowedIpsGoesThroughSetconfAndShow() throws Exception {
        Key peer = Curve25519.publicKey(Curve25519.generatePrivateKey());
        StringBuilder sb = new StringBuilder("[Peer]\nPublicKey = " + peer.toBase64() + "\n");
        int n = 0;
        for (int i = 0; i < 40; i++) {
            sb.append("AllowedIPs = ");
            for (int j = 0; j < 250; j++, n++) sb.append(j == 0 ? "" : ", ").append("10.").append(i).append('.').append(j).append(".0/24");
            sb.append('\n');
        }
        Path conf = tmp.resolve("big.conf");
        Files.writeString(conf, sb.toString());
        Run set = wg("setconf", iface, conf.toString());
        assertEquals(0, set.exit(), set.err());
        assertEquals(n, dev.allowedIps.size());
        Run ips = wg("show", iface, "allowed-ips");
        assertEquals(0, ips.exit(), ips.err());
        assertEquals(n, ips.out().trim().split("\\s+").length - 1);
        assertTrue(ips.out().contains(" 10.39.249.0/24"), ips.out().substring(0, 100));
    }

    @Test
    void wgSetRemovalFormsClearKeysMarksAndKeepalive() throws Exception {
        Key priv = Curve25519.generatePrivateKey(), peer = Curve25519.publicKey(Curve25519.generatePrivateKey());
        assertEquals(0, wg("set", iface, "private-key", keyFile(priv).toString(), "fwmark", "7", "peer", peer.toBase64(),
                "preshared-key", keyFile(Curve25519.generatePresharedKey()).toString(), "persistent-keepalive", "5").exit());
        Run r = wg("set", iface, "private-key", "/dev/null", "fwmark", "off", "peer", peer.toBase64(), "preshared-key", "/dev/null",
                "persistent-keepalive", "off");
        assertEquals(0, r.exit(), r.err());
        assertNull(dev.privateKey);
        assertEquals(0, dev.fwmark);
        assertNull(dev.peer(peer).presharedKey);
        assertEquals(0, dev.peer(peer).keepalive);
        assertEquals(peer.toBase64() + "\t(none)\t(none)\t(none)\t0\t0\t0\toff\n",
                wg("show", iface, "dump").out().lines().skip(1).findFirst().orElseThrow() + "\n");
    }

    @Test
    void rawMalformedRequestsOnTheRealSocketGetAnErrnoAndWgStillWorks() throws Exception {
        Path sock = server.socketPath();
        assertEquals(Path.of("/var/run/wireguard", iface + ".sock"), sock);
        assertEquals("errno=-22\n\n", UapiClient.exchange(sock, "set=1\nprivate_key=nothex\n\n"));
        assertEquals("errno=-71\n\n", UapiClient.exchange(sock, "set=1\ngarbage\n\n"));
        assertEquals("errno=-22\n\n", UapiClient.exchange(sock, "\u0000\u00ff\n\n"));
        assertEquals(0, wg("set", iface, "listen-port", "1234").exit());
        assertEquals("1234\n", wg("show", iface, "listen-port").out());
    }

    @Test
    void aFailedGetReachesWgShowAsTheRealErrorBecauseItsErrnoIsPositive() throws Exception {
        server.close();
        UapiDevice broken = new UapiDevice() {
            @Override
            public DeviceSnapshot snapshot() {
                throw new IllegalStateException("device is shutting down");
            }

            @Override
            public void apply(SetRequest request) { }
        };
        server = UapiServer.start(iface, broken, () -> { });
        assertEquals("errno=5\n\n", UapiClient.get(server.socketPath()));
        Run r = wg("show", iface);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("Input/output error"), "wg negates a positive get errno: " + r.err());
    }

    @Test
    void failuresReachWgWithTheRightSign() throws Exception {
        dev.busyPorts.add(4444);
        Run r = wg("set", iface, "listen-port", "4444");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("Address already in use"), "a negative errno is what wg prints correctly: " + r.err());
    }
}
