package dev.jwgd.bench.offload;

import dev.jwgd.offload.InternetChecksum;
import dev.jwgd.offload.Segmenter;
import dev.jwgd.offload.TcpCoalescer;
import dev.jwgd.offload.UdpCoalescer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * UDP coalescing for the TUN write, ns per batch: {@code coalesceUdp} merges 47 UDP/IPv4 datagrams of
 * 1392 bytes (a 1420-MTU tunnel's largest) into one USO super-packet, verifying each UDP checksum;
 * {@code tcpThenUdp} is what {@code VnetTunEnd.write} does with that batch (the TCP coalescer passes the
 * datagrams through, then the UDP one merges them); {@code udpPassOverTcp} is the cost the UDP pass adds to
 * a batch of 48 TCP segments (it only sees the one TCP super-packet and passes it through).
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector -jar bench/target/benchmarks.jar UdpCoalesceBenchmark -f 1 -wi 2 -w 1 -i 3 -r 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class UdpCoalesceBenchmark {
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int SLOT = 2048;
    private static final int DATAGRAM = 1392;
    private static final int TCP_GSO = 1380;

    private Arena arena;
    private MemorySegment udpSlots;
    private int[] udpLengths;
    private int udpCount;
    private MemorySegment tcpSlots;
    private int[] tcpLengths;
    private int tcpCount;
    private TcpCoalescer tcp;
    private UdpCoalescer udp;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        Segmenter segmenter = new Segmenter();
        // 47 datagrams as one USO send, cut by the Segmenter into valid datagrams.
        int udpLength = 28 + 47 * DATAGRAM;
        MemorySegment u = superPacket(udpLength, 17);
        u.set(BE16, 24, (short) (udpLength - 20));
        u.set(BE16, 26, (short) InternetChecksum.pseudoHeaderV4(u, 0, 17, udpLength - 20));
        udpCount = segmenter.prepare(u, 0, udpLength, 1, 5, DATAGRAM, 20, 6);
        if (udpCount <= 0) throw new IllegalStateException(Segmenter.reason(udpCount));
        udpSlots = arena.allocate((long) SLOT * udpCount, 64);
        udpLengths = new int[udpCount];
        for (int k = 0; k < udpCount; k++) udpLengths[k] = segmenter.segment(k, udpSlots, (long) k * SLOT + 16, SLOT - 48);
        // 48 TCP segments, as OffloadBenchmark makes them.
        MemorySegment t = superPacket(65535, 6);
        t.set(ValueLayout.JAVA_BYTE, 32, (byte) 0x50);
        t.set(ValueLayout.JAVA_BYTE, 33, (byte) 0x10);
        t.set(BE16, 34, (short) 512);
        t.set(BE16, 36, (short) InternetChecksum.pseudoHeaderV4(t, 0, 6, 65535 - 20));
        tcpCount = segmenter.prepare(t, 0, 65535, 1, 1, TCP_GSO, 20, 16);
        if (tcpCount <= 0) throw new IllegalStateException(Segmenter.reason(tcpCount));
        tcpSlots = arena.allocate((long) SLOT * tcpCount, 64);
        tcpLengths = new int[tcpCount];
        for (int k = 0; k < tcpCount; k++) tcpLengths[k] = segmenter.segment(k, tcpSlots, (long) k * SLOT + 16, SLOT - 48);
        tcp = new TcpCoalescer(128, 8, 8, arena);
        udp = new UdpCoalescer(128, 8, 8, arena);
    }

    /** An IPv4 packet 10.0.0.1:40000 to 10.0.0.2:5201 of {@code length} bytes with a patterned payload. */
    private MemorySegment superPacket(int length, int protocol) {
        MemorySegment p = arena.allocate(length, 64);
        for (int i = 40; i < length; i++) p.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        p.set(BE16, 2, (short) length);
        p.set(BE16, 6, (short) 0x4000);
        p.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        p.set(ValueLayout.JAVA_BYTE, 9, (byte) protocol);
        p.set(ValueLayout.JAVA_INT_UNALIGNED, 12, 0x0100000a);   // 10.0.0.1
        p.set(ValueLayout.JAVA_INT_UNALIGNED, 16, 0x0200000a);   // 10.0.0.2
        p.set(BE16, 20, (short) 40000);
        p.set(BE16, 22, (short) 5201);
        return p;
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int coalesceUdp() {
        udp.reset();
        for (int k = 0; k < udpCount; k++) udp.add(udpSlots, (long) k * SLOT + 16, udpLengths[k], k);
        if (udp.finish() != 1) throw new IllegalStateException("expected one super-packet, got " + udp.outputs());
        return udp.packetLength(0);
    }

    @Benchmark
    public int tcpThenUdp() {
        return chain(udpSlots, udpLengths, udpCount);
    }

    @Benchmark
    public int udpPassOverTcp() {
        return chain(tcpSlots, tcpLengths, tcpCount);
    }

    private int chain(MemorySegment slots, int[] lengths, int count) {
        tcp.reset();
        for (int k = 0; k < count; k++) tcp.add(slots, (long) k * SLOT + 16, lengths[k], k);
        int t = tcp.finish();
        udp.reset();
        for (int o = 0; o < t; o++) udp.add(tcp.packet(o), tcp.packetOffset(o), tcp.packetLength(o), o);
        if (udp.finish() != 1) throw new IllegalStateException("expected one super-packet, got " + udp.outputs());
        return udp.packetLength(0);
    }
}
