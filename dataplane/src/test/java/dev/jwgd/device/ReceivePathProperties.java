package dev.jwgd.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jwgd.pipeline.HandshakeQueue;
import dev.jwgd.pipeline.MemoryTun;
import dev.jwgd.pipeline.PacketBatch;
import dev.jwgd.pipeline.Pipeline;
import dev.jwgd.pipeline.ReceivePath;
import dev.jwgd.pipeline.SendPath;
import dev.jwgd.pipeline.UdpEnd;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The receive path fed mutated and random datagrams next to genuine ones: it never throws, never
 * delivers a datagram that was tampered with, and still delivers every genuine packet, in order.
 */
class ReceivePathProperties {
    static LongStream seeds() {
        return new SplittableRandom(0xDA7A).longs(12);
    }

    /** Captures what a send path sends. */
    static final class Capture implements UdpEnd {
        final PacketBatch copy = new PacketBatch(64, 2048);
        @Override public int receive(PacketBatch batch, int timeoutMillis) { return 0; }
        @Override public int send(PacketBatch batch, int[] idx, int n) {
            for (int k = 0; k < n; k++) batch.copySlotTo(idx[k], copy, k);
            copy.count = n;
            return n;
        }
        @Override public int port() { return 0; }
        @Override public void rebind(int port) { }
        @Override public void setFwmark(int mark) { }
        @Override public void close() { }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void tamperedDatagramsAreDroppedAndGenuineOnesStillArrive(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (TestNet net = new TestNet()) {
            var a = net.node("a", "192.0.2.1:51820");
            var b = net.node("b", "192.0.2.2:51821");
            a.addPeer(b, "10.0.0.2/32", "192.0.2.2:51821");
            Peer aOnB = b.addPeer(a, "10.0.0.1/32", "192.0.2.1:51820");
            net.startAll();
            a.tun.inject(TestNet.ipv4("10.0.0.1", "10.0.0.2", 40, 0));
            assertNotNull(b.tun.take(10_000), "seed " + seed + ": handshake");
            a.pipeline.close();
            b.pipeline.close();

            SendPath send = new SendPath(a.device, 64, Pipeline.slotSizeFor(1420));
            ReceivePath receive = new ReceivePath(b.device, new HandshakeQueue(64), 64, Pipeline.slotSizeFor(1420));
            MemoryTun out = new MemoryTun(1420, 4096);
            Capture wire = new Capture();
            for (int round = 0; round < 20; round++) {
                int n = 1 + random.nextInt(8);
                byte[][] sent = new byte[n][];
                PacketBatch sb = send.batch();
                for (int i = 0; i < n; i++) {
                    sent[i] = TestNet.ipv4("10.0.0.1", "10.0.0.2", random.nextInt(1300), random.nextInt());
                    MemorySegment.copy(MemorySegment.ofArray(sent[i]), 0, sb.slot(i), PacketBatch.HEADROOM, sent[i].length);
                    sb.offset[i] = PacketBatch.HEADROOM;
                    sb.length[i] = sent[i].length;
                }
                sb.count = n;
                send.process(wire, 1420);
                assertEquals(n, wire.copy.count, "seed " + seed + ": all sealed");

                // Build the receive batch: each genuine datagram, preceded by a tampered or random one.
                PacketBatch rb = receive.batch();
                int k = 0;
                for (int i = 0; i < n; i++) {
                    int len = wire.copy.length[i];
                    MemorySegment genuine = wire.copy.slot(i).asSlice(wire.copy.offset[i], len);
                    MemorySegment bad = rb.slot(k);
                    int badLen;
                    switch (random.nextInt(4)) {
                        case 0 -> { // one bit flipped anywhere after the type byte
                            MemorySegment.copy(genuine, 0, bad, 0, len);
                            int pos = 1 + random.nextInt(len - 1);
                            bad.set(ValueLayout.JAVA_BYTE, pos, (byte) (bad.get(ValueLayout.JAVA_BYTE, pos) ^ (1 << random.nextInt(8))));
                            badLen = len;
                        }
                        case 1 -> { // truncated
                            badLen = random.nextInt(len);
                            MemorySegment.copy(genuine, 0, bad, 0, badLen);
                        }
                        case 2 -> { // random bytes behind a valid-looking type
                            badLen = random.nextInt(200);
                            for (int j = 0; j < badLen; j++) bad.set(ValueLayout.JAVA_BYTE, j, (byte) random.nextInt());
                            if (badLen >= 4) bad.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 1 + random.nextInt(4));
                        }
                        default -> { // the genuine datagram again: a replay (it comes after the original below)
                            MemorySegment.copy(genuine, 0, bad, 0, len);
                            badLen = len;
                        }
                    }
                    boolean replay = badLen == len && bad.asSlice(0, len).mismatch(genuine) == -1;
                    int goodSlot = replay ? k : k + 1;
                    int badSlot = replay ? k + 1 : k;
                    MemorySegment.copy(genuine, 0, rb.slot(goodSlot), 0, len);
                    rb.offset[goodSlot] = 0;
                    rb.length[goodSlot] = len;
                    rb.offset[badSlot] = 0;
                    rb.length[badSlot] = badLen;
                    for (int s : new int[] {goodSlot, badSlot}) {
                        rb.sourceV6[s] = false;
                        rb.sourceHigh[s] = 0;
                        rb.sourceLow[s] = 0xC0000201L;
                        rb.sourcePort[s] = 51820;
                    }
                    k += 2;
                }
                rb.count = k;
                receive.process(out);
                for (int i = 0; i < n; i++) {
                    byte[] got = out.take(0);
                    assertNotNull(got, "seed " + seed + ", round " + round + ": genuine packet " + i + " delivered");
                    assertArrayEquals(sent[i], got, "seed " + seed + ", round " + round + ": packet " + i + " intact and in order");
                }
                assertEquals(0, out.delivered(), "seed " + seed + ", round " + round + ": nothing tampered was delivered");
            }
            assertEquals("192.0.2.1:51820", aOnB.endpoints().current().toString(), "seed " + seed + ": no roaming to a forged source");
        }
    }
}
