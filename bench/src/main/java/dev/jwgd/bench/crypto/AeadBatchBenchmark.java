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
 * A batch of 64 packets per call ({@code sealBatch}/{@code openBatch} for jwgd; a loop of single calls for the JDK
 * and BouncyCastle, which have no batch API). Bytes per operation = 64 × {@code size}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AeadBatchBenchmark {
    public static final int PACKETS = 64;

    @Param({"1420", "64"})
    int size;

    @Param({"jwgd-vector", "jwgd-scalar", "jdk", "bouncycastle"})
    String impl;

    private Engine engine;

    @Setup
    public void setup() {
        engine = Engine.create(impl, size, PACKETS);
    }

    @Benchmark
    public int sealBatch() {
        return engine.seal();
    }

    @Benchmark
    public int openBatch() {
        return engine.open();
    }
}
