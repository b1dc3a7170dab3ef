package dev.jwgd.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.ffm.libc.Sockets;
import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.ffm.netns.TestNet;
import dev.jwgd.ffm.udp.UdpBatch;
import dev.jwgd.ffm.udp.UdpSocket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteOrder;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link UdpSocketEnd} between two network namespaces joined by a veth (192.0.2.1/2001:db8:5::1 in A,
 * 192.0.2.2/2001:db8:5::2 in B): datagrams of one peer leave as GSO messages and arrive exactly, in
 * order and with their source, whether the receiver splits GRO buffers or not; mixed lengths and
 * IPv4/IPv6 destinations; a GRO buffer larger than the batch spans two receive calls; offload off
 * gives the same datagrams; refused GSO sends are resent one by one; rebind keeps offload; the data
 * path allocates nothing; the off-heap budget holds with many senders.
 */
class UdpSocketEndTest {
    static final int A4 = 0xc0000201;                     // 192.0.2.1
    static final int B4 = 0xc0000202;                     // 192.0.2.2
    static final long NET6_HI = 0x20010db800050000L;      // 2001:db8:5::/64
    static final int SLOT = 4096;
    static final int WIRE = 1452;                          // a 1420 B packet, padded and sealed

    /** Two namespaces and a veth between them (ffm-bindings' {@link TestNet}), removed by {@link #close}. */
    static final class Net implements AutoCloseable {
        private final TestNet net;
        final String a;
        final String b;
        final String vethA;

        Net() throws IOException {
            net = TestNet.create();
            try {
                a = net.addNamespace();
                b = net.addNamespace();
                String[] veth = net.addVeth(a, "192.0.2.1/24", b, "192.0.2.2/24");
                vethA = veth[0];
                TestNet.addAddress(a, veth[0], "2001:db8:5::1/64");
                TestNet.addAddress(b, veth[1], "2001:db8:5::2/64");
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        static boolean isRoot() throws IOException {
            return TestNet.isRoot();
        }

        /** A UdpSocketEnd made in namespace {@code ns} (its socket lives there). */
        UdpSocketEnd end(String ns, boolean offload) throws IOException {
            try (NetNamespace n = NetNamespace.open(ns)) {
                return n.call(() -> new UdpSocketEnd(0, Pipeline.BATCH, SLOT, offload));
            }
        }

        /** Runs {@code end.rebind(port)} in namespace {@code ns}: a new socket is made where the caller is. */
        void rebind(String ns, UdpSocketEnd end, int port) throws IOException {
            try (NetNamespace n = NetNamespace.open(ns)) {
                n.call(() -> {
                    end.rebind(port);
                    return null;
                });
            }
        }

        static void ip(String... args) throws IOException {
            TestNet.ip(args);
        }

        @Override
        public void close() {
            try {
                net.close();
            } catch (IOException e) {
                System.err.println("could not clean up the test namespaces: " + e.getMessage());
            }
        }
    }

    /** A received datagram, copied out of the batch. */
    record Datagram(byte[] data, boolean v6, long high, long low, int port) {
        int sequence() { return data.length < 4 ? -1 : MemorySegment.ofArray(data).get(BE_INT, 0); }
    }

    static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The bytes datagram {@code sequence} carries: its number, then a pattern that depends on it. */
    static byte[] content(int sequence, int length) {
        byte[] d = new byte[length];
        for (int j = 0; j < length; j++) d[j] = (byte) (sequence * 31 + j * 7 + 1);
        if (length >= 4) MemorySegment.ofArray(d).set(BE_INT, 0, sequence);
        return d;
    }

    /** Puts datagram {@code sequence} of {@code length} bytes for {@code to} into slot {@code i} at the send path's offset. */
    static void put(PacketBatch batch, int i, int sequence, int length, Endpoint to) {
        MemorySegment.copy(MemorySegment.ofArray(content(sequence, length)), 0, batch.slot(i), PacketBatch.HEADROOM, length);
        batch.offset[i] = PacketBatch.HEADROOM;
        batch.length[i] = length;
        batch.destination[i] = to;
    }

    static int[] identity(int n) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }

