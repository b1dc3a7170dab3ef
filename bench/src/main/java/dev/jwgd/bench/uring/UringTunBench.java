package dev.jwgd.bench.uring;

import dev.jwgd.bench.io.BenchNet;
import static dev.jwgd.ffm.tun.if_tun_h.IFF_NO_PI;
import static dev.jwgd.ffm.tun.if_tun_h.IFF_TUN;

import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.ffm.tun.TunDevice;
import dev.jwgd.ffm.udp.UdpBatch;
import dev.jwgd.ffm.udp.UdpSocket;
import dev.jwgd.ffm.uring.IoUring;
import dev.jwgd.ffm.uring.io_uring_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * 1420 B IPv4/UDP packets through a TUN device in a private namespace through io_uring, the column
 * beside {@code io.TunBench} and measured the same way; the score is packets per second.
 * <ul>
 * <li>{@code writeBatched} / {@code writeFixedBatched}: 64 WRITE (or WRITE_FIXED from a registered
 *   buffer to a registered file) SQEs per {@code io_uring_enter}; the packets go up the kernel's input
 *   path to a local socket whose receive buffer stays full.</li>
 * <li>{@code readBatched}: a UDP socket in the namespace sends a burst of 64 (sendmmsg) to an address
 *   routed into the TUN, and 64 READ SQEs kept armed on the TUN take them; the send is part of the cost,
 *   as in {@code TunBench.readOnePerSyscall}.</li>
 * </ul>
 * Root only. {@code java -jar bench/target/benchmarks.jar 'uring.UringTunBench' -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class UringTunBench implements IoUring.CompletionHandler {
    static final int PACKET = 1420;
    static final int BURST = 64;
    static final int UDP_PAYLOAD = PACKET - 28;
    static final int READ_SLOT = 2048;
    static final long WRITE = 1, READ = 2;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private BenchNet net;
    private Arena arena;
    private TunDevice tun;
    private UdpSocket sink, source;
    private MemorySegment packet, readBufs;
    private UdpBatch burst;
    private IoUring ring;
    private int written, writesDone, read, errors;
    public long lost;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (!IoUring.isAvailable()) throw new IllegalStateException(IoUring.support().summary());
        net = new BenchNet();
        String ns = net.addNamespace();
        try (NetNamespace n = NetNamespace.open(ns)) {
            tun = n.call(() -> TunDevice.open(net.name("t"), IFF_TUN | IFF_NO_PI));
            sink = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
            source = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
        }
        BenchNet.ip("-n", ns, "addr", "add", "10.92.0.1/24", "dev", tun.name());
        BenchNet.ip("-n", ns, "link", "set", tun.name(), "up");
        int sinkPort = sink.bind(null, 0);
        sink.setReceiveBufferSize(4096);   // stays full: written packets are dropped at the socket
        source.bind(null, 0);
        source.setSendBufferSize(UdpSocket.WIREGUARD_GO_BUFFER_SIZE);

        arena = Arena.ofShared();
        packet = arena.allocate(PACKET, 4096);
        ipv4Udp(packet, 0x0a5c0002, 0x0a5c0001, 5555, sinkPort, UDP_PAYLOAD);
        readBufs = arena.allocate((long) BURST * READ_SLOT, 4096);
        burst = new UdpBatch(BURST, UDP_PAYLOAD, arena);
        for (int i = 0; i < BURST; i++) {
            burst.setLength(i, UDP_PAYLOAD);
            burst.setAddressIPv4(i, 0x0a5c0002, 9);   // routed into the TUN
        }

        ring = IoUring.create(2 * BURST, 8 * BURST, IoUring.recommendedFlags());
        ring.registerFiles(tun.fd());
        ring.registerBuffers(packet);
        for (int i = 0; i < BURST; i++) armRead(i);
        ring.submit();
    }

    private void armRead(int i) {
        ring.prepRead(tun.fd(), readBufs, (long) i * READ_SLOT, READ_SLOT, READ << 32 | i);
    }

    @Override
    public void complete(long userData, int res, int flags) {
        if (userData >>> 32 == WRITE) {
            writesDone++;
            if (res == PACKET) written++;
            else errors++;
        } else {
            if (res > 0) read++;
            else errors++;
            armRead((int) userData);
        }
    }

    private int awaitWrites() {
        while (writesDone < BURST) {
            int r = ring.submitAndWait(BURST - writesDone, 50_000_000L);
            if (ring.drain(this) == 0 && r == -IoUring.ETIME) break;
        }
        return written;
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int writeBatched() {
        written = 0;
        writesDone = 0;
        for (int i = 0; i < BURST; i++) ring.prepWrite(tun.fd(), packet, 0, PACKET, WRITE << 32 | i);
        return awaitWrites();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int writeFixedBatched() {
        written = 0;
        writesDone = 0;
        for (int i = 0; i < BURST; i++) {
            ring.prepWriteFixed(0, packet, 0, PACKET, 0, WRITE << 32 | i);   // file 0 = the TUN, buffer 0 = packet
            ring.setLastFlags(io_uring_h.IOSQE_FIXED_FILE);
        }
        return awaitWrites();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int readBatched() {
        read = 0;
        int sent = 0;
        while (sent < BURST) {
            int n = source.send(burst, sent, BURST - sent, 0);
            if (n <= 0) break;
            sent += n;
        }
        while (read < sent) {
            int r = ring.submitAndWait(1, 50_000_000L);
            if (ring.drain(this) == 0 && r == -IoUring.ETIME) break;
        }
        lost += sent - read;
        return read;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (lost > 0 || errors > 0) System.out.println("UringTunBench: " + lost + " packets lost, " + errors + " failed completions");
        ring.close();
        tun.close();
        sink.close();
        source.close();
        arena.close();
        net.close();
    }

    static void ipv4Udp(MemorySegment p, int src, int dst, int sport, int dport, int payload) {
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        p.set(BE16, 2, (short) (28 + payload));
        p.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        p.set(ValueLayout.JAVA_BYTE, 9, (byte) 17);
        p.set(BE32, 12, src);
        p.set(BE32, 16, dst);
        long s = 0;
        for (int i = 0; i < 20; i += 2) s += Short.toUnsignedInt(p.get(BE16, i));
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        p.set(BE16, 10, (short) ~s);
        p.set(BE16, 20, (short) sport);
        p.set(BE16, 22, (short) dport);
        p.set(BE16, 24, (short) (8 + payload));
    }
}
