package dev.jwgd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.ffm.tun.TunDevice;
import dev.jwgd.ffm.uring.IoUring;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IoUringTunEnd} against a real TUN device in a namespace of its own: what the kernel routes
 * into the TUN comes out of {@code read} in batches and in order, a batch given to {@code write}
 * reaches a kernel socket, deleting the link turns a waiting read and a write into {@link TunEnd#CLOSED},
 * and with io_uring switched off the daemon's choice stays {@link TunDeviceEnd}.
 */
class IoUringTunEndTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String TUN_ADDR = "10.9.0.1";   // the TUN's own address
    private static final int PEER = 0x0a090002;           // 10.9.0.2, "behind" the TUN
    private static final int PACKETS = 48;

    private String ns;
    private TunDevice tun;
    private IoUringTunEnd end;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create namespaces and TUN devices");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "needs iproute2 (ip)");
        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.support().summary());
        ns = "uringtun" + ProcessHandle.current().pid() + "n" + SEQ.incrementAndGet();
        assertEquals(0, run("ip", "netns", "add", ns), "ip netns add " + ns);
        // No IPv6 on the TUN: router solicitations would join the traffic.
        run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        try (NetNamespace n = NetNamespace.open(ns)) {
            tun = n.call(() -> TunDevice.create("urtun0"));
        }
        assertEquals(0, run("ip", "-n", ns, "link", "set", "lo", "up"));
        assertEquals(0, run("ip", "-n", ns, "addr", "add", TUN_ADDR + "/24", "dev", "urtun0"));
        assertEquals(0, run("ip", "-n", ns, "link", "set", "urtun0", "up"));
        end = new IoUringTunEnd(new TunDeviceEnd(tun, 1420));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (end != null) end.close();
            else if (tun != null) tun.close();
        } finally {
            // Even when closing fails (a test that closed the end itself), the namespace goes.
            if (ns != null) run("ip", "netns", "del", ns);
        }
    }

    @Test
    void packetsTheKernelRoutesIntoTheTunAreReadThroughTheRingInBatchesAndInOrder() throws Exception {
        try (DatagramSocket app = socketIn(TUN_ADDR)) {
            for (int i = 0; i < PACKETS; i++) {
                byte[] p = ("to-tun #" + i).getBytes(StandardCharsets.US_ASCII);
                app.send(new DatagramPacket(p, p.length, new InetSocketAddress(InetAddress.getByName("10.9.0.2"), 9)));
            }
            PacketBatch batch = new PacketBatch(Pipeline.BATCH, 2048);
            List<String> got = new ArrayList<>();
            int largestBatch = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.size() < PACKETS && System.nanoTime() < deadline) {
                int n = end.read(batch, 200);
                assertTrue(n >= 0, "read failed: " + n + ", errno " + end.plain().closedErrno);
                assertEquals(n, batch.count);
                largestBatch = Math.max(largestBatch, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(PacketBatch.HEADROOM, batch.offset[i]);
                    ByteBuffer ip = batch.slot(i).asSlice(batch.offset[i], batch.length[i]).asByteBuffer();
                    assertEquals(0x45, ip.get(0) & 0xff, "a whole IPv4 packet per read");
                    assertEquals(17, ip.get(9), "UDP inside");
                    assertEquals(PEER, ip.getInt(16), "to 10.9.0.2");
                    got.add(text(ip, 28));
                }
            }
            assertTrue(end.readsUseIoUring(), "reads went through io_uring (" + end.fallbackReason() + ")");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < PACKETS; i++) expected.add("to-tun #" + i);
            assertEquals(expected, got, "every packet, once, in the order the kernel queued them");
            assertTrue(largestBatch > 1, "packets queued before the read come back as one batch, not one per call");
            assertEquals(0, end.read(batch, 50), "an idle TUN times out with 0");
        }
    }

    @Test
    void packetsBeyondTheCallersBatchWaitInOrderForTheNextRead() throws Exception {
        try (DatagramSocket app = socketIn(TUN_ADDR)) {
            for (int i = 0; i < PACKETS; i++) {
                byte[] p = ("queued #" + i).getBytes(StandardCharsets.US_ASCII);
                app.send(new DatagramPacket(p, p.length, new InetSocketAddress(InetAddress.getByName("10.9.0.2"), 9)));
            }
            PacketBatch small = new PacketBatch(8, 2048);   // the ring keeps 64 READs in flight
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.size() < PACKETS && System.nanoTime() < deadline) {
                int n = end.read(small, 200);
                assertTrue(n >= 0 && n <= 8, "at most the batch's capacity per read, was " + n);
                for (int i = 0; i < n; i++) got.add(text(small.slot(i).asSlice(small.offset[i], small.length[i]).asByteBuffer(), 28));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < PACKETS; i++) expected.add("queued #" + i);
            assertEquals(expected, got, "none lost or reordered across calls");
        }
    }

    @Test
    void aBatchWrittenThroughTheRingReachesAKernelSocket() throws Exception {
        try (DatagramSocket app = socketIn(TUN_ADDR)) {
            app.setSoTimeout(2000);
            PacketBatch batch = new PacketBatch(Pipeline.BATCH, 2048);
            int[] indexes = new int[PACKETS];
            // Fill every other slot so that the index list, not the slot order, decides what is written.
            for (int k = 0; k < PACKETS; k++) {
                int i = (k * 7) % Pipeline.BATCH;
                indexes[k] = i;
                batch.offset[i] = PacketBatch.HEADROOM;
                batch.length[i] = ipv4Udp(batch.slot(i), PacketBatch.HEADROOM, PEER, 9, ipv4(TUN_ADDR), app.getLocalPort(),
                        ("from-tun #" + k).getBytes(StandardCharsets.US_ASCII));
            }
            assertEquals(PACKETS, end.write(batch, indexes, PACKETS), "all written in one call");
            assertTrue(end.writesUseIoUring(), "writes went through io_uring (" + end.fallbackReason() + ")");
            List<String> got = new ArrayList<>();
            byte[] buf = new byte[2048];
            for (int k = 0; k < PACKETS; k++) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                app.receive(d);
                got.add(new String(buf, 0, d.getLength(), StandardCharsets.US_ASCII));
            }
            List<String> expected = new ArrayList<>();
            for (int k = 0; k < PACKETS; k++) expected.add("from-tun #" + k);
            assertEquals(expected, got, "the socket receives every packet of the batch, in index order");
        }
    }

    @Test
    void readingAndWritingBatchesAllocatesNothingOnceWarm() throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean, "needs allocation counters");
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PacketBatch in = new PacketBatch(Pipeline.BATCH, 2048);
        PacketBatch out = new PacketBatch(Pipeline.BATCH, 2048);
        int[] indexes = new int[Pipeline.BATCH];
        for (int i = 0; i < Pipeline.BATCH; i++) {
            indexes[i] = i;
            out.offset[i] = PacketBatch.HEADROOM;
            // To 10.9.0.254: not local and not forwarded, so the kernel drops them without answering.
            out.length[i] = ipv4Udp(out.slot(i), PacketBatch.HEADROOM, PEER, 9, 0x0a0900fe, 9, new byte[100]);
        }
        // Warm up: the rings are set up, and the JIT compiles the paths as the daemon's threads would run them.
        for (int i = 0; i < 20_000; i++) {
            assertTrue(end.read(in, 0) >= 0);
            if (i % 10 == 0) assertEquals(4, end.write(out, indexes, 4));
        }
        int packets = 448;   // within the TUN's queue of 500
        try (DatagramSocket app = socketIn(TUN_ADDR)) {
            byte[] p = new byte[100];
            DatagramPacket d = new DatagramPacket(p, p.length, new InetSocketAddress(InetAddress.getByName("10.9.0.2"), 9));
            for (int i = 0; i < packets; i++) app.send(d);
        }
        long t0 = mx.getCurrentThreadAllocatedBytes();
        long t1 = mx.getCurrentThreadAllocatedBytes();
        long probe = t1 - t0;   // what asking costs, subtracted below
        long before = mx.getCurrentThreadAllocatedBytes();
        int read = 0;
        int written = 0;
        int calls = 0;
        for (int tries = 0; (read < packets || written < 2048) && tries < 1000; tries++) {
            if (read < packets) {
                int n = end.read(in, 100);
                if (n > 0) read += n;
                calls++;
            }
            written += end.write(out, indexes, Pipeline.BATCH);
            calls++;
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before - probe;
        assertEquals(packets, read, "every packet read");
        assertEquals(2048, written, "every packet written");
        // An object per packet would be at least 16 bytes x 64 packets per call. The slack per call covers
        // a downcall that has not been JIT-compiled yet (about 40 bytes in the interpreter; 0 once warm).
        assertTrue(allocated < 64L * calls, allocated + " bytes allocated in " + calls + " calls reading " + read
                + " packets and writing " + written);
    }

    @Test
    void deletingTheLinkMakesAWaitingReadAndAWriteReportClosed() throws Exception {
        PacketBatch batch = new PacketBatch(Pipeline.BATCH, 2048);
        assertEquals(0, end.read(batch, 50), "reads are armed and time out on an idle TUN");
        assertEquals(0, run("ip", "-n", ns, "link", "del", "urtun0"));
        int r = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (r == 0 && System.nanoTime() < deadline) r = end.read(batch, 500);
        assertEquals(TunEnd.CLOSED, r, "the reads in flight fail once the device is gone");
        assertNotEquals(0, end.plain().closedErrno, "with the errno kept for the log");
        assertEquals(TunEnd.CLOSED, end.read(batch, 50), "and stay closed");

        batch.offset[0] = PacketBatch.HEADROOM;
        batch.length[0] = ipv4Udp(batch.slot(0), PacketBatch.HEADROOM, PEER, 9, ipv4(TUN_ADDR), 9, new byte[8]);
        assertEquals(TunEnd.CLOSED, end.write(batch, new int[] {0}, 1), "a write to the deleted device is CLOSED");
        int errno = end.plain().closedErrno;
        assertTrue(errno == Errno.EBADFD || errno == Errno.ENODEV || errno == Errno.EIO, "EBADFD, ENODEV or EIO, was " + errno);
    }

    @Test
    void closingTheEndCancelsTheReadsInFlightSoTheInterfaceDisappearsAtOnce() throws Exception {
        PacketBatch batch = new PacketBatch(Pipeline.BATCH, 2048);
        assertEquals(0, end.read(batch, 50), "reads are armed and in flight");
        assertEquals(0, run("ip", "-n", ns, "link", "show", "urtun0"), "the interface exists while the end is open");
        end.close();
        assertNotEquals(0, run("ip", "-n", ns, "link", "show", "urtun0"), "no READ in flight still holds the TUN file");
        assertEquals(TunEnd.CLOSED, end.read(batch, 10), "a closed end reads CLOSED");
    }

    @Test
    void closingFromAnotherThreadAfterTheReaderStoppedAlsoRemovesTheInterface() throws Exception {
        Thread reader = Thread.ofPlatform().start(() -> end.read(new PacketBatch(Pipeline.BATCH, 2048), 50));
        reader.join(5000);
        assertTrue(end.readsUseIoUring(), "the reader thread set up the read ring");
        end.close();   // as the daemon does: on its own thread, after the pipeline's threads have ended
        assertNotEquals(0, run("ip", "-n", ns, "link", "show", "urtun0"), "the reads in flight were cancelled and reaped");
    }

    @Test
    void withIoUringSwitchedOffTheDaemonKeepsPlainReadAndWrite() throws Exception {
        TunDeviceEnd plain = end.plain();
        assertSame(plain, IoUringTunEnd.choose(plain, "false", () -> true), "-Djwgd.io_uring=false: plain read/write");
        assertSame(plain, IoUringTunEnd.choose(plain, "FALSE", () -> true), "the switch ignores case");
        assertSame(plain, IoUringTunEnd.choose(plain, null, () -> false), "no io_uring on this kernel: plain read/write");
        assertInstanceOf(IoUringTunEnd.class, IoUringTunEnd.choose(plain, null, () -> true), "io_uring when the kernel offers it");
        assertInstanceOf(IoUringTunEnd.class, IoUringTunEnd.choose(plain, "true", () -> true));
        assertTrue(IoUringTunEnd.describe(plain).contains("read(2)/write(2)"));
        assertTrue(IoUringTunEnd.describe(end).contains("io_uring"));

        // The plain end still carries the traffic on its own.
        try (DatagramSocket app = socketIn(TUN_ADDR)) {
            byte[] p = "plain".getBytes(StandardCharsets.US_ASCII);
            app.send(new DatagramPacket(p, p.length, new InetSocketAddress(InetAddress.getByName("10.9.0.2"), 9)));
            PacketBatch batch = new PacketBatch(8, 2048);
            assertEquals(1, plain.read(batch, 2000));
            assertEquals("plain", text(batch.slot(0).asSlice(PacketBatch.HEADROOM, batch.length[0]).asByteBuffer(), 28));
        }
    }

    @Test
    void aReadRingUsedFromASecondThreadIsRefused() throws Exception {
        PacketBatch batch = new PacketBatch(8, 2048);
        assertEquals(0, end.read(batch, 10));
        Throwable[] failure = new Throwable[1];
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                end.read(new PacketBatch(8, 2048), 10);
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        other.join(5000);
        assertInstanceOf(IllegalStateException.class, failure[0], "one owner thread per ring");
    }

    private DatagramSocket socketIn(String address) throws Exception {
        try (NetNamespace n = NetNamespace.open(ns)) {
            return n.call(() -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0)));
        }
    }

    private static int ipv4(String dotted) throws Exception {
        return ByteBuffer.wrap(InetAddress.getByName(dotted).getAddress()).getInt();
    }

    private static String text(ByteBuffer ip, int from) {
        byte[] b = new byte[ip.limit() - from];
        ip.get(from, b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Writes an IPv4/UDP packet (UDP checksum 0: none) at {@code at}; returns its length. */
    private static int ipv4Udp(MemorySegment slot, int at, int src, int sport, int dst, int dport, byte[] payload) {
        int len = 28 + payload.length;
        ByteBuffer b = slot.asSlice(at, len).asByteBuffer();
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

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