    /**
     * Receives until {@code want} datagrams arrived, then 100 ms more to catch extras; gives up after
     * 30 empty polls of 100 ms.
     */
    static List<Datagram> receive(UdpSocketEnd end, PacketBatch batch, int want) {
        List<Datagram> got = new ArrayList<>();
        int empty = 0;
        while (empty < 30) {
            int r = end.receive(batch, 100);
            if (r <= 0) {
                if (got.size() >= want) break;
                empty++;
                continue;
            }
            for (int k = 0; k < r; k++) {
                byte[] d = new byte[batch.length[k]];
                MemorySegment.copy(batch.slot(k), batch.offset[k], MemorySegment.ofArray(d), 0, d.length);
                got.add(new Datagram(d, batch.sourceV6[k], batch.sourceHigh[k], batch.sourceLow[k], batch.sourcePort[k]));
            }
        }
        return got;
    }

    static Endpoint bV4(UdpSocketEnd to) { return Endpoint.ofV4(B4, to.port()); }

    static Endpoint bV6(UdpSocketEnd to) { return Endpoint.ofV6(NET6_HI, 2, to.port()); }

    private Net net;
    private final List<UdpSocketEnd> ends = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        net = new Net();
    }

    @AfterEach
    void tearDown() {
        for (UdpSocketEnd e : ends) e.close();
        if (net != null) net.close();
    }

    private UdpSocketEnd end(String ns, boolean offload) throws IOException {
        UdpSocketEnd e = net.end(ns, offload);
        ends.add(e);
        return e;
    }

    private static void assertDatagram(Datagram d, int sequence, int length, boolean v6, long high, long low, int port, String what) {
        assertArrayEquals(content(sequence, length), d.data(), what + ": contents of datagram " + sequence);
        assertEquals(v6, d.v6(), what + ": source family");
        assertEquals(high, d.high(), what + ": source address (high)");
        assertEquals(low, d.low(), what + ": source address");
        assertEquals(port, d.port(), what + ": source port");
    }

    @ParameterizedTest(name = "receiver offload {0}")
    @ValueSource(booleans = {true, false})
    void sixtyFourEqualDatagramsToOnePeerLeaveAsTwoGsoMessagesAndArriveExactlyInOrder(boolean receiverOffload) throws Exception {
        UdpSocketEnd tx = end(net.a, true);
        UdpSocketEnd rx = end(net.b, receiverOffload);
        assertTrue(tx.gso(), "the kernel has UDP GSO: " + tx.describeOffload());
        assertEquals(receiverOffload, rx.gro(), rx.describeOffload());
        PacketBatch out = new PacketBatch(64, SLOT);
        Endpoint to = bV4(rx);
        for (int i = 0; i < 64; i++) put(out, i, i, WIRE, to);
        assertEquals(64, tx.send(out, identity(64), 64));
        assertEquals(64, tx.datagramsSent());
        assertEquals(2, tx.messagesSent(), "44 x 1452 B fit in 65000 B: two GSO messages");

        List<Datagram> got = receive(rx, new PacketBatch(64, SLOT), 64);
        assertEquals(64, got.size(), "datagrams received");
        for (int i = 0; i < 64; i++) assertDatagram(got.get(i), i, WIRE, false, 0, A4 & 0xffffffffL, tx.port(), "datagram " + i);
        if (receiverOffload) assertTrue(rx.groBuffers() >= 1, "the receiver split at least one GRO buffer");
        else assertEquals(0, rx.groBuffers(), "no GRO without offload");
        assertEquals(0, rx.receiveDropped());
    }

