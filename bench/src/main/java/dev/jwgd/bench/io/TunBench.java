package dev.jwgd.bench.io;

import static dev.jwgd.ffm.tun.if_tun_h.*;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.ffm.tun.TunDevice;
import dev.jwgd.ffm.tun.virtio_net_hdr;
import dev.jwgd.ffm.udp.UdpBatch;
import dev.jwgd.ffm.udp.UdpSocket;
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
 * 1420 B IPv4/UDP packets through TUN devices in a private namespace; the score is packets per second.
 * <ul>
 * <li>write: packets written into the TUN go up the kernel's IP/UDP input to a local socket whose
 *   receive buffer is full (the kernel's cost of taking a packet in); one write(2) per packet, or one
 *   write of a 44-segment UDP_L4 superpacket behind a virtio_net_hdr (the kernel segments it).</li>
 * <li>read: a UDP socket in the namespace sends a burst to an address routed into the TUN, and the
 *   benchmark reads it back: 64 datagrams by sendmmsg then one read(2) each, or one 44-segment GSO
 *   send read back as one superpacket (IFF_VNET_HDR with USO offload). The send is part of the cost.</li>
 * </ul>
 * Root only. {@code java -jar bench/target/benchmarks.jar 'io.TunBench' -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class TunBench {
    static final int PACKET = 1420;                   // IP packet size, WireGuard's default MTU
    static final int BURST = 64;
    static final int SEGMENTS = 44;
    static final int UDP_PAYLOAD = PACKET - 28;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private BenchNet net;
    private Arena arena;
    private TunDevice plain, vnet;
    private UdpSocket sink, source;
    private MemorySegment packet, superPacket, readBuf;
    private UdpBatch burst, gso;
    private int superLength;
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
        String ns = net.addNamespace();
        try (NetNamespace n = NetNamespace.open(ns)) {
            plain = n.call(() -> TunDevice.open(net.name("p"), IFF_TUN | IFF_NO_PI));
            vnet = n.call(() -> TunDevice.open(net.name("v"), IFF_TUN | IFF_NO_PI | IFF_VNET_HDR));
            sink = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
            source = n.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
        }
        if (vnet.enableOffloads() != TunDevice.OFFLOAD_TCP_UDP) throw new IllegalStateException("kernel without TUN USO offload");
        BenchNet.ip("-n", ns, "addr", "add", "10.90.0.1/24", "dev", plain.name());
        BenchNet.ip("-n", ns, "addr", "add", "10.91.0.1/24", "dev", vnet.name());
        BenchNet.ip("-n", ns, "link", "set", plain.name(), "up");
        BenchNet.ip("-n", ns, "link", "set", vnet.name(), "up");
        plain.setNonBlocking(true);
        vnet.setNonBlocking(true);
        int sinkPort = sink.bind(null, 0);
        sink.setReceiveBufferSize(4096);                 // stays full: written packets are dropped at the socket
        source.bind(null, 0);
        source.setSendBufferSize(UdpSocket.WIREGUARD_GO_BUFFER_SIZE);

        arena = Arena.ofShared();
        packet = arena.allocate(PACKET, 64);
        ipv4Udp(packet, 0x0a5a0002, 0x0a5a0001, 5555, sinkPort, UDP_PAYLOAD, 0);
        // 10-byte vnet header + one IPv4/UDP header + 44 * 1392 payload bytes, partial checksum as the kernel expects
        int payload = SEGMENTS * UDP_PAYLOAD;
        superLength = 10 + 28 + payload;
        superPacket = arena.allocate(superLength, 64);
        virtio_net_hdr.flags(superPacket, 0, VIRTIO_NET_HDR_F_NEEDS_CSUM);
        virtio_net_hdr.gso_type(superPacket, 0, VIRTIO_NET_HDR_GSO_UDP_L4);
        virtio_net_hdr.hdr_len(superPacket, 0, 28);
        virtio_net_hdr.gso_size(superPacket, 0, UDP_PAYLOAD);
        virtio_net_hdr.csum_start(superPacket, 0, 20);
        virtio_net_hdr.csum_offset(superPacket, 0, 6);
        MemorySegment ip = superPacket.asSlice(10);
        ipv4Udp(ip, 0x0a5b0002, 0x0a5b0001, 5555, sinkPort, payload, 0);
        // UDP checksum field = folded, non-complemented pseudo-header sum over the whole L4 length
        long pseudo = 0x0a5b + 0x0002 + 0x0a5b + 0x0001 + 17 + 8 + payload;
        ip.set(BE16, 26, (short) fold(pseudo));
        readBuf = arena.allocate(10 + 65535, 64);

        burst = new UdpBatch(BURST, UDP_PAYLOAD, arena);
        for (int i = 0; i < BURST; i++) {
            burst.setLength(i, UDP_PAYLOAD);
            burst.setAddressIPv4(i, 0x0a5a0002, 9);          // routed into the plain TUN
        }
        gso = new UdpBatch(1, SEGMENTS * UDP_PAYLOAD, arena);
        gso.setLength(0, SEGMENTS * UDP_PAYLOAD);
        gso.setSegmentSize(0, UDP_PAYLOAD);
        gso.setAddressIPv4(0, 0x0a5b0002, 9);                // routed into the vnet TUN

        // the measured paths must really work: one of each, checked
        if (plain.write(packet, PACKET) != PACKET) throw new IllegalStateException("TUN write failed");
        int w = vnet.write(superPacket, superLength);
        if (w != superLength) throw new IllegalStateException("TUN superpacket write returned " + w);
        int g = readGsoSuperpacket();
        if (g != SEGMENTS || lost != 0) throw new IllegalStateException("GSO send came back as " + g + " segments, lost " + lost);
        int o = readOnePerSyscall();
        if (o != BURST || lost != 0) throw new IllegalStateException("burst came back as " + o + " packets, lost " + lost);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (lost > 0) System.out.println("TunBench: " + lost + " packets not read within 50 ms");
        for (AutoCloseable c : new AutoCloseable[] {plain, vnet, sink, source, arena}) if (c != null) c.close();
        if (net != null) net.close();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int writeOnePerSyscall() {
        int ok = 0;
        for (int i = 0; i < BURST; i++) if (plain.write(packet, PACKET) == PACKET) ok++;
        return ok;
    }

    @Benchmark
    @OperationsPerInvocation(SEGMENTS)
    public int writeGsoSuperpacket() {
        return vnet.write(superPacket, superLength);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int readOnePerSyscall() {
        int sent = 0;
        while (sent < BURST) {
            int n = source.send(burst, sent, BURST - sent, 0);
            if (n <= 0) break;
            sent += n;
        }
        int got = 0;
        while (got < sent) {
            int n = plain.read(readBuf);
            if (n > 0) {
                if (isIpv4Udp(readBuf, 0)) got++;           // the kernel's own IPv6 chatter is not ours
                continue;
            }
            if (n != -Errno.EAGAIN || plain.awaitReadable(50) <= 0) break;
        }
        lost += sent - got;
        return got;
    }

    @Benchmark
    @OperationsPerInvocation(SEGMENTS)
    public int readGsoSuperpacket() {
        source.sendOne(gso, 0, 0);
        int got = 0;
        while (got < SEGMENTS) {
            int n = vnet.read(readBuf);
            if (n > 10) {
                if (!isIpv4Udp(readBuf, 10)) continue;
                int seg = virtio_net_hdr.gso_size(readBuf, 0);
                int data = n - 10 - 28;
                got += seg == 0 ? 1 : (data + seg - 1) / seg;
                continue;
            }
            if (n >= 0) continue;
            if (n != -Errno.EAGAIN || vnet.awaitReadable(50) <= 0) break;
        }
        lost += Math.max(0, SEGMENTS - got);
        return got;
    }

    private static boolean isIpv4Udp(MemorySegment p, long at) {
        return (p.get(ValueLayout.JAVA_BYTE, at) & 0xf0) == 0x40 && p.get(ValueLayout.JAVA_BYTE, at + 9) == 17;
    }

    static void ipv4Udp(MemorySegment p, int src, int dst, int sport, int dport, int payload, int fill) {
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        p.set(BE16, 2, (short) (28 + payload));
        p.set(BE32, 4, 0);
        p.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        p.set(ValueLayout.JAVA_BYTE, 9, (byte) 17);
        p.set(BE32, 12, src);
        p.set(BE32, 16, dst);
        long s = 0;
        for (int i = 0; i < 20; i += 2) s += Short.toUnsignedInt(p.get(BE16, i));
        p.set(BE16, 10, (short) ~fold(s));
        p.set(BE16, 20, (short) sport);
        p.set(BE16, 22, (short) dport);
        p.set(BE16, 24, (short) (8 + payload));
        p.set(BE16, 26, (short) 0);
        p.asSlice(28, payload).fill((byte) fill);
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }
}
