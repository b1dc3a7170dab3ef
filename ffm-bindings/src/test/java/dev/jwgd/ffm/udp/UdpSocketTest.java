package dev.jwgd.ffm.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Sockets;
import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.ffm.netns.TestNet;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** UDP sockets in throwaway namespaces: bind, options, mmsg batches, pktinfo, GSO and GRO across a veth, errors. */
class UdpSocketTest {
    private static final int LOOPBACK = 0x7f000001;

    static UdpSocket bound(NetNamespace ns, UdpSocket.Family f, String address, int port) throws Exception {
        return ns.call(() -> {
            UdpSocket s = UdpSocket.open(f);
            s.bind(address == null ? null : InetAddress.getByName(address), port);
            return s;
        });
    }

    /** Receives until {@code want} datagrams arrived or 40 polls of 100 ms passed; returns the count. */
    static int receiveAll(UdpSocket s, UdpBatch b, int want) {
        int got = 0;
        for (int polls = 0; got < want && polls < 40; polls++) {
            if (s.awaitReadable(100) <= 0) continue;
            int n = s.receive(b, got, Math.min(b.slots() - got, want - got), Sockets.MSG_DONTWAIT);
            if (n > 0) got += n;
        }
        return got;
    }

    @Test
    void bindToPortZeroReportsThePortTheKernelChose() throws Exception {
        try (TestNet net = TestNet.create(); NetNamespace ns = NetNamespace.open(net.addNamespace())) {
            for (var f : UdpSocket.Family.values()) {
                String addr = f == UdpSocket.Family.IPV4 ? "127.0.0.1" : f == UdpSocket.Family.IPV6_ONLY ? "::1" : null;
                try (UdpSocket s = bound(ns, f, addr, 0)) {
                    int port = s.localAddress().getPort();
                    assertTrue(port > 0, f + " port " + port);
                    assertEquals(f == UdpSocket.Family.IPV6_ONLY ? 1 : 0, f == UdpSocket.Family.IPV4 ? 0
                            : s.intOption(in_h.SOL_IPV6, in_h.IPV6_V6ONLY, "IPV6_V6ONLY"), f + " V6ONLY");
                }
            }
        }
    }

    @Test
    void sendmmsgBatchArrivesWholeThroughRecvmmsgWithSourcesAndLengths() throws Exception {
        try (TestNet net = TestNet.create(); NetNamespace ns = NetNamespace.open(net.addNamespace()); Arena arena = Arena.ofConfined()) {
            try (UdpSocket rx = bound(ns, UdpSocket.Family.IPV4, "127.0.0.1", 0); UdpSocket tx = bound(ns, UdpSocket.Family.IPV4, "127.0.0.1", 0)) {
                int rxPort = rx.localAddress().getPort();
                int txPort = tx.localAddress().getPort();
                UdpBatch out = new UdpBatch(32, 1500, arena);
                for (int i = 0; i < 32; i++) {
                    out.buffer(i).fill((byte) i);
                    out.setLength(i, 1 + i * 40);
                    out.setAddressIPv4(i, LOOPBACK, rxPort);
                }
                assertEquals(32, tx.send(out, 0, 32, 0));
                for (int i = 0; i < 32; i++) assertEquals(1 + i * 40, out.length(i), "msg_len of sent slot " + i);
                UdpBatch in = new UdpBatch(32, 1500, arena);
                assertEquals(32, receiveAll(rx, in, 32));
                for (int i = 0; i < 32; i++) {
                    assertEquals(1 + i * 40, in.length(i));
                    assertEquals((byte) i, in.buffer(i).get(ValueLayout.JAVA_BYTE, in.length(i) - 1));
                    assertEquals(Sockets.AF_INET, in.addressFamily(i));
                    assertEquals(LOOPBACK, in.addressIPv4(i));
                    assertEquals(txPort, in.addressPort(i));
                    assertFalse(in.truncated(i));
                    assertEquals(0, in.groSegmentSize(i));
                }
                // one syscall per datagram: the same through sendmsg/recvmsg, replying to the sender's address
                in.buffer(0).set(ValueLayout.JAVA_BYTE, 0, (byte) 0x7e);
                in.setLength(0, 5);
                assertEquals(5, rx.sendOne(in, 0, 0));
                assertEquals(1, tx.awaitReadable(2000));
                UdpBatch one = new UdpBatch(1, 1500, arena);
                assertEquals(5, tx.receiveOne(one, 0, 0));
                assertEquals(5, one.length(0));
                assertEquals(rxPort, one.addressPort(0));
                assertEquals((byte) 0x7e, one.buffer(0).get(ValueLayout.JAVA_BYTE, 0));
                tx.setNonBlocking(true);
                assertEquals(-Errno.EAGAIN, tx.receiveOne(one, 0, 0), "nothing queued");
            }
        }
    }

