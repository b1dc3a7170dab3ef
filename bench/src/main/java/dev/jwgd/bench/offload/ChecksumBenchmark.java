package dev.jwgd.bench.offload;

import dev.jwgd.offload.InternetChecksum;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Internet checksum of one range per call (ns per call): a TCP/IP header (40 B), an MTU-sized
 * packet (1420 B) and a whole super-packet (65535 B), for the reference (two bytes per step), the
 * scalar (eight bytes per step) and the Vector API implementation. The range starts at offset 1 so
 * that no implementation gets aligned loads for free.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector -jar bench/target/benchmarks.jar ChecksumBenchmark -f 1 -wi 2 -w 1 -i 3 -r 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ChecksumBenchmark {
    @Param({"40", "1420", "65535"})
    int size;

    private Arena arena;
    private MemorySegment data;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        data = arena.allocate(size + 64, 64);
        byte[] b = new byte[size + 64];
        new SplittableRandom(1).nextBytes(b);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, data, 0, b.length);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int reference() {
        return InternetChecksum.sumReference(data, 1, size, 0);
    }

    @Benchmark
    public int scalar() {
        return InternetChecksum.sumScalar(data, 1, size, 0);
    }

    @Benchmark
    public int vector() {
        return InternetChecksum.sumVector(data, 1, size, 0);
    }

    @Benchmark
    public int chosen() {
        return InternetChecksum.sum(data, 1, size, 0);
    }
}
