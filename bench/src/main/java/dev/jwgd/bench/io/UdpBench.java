package dev.jwgd.bench.io;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.libc.Sockets;
import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.ffm.udp.UdpBatch;
import dev.jwgd.ffm.udp.UdpSocket;
import java.lang.foreign.Arena;
import java.net.InetAddress;
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
 * UDP datagrams of 1420 B payload from namespace A to namespace B over a veth, sent and received by
 * one thread; the score is datagrams per second (each invocation moves a burst and counts its
 * datagrams). Three ways side by side: one sendmsg/recvmsg per datagram, sendmmsg/recvmmsg of 64,
 * and one GSO send of 44 segments received as one GRO buffer. Datagrams the receiver does not see
 * within 50 ms are counted in {@code lost} and not in the score.
 *
 * <p>Root only. {@code java -jar bench/target/benchmarks.jar 'io.UdpBench' -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class UdpBench {
    static final int PAYLOAD = 1420;
    static final int BURST = 64;
    static final int GSO_SEGMENTS = 44;                // 44 * 1420 = 62480 <= 65507

    private BenchNet net;
    private Arena arena;
    private UdpSocket tx, rx, rxGro;
    private UdpBatch out, in, gsoOut, groIn;
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
        arena = Arena.ofShared();
        try (NetNamespace nsA = NetNamespace.open(a); NetNamespace nsB = NetNamespace.open(b)) {
            tx = nsA.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
            rx = nsB.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
            rxGro = nsB.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
        }
        InetAddress bAddr = InetAddress.getByName("192.0.2.2");
        int port = rx.bind(bAddr, 0);
        int groPort = rxGro.bind(bAddr, 0);
        rxGro.setGro(true);
        for (UdpSocket s : new UdpSocket[] {tx, rx, rxGro}) {
            s.setNonBlocking(true);
            s.setReceiveBufferSize(UdpSocket.WIREGUARD_GO_BUFFER_SIZE);
            s.setSendBufferSize(UdpSocket.WIREGUARD_GO_BUFFER_SIZE);
        }
        out = new UdpBatch(BURST, PAYLOAD, arena);
        in = new UdpBatch(BURST, 2048, arena);
        for (int i = 0; i < BURST; i++) {
            out.buffer(i).fill((byte) i);
            out.setLength(i, PAYLOAD);
            out.setAddressIPv4(i, 0xc0000202, port);
        }
        gsoOut = new UdpBatch(1, GSO_SEGMENTS * PAYLOAD, arena);
        gsoOut.setLength(0, GSO_SEGMENTS * PAYLOAD);
        gsoOut.setSegmentSize(0, PAYLOAD);
        gsoOut.setAddressIPv4(0, 0xc0000202, groPort);
        groIn = new UdpBatch(4, 65535, arena);
        if (gsoGro() != GSO_SEGMENTS || lost != 0) throw new IllegalStateException("GSO send did not arrive as GRO buffers");
        if (mmsgBatch() != BURST || lost != 0) throw new IllegalStateException("mmsg burst lost datagrams");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (lost > 0) System.out.println("UdpBench: " + lost + " datagrams not received within 50 ms");
        for (AutoCloseable c : new AutoCloseable[] {tx, rx, rxGro, arena}) if (c != null) c.close();
        if (net != null) net.close();
    }

    /** Receives until {@code want} datagrams (GRO buffers count their segments) or 50 ms of silence. */
    private int drain(UdpSocket s, UdpBatch b, int want, boolean mmsg) {
        int got = 0;
        while (got < want) {
            int n;
            if (mmsg) {
                n = s.receive(b, 0, Math.min(b.slots(), want - got), Sockets.MSG_DONTWAIT);
                if (n > 0) {
                    for (int i = 0; i < n; i++) {
                        int seg = b.groSegmentSize(i);
                        got += seg == 0 ? 1 : (b.length(i) + seg - 1) / seg;
                    }
                    continue;
                }
            } else {
                n = s.receiveOne(b, 0, Sockets.MSG_DONTWAIT);
                if (n >= 0) { got++; continue; }
            }
            if (n != -Errno.EAGAIN || s.awaitReadable(50) <= 0) break;
        }
        lost += want - got;
        return got;
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int onePerSyscall() {
        for (int i = 0; i < BURST; i++) tx.sendOne(out, i, 0);
        return drain(rx, in, BURST, false);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int mmsgBatch() {
        int sent = 0;
        while (sent < BURST) {
            int n = tx.send(out, sent, BURST - sent, 0);
            if (n <= 0) break;
            sent += n;
        }
        return drain(rx, in, BURST, true);
    }

    @Benchmark
    @OperationsPerInvocation(GSO_SEGMENTS)
    public int gsoGro() {
        tx.sendOne(gsoOut, 0, 0);
        return drain(rxGro, groIn, GSO_SEGMENTS, true);
    }
}
