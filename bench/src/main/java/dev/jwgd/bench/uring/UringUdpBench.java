package dev.jwgd.bench.uring;

import dev.jwgd.bench.io.BenchNet;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jwgd.ffm.libc.Sockets;
import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.ffm.udp.UdpSocket;
import dev.jwgd.ffm.udp.sockaddr_in;
import dev.jwgd.ffm.uring.BufferRing;
import dev.jwgd.ffm.uring.IoUring;
import dev.jwgd.ffm.uring.io_uring_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * UDP datagrams of 1420 B payload from namespace A to namespace B over a veth through io_uring, the
 * column beside {@code io.UdpBench} (one syscall per datagram, mmsg, GSO/GRO). The score is datagrams
 * per second: each invocation prepares a burst of 64 SENDMSG SQEs, submits them with one
 * {@code io_uring_enter}, and waits until the receiver has 64 completions.
 * <ul>
 * <li>{@code sendmsgRecvmsg}: 64 RECVMSG SQEs stay armed on the receiver, each re-armed as it completes.</li>
 * <li>{@code sendmsgMultishotRecv}: one multishot RECVMSG with a provided buffer ring receives them all.</li>
 * </ul>
 * One ring, owned by the benchmark thread ({@code SINGLE_ISSUER|DEFER_TASKRUN} where supported).
 * Datagrams not completed within 50 ms of silence count in {@code lost}, not in the score.
 *
 * <p>Root only. {@code java -jar bench/target/benchmarks.jar 'uring.UringUdpBench' -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class UringUdpBench implements IoUring.CompletionHandler {
    static final int PAYLOAD = 1420;
    static final int BURST = 64;
    static final int RX_SLOT = 2048;
    static final long SEND = 1, RECV = 2, MULTI = 3;

    private BenchNet net;
    private Arena arena;
    private UdpSocket tx, rx, rxMulti;
    private IoUring ring;
    private BufferRing group;
    private MemorySegment txBuf, txIov, txMsg, rxBuf, rxIov, rxMsg, rxNames, template;
    private int sent, sendsDone, received, errors;
    private boolean multishotArmed;
    public long lost;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (!IoUring.isAvailable()) throw new IllegalStateException(IoUring.support().summary());
        net = new BenchNet();
        String a = net.addNamespace(), b = net.addNamespace();
        net.addVeth(a, "192.0.2.1/24", b, "192.0.2.2/24");
        try (NetNamespace nsA = NetNamespace.open(a); NetNamespace nsB = NetNamespace.open(b)) {
            tx = nsA.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
            rx = nsB.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
            rxMulti = nsB.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
        }
        InetAddress bAddr = InetAddress.getByName("192.0.2.2");
        int port = rx.bind(bAddr, 0);
        int multiPort = rxMulti.bind(bAddr, 0);
        for (UdpSocket s : new UdpSocket[] {tx, rx, rxMulti}) {
            s.setReceiveBufferSize(UdpSocket.WIREGUARD_GO_BUFFER_SIZE);
            s.setSendBufferSize(UdpSocket.WIREGUARD_GO_BUFFER_SIZE);
        }
        arena = Arena.ofShared();
        // sender: BURST msghdrs to rx, then BURST more to rxMulti, each with one iovec over the same payload
        MemorySegment to = arena.allocate(32, 8);
        sockaddr(to, 0, 0xc0000202, port);
        sockaddr(to, 16, 0xc0000202, multiPort);
        txBuf = arena.allocate(PAYLOAD, 64);
        txBuf.fill((byte) 0x5a);
        txIov = arena.allocate(16, 8);
        txIov.set(JAVA_LONG, 0, txBuf.address());
        txIov.set(JAVA_LONG, 8, PAYLOAD);
        txMsg = arena.allocate(56L * 2, 8);
        for (int m = 0; m < 2; m++) {
            txMsg.set(JAVA_LONG, 56L * m, to.address() + 16L * m);
            txMsg.set(JAVA_INT, 56L * m + 8, 16);
            txMsg.set(JAVA_LONG, 56L * m + 16, txIov.address());
            txMsg.set(JAVA_LONG, 56L * m + 24, 1);
        }
        rxBuf = arena.allocate((long) BURST * RX_SLOT, 64);
        rxIov = arena.allocate(16L * BURST, 8);
        rxMsg = arena.allocate(56L * BURST, 8);
        rxNames = arena.allocate(16L * BURST, 8);
        for (int i = 0; i < BURST; i++) {
            rxIov.set(JAVA_LONG, 16L * i, rxBuf.address() + (long) i * RX_SLOT);
            rxIov.set(JAVA_LONG, 16L * i + 8, RX_SLOT);
            rxMsg.set(JAVA_LONG, 56L * i, rxNames.address() + 16L * i);
            rxMsg.set(JAVA_LONG, 56L * i + 16, rxIov.address() + 16L * i);
            rxMsg.set(JAVA_LONG, 56L * i + 24, 1);
        }
        template = arena.allocate(56, 8);
        template.set(JAVA_INT, 8, 16);   // msg_namelen: the sender's address precedes the payload

        ring = IoUring.create(4 * BURST, 16 * BURST, IoUring.recommendedFlags());
        group = ring.registerBufferRing(0, 4 * BURST, RX_SLOT);
        for (int i = 0; i < BURST; i++) armRecv(i);
        armMultishot();
        ring.submit();
    }

    private static void sockaddr(MemorySegment s, long at, int addr, int port) {
        MemorySegment sa = s.asSlice(at, 16);
        sockaddr_in.sin_family(sa, (short) Sockets.AF_INET);
        sockaddr_in.sin_port(sa, port);
        sockaddr_in.sin_addr(sa, addr);
    }

    private void armRecv(int i) {
        rxMsg.set(JAVA_INT, 56L * i + 8, 16);   // msg_namelen is in/out: reset to capacity
        ring.prepRecvmsg(rx.fd(), rxMsg, 56L * i, 0, RECV << 32 | i);
    }

    private void armMultishot() {
        ring.prepRecvmsgMultishot(rxMulti.fd(), template, group.group(), 0, MULTI << 32);
        multishotArmed = true;
    }

    @Override
    public void complete(long userData, int res, int flags) {
        long kind = userData >>> 32;
        if (kind == SEND) {
            sendsDone++;
            if (res == PAYLOAD) sent++;
            else errors++;
        } else if (kind == RECV) {
            if (res > 0) received++;
            else errors++;
            armRecv((int) userData);
        } else if (kind == MULTI) {
            if (res > 0) {
                received++;
                group.recycle(BufferRing.bufferId(flags));
            } else {
                errors++;
            }
            if ((flags & io_uring_h.IORING_CQE_F_MORE) == 0) armMultishot();
        }
    }

    private int burst(int msghdr) {
        sent = 0;
        sendsDone = 0;
        received = 0;
        for (int i = 0; i < BURST; i++) ring.prepSendmsg(tx.fd(), txMsg, 56L * msghdr, 0, SEND << 32 | i);
        while (received < BURST || sendsDone < BURST) {
            int r = ring.submitAndWait(1, 50_000_000L);
            if (ring.drain(this) == 0 && r == -IoUring.ETIME) break;   // 50 ms of silence
        }
        lost += BURST - received;
        return received;
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int sendmsgRecvmsg() {
        return burst(0);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int sendmsgMultishotRecv() {
        return burst(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (lost > 0 || errors > 0) System.out.println("UringUdpBench: " + lost + " datagrams lost, " + errors + " failed completions");
        ring.close();
        tx.close();
        rx.close();
        rxMulti.close();
        arena.close();
        net.close();
    }
}
