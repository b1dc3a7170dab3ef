package dev.jwgd.ffm.tun;

import static dev.jwgd.ffm.tun.if_tun_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.ffm.netns.TestNet;
import dev.jwgd.ffm.udp.UdpBatch;
import dev.jwgd.ffm.udp.UdpSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** TUN devices in throwaway namespaces: creation, flags, offloads, packet I/O, ping, moving namespaces, errors. */
class TunDeviceTest {
    private static final ValueLayout.OfShort BE16 = EchoResponder.BE16;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private static TunDevice openIn(String ns, String name, int flags) throws Exception {
        try (NetNamespace n = NetNamespace.open(ns)) {
            return n.call(() -> TunDevice.open(name, flags));
        }
    }

    private static void up(String ns, String dev, String... cidrs) throws Exception {
        for (String c : cidrs) TestNet.addAddress(ns, dev, c);
        TestNet.ip("-n", ns, "link", "set", dev, "up");
    }

    @Test
    void templateNameIsResolvedAndFlagsReadBack() throws Exception {
        try (TestNet net = TestNet.create()) {
            String ns = net.addNamespace();
            String template = TestNet.uniqueName("t") + "%d";
            try (TunDevice tun = openIn(ns, template, IFF_TUN | IFF_NO_PI)) {
                assertEquals(template.replace("%d", "0"), tun.name());
                assertEquals(IFF_TUN | IFF_NO_PI, tun.flags() & 0xffff);
                assertTrue(tun.ifindex() > 0, "ifindex " + tun.ifindex());
                String link = TestNet.ip("-n", ns, "-o", "link", "show", tun.name());
                assertTrue(link.startsWith(tun.ifindex() + ": " + tun.name()), link);
                assertTrue((tun.features() & (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE)) == (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE),
                        "features 0x" + Integer.toHexString(tun.features()));
            }
            // non-persistent: the device goes with its last descriptor
            assertTrue(TestNet.runAllowingFailure("ip", "-n", ns, "link", "show", template.replace("%d", "0")).exit() != 0);
        }
    }

