package dev.jwgd.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.ffm.tun.TunDevice;
import dev.jwgd.ffm.udp.UdpBatch;
import dev.jwgd.ffm.udp.UdpSocket;
import dev.jwgd.offload.InternetChecksum;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VnetTunEnd} against the kernel's TCP stack, in a namespace of its own. The test plays the
 * remote TCP end at packet level through the TUN (SYN-ACK, ACKs, or SYN and data), so the kernel
 * really sends TSO super-packets into the TUN and really receives our coalesced ones: a kernel socket
 * streaming to an address behind the TUN gives MTU-sized valid segments whose payload is the stream;
 * segments written through {@code write} are merged into super-packets the kernel accepts, and a kernel
 * socket reads exactly the bytes. Every packet the test crafts carries a full checksum computed with
 * {@link InternetChecksum}, which the kernel verifies.
 */
class VnetTunEndTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int LOCAL = 0x0a4d0001;   // 10.77.0.1, the TUN's address (the kernel's end)
    private static final int REMOTE = 0x0a4d0002;  // 10.77.0.2, behind the TUN (the test's end)
    private static final int MTU = 1420;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int RST = 0x04;
    /** MSS 1380, NOP, window scale 7: lets the kernel send 8 MB without waiting. */
    private static final byte[] SYN_OPTIONS = {2, 4, 0x05, 0x64, 1, 3, 3, 7};

    private String ns;
    private VnetTunEnd end;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create namespaces and TUN devices");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "needs iproute2 (ip)");
        ns = "offload" + ProcessHandle.current().pid() + "n" + SEQ.incrementAndGet();
        assertEquals(0, run("ip", "netns", "add", ns), "ip netns add " + ns);
        run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        try (NetNamespace n = NetNamespace.open(ns)) {
            end = n.call(() -> VnetTunEnd.open("vtun0", MTU));
        }
        assertEquals(0, run("ip", "-n", ns, "link", "set", "lo", "up"));
        assertEquals(0, run("ip", "-n", ns, "link", "set", "vtun0", "mtu", Integer.toString(MTU)));
        assertEquals(0, run("ip", "-n", ns, "addr", "add", "10.77.0.1/24", "dev", "vtun0"));
        assertEquals(0, run("ip", "-n", ns, "link", "set", "vtun0", "up"));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (end != null) end.close();
        } finally {
            if (ns != null) run("ip", "netns", "del", ns);
        }
    }

    @Test
    void aKernelTcpStreamIsReadAsValidMtuSizedSegmentsCarryingTheStream() throws Exception {
        kernelStreamIsReadAsSegments(4, "10.77.0.1", "10.77.0.2");
        assertTrue(end.describe().contains("IFF_VNET_HDR") && end.describe().contains("TSO4"), end.describe());
    }

    @Test
    void aKernelTcpv6StreamIsReadAsValidMtuSizedSegmentsCarryingTheStream() throws Exception {
        run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.vtun0.disable_ipv6=0");
        assertEquals(0, run("ip", "-n", ns, "-6", "addr", "add", "fd00:77::1/64", "dev", "vtun0", "nodad"));
        kernelStreamIsReadAsSegments(6, "fd00:77::1", "fd00:77::2");
    }

    /**
     * A kernel socket at {@code local} streams to {@code remote}:7777 behind the TUN; the test answers the
     * SYN and ACKs what arrived, and checks every packet {@code read} returns: its length fields, its
     * checksums, at most the MTU, and that the payloads, put at their sequence numbers, are the stream.
     */
    private void kernelStreamIsReadAsSegments(int version, String local, String remote) throws Exception {
        byte[] sent = new byte[768 * 1024];
        new SplittableRandom(7).nextBytes(sent);
        SocketChannel client;
        try (NetNamespace n = NetNamespace.open(ns)) {
            client = n.call(() -> {
                SocketChannel c = SocketChannel.open();
                c.bind(new InetSocketAddress(local, 0));
                return c;
            });
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sender = Thread.ofPlatform().daemon().start(() -> {
            try (client) {
                client.connect(new InetSocketAddress(remote, 7777));
                ByteBuffer b = ByteBuffer.wrap(sent);
                while (b.hasRemaining()) client.write(b);
                Thread.sleep(2000);    // keep the socket open until the reader has the stream
            } catch (InterruptedException e) {
                // the reader has everything
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        int iph = version == 4 ? 20 : 40;
        PacketBatch in = new PacketBatch(Pipeline.BATCH, 2048);
        PacketBatch out = new PacketBatch(4, 2048);
        byte[] received = new byte[sent.length];
        int next = 0;                  // contiguous bytes received
        int clientIsn = 0;
        int clientPort = -1;
        int ourIsn = 0x10203040;
        int largest = 0;
        long superBefore = end.superPacketsRead;
        long readBefore = end.packetsRead;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (next < sent.length && System.nanoTime() < deadline) {
            int n = end.read(in, 200);
            assertTrue(n >= 0, "read failed, errno " + end.closedErrno);
            boolean advanced = false;
            for (int i = 0; i < n; i++) {
                MemorySegment s = in.slot(i);
                long p = in.offset[i];
                int len = in.length[i];
                assertEquals(PacketBatch.HEADROOM, p);
                boolean tcp = version == 4 ? s.get(ValueLayout.JAVA_BYTE, p) == 0x45 && s.get(ValueLayout.JAVA_BYTE, p + 9) == 6
                        : (s.get(ValueLayout.JAVA_BYTE, p) & 0xf0) == 0x60 && s.get(ValueLayout.JAVA_BYTE, p + 6) == 6;
                if (!tcp || Short.toUnsignedInt(s.get(BE16, p + iph + 2)) != 7777) continue;
                assertTrue(len <= MTU, "a segment of " + len + " bytes, larger than the MTU");
                if (version == 4) {
                    assertEquals(len, Short.toUnsignedInt(s.get(BE16, p + 2)), "IPv4 total length of each segment");
                    assertEquals(0xffff, InternetChecksum.sumReference(s, p, 20, 0), "IPv4 header checksum");
                } else {
                    assertEquals(len - 40, Short.toUnsignedInt(s.get(BE16, p + 4)), "IPv6 payload length of each segment");
                }
                int pseudo = InternetChecksum.pseudoHeader(version, s, p, 6, len - iph);
                assertEquals(0xffff, InternetChecksum.sumReference(s, p + iph, len - iph, pseudo), "TCP checksum");
                int flags = s.get(ValueLayout.JAVA_BYTE, p + iph + 13) & 0xff;
                int seq = s.get(BE32, p + iph + 4);
                if ((flags & SYN) != 0) {
                    clientIsn = seq;
                    clientPort = Short.toUnsignedInt(s.get(BE16, p + iph));
                    write(out, tcp(out.slot(0), version, 7777, clientPort, ourIsn, clientIsn + 1, SYN | ACK, SYN_OPTIONS, null, 0, 0));
                    continue;
                }
                int hdr = iph + ((s.get(ValueLayout.JAVA_BYTE, p + iph + 12) >>> 4) & 0xf) * 4;
                int payload = len - hdr;
                if (payload == 0 || clientPort < 0) continue;
                largest = Math.max(largest, len);
                int at = seq - (clientIsn + 1);
                if (at < 0 || at + payload > sent.length) continue;
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, p + hdr, received, at, payload);
                if (at <= next && at + payload > next) {
                    next = at + payload;
                    advanced = true;
                }
            }
            if (advanced) {
                write(out, tcp(out.slot(0), version, 7777, clientPort, ourIsn + 1, clientIsn + 1 + next, ACK, null, null, 0, 0));
            }
        }
        sender.interrupt();
        sender.join(5000);
        assertNull(failure.get(), () -> "the kernel socket failed: " + failure.get());
        assertEquals(sent.length, next, "the whole stream arrived");
        assertArrayEquals(sent, received, "the segments' payloads are the stream");
        long supers = end.superPacketsRead - superBefore;
        assertTrue(supers > 0, "the kernel handed over TSO super-packets (" + supers + ")");
        assertTrue(end.packetsRead - readBefore > supers, "each cut into several packets");
        assertEquals(MTU, largest, "full-sized segments fill the MTU");
        assertEquals(0, end.readDrops, "nothing dropped");
    }

    @Test
    void segmentsWrittenThroughTheEndAreCoalescedAndTheKernelSocketReadsExactlyTheBytes() throws Exception {
        coalescedSegmentsReachAKernelSocket(4, "10.77.0.1");
    }

    @Test
    void tcpv6SegmentsAreCoalescedAndTheKernelSocketReadsExactlyTheBytes() throws Exception {
        run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.vtun0.disable_ipv6=0");
        assertEquals(0, run("ip", "-n", ns, "-6", "addr", "add", "fd00:77::1/64", "dev", "vtun0", "nodad"));
        coalescedSegmentsReachAKernelSocket(6, "fd00:77::1");
    }

    /**
     * Plays a TCP client from behind the TUN: SYN, reads the kernel's SYN-ACK, ACK, then a batch of data
     * segments through {@code write}, which must go as one super-packet; the kernel's socket must read them.
     */
    private void coalescedSegmentsReachAKernelSocket(int version, String local) throws Exception {
        ServerSocketChannel server;
        try (NetNamespace n = NetNamespace.open(ns)) {
            server = n.call(() -> ServerSocketChannel.open().bind(new InetSocketAddress(local, 7778)));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicInteger expected = new AtomicInteger(Integer.MAX_VALUE);
        Thread receiver = Thread.ofPlatform().daemon().start(() -> {
            try (server; SocketChannel c = server.accept()) {
                ByteBuffer b = ByteBuffer.allocate(65536);
                while (got.size() < expected.get()) {
                    b.clear();
                    int r = c.read(b);
                    if (r < 0) break;
                    synchronized (got) {
                        got.write(b.array(), 0, r);
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        PacketBatch out = new PacketBatch(64, 2048);
        PacketBatch in = new PacketBatch(Pipeline.BATCH, 2048);
        int isn = 0x7000_0000;
        int iph = version == 4 ? 20 : 40;
        write(out, tcp(out.slot(0), version, 4242, 7778, isn, 0, SYN, SYN_OPTIONS, null, 0, 0));
        int serverIsn = 0;
        int window = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (window < 0 && System.nanoTime() < deadline) {
            int n = end.read(in, 200);
            assertTrue(n >= 0);
            for (int i = 0; i < n; i++) {
                MemorySegment s = in.slot(i);
                long p = in.offset[i];
                boolean tcp = version == 4 ? s.get(ValueLayout.JAVA_BYTE, p) == 0x45 && s.get(ValueLayout.JAVA_BYTE, p + 9) == 6
                        : (s.get(ValueLayout.JAVA_BYTE, p) & 0xf0) == 0x60 && s.get(ValueLayout.JAVA_BYTE, p + 6) == 6;
                if (tcp && Short.toUnsignedInt(s.get(BE16, p + iph)) == 7778
                        && (s.get(ValueLayout.JAVA_BYTE, p + iph + 13) & (SYN | ACK)) == (SYN | ACK)) {
                    serverIsn = s.get(BE32, p + iph + 4);
                    window = Short.toUnsignedInt(s.get(BE16, p + iph + 14));
                }
            }
        }
        assertTrue(window >= 20_000, "the kernel answered the SYN with a usable window: " + window);
        write(out, tcp(out.slot(0), version, 4242, 7778, isn + 1, serverIsn + 1, ACK, null, null, 0, 0));

        int segment = 1000;
        int count = Math.min(60, window / segment);
        byte[] data = new byte[count * segment];
        new SplittableRandom(11).nextBytes(data);
        expected.set(data.length);
        int[] indexes = new int[count];
        for (int k = 0; k < count; k++) {
            indexes[k] = k;
            out.offset[k] = PacketBatch.HEADROOM;
            out.length[k] = tcp(out.slot(k), version, 4242, 7778, isn + 1 + k * segment, serverIsn + 1, k == count - 1 ? ACK | PSH : ACK,
                    null, data, k * segment, segment);
        }
        long superBefore = end.superPacketsWritten;
        assertEquals(count, end.write(out, indexes, count), "every segment accepted");
        assertEquals(1, end.superPacketsWritten - superBefore, "the " + count + " segments went as one super-packet");
        assertEquals(0, end.writeDrops);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            synchronized (got) {
                if (got.size() >= data.length) break;
            }
            end.read(in, 50);    // drain the kernel's ACKs
        }
        // Reset the connection so the receiver's read ends even if bytes are missing.
        write(out, tcp(out.slot(0), version, 4242, 7778, isn + 1 + data.length, serverIsn + 1, RST | ACK, null, null, 0, 0));
        receiver.join(5000);
        synchronized (got) {
            assertArrayEquals(data, got.toByteArray(), "the kernel socket read the exact bytes, in order");
        }
        assertTrue(failure.get() == null || got.size() == data.length, () -> "receiver failed: " + failure.get());
    }

    @Test
    void udpDatagramsWrittenThroughTheEndGoAsOneUsoSuperPacketAndAKernelSocketReceivesExactlyThem() throws Exception {
        coalescedDatagramsReachAKernelSocket(4, "10.77.0.1");
    }

    @Test
    void udpv6DatagramsWrittenThroughTheEndGoAsOneUsoSuperPacketAndAKernelSocketReceivesExactlyThem() throws Exception {
        run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.vtun0.disable_ipv6=0");
        assertEquals(0, run("ip", "-n", ns, "-6", "addr", "add", "fd00:77::1/64", "dev", "vtun0", "nodad"));
        coalescedDatagramsReachAKernelSocket(6, "fd00:77::1");
    }

    /**
     * Writes 40 datagrams of 1000 bytes and one of 333 from behind the TUN to a kernel UDP socket at
     * {@code local}:7779 through {@code write}: they must go as one USO super-packet, and the socket must
     * receive exactly those datagrams, each with its own bytes, in order, and nothing more.
     */
    private void coalescedDatagramsReachAKernelSocket(int version, String local) throws Exception {
        assumeTrue(end.offloads() == TunDevice.OFFLOAD_TCP_UDP, "kernel without TUN USO (6.2+)");
        assertTrue(end.describe().contains("TCP and UDP coalescing"), end.describe());
        DatagramChannel rx;
        try (NetNamespace n = NetNamespace.open(ns)) {
            rx = n.call(() -> DatagramChannel.open(version == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)
                    .bind(new InetSocketAddress(local, 7779)));
        }
        try (rx) {
            rx.configureBlocking(false);
            int count = 41;
            int[] sizes = new int[count];
            byte[][] datagrams = new byte[count][];
            SplittableRandom random = new SplittableRandom(13 + version);
            PacketBatch out = new PacketBatch(64, 2048);
            int[] indexes = new int[count];
            for (int k = 0; k < count; k++) {
                sizes[k] = k == count - 1 ? 333 : 1000;
                datagrams[k] = new byte[sizes[k]];
                random.nextBytes(datagrams[k]);
                indexes[k] = k;
                out.offset[k] = PacketBatch.HEADROOM;
                out.length[k] = udp(out.slot(k), version, 5555, 7779, k, datagrams[k]);
            }
            long superBefore = end.superPacketsWritten;
            long udpSuperBefore = end.udpSuperPacketsWritten;
            long written = end.packetsWritten;
            assertEquals(count, end.write(out, indexes, count), "every datagram accepted");
            assertEquals(1, end.superPacketsWritten - superBefore, "the " + count + " datagrams went as one super-packet");
            assertEquals(1, end.udpSuperPacketsWritten - udpSuperBefore, "a UDP one");
            assertEquals(count, end.packetsWritten - written, "counted as its datagrams");
            assertEquals(0, end.writeDrops);

            ByteBuffer b = ByteBuffer.allocate(65536);
            int got = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got < count && System.nanoTime() < deadline) {
                b.clear();
                if (rx.receive(b) == null) {
                    Thread.sleep(5);
                    continue;
                }
                b.flip();
                byte[] d = new byte[b.remaining()];
                b.get(d);
                assertArrayEquals(datagrams[got], d, "datagram " + got + ": its own bytes, in its place");
                got++;
            }
            assertEquals(count, got, "the socket received every datagram");
            Thread.sleep(200);
            b.clear();
            assertNull(rx.receive(b), "and nothing more");
        }
    }

    @Test
    void aDatagramArrivesWithItsChecksumFinishedAndAUdpGsoSendIsCutIntoDatagrams() throws Exception {
        assumeTrue(end.offloads() == TunDevice.OFFLOAD_TCP_UDP, "kernel without TUN USO (6.2+)");
        UdpSocket tx;
        try (NetNamespace n = NetNamespace.open(ns)) {
            tx = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
        }
        try (tx; Arena arena = Arena.ofConfined()) {
            UdpBatch b = new UdpBatch(1, 3000, arena);
            for (int i = 0; i < 3000; i++) b.buffer(0).set(ValueLayout.JAVA_BYTE, i, (byte) (i / 1000 + 1));
            b.setAddressIPv4(0, REMOTE, 9);
            b.setLength(0, 300);
            b.setSegmentSize(0, 0);
            assertEquals(300, tx.sendOne(b, 0, 0));
            b.setLength(0, 3000);
            b.setSegmentSize(0, 1000);
            assertEquals(3000, tx.sendOne(b, 0, 0));
            PacketBatch in = new PacketBatch(8, 2048);
            int[] lengths = new int[4];
            int got = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got < 4 && System.nanoTime() < deadline) {
                int n = end.read(in, 200);
                for (int i = 0; i < n && got < 4; i++) {
                    MemorySegment s = in.slot(i);
                    long p = in.offset[i];
                    if (s.get(ValueLayout.JAVA_BYTE, p + 9) != 17 || Short.toUnsignedInt(s.get(BE16, p + 22)) != 9) continue;
                    int len = in.length[i];
                    int pseudo = InternetChecksum.pseudoHeaderV4(s, p, 17, len - 20);
                    assertNotEquals(0, s.get(BE16, p + 26), "a UDP checksum is filled in");
                    assertEquals(0xffff, InternetChecksum.sumReference(s, p + 20, len - 20, pseudo), "UDP checksum of datagram " + got);
                    assertEquals(len - 20, Short.toUnsignedInt(s.get(BE16, p + 24)), "UDP length");
                    if (got > 0) assertEquals(got, s.get(ValueLayout.JAVA_BYTE, p + 28), "datagram " + got + "'s own bytes");
                    lengths[got++] = len - 28;
                }
            }
            assertArrayEquals(new int[] {300, 1000, 1000, 1000}, lengths, "one datagram, then the GSO send as three");
            assertTrue(end.superPacketsRead >= 1);
        }
    }

    @Test
    void aSuperPacketLargerThanTheBatchContinuesOnTheNextReadInOrder() throws Exception {
        assumeTrue(end.offloads() == TunDevice.OFFLOAD_TCP_UDP, "kernel without TUN USO (6.2+)");
        UdpSocket tx;
        try (NetNamespace n = NetNamespace.open(ns)) {
            tx = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
        }
        try (tx; Arena arena = Arena.ofConfined()) {
            UdpBatch b = new UdpBatch(1, 1000, arena);
            for (int i = 0; i < 1000; i++) b.buffer(0).set(ValueLayout.JAVA_BYTE, i, (byte) (i / 100));
            b.setAddressIPv4(0, REMOTE, 9);
            b.setLength(0, 1000);
            b.setSegmentSize(0, 100);
            assertEquals(1000, tx.sendOne(b, 0, 0));
            PacketBatch small = new PacketBatch(4, 2048);
            int[] counts = new int[3];
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int call = 0; call < 3 && System.nanoTime() < deadline; ) {
                int n = end.read(small, 200);
                if (n == 0) continue;
                counts[call++] = n;
                for (int i = 0; i < n; i++) {
                    MemorySegment s = small.slot(i);
                    assertEquals(17, s.get(ValueLayout.JAVA_BYTE, PacketBatch.HEADROOM + 9));
                    assertEquals(128, small.length[i], "20 + 8 + 100");
                    assertEquals(seen, s.get(ValueLayout.JAVA_BYTE, PacketBatch.HEADROOM + 28), "datagram " + seen + " in its place");
                    seen++;
                }
            }
            assertArrayEquals(new int[] {4, 4, 2}, counts, "the ten datagrams of one super-packet over three reads");
            assertEquals(1, end.superPacketsRead);
        }
    }

    @Test
    void readingAndWritingSuperPacketsAllocatesNothingOnceWarm() throws Exception {
        assumeTrue(end.offloads() == TunDevice.OFFLOAD_TCP_UDP, "kernel without TUN USO (6.2+)");
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean, "needs allocation counters");
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        UdpSocket tx;
        try (NetNamespace n = NetNamespace.open(ns)) {
            tx = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
        }
        try (tx; Arena arena = Arena.ofConfined()) {
            UdpBatch gso = new UdpBatch(1, 3000, arena);
            gso.setAddressIPv4(0, REMOTE, 9);
            gso.setLength(0, 3000);
            gso.setSegmentSize(0, 1000);
            PacketBatch in = new PacketBatch(Pipeline.BATCH, 2048);
            PacketBatch out = new PacketBatch(64, 2048);
            PacketBatch outUdp = new PacketBatch(64, 2048);
            int[] indexes = new int[64];
            byte[] data = new byte[64 * 1000];
            byte[] datagram = new byte[1000];
            for (int k = 0; k < 64; k++) {
                indexes[k] = k;
                out.offset[k] = PacketBatch.HEADROOM;
                // To 10.77.0.254: not local and not forwarded, so the kernel drops the super-packets quietly.
                out.length[k] = tcp(out.slot(k), 5000, 9, 1000 * k, 1, ACK, null, data, k * 1000, 1000);
                out.slot(k).set(BE32, PacketBatch.HEADROOM + 16, 0x0a4d00fe);
                out.slot(k).set(BE16, PacketBatch.HEADROOM + 10, (short) 0);
                out.slot(k).set(BE16, PacketBatch.HEADROOM + 10, (short) InternetChecksum.checksum(out.slot(k), PacketBatch.HEADROOM, 20, 0));
                int pseudo = InternetChecksum.pseudoHeaderV4(out.slot(k), PacketBatch.HEADROOM, 6, out.length[k] - 20);
                out.slot(k).set(BE16, PacketBatch.HEADROOM + 36, (short) 0);
                out.slot(k).set(BE16, PacketBatch.HEADROOM + 36,
                        (short) InternetChecksum.checksum(out.slot(k), PacketBatch.HEADROOM + 20, out.length[k] - 20, pseudo));
                outUdp.offset[k] = PacketBatch.HEADROOM;
                outUdp.length[k] = udp(outUdp.slot(k), 4, 5000, 9, k, datagram, 0x0a4d00fe);
            }
            // Warm up: the JIT compiles the paths (and the downcalls) as the daemon's threads would run them.
            for (int i = 0; i < 20_000; i++) {
                if (i % 10 == 0) tx.sendOne(gso, 0, 0);
                assertTrue(end.read(in, 0) >= 0);
                if (i % 10 == 0) assertEquals(64, end.write(out, indexes, 64));
                if (i % 10 == 0) assertEquals(64, end.write(outUdp, indexes, 64));
            }
            assertTrue(end.superPacketsWritten >= 2000, "the writes were coalesced: " + end.superPacketsWritten);
            assertTrue(end.udpSuperPacketsWritten >= 1000, "the UDP writes too: " + end.udpSuperPacketsWritten);
            assertTrue(end.superPacketsRead > 0, "the reads were super-packets: " + end.superPacketsRead);
            // Measure rounds until one shows the steady state: the JIT may compile the idle and busy paths late.
            int sends = 100;
            long allocated = Long.MAX_VALUE;
            int calls = 0;
            for (int round = 0; round < 40 && allocated >= 64L * calls; round++) {
                for (int i = 0; i < sends; i++) assertEquals(3000, tx.sendOne(gso, 0, 0));
                long t0 = mx.getCurrentThreadAllocatedBytes();
                long probe = mx.getCurrentThreadAllocatedBytes() - t0;   // what asking costs, subtracted below
                long readBefore = end.packetsRead;
                long before = mx.getCurrentThreadAllocatedBytes();
                calls = 0;
                for (int tries = 0; end.packetsRead - readBefore < 3L * sends && tries < 1000; tries++) {
                    end.read(in, 100);
                    calls++;
                }
                for (int i = 0; i < 50; i++) {
                    end.write(out, indexes, 64);
                    end.write(outUdp, indexes, 64);
                    calls += 2;
                }
                allocated = mx.getCurrentThreadAllocatedBytes() - before - probe;
                assertEquals(3L * sends, end.packetsRead - readBefore, "every datagram cut from the super-packets");
                for (int i = 0; i < 5000; i++) end.read(in, 0);        // more warm-up of the idle path
            }
            // An object per packet would be at least 16 bytes x 64 packets per call.
            assertTrue(allocated < 64L * calls, allocated + " bytes allocated in " + calls + " calls");
        }
    }

    @Test
    void deletingTheLinkMakesReadAndWriteReportClosed() throws Exception {
        PacketBatch batch = new PacketBatch(8, 2048);
        assertEquals(0, end.read(batch, 50), "an idle TUN times out with 0");
        assertEquals(0, run("ip", "-n", ns, "link", "del", "vtun0"));
        int r = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (r == 0 && System.nanoTime() < deadline) r = end.read(batch, 200);
        assertEquals(TunEnd.CLOSED, r);
        assertNotEquals(0, end.closedErrno);
        batch.offset[0] = PacketBatch.HEADROOM;
        batch.length[0] = tcp(batch.slot(0), 1, 2, 0, 0, ACK, null, null, 0, 0);
        assertEquals(TunEnd.CLOSED, end.write(batch, new int[] {0}, 1));
    }

    @Test
    void aQueueOpenedWithoutVnetHeadersIsRefused() throws Exception {
        TunDevice plain;
        try (NetNamespace n = NetNamespace.open(ns)) {
            plain = n.call(() -> TunDevice.create("plain0"));
        }
        try (plain) {
            assertThrows(IllegalArgumentException.class, () -> new VnetTunEnd(plain, MTU));
        }
    }

    private void write(PacketBatch out, int len) {
        out.offset[0] = PacketBatch.HEADROOM;
        out.length[0] = len;
        assertEquals(1, end.write(out, new int[] {0}, 1), "the kernel took the packet");
    }

    /** {@link #tcp(MemorySegment, int, int, int, int, int, int, byte[], byte[], int, int)} over IPv4. */
    private static int tcp(MemorySegment slot, int sport, int dport, int seq, int ack, int flags, byte[] options, byte[] data, int from,
            int size) {
        return tcp(slot, 4, sport, dport, seq, ack, flags, options, data, from, size);
    }

    /**
     * Writes a TCP packet from REMOTE:sport to LOCAL:dport (IPv4: 10.77.0.2 to 10.77.0.1; IPv6: fd00:77::2
     * to fd00:77::1) at HEADROOM of {@code slot}, with full IP and TCP checksums; returns its length.
     */
    private static int tcp(MemorySegment slot, int version, int sport, int dport, int seq, int ack, int flags, byte[] options, byte[] data,
            int from, int size) {
        long p = PacketBatch.HEADROOM;
        int iph = version == 4 ? 20 : 40;
        int opt = options == null ? 0 : options.length;
        int len = iph + 20 + opt + size;
        slot.asSlice(p, iph + 20 + opt).fill((byte) 0);
        if (version == 4) {
            slot.set(ValueLayout.JAVA_BYTE, p, (byte) 0x45);
            slot.set(BE16, p + 2, (short) len);
            slot.set(BE16, p + 6, (short) 0x4000);
            slot.set(ValueLayout.JAVA_BYTE, p + 8, (byte) 64);
            slot.set(ValueLayout.JAVA_BYTE, p + 9, (byte) 6);
            slot.set(BE32, p + 12, REMOTE);
            slot.set(BE32, p + 16, LOCAL);
            slot.set(BE16, p + 10, (short) InternetChecksum.checksum(slot, p, 20, 0));
        } else {
            slot.set(BE32, p, 0x60000000);
            slot.set(BE16, p + 4, (short) (len - 40));
            slot.set(ValueLayout.JAVA_BYTE, p + 6, (byte) 6);
            slot.set(ValueLayout.JAVA_BYTE, p + 7, (byte) 64);
            slot.set(BE32, p + 8, 0xfd000077);
            slot.set(BE32, p + 20, 2);
            slot.set(BE32, p + 24, 0xfd000077);
            slot.set(BE32, p + 36, 1);
        }
        long t = p + iph;
        slot.set(BE16, t, (short) sport);
        slot.set(BE16, t + 2, (short) dport);
        slot.set(BE32, t + 4, seq);
        slot.set(BE32, t + 8, ack);
        slot.set(ValueLayout.JAVA_BYTE, t + 12, (byte) (((20 + opt) / 4) << 4));
        slot.set(ValueLayout.JAVA_BYTE, t + 13, (byte) flags);
        slot.set(BE16, t + 14, (short) 0xffff);
        if (opt > 0) MemorySegment.copy(MemorySegment.ofArray(options), 0, slot, t + 20, opt);
        if (size > 0) MemorySegment.copy(MemorySegment.ofArray(data), from, slot, t + 20 + opt, size);
        int pseudo = InternetChecksum.pseudoHeader(version, slot, p, 6, len - iph);
        slot.set(BE16, t + 16, (short) InternetChecksum.checksum(slot, t, len - iph, pseudo));
        return len;
    }

    /**
     * Writes a UDP datagram from REMOTE:sport to LOCAL:dport (IPv4 or IPv6 as in {@link #tcp}) carrying
     * {@code data} at HEADROOM of {@code slot}, with IPv4 id {@code id} and full IP and UDP checksums;
     * returns its length.
     */
    private static int udp(MemorySegment slot, int version, int sport, int dport, int id, byte[] data) {
        return udp(slot, version, sport, dport, id, data, LOCAL);
    }

    /** {@link #udp(MemorySegment, int, int, int, int, byte[])} to the IPv4 address {@code to} (IPv4 only). */
    private static int udp(MemorySegment slot, int version, int sport, int dport, int id, byte[] data, int to) {
        long p = PacketBatch.HEADROOM;
        int iph = version == 4 ? 20 : 40;
        int len = iph + 8 + data.length;
        slot.asSlice(p, iph + 8).fill((byte) 0);
        if (version == 4) {
            slot.set(ValueLayout.JAVA_BYTE, p, (byte) 0x45);
            slot.set(BE16, p + 2, (short) len);
            slot.set(BE16, p + 4, (short) id);
            slot.set(BE16, p + 6, (short) 0x4000);
            slot.set(ValueLayout.JAVA_BYTE, p + 8, (byte) 64);
            slot.set(ValueLayout.JAVA_BYTE, p + 9, (byte) 17);
            slot.set(BE32, p + 12, REMOTE);
            slot.set(BE32, p + 16, to);
            slot.set(BE16, p + 10, (short) InternetChecksum.checksum(slot, p, 20, 0));
        } else {
            slot.set(BE32, p, 0x60000000);
            slot.set(BE16, p + 4, (short) (len - 40));
            slot.set(ValueLayout.JAVA_BYTE, p + 6, (byte) 17);
            slot.set(ValueLayout.JAVA_BYTE, p + 7, (byte) 64);
            slot.set(BE32, p + 8, 0xfd000077);
            slot.set(BE32, p + 20, 2);
            slot.set(BE32, p + 24, 0xfd000077);
            slot.set(BE32, p + 36, 1);
        }
        long u = p + iph;
        slot.set(BE16, u, (short) sport);
        slot.set(BE16, u + 2, (short) dport);
        slot.set(BE16, u + 4, (short) (len - iph));
        MemorySegment.copy(MemorySegment.ofArray(data), 0, slot, u + 8, data.length);
        int pseudo = InternetChecksum.pseudoHeader(version, slot, p, 17, len - iph);
        int c = InternetChecksum.checksum(slot, u, len - iph, pseudo);
        slot.set(BE16, u + 6, (short) (c == 0 ? 0xffff : c));
        return len;
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
