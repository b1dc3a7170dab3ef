package dev.jwgd.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.crypto.Aead;
import dev.jwgd.crypto.AeadBatch;
import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.crypto.vector.VectorChaCha20Poly1305;
import dev.jwgd.daemon.Log;
import dev.jwgd.device.Device;
import dev.jwgd.device.EndpointSet;
import dev.jwgd.device.Peer;
import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.message.TransportData;
import dev.jwgd.timers.Clock;
import dev.jwgd.uapi.EndpointCandidate;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parallel seal and open of random batches (mixed lengths, several keys, AAD, both nonce forms) give the same bytes
 * and ok flags as one thread's {@link Aead#sealBatch}/{@link Aead#openBatch}; forged packets still fail; and batches
 * sealed and opened through the send and receive paths with helpers keep each peer's counters and packets in order.
 */
class CryptoWorkersProperties {
    private static final Aead SCALAR = AeadProvider.scalar();
    private static final Aead VECTOR = new VectorChaCha20Poly1305(256);

    static Stream<Arguments> seedsAndAeads() {
        SplittableRandom r = new SplittableRandom(0xC0DE_F0C5L);
        List<Arguments> a = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long seed = r.nextLong();
            a.add(Arguments.of(seed, "scalar"));
            a.add(Arguments.of(seed, "vector-256"));
        }
        return a.stream();
    }

    static Stream<Long> seeds() {
        return new SplittableRandom(0x0DE5_0DE5L).longs(4).boxed();
    }

    private static Aead aead(String name) {
        return name.equals("scalar") ? SCALAR : VECTOR;
    }

    /** A random batch: packets in their own segments at random offsets, 1-4 keys, some AAD, some general nonces. */
    private static final class RandomBatch {
        final int n;
        final MemorySegment[] keys, data, aads, nonces;
        final int[] keyOf, offset, length;
        final long[] counter;

        RandomBatch(SplittableRandom r, Arena arena, int n) {
            this.n = n;
            keys = new MemorySegment[1 + r.nextInt(4)];
            for (int k = 0; k < keys.length; k++) keys[k] = randomBytes(r, arena, 32);
            data = new MemorySegment[n];
            aads = new MemorySegment[n];
            nonces = new MemorySegment[n];
            keyOf = new int[n];
            offset = new int[n];
            length = new int[n];
            counter = new long[n];
            for (int i = 0; i < n; i++) {
                length[i] = switch (r.nextInt(5)) {
                    case 0 -> r.nextInt(64);             // tiny: keepalives, ACKs
                    case 1 -> 1420;                      // full MTU
                    case 2 -> 1 + r.nextInt(9000);       // jumbo
                    default -> r.nextInt(1500);
                };
                offset[i] = r.nextInt(20);
                data[i] = randomBytes(r, arena, offset[i] + length[i] + Aead.TAG_LENGTH + r.nextInt(8));
                keyOf[i] = r.nextInt(keys.length);
                counter[i] = r.nextLong();
                aads[i] = r.nextInt(4) == 0 ? randomBytes(r, arena, r.nextInt(40)) : MemorySegment.NULL;
                if (r.nextInt(4) == 0) {
                    nonces[i] = randomBytes(r, arena, Aead.NONCE_LENGTH);
                    if (nonces[i].get(ValueLayout.JAVA_INT, 0) == 0) nonces[i].set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
                }
            }
        }

        /** Copies of every packet's segment, so one thread and the pool can each work on their own bytes. */
        MemorySegment[] copyData(Arena arena) {
            MemorySegment[] c = new MemorySegment[n];
            for (int i = 0; i < n; i++) {
                c[i] = arena.allocate(data[i].byteSize());
                MemorySegment.copy(data[i], 0, c[i], 0, data[i].byteSize());
            }
            return c;
        }

        AeadBatch batch(MemorySegment[] over, boolean withTag) {
            AeadBatch b = new AeadBatch(n);
            for (int i = 0; i < n; i++) {
                int len = withTag ? length[i] + Aead.TAG_LENGTH : length[i];
                if (nonces[i] != null) b.add(keys[keyOf[i]], nonces[i], aads[i], over[i], offset[i], len);
                else b.add(keys[keyOf[i]], counter[i], aads[i], over[i], offset[i], len);
            }
            return b;
        }
    }

    private static MemorySegment randomBytes(SplittableRandom r, Arena arena, int size) {
        MemorySegment s = arena.allocate(Math.max(size, 1)).asSlice(0, size);
        for (int i = 0; i < size; i++) s.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
        return s;
    }

    private static CryptoWorkers randomPool(SplittableRandom r, int capacity) {
        // Small minimum parts, so most batches are cut, often into parts of very different packet counts.
        return new CryptoWorkers(2 + r.nextInt(3), capacity, 1 + r.nextInt(4096), "prop", null);
    }

    @ParameterizedTest
    @MethodSource("seedsAndAeads")
    void parallelSealGivesTheSameBytesAndFlagsAsOneThread(long seed, String aeadName) {
        SplittableRandom r = new SplittableRandom(seed);
        Aead aead = aead(aeadName);
        try (Arena arena = Arena.ofShared(); CryptoWorkers pool = randomPool(r, 256)) {
            for (int round = 0; round < 4; round++) {
                RandomBatch rb = new RandomBatch(r, arena, 1 + r.nextInt(256));
                MemorySegment[] one = rb.copyData(arena), many = rb.copyData(arena);
                AeadBatch expected = rb.batch(one, false);
                aead.sealBatch(expected);
                AeadBatch got = rb.batch(many, false);
                pool.sealBatch(aead, got);
                String at = "seed " + seed + ", " + aeadName + ", round " + round + ", " + rb.n + " packets";
                for (int i = 0; i < rb.n; i++) {
                    assertEquals(expected.ok(i), got.ok(i), at + ": ok flag of packet " + i);
                    assertArrayEquals(one[i].toArray(ValueLayout.JAVA_BYTE), many[i].toArray(ValueLayout.JAVA_BYTE),
                            at + ": bytes of packet " + i);
                }
                assertEquals(0, pool.failures(), at + ": no part failed");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seedsAndAeads")
    void parallelOpenGivesTheSameBytesAndVerdictsAsOneThreadAndForgeriesFail(long seed, String aeadName) {
        SplittableRandom r = new SplittableRandom(seed);
        Aead aead = aead(aeadName);
        try (Arena arena = Arena.ofShared(); CryptoWorkers pool = randomPool(r, 256)) {
            for (int round = 0; round < 4; round++) {
                RandomBatch rb = new RandomBatch(r, arena, 1 + r.nextInt(256));
                aead.sealBatch(rb.batch(rb.data, false));
                boolean[] forged = new boolean[rb.n];
                for (int i = 0; i < rb.n; i++) {
                    if (r.nextInt(5) != 0) continue;
                    forged[i] = true;
                    long pos = rb.offset[i] + r.nextInt(rb.length[i] + Aead.TAG_LENGTH);   // ciphertext or tag
                    byte v = rb.data[i].get(ValueLayout.JAVA_BYTE, pos);
                    rb.data[i].set(ValueLayout.JAVA_BYTE, pos, (byte) (v ^ (1 << r.nextInt(8))));
                }
                MemorySegment[] one = rb.copyData(arena), many = rb.copyData(arena);
                AeadBatch expected = rb.batch(one, true);
                aead.openBatch(expected);
                AeadBatch got = rb.batch(many, true);
                pool.openBatch(aead, got);
                String at = "seed " + seed + ", " + aeadName + ", round " + round + ", " + rb.n + " packets";
                for (int i = 0; i < rb.n; i++) {
                    assertEquals(!forged[i], got.ok(i), at + ": packet " + i + (forged[i] ? " forged, must fail" : " genuine, must open"));
                    assertEquals(expected.ok(i), got.ok(i), at + ": same verdict as one thread for packet " + i);
                    assertArrayEquals(one[i].toArray(ValueLayout.JAVA_BYTE), many[i].toArray(ValueLayout.JAVA_BYTE),
                            at + ": bytes of packet " + i);
                }
                assertEquals(0, pool.failures(), at + ": no part failed");
            }
        }
    }

    // ------------------------------------------------------------------ per-peer order through the data path

    record Node(Device device, MemoryNetwork.Socket socket, MemoryTun tun, Endpoint address) {}

    static Node node(MemoryNetwork net, String name, String address, Key privateKey) {
        Endpoint e = Endpoint.of(EndpointCandidate.parse(address, false).toSocketAddress());
        MemoryNetwork.Socket s = net.bind(e, 4096);
        MemoryTun tun = new MemoryTun(1420, 8192);
        Device d = new Device(name, SCALAR, Clock.SYSTEM, s, tun::mtu, new Log(name, Log.Level.SILENT, System.err),
                EndpointSet.SYSTEM_RESOLVER);
        d.setPrivateKey(privateKey);
        return new Node(d, s, tun, e);
    }

    static Peer connect(Node from, Key toKey, String toAddress, String allowed) throws Exception {
        Peer p = from.device.createPeer(Curve25519.publicKey(toKey));
        from.device.setEndpoints(p, List.of(EndpointCandidate.parse(toAddress, false)));
        from.device.addAllowedIp(p, IpPrefix.parse(allowed));
        return p;
    }

    /** An IPv4 packet 10.0.0.1 → {@code dst} of {@code size} bytes whose payload starts with {@code sequence}. */
    static byte[] ipv4(int dst, int size, int sequence) {
        byte[] p = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(p);
        b.put((byte) 0x45).put((byte) 0).putShort((short) size).putInt(0).put((byte) 64).put((byte) 17).putShort((short) 0);
        b.putInt(0x0a000001).putInt(dst).putInt(sequence);
        for (int i = 24; i < size; i++) p[i] = (byte) (i * 31 + sequence);
        return p;
    }

    /** The wire: each datagram a's send path sends lands in the receive batch of the peer it is addressed to. */
    private static final class Wire implements UdpEnd {
        final Endpoint from;
        final Endpoint[] to;
        final PacketBatch[] into;
        final List<List<Long>> counters = new ArrayList<>();

        Wire(Endpoint from, Endpoint[] to, PacketBatch[] into) {
            this.from = from;
            this.to = to;
            this.into = into;
            for (int k = 0; k < to.length; k++) counters.add(new ArrayList<>());
        }

        @Override
        public int send(PacketBatch batch, int[] indexes, int n) {
            for (int j = 0; j < n; j++) {
                int i = indexes[j];
                int k = batch.destination[i].equals(to[0]) ? 0 : 1;
                PacketBatch t = into[k];
                int s = t.count++;
                MemorySegment.copy(batch.slot(i), batch.offset[i], t.slot(s), 0, batch.length[i]);
                t.offset[s] = 0;
                t.length[s] = batch.length[i];
                t.sourceV6[s] = false;
                t.sourceHigh[s] = 0;
                t.sourceLow[s] = from.low();
                t.sourcePort[s] = from.port();
                counters.get(k).add(TransportData.counter(t.slot(s), 0));
            }
            return n;
        }

        @Override public int receive(PacketBatch batch, int timeoutMillis) { return 0; }
        @Override public int port() { return from.port(); }
        @Override public void rebind(int port) { }
        @Override public void setFwmark(int mark) { }
        @Override public void close() { }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void consecutiveBatchesKeepEachPeersCountersAndPacketsInOrder(long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        MemoryNetwork net = new MemoryNetwork();
        Key ka = Curve25519.generatePrivateKey(), kb = Curve25519.generatePrivateKey(), kc = Curve25519.generatePrivateKey();
        Node a = node(net, "a", "192.0.2.1:51820", ka);
        Node b = node(net, "b", "192.0.2.2:51821", kb);
        Node c = node(net, "c", "192.0.2.3:51822", kc);
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            connect(a, kb, "192.0.2.2:51821", "10.0.0.2/32");
            connect(a, kc, "192.0.2.3:51822", "10.0.0.3/32");
            connect(b, ka, "192.0.2.1:51820", "10.0.0.1/32");
            connect(c, ka, "192.0.2.1:51820", "10.0.0.1/32");
            // Real handshakes through running pipelines; then they stop and the test drives the paths itself.
            int slot = Pipeline.slotSizeFor(1420);
            Pipeline pa = new Pipeline(a.device, a.tun, a.socket, slot, 1, null);
            Pipeline pb = new Pipeline(b.device, b.tun, b.socket, slot, 1, null);
            Pipeline pc = new Pipeline(c.device, c.tun, c.socket, slot, 1, null);
            for (Pipeline p : List.of(pa, pb, pc)) p.start();
            a.tun.inject(ipv4(0x0a000002, 40, -1));
            a.tun.inject(ipv4(0x0a000003, 40, -1));
            assertNotNull(b.tun.take(10_000), "seed " + seed + ": handshake a-b");
            assertNotNull(c.tun.take(10_000), "seed " + seed + ": handshake a-c");
            for (Pipeline p : List.of(pa, pb, pc)) p.close();

            int capacity = 256;
            CryptoWorkers sealPool = randomPool(r, capacity), openB = randomPool(r, capacity), openC = randomPool(r, capacity);
            toClose.addAll(List.of(sealPool, openB, openC));
            SendPath send = new SendPath(a.device, capacity, slot, sealPool);
            ReceivePath toB = new ReceivePath(b.device, new HandshakeQueue(16), capacity, slot, openB);
            ReceivePath toC = new ReceivePath(c.device, new HandshakeQueue(16), capacity, slot, openC);
            Wire wire = new Wire(a.address, new Endpoint[] {b.address, c.address}, new PacketBatch[] {toB.batch(), toC.batch()});
            int[] next = new int[2];
            int[] expected = new int[2];
            for (int round = 0; round < 25; round++) {
                PacketBatch sb = send.batch();
                int n = 1 + r.nextInt(capacity);
                for (int i = 0; i < n; i++) {
                    int k = r.nextInt(2);
                    int size = r.nextInt(3) == 0 ? 28 + r.nextInt(100) : 28 + r.nextInt(1393);
                    byte[] p = ipv4(0x0a000002 + k, size, next[k]++);
                    MemorySegment.copy(MemorySegment.ofArray(p), 0, sb.slot(i), PacketBatch.HEADROOM, size);
                    sb.offset[i] = PacketBatch.HEADROOM;
                    sb.length[i] = size;
                }
                sb.count = n;
                send.process(wire, 1420);
                if (toB.batch().count > 0) toB.process(b.tun);
                if (toC.batch().count > 0) toC.process(c.tun);
                String at = "seed " + seed + ", round " + round;
                MemoryTun[] tuns = {b.tun, c.tun};
                for (int k = 0; k < 2; k++) {
                    byte[] got;
                    while ((got = tuns[k].take(0)) != null) {
                        int sequence = ByteBuffer.wrap(got).getInt(20);
                        assertEquals(expected[k]++, sequence, at + ": peer " + k + "'s packets arrive complete and in order");
                    }
                    assertEquals(next[k], expected[k], at + ": peer " + k + " got every packet sent so far");
                }
            }
            for (int k = 0; k < 2; k++) {
                List<Long> cs = wire.counters.get(k);
                for (int j = 1; j < cs.size(); j++) {
                    assertTrue(cs.get(j) > cs.get(j - 1), "seed " + seed + ": peer " + k + "'s counters leave in order at " + j);
                }
            }
            assertEquals(0, send.droppedCryptoFailure, "seed " + seed + ": no seal failed");
            assertEquals(0, toB.droppedReplay + toC.droppedReplay, "seed " + seed + ": no replay drops");
            assertEquals(0, toB.droppedAuthentication + toC.droppedAuthentication, "seed " + seed + ": every packet opened");
            assertTrue(sealPool.splitBatches() > 0, "seed " + seed + ": the test really split batches");
            assertFalse(sealPool.failures() + openB.failures() + openC.failures() > 0, "seed " + seed + ": no part failed");
        } finally {
            for (AutoCloseable x : toClose) x.close();
            for (Node n : List.of(a, b, c)) {
                n.device.close();
                n.socket.close();
                n.tun.close();
            }
        }
    }
}