    @Test
    void userspaceResponderAnswersKernelPingOverIpv4AndIpv6() throws Exception {
        try (TestNet net = TestNet.create()) {
            String ns = net.addNamespace();
            try (TunDevice tun = openIn(ns, TestNet.uniqueName("t"), IFF_TUN | IFF_NO_PI)) {
                up(ns, tun.name(), "10.77.0.1/24", "fd00:77::1/64");
                try (EchoResponder responder = new EchoResponder(tun)) {
                    String v4 = TestNet.run("ip", "netns", "exec", ns, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.2");
                    assertTrue(v4.contains("3 received"), v4);
                    String v6 = TestNet.run("ip", "netns", "exec", ns, "ping", "-6", "-n", "-c", "3", "-i", "0.2", "-W", "2", "fd00:77::2");
                    assertTrue(v6.contains("3 received"), v6);
                    assertTrue(responder.replies() >= 6, "replies " + responder.replies());
                }
            }
        }
    }

    @Test
    void deviceMovedToAnotherNamespaceKeepsWorkingThroughTheSameDescriptor() throws Exception {
        try (TestNet net = TestNet.create()) {
            String a = net.addNamespace();
            String b = net.addNamespace();
            try (TunDevice tun = openIn(a, TestNet.uniqueName("t"), IFF_TUN | IFF_NO_PI)) {
                TestNet.ip("-n", a, "link", "set", "dev", tun.name(), "netns", b);
                assertTrue(TestNet.runAllowingFailure("ip", "-n", a, "link", "show", tun.name()).exit() != 0, "still in A");
                up(b, tun.name(), "10.78.0.1/24");
                try (EchoResponder responder = new EchoResponder(tun)) {
                    String out = TestNet.run("ip", "netns", "exec", b, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "2", "10.78.0.2");
                    assertTrue(out.contains("2 received"), out);
                    assertTrue(responder.replies() >= 2);
                }
            }
        }
    }

    @Test
    void batchReadDrainsQueuedPacketsAndBatchWriteDeliversEach() throws Exception {
        try (TestNet net = TestNet.create(); Arena arena = Arena.ofConfined()) {
            String ns = net.addNamespace();
            try (TunDevice tun = openIn(ns, TestNet.uniqueName("t"), IFF_TUN | IFF_NO_PI);
                 NetNamespace n = NetNamespace.open(ns)) {
                tun.setNonBlocking(true);
                TunBatch batch = new TunBatch(16, 2048, arena);
                assertEquals(-Errno.EAGAIN, tun.readBatch(batch, 16), "link down, queue empty");
                up(ns, tun.name(), "10.79.0.1/24");

                // kernel -> tun: 5 datagrams from a socket in the namespace to an address behind the tun
                UdpSocket sender = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
                UdpSocket receiver = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
                try (sender; receiver) {
                    UdpBatch out = new UdpBatch(5, 200, arena);
                    for (int i = 0; i < 5; i++) {
                        out.buffer(i).fill((byte) (0x40 + i));
                        out.setLength(i, 100 + i);
                        out.setAddress(i, new InetSocketAddress(InetAddress.getByName("10.79.0.2"), 4000 + i));
                    }
                    assertEquals(5, sender.send(out, 0, 5, 0));
                    assertEquals(1, tun.awaitReadable(2000));
                    int got = 0;
                    for (int tries = 0; got < 5 && tries < 20; tries++) {
                        int r = tun.readBatch(batch, 16);
                        if (r == -Errno.EAGAIN) { tun.awaitReadable(100); continue; }
                        assertTrue(r > 0, "readBatch " + r);
                        for (int i = 0; i < r; i++) {
                            MemorySegment p = batch.buffer(i);
                            if ((p.get(ValueLayout.JAVA_BYTE, 0) >>> 4) != 4 || p.get(ValueLayout.JAVA_BYTE, 9) != 17) continue; // skip non-UDP
                            int k = Short.toUnsignedInt(p.get(BE16, 22)) - 4000;
                            assertEquals(20 + 8 + 100 + k, batch.length(i), "IPv4+UDP+payload length of datagram " + k);
                            assertEquals((byte) (0x40 + k), p.get(ValueLayout.JAVA_BYTE, 28));
                            got++;
                        }
                    }
                    assertEquals(5, got);

                    // tun -> kernel: 4 hand-made datagrams to a socket bound in the namespace
                    int port = receiver.bind(InetAddress.getByName("10.79.0.1"), 0);
                    receiver.setNonBlocking(true);
                    for (int i = 0; i < 4; i++) {
                        int len = ipv4Udp(batch.buffer(i), 0x0a4f0002, 0x0a4f0001, 5555, port, 64 + i, (byte) i);
                        batch.setLength(i, len);
                    }
                    assertEquals(4, tun.writeBatch(batch, 0, 4));
                    UdpBatch in = new UdpBatch(8, 2048, arena);
                    int received = 0;
                    for (int tries = 0; received < 4 && tries < 20; tries++) {
                        receiver.awaitReadable(200);
                        int r = receiver.receive(in, 0, 8, 0);
                        if (r < 0) continue;
                        for (int i = 0; i < r; i++) {
                            assertEquals(64 + in.buffer(i).get(ValueLayout.JAVA_BYTE, 0), in.length(i));
                            assertEquals(0x0a4f0002, in.addressIPv4(i));
                            assertEquals(5555, in.addressPort(i));
                        }
                        received += r;
                    }
                    assertEquals(4, received);
                }
            }
        }
    }

    /** Writes an IPv4/UDP packet (UDP checksum 0 = none) with a {@code payload}-byte body of {@code fill}; returns its length. */
    static int ipv4Udp(MemorySegment p, int src, int dst, int sport, int dport, int payload, byte fill) {
        int total = 28 + payload;
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        p.set(ValueLayout.JAVA_BYTE, 1, (byte) 0);
        p.set(BE16, 2, (short) total);
        p.set(BE32, 4, 0);                               // id, flags, fragment offset
        p.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        p.set(ValueLayout.JAVA_BYTE, 9, (byte) 17);
        p.set(BE16, 10, (short) 0);
        p.set(BE32, 12, src);
        p.set(BE32, 16, dst);
        p.set(BE16, 10, (short) ~EchoResponder.fold(EchoResponder.sum(p, 0, 20, 0)));
        p.set(BE16, 20, (short) sport);
        p.set(BE16, 22, (short) dport);
        p.set(BE16, 24, (short) (8 + payload));
        p.set(BE16, 26, (short) 0);
        p.asSlice(28, payload).fill(fill);
        return total;
    }

    @Test
    void vnetHeaderQueueAcceptsWireguardGoOffloadsAndRejectsBadOnes() throws Exception {
        try (TestNet net = TestNet.create()) {
            String ns = net.addNamespace();
            try (TunDevice tun = openIn(ns, TestNet.uniqueName("t"), IFF_TUN | IFF_NO_PI | IFF_VNET_HDR)) {
                assertEquals(IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, tun.flags() & 0xffff);
                assertEquals(10, tun.vnetHdrSize());
                int offloads = tun.enableOffloads();
                assertTrue(offloads == TunDevice.OFFLOAD_TCP || offloads == TunDevice.OFFLOAD_TCP_UDP, "0x" + Integer.toHexString(offloads));
                tun.setVnetHdrSize(12);
                assertEquals(12, tun.vnetHdrSize());
                tun.setVnetHdrSize(10);

                ErrnoException small = assertThrows(ErrnoException.class, () -> tun.setVnetHdrSize(9));
                assertEquals(Errno.EINVAL, small.errno());
                assertTrue(small.call().startsWith("ioctl(TUNSETVNETHDRSZ"), small.getMessage());

                // USO4 without USO6 and CSUM: set_offload() leaves bits over -> EINVAL
                ErrnoException uso = assertThrows(ErrnoException.class, () -> tun.setOffload(TUN_F_USO4));
                assertEquals(Errno.EINVAL, uso.errno());
                assertTrue(uso.getMessage().contains("TUNSETOFFLOAD") && uso.getMessage().contains("EINVAL"), uso.getMessage());
            }
        }
    }

    @Test
    void vnetHeaderQueueCarriesUdpGsoSuperpacketsBothWays() throws Exception {
        try (TestNet net = TestNet.create(); Arena arena = Arena.ofConfined()) {
            String ns = net.addNamespace();
            try (TunDevice tun = openIn(ns, TestNet.uniqueName("v"), IFF_TUN | IFF_NO_PI | IFF_VNET_HDR);
                 NetNamespace n = NetNamespace.open(ns)) {
                org.junit.jupiter.api.Assumptions.assumeTrue(tun.enableOffloads() == TunDevice.OFFLOAD_TCP_UDP, "kernel without TUN USO (6.2+)");
                tun.setNonBlocking(true);
                up(ns, tun.name(), "10.80.0.1/24");
                UdpSocket tx = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
                UdpSocket rx = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
                try (tx; rx) {
                    // kernel -> tun: a GSO send of 3 x 1000 arrives as ONE superpacket behind a virtio_net_hdr
                    UdpBatch out = new UdpBatch(1, 3000, arena);
                    out.setLength(0, 3000);
                    out.setSegmentSize(0, 1000);
                    out.setAddressIPv4(0, 0x0a500002, 9);
                    assertEquals(3000, tx.sendOne(out, 0, 0));
                    MemorySegment buf = arena.allocate(10 + 65535);
                    int len = -1;
                    for (int tries = 0; tries < 20; tries++) {
                        tun.awaitReadable(100);
                        len = tun.read(buf);
                        if (len > 10 && (buf.get(ValueLayout.JAVA_BYTE, 10) >>> 4) == 4 && buf.get(ValueLayout.JAVA_BYTE, 19) == 17) break;
                    }
                    assertEquals(10 + 28 + 3000, len, "one read holds the whole superpacket");
                    assertEquals(VIRTIO_NET_HDR_F_NEEDS_CSUM, virtio_net_hdr.flags(buf, 0));
                    assertEquals(VIRTIO_NET_HDR_GSO_UDP_L4, virtio_net_hdr.gso_type(buf, 0));
                    assertEquals(1000, virtio_net_hdr.gso_size(buf, 0));
                    assertEquals(20, virtio_net_hdr.csum_start(buf, 0));
                    assertEquals(6, virtio_net_hdr.csum_offset(buf, 0));

                    // tun -> kernel: a UDP_L4 superpacket written once reaches a plain socket as 3 datagrams
                    int port = rx.bind(InetAddress.getByName("10.80.0.1"), 0);
                    rx.setNonBlocking(true);
                    MemorySegment sp = arena.allocate(10 + 28 + 3000);
                    virtio_net_hdr.flags(sp, 0, VIRTIO_NET_HDR_F_NEEDS_CSUM);
                    virtio_net_hdr.gso_type(sp, 0, VIRTIO_NET_HDR_GSO_UDP_L4);
                    virtio_net_hdr.hdr_len(sp, 0, 28);
                    virtio_net_hdr.gso_size(sp, 0, 1000);
                    virtio_net_hdr.csum_start(sp, 0, 20);
                    virtio_net_hdr.csum_offset(sp, 0, 6);
                    MemorySegment ip = sp.asSlice(10);
                    ipv4Udp(ip, 0x0a500002, 0x0a500001, 6000, port, 3000, (byte) 7);
                    long pseudo = 0x0a50 + 0x0002 + 0x0a50 + 0x0001 + 17 + 8 + 3000;   // partial: folded, not complemented
                    ip.set(BE16, 26, (short) EchoResponder.fold(pseudo));
                    assertEquals(10 + 28 + 3000, tun.write(sp, 10 + 28 + 3000));
                    UdpBatch in = new UdpBatch(8, 2048, arena);
                    int got = 0;
                    for (int tries = 0; got < 3 && tries < 20; tries++) {
                        rx.awaitReadable(100);
                        int r = rx.receive(in, got, 8 - got, 0);
                        if (r > 0) got += r;
                    }
                    assertEquals(3, got, "datagrams cut from the superpacket");
                    for (int i = 0; i < 3; i++) {
                        assertEquals(1000, in.length(i));
                        assertEquals((byte) 7, in.buffer(i).get(ValueLayout.JAVA_BYTE, 999));
                    }
                }
            }
        }
    }

    @Test
    void multiQueueDeviceTakesQueuesWithTheFlagAndRefusesOthers() throws Exception {
        try (TestNet net = TestNet.create()) {
            String ns = net.addNamespace();
            String name = TestNet.uniqueName("q");
            int mq = IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE;
            try (TunDevice q0 = openIn(ns, name, mq); TunDevice q1 = openIn(ns, name, mq)) {
                assertEquals(q0.ifindex(), q1.ifindex());
                q1.setQueueEnabled(false);
                q1.setQueueEnabled(true);
                ErrnoException e = assertThrows(ErrnoException.class, () -> openIn(ns, name, IFF_TUN | IFF_NO_PI));
                assertEquals(Errno.EINVAL, e.errno());
                assertTrue(e.call().contains("TUNSETIFF") && e.call().contains(name), e.call());
            }
        }
    }

    @Test
    void invalidNamesAreRefused() throws Exception {
        try (TestNet net = TestNet.create()) {
            String ns = net.addNamespace();
            ErrnoException e = assertThrows(ErrnoException.class, () -> openIn(ns, "bad name", IFF_TUN | IFF_NO_PI));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().startsWith("ioctl(TUNSETIFF, bad name"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> openIn(ns, "sixteen-chars-xx", IFF_TUN | IFF_NO_PI));
        }
    }

    @Test
    void creatingADeviceWithoutCapNetAdminThrowsEperm() throws Exception {
        try (TestNet net = TestNet.create(); NetNamespace ns = NetNamespace.open(net.addNamespace())) {
            String name = TestNet.uniqueName("t");
            // enter the namespace first (needs CAP_SYS_ADMIN, kept), then try without CAP_NET_ADMIN
            Object outcome = ns.call(() -> {
                try {
                    return TestNet.withoutNetAdminAndRaw(() -> TunDevice.create(name));
                } catch (Exception e) {
                    return e;
                }
            });
            if (outcome instanceof TunDevice d) d.close();
            ErrnoException e = assertInstanceOf(ErrnoException.class, outcome, String.valueOf(outcome));
            assertEquals(Errno.EPERM, e.errno());
            assertTrue(e.getMessage().startsWith("ioctl(TUNSETIFF, " + name) && e.getMessage().contains("EPERM"), e.getMessage());
        }
    }

    @Test
    void vnetHeaderAccessorsRoundTripAtAnOffset() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(64);
            s.fill((byte) 0x55);
            virtio_net_hdr.flags(s, 3, VIRTIO_NET_HDR_F_NEEDS_CSUM);
            virtio_net_hdr.gso_type(s, 3, VIRTIO_NET_HDR_GSO_UDP_L4);
            virtio_net_hdr.hdr_len(s, 3, 28);
            virtio_net_hdr.gso_size(s, 3, 1000);
            virtio_net_hdr.csum_start(s, 3, 20);
            virtio_net_hdr.csum_offset(s, 3, 6);
            // the kernel layout: little-endian u16s after two bytes
            assertEquals(1, s.get(ValueLayout.JAVA_BYTE, 3));
            assertEquals(5, s.get(ValueLayout.JAVA_BYTE, 4));
            assertEquals((byte) 0xe8, s.get(ValueLayout.JAVA_BYTE, 7));
            assertEquals((byte) 0x03, s.get(ValueLayout.JAVA_BYTE, 8));
            assertEquals(1000, virtio_net_hdr.gso_size(s, 3));
            assertEquals(6, virtio_net_hdr.csum_offset(s, 3));
            assertEquals(0x55, s.get(ValueLayout.JAVA_BYTE, 13));
            virtio_net_hdr.clear(s, 3);
            for (int i = 3; i < 13; i++) assertEquals(0, s.get(ValueLayout.JAVA_BYTE, i));
            assertEquals(0x55, s.get(ValueLayout.JAVA_BYTE, 2));
            assertEquals(0x55, s.get(ValueLayout.JAVA_BYTE, 13));
        }
    }
}
