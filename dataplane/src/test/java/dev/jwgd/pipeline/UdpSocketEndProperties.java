package dev.jwgd.pipeline;

import static dev.jwgd.pipeline.UdpSocketEndTest.A4;
import static dev.jwgd.pipeline.UdpSocketEndTest.NET6_HI;
import static dev.jwgd.pipeline.UdpSocketEndTest.SLOT;
import static dev.jwgd.pipeline.UdpSocketEndTest.WIRE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.pipeline.UdpSocketEndTest.Datagram;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random send batches through {@link UdpSocketEnd} across a veth: runs of datagrams to two receivers
 * over IPv4 and IPv6, lengths that are mostly equal (so GSO coalesces) but sometimes shorter, longer
 * than the path MTU (GSO refused, sent plain and fragmented) or cut at 64 segments, slots taken in a
 * random order, sender and receivers with offload on or off, receive batches of random capacity (so
 * GRO buffers span receive calls). Every datagram arrives exactly once, intact, from the sender's
 * address, and nothing else arrives. Replay a failure with its seed.
 */
class UdpSocketEndProperties {
    private static UdpSocketEndTest.Net net;

    @BeforeAll
    static void setUp() throws Exception {
        net = new UdpSocketEndTest.Net();
    }

    @AfterAll
    static void tearDown() {
        if (net != null) net.close();
    }

    static LongStream seeds() {
        return new SplittableRandom(0x5eedL).longs(10);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyDatagramOfARandomBatchArrivesExactlyOnceFromTheSender(long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean txOffload = rnd.nextInt(4) != 0;
        UdpSocketEnd tx = net.end(net.a, txOffload);
        UdpSocketEnd[] rx = {net.end(net.b, rnd.nextBoolean()), net.end(net.b, rnd.nextBoolean())};
        try {
            for (int round = 0; round < 3; round++) {
                String what = "seed " + seed + " round " + round + " (sender offload " + txOffload + ", receivers " + rx[0].gro() + "/" + rx[1].gro() + ")";
                check(rnd, tx, rx, what);
            }
        } finally {
            tx.close();
            rx[0].close();
            rx[1].close();
        }
    }

    private static void check(SplittableRandom rnd, UdpSocketEnd tx, UdpSocketEnd[] rx, String what) {
        int n = 1 + rnd.nextInt(64);
        PacketBatch out = new PacketBatch(64, SLOT);
        int[] receiver = new int[n];
        boolean[] v6 = new boolean[n];
        int[] length = new int[n];
        int[] slotOf = new int[n];
        // slots in a random order: indexes[] names them
        int[] perm = UdpSocketEndTest.identity(64);
        for (int i = 63; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int runLength = rnd.nextBoolean() ? WIRE : 4 + rnd.nextInt(SLOT - 4);
        for (int i = 0; i < n; i++) {
            if (i == 0 || rnd.nextInt(6) == 0) {
                receiver[i] = rnd.nextInt(2);
                v6[i] = rnd.nextBoolean();
                int pick = rnd.nextInt(4);
                runLength = pick == 0 ? 4 + rnd.nextInt(SLOT - 4) : pick == 1 ? 4 + rnd.nextInt(1500) : WIRE;
            } else {
                receiver[i] = receiver[i - 1];
                v6[i] = v6[i - 1];
            }
            length[i] = rnd.nextInt(8) == 0 ? 4 + rnd.nextInt(runLength - 3) : runLength;
            slotOf[i] = perm[i];
            UdpSocketEnd to = rx[receiver[i]];
            // a fresh but equal Endpoint now and then: coalescing compares addresses
            Endpoint ep = v6[i] ? Endpoint.ofV6(NET6_HI, 2, to.port()) : Endpoint.ofV4(UdpSocketEndTest.B4, to.port());
            UdpSocketEndTest.put(out, slotOf[i], i, length[i], ep);
        }
        assertEquals(n, tx.send(out, slotOf, n), what + ": datagrams handed to the kernel");
        for (int r = 0; r < 2; r++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) if (receiver[i] == r) expected.add(i);
            PacketBatch in = new PacketBatch(1 + rnd.nextInt(64), SLOT);
            List<Datagram> got = UdpSocketEndTest.receive(rx[r], in, expected.size());
            assertEquals(expected.size(), got.size(), what + ": datagrams at receiver " + r);
            got.sort((x, y) -> Integer.compare(x.sequence(), y.sequence()));
            for (int j = 0; j < got.size(); j++) {
                int i = expected.get(j);
                Datagram d = got.get(j);
                assertArrayEquals(UdpSocketEndTest.content(i, length[i]), d.data(), what + ": datagram " + i + " (" + length[i] + " B)");
                assertEquals(v6[i], d.v6(), what + ": family of datagram " + i);
                assertEquals(v6[i] ? NET6_HI : 0, d.high(), what + ": source of datagram " + i);
                assertEquals(v6[i] ? 1 : A4 & 0xffffffffL, d.low(), what + ": source of datagram " + i);
                assertEquals(tx.port(), d.port(), what + ": source port of datagram " + i);
            }
            assertTrue(rx[r].receiveDropped() == 0, what + ": receiver " + r + " dropped " + rx[r].receiveDropped());
        }
    }
}
