package dev.jwgd.device;

import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.daemon.Log;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.pipeline.Endpoint;
import dev.jwgd.pipeline.MemoryNetwork;
import dev.jwgd.pipeline.MemoryTun;
import dev.jwgd.pipeline.Pipeline;
import dev.jwgd.timers.Clock;
import dev.jwgd.uapi.EndpointCandidate;
import dev.jwgd.ip.IpPrefix;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Devices wired over an in-memory network with in-memory TUNs, for the device and pipeline tests. */
public final class TestNet implements AutoCloseable {
    final MemoryNetwork network = new MemoryNetwork();
    private final List<Node> nodes = new ArrayList<>();

    /** One device with its ends and running pipeline. */
    public static final class Node {
        final Key privateKey = Curve25519.generatePrivateKey();
        final Key publicKey = Curve25519.publicKey(privateKey);
        final MemoryTun tun = new MemoryTun(1420, 4096);
        final MemoryNetwork.Socket socket;
        final Device device;
        final Pipeline pipeline;

        Node(MemoryNetwork net, String name, Endpoint address, Clock clock, EndpointSet.Resolver resolver) {
            socket = net.bind(address, 4096);
            device = new Device(name, AeadProvider.scalar(), clock, socket, tun::mtu,
                    new Log(name, Log.Level.SILENT, System.err), resolver);
            device.setPrivateKey(privateKey);
            pipeline = new Pipeline(device, tun, socket, Pipeline.slotSizeFor(1420), null);
        }

        Peer addPeer(Node other, String allowed, String... endpoints) throws Exception {
            Peer p = device.createPeer(other.publicKey);
            List<EndpointCandidate> eps = new ArrayList<>();
            for (String e : endpoints) eps.add(EndpointCandidate.parse(e, true));
            if (!eps.isEmpty()) device.setEndpoints(p, eps);
            for (String a : allowed.split(",")) device.addAllowedIp(p, IpPrefix.parse(a.strip()));
            return p;
        }
    }

    Node node(String name, String address) {
        return node(name, address, Clock.SYSTEM, EndpointSet.SYSTEM_RESOLVER);
    }

    Node node(String name, String address, Clock clock, EndpointSet.Resolver resolver) {
        var c = EndpointCandidate.parse(address, false);
        Node n = new Node(network, name, Endpoint.of(c.toSocketAddress()), clock, resolver);
        nodes.add(n);
        return n;
    }

    void startAll() {
        for (Node n : nodes) n.pipeline.start();
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.pipeline.close();
            n.device.close();
            n.socket.close();
            n.tun.close();
        }
    }

    /** An IPv4 packet (UDP-ish payload) from src to dst with {@code payload} bytes after a 20-byte header. */
    static byte[] ipv4(String src, String dst, int payload, int seed) throws Exception {
        byte[] p = new byte[20 + payload];
        ByteBuffer b = ByteBuffer.wrap(p);
        b.put((byte) 0x45).put((byte) 0).putShort((short) p.length).putInt(0).put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName(dst).getAddress());
        for (int i = 20; i < p.length; i++) p[i] = (byte) (i * 31 + seed);
        return p;
    }

    /** An IPv6 packet from src to dst with {@code payload} bytes after the 40-byte header. */
    static byte[] ipv6(String src, String dst, int payload, int seed) throws Exception {
        byte[] p = new byte[40 + payload];
        ByteBuffer b = ByteBuffer.wrap(p);
        b.putInt(0x60000000).putShort((short) payload).put((byte) 17).put((byte) 64);
        b.put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName(dst).getAddress());
        for (int i = 40; i < p.length; i++) p[i] = (byte) (i * 7 + seed);
        return p;
    }
}
