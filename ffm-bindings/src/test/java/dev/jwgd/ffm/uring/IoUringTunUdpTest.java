package dev.jwgd.ffm.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.ffm.libc.Sockets;
import dev.jwgd.ffm.netlink.ScratchNamespace;
import dev.jwgd.ffm.tun.TunDevice;
import dev.jwgd.ffm.udp.UdpSocket;
import dev.jwgd.ffm.udp.sockaddr_in;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * io_uring moves packets between a TUN device and a UDP socket, both ways, in a namespace of its own:
 * a kernel socket's datagrams routed into the TUN come out of the relay's UDP socket as whole IP
 * packets, and IP packets sent to the relay come out of the TUN to a kernel socket. The same traffic
 * also runs through the plain-syscall fallback with io_uring switched off.
 */
class IoUringTunUdpTest {
    private static final int PACKETS = 32;
    private static final long TIMEOUT = 5_000_000_000L;
    private static final int TUN_ADDR = 0x0a070001;    // 10.7.0.1, the TUN's own address
    private static final int PEER_ADDR = 0x0a070002;   // 10.7.0.2, "behind" the TUN
    private static final int PEER_PORT = 9;

    @ParameterizedTest
    @EnumSource(TunUdpRelay.Mode.class)
    void ioUringMovesEveryPacketBetweenTunAndUdpBothWays(TunUdpRelay.Mode mode) throws Exception {
        IoUringSupport s = IoUring.support();
        assumeTrue(s.available(), () -> s.summary());
        if (mode == TunUdpRelay.Mode.FIXED) assumeTrue(s.registeredBuffers() && s.registeredFiles(), s.summary());
        if (mode == TunUdpRelay.Mode.MULTISHOT) assumeTrue(s.recvMultishot(), s.summary());
        assertTrue(relayBothWays(s, mode), "the relay should have used io_uring");
    }

    @Test
    void withIoUringSwitchedOffThePlainSyscallFallbackMovesTheSamePackets() throws Exception {
        IoUringSupport off = IoUringSupport.probe(Map.of(IoUring.PROPERTY, "false")::get);
        assertFalse(relayBothWays(off, TunUdpRelay.Mode.PLAIN), "the relay should have fallen back to syscalls");
    }