    @Test
    void pktinfoReportsTheLocalAddressAndSourceSelectionIsHonoured() throws Exception {
        try (TestNet net = TestNet.create(); NetNamespace ns = NetNamespace.open(net.addNamespace()); Arena arena = Arena.ofConfined()) {
            try (UdpSocket rx = bound(ns, UdpSocket.Family.IPV4, null, 0); UdpSocket tx = bound(ns, UdpSocket.Family.IPV4, null, 0)) {
                rx.setPacketInfo(true);
                int port = rx.localAddress().getPort();
                UdpBatch out = new UdpBatch(2, 64, arena);
                out.setLength(0, 10);
                out.setAddressIPv4(0, 0x7f000002, port);                 // to 127.0.0.2
                out.setLength(1, 11);
                out.setAddressIPv4(1, 0x7f000003, port);                 // to 127.0.0.3, from 127.0.0.5
                out.setSourceIPv4(1, 0x7f000005, 0);
                assertEquals(2, tx.send(out, 0, 2, 0));
                UdpBatch in = new UdpBatch(2, 64, arena);
                assertEquals(2, receiveAll(rx, in, 2));
                assertEquals(Sockets.AF_INET, in.localFamily(0));
                assertEquals(0x7f000002, in.localIPv4(0));
                assertEquals(1, in.localIfindex(0), "lo");
                assertEquals(0x7f000003, in.localIPv4(1));
                assertEquals(0x7f000005, in.addressIPv4(1), "source chosen by IP_PKTINFO");
            }
            // dual-stack: an IPv4 datagram shows up with a mapped source and an IPv6 pktinfo view
            try (UdpSocket rx = bound(ns, UdpSocket.Family.DUAL_STACK, null, 0); UdpSocket tx = bound(ns, UdpSocket.Family.IPV4, null, 0)) {
                rx.setPacketInfo(true);
                UdpBatch out = new UdpBatch(1, 64, arena);
                out.setLength(0, 3);
                out.setAddressIPv4(0, 0x7f000004, rx.localAddress().getPort());
                assertEquals(1, tx.send(out, 0, 1, 0));
                UdpBatch in = new UdpBatch(1, 64, arena);
                assertEquals(1, receiveAll(rx, in, 1));
                assertEquals(Sockets.AF_INET6, in.addressFamily(0));
                assertEquals(0L, in.addressIPv6Hi(0));
                assertEquals(0xffff00000000L | 0x7f000001L, in.addressIPv6Lo(0));
                assertEquals(Sockets.AF_INET6, in.localFamily(0));
                assertEquals(0xffff00000000L | 0x7f000004L, in.localIPv6Lo(0));
                assertEquals(0x7f000004, in.localIPv4(0), "the IP_PKTINFO view is kept too");
                assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), tx.localAddress().getPort()), in.address(0));
            }
        }
    }

    @Test
    void gsoSendOfNSegmentsCrossesAVethAsNDatagramsAndGroReceiveGetsOneBuffer() throws Exception {
        try (TestNet net = TestNet.create(); Arena arena = Arena.ofConfined()) {
            String a = net.addNamespace();
            String b = net.addNamespace();
            net.addVeth(a, "192.0.2.1/24", b, "192.0.2.2/24");
            try (NetNamespace nsA = NetNamespace.open(a); NetNamespace nsB = NetNamespace.open(b);
                 UdpSocket tx = bound(nsA, UdpSocket.Family.IPV4, "192.0.2.1", 0);
                 UdpSocket plain = bound(nsB, UdpSocket.Family.IPV4, "192.0.2.2", 0);
                 UdpSocket gro = bound(nsB, UdpSocket.Family.IPV4, "192.0.2.2", 0)) {
                assertTrue(tx.gsoSupported(), "UDP_SEGMENT getsockopt");
                gro.setGro(true);
                assertTrue(gro.gro());
                int segments = 5, segment = 1200, last = 700, total = (segments - 1) * segment + last;
                UdpBatch out = new UdpBatch(2, 65535, arena);
                for (int s = 0; s < 2; s++) {
                    for (int k = 0; k < total; k++) out.buffer(s).set(ValueLayout.JAVA_BYTE, k, (byte) (k / segment + 1));
                    out.setLength(s, total);
                    out.setSegmentSize(s, segment);
                }
                out.setAddressIPv4(0, 0xc0000202, plain.localAddress().getPort());
                out.setAddressIPv4(1, 0xc0000202, gro.localAddress().getPort());
                assertEquals(2, tx.send(out, 0, 2, 0));
                assertEquals(total, out.length(0), "one GSO message carries the whole payload");

                UdpBatch in = new UdpBatch(16, 65535, arena);
                assertEquals(segments, receiveAll(plain, in, segments), "datagrams at the socket without UDP_GRO");
                for (int k = 0; k < segments; k++) {
                    assertEquals(k < segments - 1 ? segment : last, in.length(k), "datagram " + k);
                    assertEquals((byte) (k + 1), in.buffer(k).get(ValueLayout.JAVA_BYTE, 0), "order of datagram " + k);
                    assertEquals(0xc0000201, in.addressIPv4(k));
                }
                assertEquals(1, receiveAll(gro, in, 1), "one coalesced read at the UDP_GRO socket");
                assertEquals(total, in.length(0));
                assertEquals(segment, in.groSegmentSize(0));
                for (int k = 0; k < total; k += segment) assertEquals((byte) (k / segment + 1), in.buffer(0).get(ValueLayout.JAVA_BYTE, k));
            }
        }
    }

    @Test
    void ipv6GsoAcrossAVethArrivesAsOneGroBufferAndIpv6PktinfoNamesTheLocalAddress() throws Exception {
        try (TestNet net = TestNet.create(); Arena arena = Arena.ofConfined()) {
            String a = net.addNamespace();
            String b = net.addNamespace();
            net.addVeth(a, "2001:db8:77::1/64", b, "2001:db8:77::2/64");
            try (NetNamespace nsA = NetNamespace.open(a); NetNamespace nsB = NetNamespace.open(b);
                 UdpSocket tx = bound(nsA, UdpSocket.Family.IPV6_ONLY, "2001:db8:77::1", 0);
                 UdpSocket rx = bound(nsB, UdpSocket.Family.IPV6_ONLY, null, 0)) {
                rx.setGro(true);
                rx.setPacketInfo(true);
                long hi = 0x20010db800770000L;
                UdpBatch out = new UdpBatch(1, 4000, arena);
                out.setLength(0, 2500);
                out.setSegmentSize(0, 1000);
                out.setAddressIPv6(0, hi, 2, rx.localAddress().getPort(), 0);
                assertEquals(1, tx.send(out, 0, 1, 0));
                UdpBatch in = new UdpBatch(4, 65535, arena);
                assertEquals(1, receiveAll(rx, in, 1));
                assertEquals(2500, in.length(0));
                assertEquals(1000, in.groSegmentSize(0));
                assertEquals(Sockets.AF_INET6, in.addressFamily(0));
                assertEquals(hi, in.addressIPv6Hi(0));
                assertEquals(1L, in.addressIPv6Lo(0));
                assertEquals(Sockets.AF_INET6, in.localFamily(0));
                assertEquals(hi, in.localIPv6Hi(0));
                assertEquals(2L, in.localIPv6Lo(0));
                assertTrue(in.localIfindex(0) > 1, "the veth, not lo: " + in.localIfindex(0));
            }
        }
    }

    @Test
    void markAndBufferSizesReadBack() throws Exception {
        try (TestNet net = TestNet.create(); NetNamespace ns = NetNamespace.open(net.addNamespace());
             UdpSocket s = bound(ns, UdpSocket.Family.IPV4, null, 0)) {
            s.setMark(0x51820);
            assertEquals(0x51820, s.mark());
            s.setReceiveBufferSize(UdpSocket.WIREGUARD_GO_BUFFER_SIZE);
            s.setSendBufferSize(UdpSocket.WIREGUARD_GO_BUFFER_SIZE);
            // root: SO_*BUFFORCE goes past rmem_max; the kernel stores twice the request
            assertEquals(2 * UdpSocket.WIREGUARD_GO_BUFFER_SIZE, s.receiveBufferSize());
            assertEquals(2 * UdpSocket.WIREGUARD_GO_BUFFER_SIZE, s.sendBufferSize());
        }
    }

    @Test
    void errorsNameTheCallAndTheErrno() throws Exception {
        try (TestNet net = TestNet.create(); NetNamespace ns = NetNamespace.open(net.addNamespace())) {
            try (UdpSocket first = bound(ns, UdpSocket.Family.IPV4, "127.0.0.1", 0)) {
                int port = first.localAddress().getPort();
                ErrnoException busy = assertThrows(ErrnoException.class, () -> bound(ns, UdpSocket.Family.IPV4, "127.0.0.1", port));
                assertEquals(Errno.EADDRINUSE, busy.errno());
                assertEquals("bind(127.0.0.1:" + port + ")", busy.call());
                assertTrue(busy.getMessage().contains("EADDRINUSE"), busy.getMessage());
            }
            // SO_MARK needs CAP_NET_ADMIN
            try (UdpSocket s = bound(ns, UdpSocket.Family.IPV4, null, 0)) {
                Object outcome = TestNet.withoutNetAdminAndRaw(() -> { s.setMark(7); return "set"; });
                ErrnoException denied = assertInstanceOf(ErrnoException.class, outcome, String.valueOf(outcome));
                assertEquals(Errno.EPERM, denied.errno());
                assertEquals("setsockopt(SO_MARK, 7)", denied.call());
                assertEquals(0, s.mark(), "mark unchanged");
            }
            // an address this namespace does not have
            ErrnoException notHere = assertThrows(ErrnoException.class, () -> bound(ns, UdpSocket.Family.IPV4, "192.0.2.77", 0));
            assertEquals(Errno.EADDRNOTAVAIL, notHere.errno());
            // options on a closed socket
            UdpSocket closed = bound(ns, UdpSocket.Family.IPV4, null, 0);
            closed.close();
            ErrnoException bad = assertThrows(ErrnoException.class, () -> closed.setMark(1));
            assertEquals(Errno.EBADF, bad.errno());
            assertTrue(bad.call().startsWith("setsockopt(SO_MARK"), bad.call());
            // data path: no exception, a negative errno
            try (Arena arena = Arena.ofConfined(); UdpSocket s = bound(ns, UdpSocket.Family.IPV4, null, 0)) {
                UdpBatch out = new UdpBatch(1, 64, arena);
                out.setLength(0, 8);
                out.setAddressIPv4(0, 0xc0000263, 9);                 // 192.0.2.99: no route in this namespace
                assertEquals(-Errno.ENETUNREACH, s.send(out, 0, 1, 0));
                out.setAddressIPv4(0, LOOPBACK, 9);
                out.setSegmentSize(0, 1);
                out.setLength(0, 64);                                 // 64 segments of 1 byte: accepted
                assertNotEquals(-Errno.EINVAL, s.sendOne(out, 0, 0));
            }
        }
    }
}
