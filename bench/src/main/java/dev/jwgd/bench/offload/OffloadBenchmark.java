package dev.jwgd.bench.offload;

import dev.jwgd.offload.InternetChecksum;
import dev.jwgd.offload.Segmenter;
import dev.jwgd.offload.TcpCoalescer;
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
 * The software offloads on one 64 KiB TCP/IPv4 super-packet (65535 bytes, gso_size 1380: 48 packets),
 * ns per super-packet: {@code split} cuts it into 2048-byte slots with full checksums (what
 * VnetTunEnd.read does after one read(2)), {@code coalesce} merges the 48 packets back, verifying each
 * TCP checksum (what VnetTunEnd.write does before one write(2)).
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector -jar bench/target/benchmarks.jar OffloadBenchmark -f 1 -wi 2 -w 1 -i 3 -r 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class OffloadBenchmark {
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int SLOT = 2048;
    private static final int GSO = 1380;

    private Arena arena;
    private MemorySegment superPacket;
    private int superLength;
    private MemorySegment slots;
    private int[] lengths;
    private int count;
    private final Segmenter segmenter = new Segmenter();
    private TcpCoalescer coalescer;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        superLength = 65535;
        superPacket = arena.allocate(superLength, 64);
        for (int i = 40; i < superLength; i++) superPacket.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
        superPacket.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        superPacket.set(BE16, 2, (short) superLength);
        superPacket.set(BE16, 6, (short) 0x4000);
        superPacket.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        superPacket.set(ValueLayout.JAVA_BYTE, 9, (byte) 6);
        superPacket.set(ValueLayout.JAVA_INT_UNALIGNED, 12, 0x0100000a);   // 10.0.0.1
        superPacket.set(ValueLayout.JAVA_INT_UNALIGNED, 16, 0x0200000a);   // 10.0.0.2
        superPacket.set(BE16, 20, (short) 40000);
        superPacket.set(BE16, 22, (short) 5201);
        superPacket.set(ValueLayout.JAVA_BYTE, 32, (byte) 0x50);
        superPacket.set(ValueLayout.JAVA_BYTE, 33, (byte) 0x10);
        superPacket.set(BE16, 34, (short) 512);
        superPacket.set(BE16, 36, (short) InternetChecksum.pseudoHeaderV4(superPacket, 0, 6, superLength - 20));
        count = segmenter.prepare(superPacket, 0, superLength, 1, 1, GSO, 20, 16);
        if (count <= 0) throw new IllegalStateException(Segmenter.reason(count));
        slots = arena.allocate((long) SLOT * count, 64);
        lengths = new int[count];
        for (int k = 0; k < count; k++) lengths[k] = segmenter.segment(k, slots, (long) k * SLOT + 16, SLOT - 48);
        coalescer = new TcpCoalescer(128, 8, 8, arena);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int split() {
        int n = segmenter.prepare(superPacket, 0, superLength, 1, 1, GSO, 20, 16);
        int sum = 0;
        for (int k = 0; k < n; k++) sum += segmenter.segment(k, slots, (long) k * SLOT + 16, SLOT - 48);
        return sum;
    }

    @Benchmark
    public int coalesce() {
        coalescer.reset();
        for (int k = 0; k < count; k++) coalescer.add(slots, (long) k * SLOT + 16, lengths[k], k);
        int outputs = coalescer.finish();
        if (outputs != 1) throw new IllegalStateException("expected one super-packet, got " + outputs);
        return coalescer.packetLength(0);
    }
}
