package dev.jwgd.bench.crypto;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * ChaCha20-Poly1305 seal and open of one packet per call, per implementation and size. Bytes per operation =
 * {@code size}. Run with the jwgd JVM flags (scripts/bench-crypto.sh passes them with -jvmArgsAppend).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AeadBenchmark {
    @Param({"64", "256", "1420", "4096", "16384"})
    int size;

    @Param({"jwgd-vector", "jwgd-scalar", "jdk", "bouncycastle"})
    String impl;

    private Engine engine;

    @Setup
    public void setup() {
        engine = Engine.create(impl, size, 1);
    }

    @Benchmark
    public int seal() {
        return engine.seal();
    }

    @Benchmark
    public int open() {
        return engine.open();
    }
}