    @Test
    void aGroSocketSeesTheSendersSegmentSizeSoGsoReallyWasUsed() throws Exception {
        UdpSocketEnd tx = end(net.a, true);
        try (NetNamespace nsB = NetNamespace.open(net.b); Arena arena = Arena.ofConfined();
             UdpSocket plain = nsB.call(() -> {
                 UdpSocket s = UdpSocket.open(UdpSocket.Family.IPV4);
                 s.bind(InetAddress.getByName("192.0.2.2"), 0);
                 s.setGro(true);
                 return s;
             })) {
            int port = plain.localAddress().getPort();
            PacketBatch out = new PacketBatch(64, SLOT);
            for (int i = 0; i < 10; i++) put(out, i, i, 1000, Endpoint.ofV4(B4, port));
            assertEquals(10, tx.send(out, identity(10), 10));
            assertEquals(1, plain.awaitReadable(3000));
            UdpBatch in = new UdpBatch(4, 65535, arena);
            assertEquals(1, plain.receive(in, 0, 4, Sockets.MSG_DONTWAIT), "one coalesced buffer");
            assertEquals(10_000, in.length(0));
            assertEquals(1000, in.groSegmentSize(0), "UDP_GRO segment size = the datagrams' length");
            for (int i = 0; i < 10; i++) assertEquals(i, in.buffer(0).get(BE_INT, i * 1000L), "datagram " + i + " in place");
        }
    }

    /** Streams to two receivers in B, over IPv4 and IPv6, with lengths that end groups early. */
    record Plan(int[] receiver, boolean[] v6, int[] length) {
        int size() { return length.length; }
    }

    static Plan mixedPlan() {
        List<int[]> runs = List.of(
                new int[] {0, 0, WIRE, 5}, new int[] {0, 0, 100, 1}, new int[] {0, 0, WIRE, 3},
                new int[] {0, 1, WIRE, 4}, new int[] {0, 1, 1200, 1}, new int[] {1, 0, 60, 2},
                new int[] {1, 1, 700, 1}, new int[] {0, 0, WIRE, 2});
        List<int[]> rows = new ArrayList<>();
        for (int[] r : runs) for (int c = 0; c < r[3]; c++) rows.add(r);
        Plan p = new Plan(new int[rows.size()], new boolean[rows.size()], new int[rows.size()]);
        for (int i = 0; i < rows.size(); i++) {
            p.receiver()[i] = rows.get(i)[0];
            p.v6()[i] = rows.get(i)[1] == 1;
            p.length()[i] = rows.get(i)[2];
        }
        return p;
    }

