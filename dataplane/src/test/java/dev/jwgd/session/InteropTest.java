package dev.jwgd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.message.Messages;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.timers.Clock;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop (root only): our engine, driven over a real UDP socket on 127.0.0.1, handshakes with a
 * wireguard-go process and with the kernel module, exchanges an ICMP echo with the interface behind
 * it (moved into a private network namespace that holds 10.77.0.1/24) and keepalives, with either
 * side initiating. As in the kernel's netns.sh, the interface is created in the root namespace and
 * moved, so only its UDP socket stays here, reached on loopback; every address and route lives in
 * the test's own namespace. Every process and namespace is removed in finally blocks.
 */
class InteropTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final String NS = "noise" + PID;
    private static final byte[] OUR_TUNNEL_IP = {10, 77, 0, 2};
    private static final byte[] THEIR_TUNNEL_IP = {10, 77, 0, 1};

    private static boolean toolPresent(String tool) {
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin")) {
            if (new File(dir, tool).canExecute()) return true;
        }
        return false;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        return out.strip();
    }

    private static void quietly(String... cmd) {
        try {
            run(cmd);
        } catch (Exception ignored) {
            // cleanup of something that may not exist
        }
    }

    /** One wireguard-go process with its TUN moved into our namespace, and our engine on a UDP socket. */
    private static final class Rig implements AutoCloseable, Transmit {
        final String iface;
        final Process wgGo;
        final Path log;
        final Path keyFile;
        final DatagramSocket socket;
        final Key ourPrivate = Curve25519.generatePrivateKey();
        final Key theirPrivate = Curve25519.generatePrivateKey();
        final SessionEngine engine;
        final PeerSession peer;
        InetSocketAddress theirEndpoint;
        final List<byte[]> received = new ArrayList<>();
        int keepalivesReceived;

        /** With {@code kernel}, the Linux module's interface instead of a wireguard-go process. */
        Rig(String suffix, boolean kernel) throws Exception {
            iface = "nz" + PID + suffix;
            log = Files.createTempFile("noise-wggo", ".log");
            keyFile = Files.createTempFile("noise-key", ".txt");
            Files.writeString(keyFile, theirPrivate.toBase64() + "\n");
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(100);
            if (kernel) {
                wgGo = null;
                // Created in the root namespace and then moved: its UDP socket stays here, on loopback reach.
                run("ip", "link", "add", "dev", iface, "type", "wireguard");
            } else {
                ProcessBuilder pb = new ProcessBuilder("wireguard-go", "-f", iface).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put("LOG_LEVEL", "verbose");
                wgGo = pb.start();
                Path sock = Path.of("/var/run/wireguard/" + iface + ".sock");
                for (int i = 0; i < 100 && !Files.exists(sock); i++) Thread.sleep(50);
                assertTrue(Files.exists(sock), "wireguard-go did not create its UAPI socket");
            }
            run("ip", "link", "set", iface, "netns", NS);
            run("ip", "-n", NS, "addr", "add", "10.77.0.1/24", "dev", iface);
            run("ip", "-n", NS, "link", "set", iface, "up");
            engine = new SessionEngine(AeadProvider.scalar(), Clock.SYSTEM, this);
            engine.setPrivateKey(ourPrivate);
            peer = engine.addPeer(Curve25519.publicKey(theirPrivate));
        }

        /** Configures wireguard-go with us as its peer; returns its listen port. */
        void configure(int persistentKeepalive) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, "wg", "set", iface, "private-key", keyFile.toString(),
                    "peer", Curve25519.publicKey(ourPrivate).toBase64(), "allowed-ips", "10.77.0.2/32",
                    "endpoint", "127.0.0.1:" + socket.getLocalPort()));
            if (persistentKeepalive > 0) cmd.addAll(List.of("persistent-keepalive", Integer.toString(persistentKeepalive)));
            run(cmd.toArray(String[]::new));
            int port = Integer.parseInt(wg("show", iface, "listen-port"));
            theirEndpoint = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        @Override
        public void sendToPeer(PeerSession p, MemorySegment message) {
            send(message);
        }

        @Override
        public void sendToSource(Object source, MemorySegment message) {
            send(message);
        }

        @Override
        public void endpointSeen(PeerSession p, Object source) {
            theirEndpoint = (InetSocketAddress) source;
        }

        private void send(MemorySegment message) {
            byte[] b = message.toArray(ValueLayout.JAVA_BYTE);
            try {
                socket.send(new DatagramPacket(b, b.length, theirEndpoint));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Receives and processes datagrams for up to {@code millis}, or until {@code done} holds. */
        void pump(long millis, java.util.function.BooleanSupplier done) throws IOException {
            long end = System.nanoTime() + millis * 1_000_000L;
            byte[] buf = new byte[2048];
            while (System.nanoTime() < end && !done.getAsBoolean()) {
                engine.tick();
                DatagramPacket dp = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(dp);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                MemorySegment seg = MemorySegment.ofArray(java.util.Arrays.copyOf(buf, dp.getLength()));
                int type = Messages.classify(seg, 0, dp.getLength());
                if (type == Protocol.MESSAGE_TRANSPORT_DATA) {
                    SessionEngine.Opened o = engine.openTransport(seg, 0, dp.getLength());
                    if (o.keepalive()) keepalivesReceived++;
                    else if (o.ok()) received.add(seg.asSlice(16, o.plaintextLength()).toArray(ValueLayout.JAVA_BYTE));
                } else if (type > 0) {
                    InetSocketAddress from = (InetSocketAddress) dp.getSocketAddress();
                    engine.receiveHandshakeMessage(seg, 0, dp.getLength(), from.getAddress().getAddress(), from.getPort(), from);
                }
            }
        }

        boolean gotEchoReply() {
            for (byte[] p : received) {
                if (p.length >= 28 && (p[0] >> 4) == 4 && p[9] == 1 && p[20] == 0
                        && java.util.Arrays.equals(java.util.Arrays.copyOfRange(p, 12, 16), THEIR_TUNNEL_IP)) return true;
            }
            return false;
        }

        long theirRxBytes() throws Exception {
            String line = wg("show", iface, "transfer"); // "<peer>\t<rx>\t<tx>"
            return Long.parseLong(line.split("\\s+")[1]);
        }

        @Override
        public void close() {
            if (wgGo != null) {
                wgGo.destroy();
                try {
                    if (!wgGo.waitFor(5, TimeUnit.SECONDS)) wgGo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    wgGo.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            quietly("ip", "-n", NS, "link", "del", iface);
            socket.close();
            try {
                Files.deleteIfExists(keyFile);
                Files.deleteIfExists(log);
                Files.deleteIfExists(Path.of("/var/run/wireguard/" + iface + ".sock"));
            } catch (IOException ignored) {
                // best effort
            }
            engine.removePeer(peer.publicKey());
        }
    }

    /** {@code wg} inside our namespace (where the moved interface is); UAPI sockets are found there too. */
    static String wg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, "wg"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** An IPv4 ICMP echo request from our tunnel address to wireguard-go's, checksums included. */
    static byte[] echoRequest(int sequence) {
        byte[] p = new byte[20 + 8 + 16];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64; // TTL
        p[9] = 1; // ICMP
        System.arraycopy(OUR_TUNNEL_IP, 0, p, 12, 4);
        System.arraycopy(THEIR_TUNNEL_IP, 0, p, 16, 4);
        int c = checksum(p, 0, 20);
        p[10] = (byte) (c >>> 8);
        p[11] = (byte) c;
        p[20] = 8; // echo request
        p[24] = 0x12;
        p[25] = 0x34;
        p[26] = (byte) (sequence >>> 8);
        p[27] = (byte) sequence;
        for (int i = 28; i < p.length; i++) p[i] = (byte) i;
        c = checksum(p, 20, p.length - 20);
        p[22] = (byte) (c >>> 8);
        p[23] = (byte) c;
        return p;
    }

    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) sum += ((b[off + i] & 0xff) << 8) | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int) (~sum & 0xffff);
    }

    private static void assumeEnvironment(String impl) {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for namespaces and TUN");
        assumeTrue(toolPresent("wg") && toolPresent("ip"), "needs wg and ip");
        if (impl.equals("kernel")) {
            assumeTrue(Files.isDirectory(Path.of("/sys/module/wireguard")), "the wireguard kernel module is not loaded");
        } else {
            assumeTrue(toolPresent("wireguard-go"), "needs wireguard-go");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"wireguard-go", "kernel"})
    void weInitiateThenPingThroughThePeerAndExchangeKeepalives(String impl) throws Exception {
        assumeEnvironment(impl);
        try {
            run("ip", "netns", "add", NS);
            run("ip", "-n", NS, "link", "set", "lo", "up");
            try (Rig rig = new Rig("a", impl.equals("kernel"))) {
                rig.configure(0);
                byte[] ping = echoRequest(1);
                rig.engine.send(rig.peer, MemorySegment.ofArray(ping), 0, ping.length);
                rig.pump(10_000, rig::gotEchoReply);
                assertTrue(rig.gotEchoReply(), impl + ": an ICMP echo reply came back");
                Keypair kp = rig.peer.currentKeypair();
                assertNotNull(kp);
                assertTrue(kp.initiator(), "we initiated");
                assertFalse(wg("show", rig.iface, "latest-handshakes").endsWith("\t0"), impl + " saw the handshake");

                long before = rig.theirRxBytes();
                rig.peer.sendKeepalive();
                Thread.sleep(300);
                assertEquals(before + Protocol.MESSAGE_KEEPALIVE_SIZE, rig.theirRxBytes(), impl + " counted our keepalive");

                wg("set", rig.iface, "peer", Curve25519.publicKey(rig.ourPrivate).toBase64(), "persistent-keepalive", "1");
                rig.pump(3_000, () -> rig.keepalivesReceived > 0);
                assertTrue(rig.keepalivesReceived > 0, impl + ": its keepalive authenticated");
            }
        } finally {
            quietly("ip", "netns", "del", NS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"wireguard-go", "kernel"})
    void thePeerInitiatesAndWeAnswerThenPingWorks(String impl) throws Exception {
        assumeEnvironment(impl);
        try {
            run("ip", "netns", "add", NS);
            run("ip", "-n", NS, "link", "set", "lo", "up");
            try (Rig rig = new Rig("b", impl.equals("kernel"))) {
                rig.configure(1); // persistent keepalive makes wireguard-go start a handshake at once
                rig.pump(5_000, () -> rig.keepalivesReceived > 0);
                assertTrue(rig.keepalivesReceived > 0, impl + ": its keepalive confirmed the session");
                Keypair kp = rig.peer.currentKeypair();
                assertNotNull(kp, "its first packet confirmed our responder keypair");
                assertFalse(kp.initiator(), impl + " initiated");
                assertEquals(0, rig.engine.counters().initiationsSent.get(), "we never had to initiate");
                byte[] ping = echoRequest(2);
                rig.engine.send(rig.peer, MemorySegment.ofArray(ping), 0, ping.length);
                rig.pump(5_000, rig::gotEchoReply);
                assertTrue(rig.gotEchoReply(), "an ICMP echo reply came back");
            }
        } finally {
            quietly("ip", "netns", "del", NS);
        }
    }

    /** Under load we answer with a cookie reply; wireguard-go must decrypt it and retry with a valid MAC2. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"wireguard-go", "kernel"})
    void underLoadThePeerAcceptsOurCookieAndRetriesWithMac2(String impl) throws Exception {
        assumeEnvironment(impl);
        try {
            run("ip", "netns", "add", NS);
            run("ip", "-n", NS, "link", "set", "lo", "up");
            try (Rig rig = new Rig("c", impl.equals("kernel"))) {
                rig.engine.underLoad().force(true);
                rig.configure(1);
                rig.pump(3_000, () -> rig.engine.counters().cookieRepliesSent.get() > 0);
                assertTrue(rig.engine.counters().cookieRepliesSent.get() > 0, "its first initiation got a cookie reply");
                assertEquals(0, rig.engine.counters().responsesSent.get());
                // It retransmits after REKEY_TIMEOUT with MAC2 from our cookie; we then answer.
                rig.pump(9_000, () -> rig.keepalivesReceived > 0);
                assertTrue(rig.engine.counters().responsesSent.get() > 0, impl + " retried with a valid MAC2");
                assertTrue(rig.keepalivesReceived > 0, impl + ": the session formed under load");
            }
        } finally {
            quietly("ip", "netns", "del", NS);
        }
    }
}
