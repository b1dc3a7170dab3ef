package dev.jwgd.bench.io;

import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.pipeline.Endpoint;
import dev.jwgd.pipeline.PacketBatch;
import dev.jwgd.pipeline.Pipeline;
import dev.jwgd.pipeline.UdpSocketEnd;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The data path's UDP end as the pipeline drives it: {@link UdpSocketEnd#send} of a batch of 64
 * transport datagrams of 1452 B (1420 B packets, padded and sealed) to one peer in namespace B over a
 * veth, and {@link UdpSocketEnd#receive} of them there into a {@link PacketBatch}, on one thread; the
 * score is datagrams per second. {@code offload=true} sends them as GSO messages and receives GRO
 * buffers split into slots; {@code false} is one sendmmsg/recvmmsg entry per datagram. Datagrams not
 * received within 50 ms are counted in {@code lost} and not in the score.
 *
 * <p>Root only. {@code java -jar bench/target/benchmarks.jar 'io.UdpEndBench' -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class UdpEndBench {
    static final int BURST = Pipeline.BATCH;
    static final int WIRE = 1452;
    static final int SLOT = 4096;

    @Param({"true", "false"})
    public boolean offload;

    private BenchNet net;
    private UdpSocketEnd tx, rx;
    private PacketBatch out, in;
    private int[] indexes;
    public long lost;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        try {
            build();
        } catch (Exception | Error e) {
            tearDown();                                   // JMH skips @TearDown when @Setup fails
            throw e;
        }
    }

    private void build() throws Exception {
        net = new BenchNet();
        String a = net.addNamespace(), b = net.addNamespace();
        net.addVeth(a, "192.0.2.1/24", b, "192.0.2.2/24");
        try (NetNamespace nsA = NetNamespace.open(a); NetNamespace nsB = NetNamespace.open(b)) {
            tx = nsA.call(() -> new UdpSocketEnd(0, BURST, SLOT, offload));
            rx = nsB.call(() -> new UdpSocketEnd(0, BURST, SLOT, offload));
        }
        System.out.println("UdpEndBench: sender " + tx.describeOffload() + "; receiver " + rx.describeOffload());
        out = new PacketBatch(BURST, SLOT);
        in = new PacketBatch(BURST, SLOT);
        indexes = new int[BURST];
        Endpoint to = Endpoint.ofV4(0xc0000202, rx.port());
        for (int i = 0; i < BURST; i++) {
            indexes[i] = i;
            out.slot(i).asSlice(PacketBatch.HEADROOM, WIRE).fill((byte) i);
            out.offset[i] = PacketBatch.HEADROOM;
            out.length[i] = WIRE;
            out.destination[i] = to;
        }
        if (sendAndReceive() != BURST || lost != 0) throw new IllegalStateException("a burst lost datagrams");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (lost > 0) System.out.println("UdpEndBench: " + lost + " datagrams not received within 50 ms");
        if (tx != null) {
            System.out.println("UdpEndBench: sender " + tx.datagramsSent() + " datagrams in " + tx.messagesSent() + " messages");
            tx.close();
        }
        if (rx != null) {
            System.out.println("UdpEndBench: receiver split " + rx.groBuffers() + " GRO buffers");
            rx.close();
        }
        if (net != null) net.close();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int sendAndReceive() {
        tx.send(out, indexes, BURST);
        int got = 0;
        while (got < BURST) {
            int r = rx.receive(in, 50);
            if (r <= 0) break;
            got += r;
        }
        lost += BURST - got;
        return got;
    }
}