    /** Sends the plan from {@code tx} and checks that each receiver got exactly its datagrams, in order, from tx. */
    static void sendAndCheck(UdpSocketEnd tx, UdpSocketEnd[] rx, Plan plan, String what) {
        int n = plan.size();
        PacketBatch out = new PacketBatch(64, SLOT);
        for (int i = 0; i < n; i++) {
            UdpSocketEnd to = rx[plan.receiver()[i]];
            put(out, i, i, plan.length()[i], plan.v6()[i] ? bV6(to) : bV4(to));
        }
        assertEquals(n, tx.send(out, identity(n), n), what + ": datagrams handed to the kernel");
        for (int r = 0; r < rx.length; r++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) if (plan.receiver()[i] == r) expected.add(i);
            List<Datagram> got = receive(rx[r], new PacketBatch(64, SLOT), expected.size());
            assertEquals(expected.size(), got.size(), what + ": datagrams at receiver " + r);
            // In order within each family; IPv4 and IPv6 may overtake each other (neighbour resolution queues).
            got.sort((x, y) -> Boolean.compare(x.v6(), y.v6()));
            expected.sort((x, y) -> Boolean.compare(plan.v6()[x], plan.v6()[y]));
            for (int j = 0; j < got.size(); j++) {
                int i = expected.get(j);
                long low = plan.v6()[i] ? 1 : A4 & 0xffffffffL;
                assertDatagram(got.get(j), i, plan.length()[i], plan.v6()[i], plan.v6()[i] ? NET6_HI : 0, low, tx.port(),
                        what + ", receiver " + r);
            }
        }
    }

    @Test
    void mixedLengthsAndIpv4AndIpv6DestinationsArriveExactlyWithOneMessagePerGroup() throws Exception {
        UdpSocketEnd tx = end(net.a, true);
        UdpSocketEnd[] rx = {end(net.b, true), end(net.b, true)};
        sendAndCheck(tx, rx, mixedPlan(), "offload on");
        // groups: 5x1452+100 | 3x1452 | 4x1452+1200 (v6) | 60+60 | 700 (v6) | 2x1452
        assertEquals(6, tx.messagesSent(), "one message per run of equal lengths to one destination");
        assertEquals(mixedPlan().size(), tx.datagramsSent());
    }

    @Test
    void offloadSwitchedOffByThePropertyGivesTheSameDatagramsOneMessageEach() throws Exception {
        String before = System.getProperty(UdpSocketEnd.OFFLOAD_PROPERTY);
        UdpSocketEnd tx;
        UdpSocketEnd[] rx;
        System.setProperty(UdpSocketEnd.OFFLOAD_PROPERTY, "false");
        try (NetNamespace a = NetNamespace.open(net.a); NetNamespace b = NetNamespace.open(net.b)) {
            tx = a.call(() -> new UdpSocketEnd(0, Pipeline.BATCH, SLOT));
            ends.add(tx);
            rx = new UdpSocketEnd[] {b.call(() -> new UdpSocketEnd(0, Pipeline.BATCH, SLOT)), b.call(() -> new UdpSocketEnd(0, Pipeline.BATCH, SLOT))};
            ends.add(rx[0]);
            ends.add(rx[1]);
        } finally {
            if (before == null) System.clearProperty(UdpSocketEnd.OFFLOAD_PROPERTY);
            else System.setProperty(UdpSocketEnd.OFFLOAD_PROPERTY, before);
        }
        assertFalse(tx.gso());
        assertFalse(rx[0].gro());
        assertTrue(tx.describeOffload().contains(UdpSocketEnd.OFFLOAD_PROPERTY + "=false"), tx.describeOffload());
        sendAndCheck(tx, rx, mixedPlan(), "offload off");
        assertEquals(tx.datagramsSent(), tx.messagesSent(), "one message per datagram");
        assertEquals(0, rx[0].groBuffers() + rx[1].groBuffers());
    }

    @Test
    void aGroBufferLargerThanTheFreeSlotsIsDeliveredCompletelyOverTwoReceiveCalls() throws Exception {
        UdpSocketEnd tx = end(net.a, true);
        UdpSocketEnd rx = end(net.b, true);
        assumeTrue(rx.gro(), "needs UDP_GRO: " + rx.describeOffload());
        PacketBatch out = new PacketBatch(64, SLOT);
        for (int i = 0; i < 40; i++) put(out, i, i, 1000, bV4(rx));
        assertEquals(40, tx.send(out, identity(40), 40));
        assertEquals(1, tx.messagesSent());
        PacketBatch in = new PacketBatch(30, SLOT);
        int first = 0;
        for (int polls = 0; first == 0 && polls < 30; polls++) first = rx.receive(in, 100);
        assertEquals(30, first, "the batch fills up in the middle of the GRO buffer");
        assertEquals(1, rx.groBuffers());
        for (int k = 0; k < 30; k++) assertEquals(k, in.slot(k).get(BE_INT, 0), "slot " + k);
        // The rest comes from what the first call already read: even with the socket closed under it.
        rx.socket().close();
        int second = rx.receive(in, 0);
        assertEquals(10, second, "the rest of the buffer, without a syscall");
        for (int k = 0; k < 10; k++) {
            byte[] d = new byte[in.length[k]];
            MemorySegment.copy(in.slot(k), in.offset[k], MemorySegment.ofArray(d), 0, d.length);
            assertArrayEquals(content(30 + k, 1000), d, "datagram " + (30 + k));
            assertEquals(A4 & 0xffffffffL, in.sourceLow[k]);
            assertEquals(tx.port(), in.sourcePort[k]);
        }
    }

    @Test
    void aGsoMessageTheKernelRefusesIsSentAgainDatagramByDatagram() throws Exception {
        UdpSocketEnd tx = end(net.a, true);
        UdpSocketEnd rx = end(net.b, true);
        // SO_NO_CHECK: the kernel refuses UDP_SEGMENT on IPv4 with EINVAL, plain datagrams go out.
        tx.socket().setIntOption(Sockets.SOL_SOCKET, 11, 1, "SO_NO_CHECK");
        PacketBatch out = new PacketBatch(64, SLOT);
        for (int i = 0; i < 64; i++) put(out, i, i, WIRE, bV4(rx));
        assertEquals(64, tx.send(out, identity(64), 64));
        assertEquals(2, tx.gsoRetries(), "both groups refused and resent");
        assertEquals(64, tx.messagesSent(), "then one message per datagram");
        assertTrue(tx.gso(), "EINVAL does not switch GSO off for good");
        List<Datagram> got = receive(rx, new PacketBatch(64, SLOT), 64);
        assertEquals(64, got.size());
        for (int i = 0; i < 64; i++) assertDatagram(got.get(i), i, WIRE, false, 0, A4 & 0xffffffffL, tx.port(), "datagram " + i);
    }

    @Test
    void segmentsLargerThanThePathMtuAreSentPlainAndArriveFragmented() throws Exception {
        Net.ip("-n", net.a, "link", "set", net.vethA, "mtu", "1280");
        UdpSocketEnd tx = end(net.a, true);
        UdpSocketEnd rx = end(net.b, true);
        PacketBatch out = new PacketBatch(64, SLOT);
        for (int i = 0; i < 20; i++) put(out, i, i, WIRE, bV4(rx));
        for (int i = 20; i < 30; i++) put(out, i, i, 1000, bV4(rx));
        assertEquals(30, tx.send(out, identity(30), 30));
        // The first 1000 B datagram ends the 1452 B group as its short last segment; that group is
        // refused (EMSGSIZE) and resent plain, the other nine 1000 B datagrams fit the MTU and stay one GSO message.
        assertEquals(1, tx.gsoRetries(), "only the 1452 B group is refused");
        assertEquals(22, tx.messagesSent(), "21 plain + 1 GSO message");
        assertTrue(tx.gso(), "a refusal for size does not switch GSO off");
        List<Datagram> got = receive(rx, new PacketBatch(64, SLOT), 30);
        assertEquals(30, got.size());
        got.sort((x, y) -> Integer.compare(x.sequence(), y.sequence()));
        for (int i = 0; i < 30; i++) assertDatagram(got.get(i), i, i < 20 ? WIRE : 1000, false, 0, A4 & 0xffffffffL, tx.port(), "datagram " + i);
    }

    @Test
    void rebindMovesToANewSocketThatStillCoalescesAndSplits() throws Exception {
        UdpSocketEnd tx = end(net.a, true);
        UdpSocketEnd rx = end(net.b, true);
        int oldPort = rx.port();
        net.rebind(net.b, rx, 0);
        assertNotEquals(oldPort, rx.port());
        assertEquals(rx.gro(), rx.socket().gro(), "the new socket has UDP_GRO too");
        net.rebind(net.a, tx, 0);
        assertTrue(tx.gso());
        PacketBatch out = new PacketBatch(64, SLOT);
        for (int i = 0; i < 20; i++) put(out, i, i, WIRE, bV6(rx));
        assertEquals(20, tx.send(out, identity(20), 20));
        assertEquals(1, tx.messagesSent());
        List<Datagram> got = receive(rx, new PacketBatch(64, SLOT), 20);
        assertEquals(20, got.size());
        for (int i = 0; i < 20; i++) assertDatagram(got.get(i), i, WIRE, true, NET6_HI, 1, tx.port(), "after rebind, datagram " + i);
        if (rx.gro()) assertEquals(1, rx.groBuffers());
    }

    @Test
    void sendingAndReceivingAllocatesNothingPerDatagramOnceWarm() throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean, "needs allocation counters");
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        UdpSocketEnd tx = end(net.a, true);
        UdpSocketEnd rx = end(net.b, true);
        PacketBatch out = new PacketBatch(64, SLOT);
        PacketBatch in = new PacketBatch(48, SLOT);           // smaller than a send: GRO buffers span receive calls
        Endpoint v4 = bV4(rx);
        // IPv6 destinations as distinct but equal objects: coalescing compares addresses, not references
        for (int i = 0; i < 64; i++) put(out, i, i, i % 16 == 15 ? 600 : WIRE, i < 40 ? v4 : bV6(rx));
        int[] indexes = identity(64);
        // Warm up so that the JIT has compiled the paths as the daemon's threads would run them. Receives
        // do not wait (timeout 0): the poll(2) behind a wait belongs to ffm-bindings.
        for (int i = 0; i < 4000; i++) round(tx, rx, out, indexes, in);
        long t0 = mx.getCurrentThreadAllocatedBytes();
        long t1 = mx.getCurrentThreadAllocatedBytes();
        long probe = t1 - t0;
        int rounds = 500;
        long received = 0;
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < rounds; i++) received += round(tx, rx, out, indexes, in);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before - probe;
        assertTrue(received > 0, "traffic flowed");
        // Per packet nothing: one object per datagram would be at least 64 x 16 B a round. Per syscall the
        // JDK's errno capture (SharedUtils.checkCaptureSegment slices the capture segment) can leave a 40 B
        // segment when C2 does not inline the downcall whole: with up to four syscalls a round (two sends, two
        // receives) that is up to 160 B a round, under 3 B a datagram. The bound is half the smallest object.
        assertTrue(allocated < (long) rounds * 64 * 8, "bytes allocated by " + rounds + " rounds of 64 datagrams: " + allocated
                + " (" + allocated / rounds + " B a round, 64 datagrams)");
    }

    /** Sends 64 datagrams and receives until nothing is left (bounded): the datagrams received. */
    private static int round(UdpSocketEnd tx, UdpSocketEnd rx, PacketBatch out, int[] indexes, PacketBatch in) {
        tx.send(out, indexes, 64);
        int got = 0;
        for (int tries = 0; got < 64 && tries < 1000; tries++) {
            int r = rx.receive(in, 0);
            if (r > 0) got += r;
        }
        return got;
    }

    @Test
    void manySendingThreadsShareAtMostEightSendBatchesWithinTheOffHeapBudget() throws Exception {
        UdpSocketEnd tx = end(net.a, true);
        UdpSocketEnd rx = end(net.b, true);
        assertTrue(tx.offHeapLimit() <= UdpSocketEnd.OFF_HEAP_BUDGET, "limit " + tx.offHeapLimit());
        int threads = 16;
        int rounds = 20;
        Endpoint to = bV4(rx);
        AtomicInteger sent = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * 1000;
            senders.add(Thread.ofPlatform().start(() -> {
                PacketBatch out = new PacketBatch(64, SLOT);
                for (int i = 0; i < 64; i++) put(out, i, base + i, 200, to);
                for (int r = 0; r < rounds; r++) sent.addAndGet(tx.send(out, identity(64), 64));
            }));
        }
        for (Thread s : senders) s.join(30_000);
        assertEquals(threads * rounds * 64, sent.get());
        assertTrue(tx.offHeapBytes() <= UdpSocketEnd.OFF_HEAP_BUDGET, "off-heap bytes " + tx.offHeapBytes());
        assertTrue(tx.offHeapBytes() <= tx.offHeapLimit());
        long got = 0;
        PacketBatch in = new PacketBatch(64, SLOT);
        for (int empty = 0; empty < 5; ) {
            int r = rx.receive(in, 100);
            if (r <= 0) empty++;
            else got += r;
        }
        assertTrue(got > 0, "datagrams arrived");
    }
}
