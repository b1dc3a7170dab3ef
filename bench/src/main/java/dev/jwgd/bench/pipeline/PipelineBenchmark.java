package dev.jwgd.bench.pipeline;

import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.daemon.Log;
import dev.jwgd.device.Device;
import dev.jwgd.device.EndpointSet;
import dev.jwgd.device.Peer;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.pipeline.CryptoWorkers;
import dev.jwgd.pipeline.Endpoint;
import dev.jwgd.pipeline.MemoryNetwork;
import dev.jwgd.pipeline.MemoryTun;
import dev.jwgd.pipeline.PacketBatch;
import dev.jwgd.pipeline.Pipeline;
import dev.jwgd.pipeline.ReceivePath;
import dev.jwgd.pipeline.SendPath;
import dev.jwgd.pipeline.TunEnd;
import dev.jwgd.pipeline.UdpEnd;
import dev.jwgd.timers.Clock;
import dev.jwgd.uapi.EndpointCandidate;
import dev.jwgd.ip.IpPrefix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole data path with TUN and UDP replaced by in-memory ends: batches of {@code batch} IP packets
 * (1420 B by default) as read from a TUN go through device a's {@link SendPath} (AllowedIPs
 * lookup, counters, padding, batch seal) into device b's {@link ReceivePath} (index lookup, batch
 * open, replay window, key confirmation, roaming check, source filter) and out of b's TUN end.
 * Each invocation moves {@value #PACKETS} packets ({@code PACKETS / batch} batches), so the scores of
 * different batch sizes compare directly. {@code workers} is each path's {@link CryptoWorkers}
 * parallelism (1 = inline on the benchmark thread; 2 = one helper thread per path). Two devices
 * completed a real handshake in the setup. Run with {@code -prof gc}: the data path should show
 * ≈0 B/op, with helpers too.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar PipelineBenchmark -f 1 -wi 2 -w 1 -i 3 -r 1 -prof gc -p aead=scalar,best -p workers=1,2 \
 *   -jvmArgsAppend "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=scripts/jwgd-c2.json"
 * </pre>
 * ({@code -jvmArgsAppend} on the command line replaces the {@code @Fork} one, so it must repeat
 * the module and native-access flags.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PipelineBenchmark {
    /** Packets per invocation: a multiple of every batch size measured. */
    static final int PACKETS = 256;

    @Param({"1420"})
    int packetSize;

    @Param({"best"})
    String aead;

    /** Threads sealing (and opening) one batch, the benchmark thread included. */
    @Param({"1", "2"})
    int workers;

    /** Packets per batch (Pipeline.BATCH in the daemon). */
    @Param({"64"})
    int batch;

    private Device a;
    private Device b;
    private SendPath send;
    private ReceivePath receive;
    private MemorySegment template;
    private CountingTun tunB;
    private IntoReceiveBatch wire;
    private CryptoWorkers sealWorkers;
    private CryptoWorkers openWorkers;

    /** The receiving TUN: counts what the pipeline delivers. */
    static final class CountingTun implements TunEnd {
        long packets;
        long bytes;

        @Override
        public int read(PacketBatch batch, int timeoutMillis) {
            return 0;
        }

        @Override
        public int write(PacketBatch batch, int[] indexes, int n) {
            packets += n;
            for (int k = 0; k < n; k++) bytes += batch.length[indexes[k]];
            return n;
        }

        @Override
        public int mtu() {
            return 1420;
        }

        @Override
        public void close() {
        }
    }

    /** The wire: a's sent datagrams land in b's receive batch, from a's address. */
    static final class IntoReceiveBatch implements UdpEnd {
        final PacketBatch target;
        final Endpoint from;

        IntoReceiveBatch(PacketBatch target, Endpoint from) {
            this.target = target;
            this.from = from;
        }

        @Override
        public int receive(PacketBatch batch, int timeoutMillis) {
            return 0;
        }

        @Override
        public int send(PacketBatch batch, int[] indexes, int n) {
            int k = 0;
            for (int j = 0; j < n; j++) {
                int i = indexes[j];
                MemorySegment.copy(batch.slot(i), batch.offset[i], target.slot(k), 0, batch.length[i]);
                target.offset[k] = 0;
                target.length[k] = batch.length[i];
                target.sourceV6[k] = false;
                target.sourceHigh[k] = 0;
                target.sourceLow[k] = from.low();
                target.sourcePort[k] = from.port();
                k++;
            }
            target.count = k;
            return n;
        }

        @Override
        public int port() {
            return from.port();
        }

        @Override
        public void rebind(int port) {
        }

        @Override
        public void setFwmark(int mark) {
        }

        @Override
        public void close() {
        }
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        MemoryNetwork net = new MemoryNetwork();
        Endpoint ea = Endpoint.of(new java.net.InetSocketAddress("192.0.2.1", 51820));
        Endpoint eb = Endpoint.of(new java.net.InetSocketAddress("192.0.2.2", 51821));
        var sa = net.bind(ea, 1024);
        var sb = net.bind(eb, 1024);
        MemoryTun ta = new MemoryTun(1420, 1024);
        MemoryTun tb = new MemoryTun(1420, 1024);
        var chosen = switch (aead) {
            case "scalar" -> AeadProvider.scalar();
            case "jdk" -> AeadProvider.jdk();
            // The vector kernels without best()'s timed proof, which can pick the JDK cipher on a loaded machine.
            case "vector" -> AeadProvider.vector(AeadProvider.preferredVectorBits());
            default -> AeadProvider.best();
        };
        Log quiet = new Log("bench", Log.Level.SILENT, System.err);
        a = new Device("a", chosen, Clock.SYSTEM, sa, ta::mtu, quiet, EndpointSet.SYSTEM_RESOLVER);
        b = new Device("b", chosen, Clock.SYSTEM, sb, tb::mtu, quiet, EndpointSet.SYSTEM_RESOLVER);
        Key ka = Curve25519.generatePrivateKey();
        Key kb = Curve25519.generatePrivateKey();
        a.setPrivateKey(ka);
        b.setPrivateKey(kb);
        Peer bOnA = a.createPeer(Curve25519.publicKey(kb));
        a.setEndpoints(bOnA, List.of(EndpointCandidate.parse("192.0.2.2:51821", false)));
        a.addAllowedIp(bOnA, IpPrefix.parse("10.0.0.2/32"));
        Peer aOnB = b.createPeer(Curve25519.publicKey(ka));
        b.setEndpoints(aOnB, List.of(EndpointCandidate.parse("192.0.2.1:51820", false)));
        b.addAllowedIp(aOnB, IpPrefix.parse("10.0.0.1/32"));

        // A real handshake over the in-memory network, then both pipelines stop: the benchmark
        // drives the stages itself.
        Pipeline pa = new Pipeline(a, ta, sa, Pipeline.slotSizeFor(1420), null);
        Pipeline pb = new Pipeline(b, tb, sb, Pipeline.slotSizeFor(1420), null);
        pa.start();
        pb.start();
        template = Arena.ofAuto().allocate(packetSize);
        writeIpv4(template, packetSize);
        ta.inject(template.toArray(ValueLayout.JAVA_BYTE));
        if (tb.take(10_000) == null) throw new IllegalStateException("no handshake between the benchmark's devices");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (aOnB.session().currentKeypair() == null && System.nanoTime() < deadline) Thread.sleep(10);
        pa.close();
        pb.close();

        if (PACKETS % batch != 0) throw new IllegalArgumentException("batch must divide " + PACKETS + ", got " + batch);
        sealWorkers = new CryptoWorkers(workers, batch, CryptoWorkers.DEFAULT_MIN_PART_BYTES, "bench-seal", quiet);
        openWorkers = new CryptoWorkers(workers, batch, CryptoWorkers.DEFAULT_MIN_PART_BYTES, "bench-open", quiet);
        send = new SendPath(a, batch, Pipeline.slotSizeFor(1420), sealWorkers);
        receive = new ReceivePath(b, new dev.jwgd.pipeline.HandshakeQueue(16), batch, Pipeline.slotSizeFor(1420), openWorkers);
        wire = new IntoReceiveBatch(receive.batch(), ea);
        tunB = new CountingTun();
    }

    private static void writeIpv4(MemorySegment p, int size) {
        var be16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        var be32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < size; i++) p.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        p.set(be16, 2, (short) size);
        p.set(be32, 12, 0x0a000001);
        p.set(be32, 16, 0x0a000002);
    }

    /** What a TUN read does: one packet copied into each slot of the send batch. */
    private void fillSendBatch() {
        PacketBatch sb = send.batch();
        for (int i = 0; i < batch; i++) {
            MemorySegment.copy(template, 0, sb.slot(i), PacketBatch.HEADROOM, packetSize);
            sb.offset[i] = PacketBatch.HEADROOM;
            sb.length[i] = packetSize;
        }
        sb.count = batch;
    }

    /** Seal path only: TUN batch → lookup → counters → padding → batch seal → UDP batch. */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long seal() {
        for (int done = 0; done < PACKETS; done += batch) {
            fillSendBatch();
            send.process(wire, 1420);
        }
        return send.packetsSent;
    }

    /** Seal then open: a's send path, the wire, b's receive path, b's TUN write. */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long sealAndOpen() {
        for (int done = 0; done < PACKETS; done += batch) {
            fillSendBatch();
            send.process(wire, 1420);
            receive.process(tunB);
        }
        return tunB.packets;
    }

    @TearDown(Level.Trial)
    public void check() {
        if (tunB.packets > 0 && receive.droppedAuthentication + receive.droppedReplay + receive.droppedSourceFilter > 0) {
            throw new IllegalStateException("the benchmark dropped packets: auth " + receive.droppedAuthentication
                    + ", replay " + receive.droppedReplay + ", source " + receive.droppedSourceFilter);
        }
        sealWorkers.close();
        openWorkers.close();
        a.close();
        b.close();
    }
}