    /** Runs both directions; returns whether the relay used io_uring. */
    private static boolean relayBothWays(IoUringSupport support, TunUdpRelay.Mode mode) throws Exception {
        try (var ns = ScratchNamespace.create("tun" + mode.ordinal()); Arena arena = Arena.ofConfined()) {
            // No IPv6 on the TUN: router solicitations would otherwise join the traffic.
            ScratchNamespace.run("ip", "netns", "exec", ns.name, "sysctl", "-qw",
                    "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            try (TunDevice tun = ns.netns.call(() -> TunDevice.create("urt0"))) {
                ns.rtnl.setUp(ns.rtnl.link("lo").index(), true);
                ns.rtnl.addAddress(tun.ifindex(), InetAddress.getByName("10.7.0.1"), 24);
                ns.rtnl.setUp(tun.ifindex(), true);
                try (UdpSocket app = bound(ns, "10.7.0.1");
                        UdpSocket relayUdp = bound(ns, "127.0.0.1");
                        UdpSocket sink = bound(ns, "127.0.0.1")) {
                    MemorySegment sinkAddr = sockaddr(arena, 0x7f000001, sink.localAddress().getPort());
                    MemorySegment relayAddr = sockaddr(arena, 0x7f000001, relayUdp.localAddress().getPort());
                    MemorySegment peerAddr = sockaddr(arena, PEER_ADDR, PEER_PORT);
                    int appPort = app.localAddress().getPort();
                    MemorySegment buf = arena.allocate(2048);

                    try (TunUdpRelay relay = TunUdpRelay.create(support, mode, tun, relayUdp, sinkAddr)) {
                        // TUN -> UDP: the app's datagrams to 10.7.0.2 are routed into the TUN.
                        for (int i = 0; i < PACKETS; i++) {
                            byte[] p = ("tun->udp #" + i).getBytes(StandardCharsets.US_ASCII);
                            MemorySegment.copy(p, 0, buf, JAVA_BYTE, 0, p.length);
                            assertEquals(p.length, Sockets.sendto(app.fd(), buf, p.length, 0, peerAddr, 16));
                        }
                        assertEquals(PACKETS, relay.tunToUdp(PACKETS, TIMEOUT), "packets relayed TUN -> UDP");
                        Set<String> atSink = new TreeSet<>();
                        for (int i = 0; i < PACKETS && sink.awaitReadable(2000) > 0; i++) {
                            int n = (int) Sockets.recvfrom(sink.fd(), buf, 2048, Sockets.MSG_DONTWAIT, MemorySegment.NULL, MemorySegment.NULL);
                            ByteBuffer ip = buf.asSlice(0, n).asByteBuffer();
                            assertEquals(0x45, ip.get(0) & 0xff, "a whole IPv4 packet per datagram");
                            assertEquals(17, ip.get(9), "UDP inside");
                            assertEquals(PEER_ADDR, ip.getInt(16), "to 10.7.0.2");
                            assertEquals(PEER_PORT, ip.getShort(22));
                            atSink.add(text(buf, 28, n - 28));
                        }
                        assertEquals(expected("tun->udp #"), atSink);

                        // UDP -> TUN: IP packets sent to the relay reach the app through the TUN.
                        for (int i = 0; i < PACKETS; i++) {
                            int n = ipv4Udp(buf, PEER_ADDR, PEER_PORT, TUN_ADDR, appPort, ("udp->tun #" + i).getBytes(StandardCharsets.US_ASCII));
                            assertEquals(n, Sockets.sendto(sink.fd(), buf, n, 0, relayAddr, 16));
                        }
                        assertEquals(PACKETS, relay.udpToTun(PACKETS, TIMEOUT), "packets relayed UDP -> TUN");
                        Set<String> atApp = new TreeSet<>();
                        for (int i = 0; i < PACKETS && app.awaitReadable(2000) > 0; i++) {
                            int n = (int) Sockets.recvfrom(app.fd(), buf, 2048, Sockets.MSG_DONTWAIT, MemorySegment.NULL, MemorySegment.NULL);
                            atApp.add(text(buf, 0, n));
                        }
                        assertEquals(expected("udp->tun #"), atApp);
                        if (relay instanceof TunUdpRelay.Uring u) assertEquals(0, u.errors, "failed io_uring operations");
                        return relay.usesIoUring();
                    }
                }
            }
        }
    }

    private static UdpSocket bound(ScratchNamespace ns, String address) throws Exception {
        return ns.netns.call(() -> {
            UdpSocket s = UdpSocket.open(UdpSocket.Family.IPV4);
            s.bind(InetAddress.getByName(address), 0);
            return s;
        });
    }

    private static MemorySegment sockaddr(Arena arena, int address, int port) {
        MemorySegment sa = sockaddr_in.allocate(arena);
        sockaddr_in.sin_family(sa, (short) Sockets.AF_INET);
        sockaddr_in.sin_port(sa, port);
        sockaddr_in.sin_addr(sa, address);
        return sa;
    }

    private static Set<String> expected(String prefix) {
        Set<String> s = new TreeSet<>();
        for (int i = 0; i < PACKETS; i++) s.add(prefix + i);
        return s;
    }

    private static String text(MemorySegment buf, int from, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(buf, JAVA_BYTE, from, b, 0, len);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Writes an IPv4/UDP packet (UDP checksum 0: none) into {@code buf}; returns its length. */
    private static int ipv4Udp(MemorySegment buf, int src, int sport, int dst, int dport, byte[] payload) {
        int len = 28 + payload.length;
        ByteBuffer b = buf.asSlice(0, len).asByteBuffer();
        b.put(0, (byte) 0x45).put(1, (byte) 0).putShort(2, (short) len).putShort(4, (short) 1).putShort(6, (short) 0x4000)
                .put(8, (byte) 64).put(9, (byte) 17).putShort(10, (short) 0).putInt(12, src).putInt(16, dst);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) sum += b.getShort(i) & 0xffff;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        b.putShort(10, (short) ~sum);
        b.putShort(20, (short) sport).putShort(22, (short) dport).putShort(24, (short) (8 + payload.length)).putShort(26, (short) 0);
        b.put(28, payload);
        return len;
    }
}
