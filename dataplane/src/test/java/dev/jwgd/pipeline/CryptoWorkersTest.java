package dev.jwgd.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.crypto.Aead;
import dev.jwgd.crypto.AeadBatch;
import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import java.nio.ByteBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fork-join of one AEAD batch: when it splits, what a failing part does, taking parts back, shutdown. */
class CryptoWorkersTest {
    private static final Aead SCALAR = AeadProvider.scalar();
    private static final long POISON = 0x5EED_BAD_C0DEL;

    private Arena arena;
    private MemorySegment key;

    @BeforeEach
    void setUp() {
        arena = Arena.ofShared();
        key = arena.allocate(32);
        for (int i = 0; i < 32; i++) key.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7 + 1));
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    /** {@code n} packets of {@code length} bytes, each in its own segment with room for the tag; counters 0..n-1. */
    private MemorySegment[] packets(int n, int length) {
        MemorySegment[] p = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            p[i] = arena.allocate(length + Aead.TAG_LENGTH);
            for (int j = 0; j < length; j++) p[i].set(ValueLayout.JAVA_BYTE, j, (byte) (i + j));
        }
        return p;
    }

    private AeadBatch batchOf(MemorySegment[] p, int length, long poisonAt) {
        AeadBatch b = new AeadBatch(p.length);
        for (int i = 0; i < p.length; i++) b.add(key, i == poisonAt ? POISON : i, p[i], 0, length);
        return b;
    }

    private static byte[][] copies(MemorySegment[] p) {
        byte[][] c = new byte[p.length][];
        for (int i = 0; i < p.length; i++) c[i] = p[i].toArray(ValueLayout.JAVA_BYTE);
        return c;
    }

    /** Seals with one thread what {@code p} held before: the bytes a correct parallel seal must give. */
    private byte[][] expectedSeal(MemorySegment[] p, int length) {
        MemorySegment[] q = new MemorySegment[p.length];
        for (int i = 0; i < p.length; i++) {
            q[i] = arena.allocate(p[i].byteSize());
            MemorySegment.copy(p[i], 0, q[i], 0, p[i].byteSize());
        }
        SCALAR.sealBatch(batchOf(q, length, -1));
        return copies(q);
    }

    /** An AEAD that throws for any batch holding a packet with counter {@link #POISON}, else the scalar one. */
    static class PoisonedAead implements Aead {
        private static void check(AeadBatch b) {
            for (int i = 0; i < b.size(); i++) {
                if (b.nonce12(i) == POISON) throw new IllegalStateException("poisoned packet");
            }
        }
        @Override public void seal(MemorySegment k, long c, MemorySegment a, MemorySegment d, long o, int l) { SCALAR.seal(k, c, a, d, o, l); }
        @Override public boolean open(MemorySegment k, long c, MemorySegment a, MemorySegment d, long o, int l) { return SCALAR.open(k, c, a, d, o, l); }
        @Override public void seal(MemorySegment k, MemorySegment n, MemorySegment a, MemorySegment d, long o, int l) { SCALAR.seal(k, n, a, d, o, l); }
        @Override public boolean open(MemorySegment k, MemorySegment n, MemorySegment a, MemorySegment d, long o, int l) { return SCALAR.open(k, n, a, d, o, l); }
        @Override public void sealBatch(AeadBatch b) { check(b); SCALAR.sealBatch(b); }
        @Override public void openBatch(AeadBatch b) { check(b); SCALAR.openBatch(b); }
        @Override public String name() { return "poisoned"; }
    }

    @Test
    void aPingSizedBatchIsDoneInlineWithoutSplitting() {
        try (CryptoWorkers w = new CryptoWorkers(2, 64, CryptoWorkers.DEFAULT_MIN_PART_BYTES, "t", null)) {
            MemorySegment[] p = packets(1, 84);
            byte[][] expected = expectedSeal(p, 84);
            AeadBatch b = batchOf(p, 84, -1);
            w.sealBatch(SCALAR, b);
            assertEquals(1, w.inlineBatches(), "inline");
            assertEquals(0, w.splitBatches(), "not split");
            assertTrue(b.ok(0), "sealed");
            assertArrayEquals(expected[0], p[0].toArray(ValueLayout.JAVA_BYTE), "same bytes as one thread");
        }
    }

    @Test
    void aBatchJustUnderTwoMinimumPartsStaysInlineAndOneAtTwoPartsIsSplit() {
        try (CryptoWorkers w = new CryptoWorkers(4, 64, 1000, "t", null)) {
            w.sealBatch(SCALAR, batchOf(packets(19, 100), 100, -1));   // 1900 bytes < 2 × 1000
            assertEquals(1, w.inlineBatches(), "1900 bytes: inline");
            w.sealBatch(SCALAR, batchOf(packets(20, 100), 100, -1));   // 2000 bytes: two parts
            assertEquals(1, w.splitBatches(), "2000 bytes: split");
        }
    }

    @Test
    void aLargeBatchIsSplitAndGivesTheSameBytesAsOneThread() {
        try (CryptoWorkers w = new CryptoWorkers(3, 128, CryptoWorkers.DEFAULT_MIN_PART_BYTES, "t", null)) {
            MemorySegment[] p = packets(128, 1420);
            byte[][] expected = expectedSeal(p, 1420);
            AeadBatch b = batchOf(p, 1420, -1);
            w.sealBatch(SCALAR, b);
            assertEquals(1, w.splitBatches(), "split");
            for (int i = 0; i < p.length; i++) {
                assertTrue(b.ok(i), "packet " + i + " sealed");
                assertArrayEquals(expected[i], p[i].toArray(ValueLayout.JAVA_BYTE), "packet " + i + " bytes");
            }
            // And back: the parallel open restores the plaintext.
            AeadBatch o = new AeadBatch(128);
            for (int i = 0; i < p.length; i++) o.add(key, i, p[i], 0, 1420 + Aead.TAG_LENGTH);
            w.openBatch(SCALAR, o);
            assertEquals(0, o.failures(), "every packet opens");
            for (int i = 0; i < p.length; i++) {
                for (int j = 0; j < 1420; j += 97) {
                    assertEquals((byte) (i + j), p[i].get(ValueLayout.JAVA_BYTE, j), "packet " + i + " byte " + j);
                }
            }
        }
    }

    @Test
    void aPartThatThrowsFailsOnlyItsOwnPacketsAndThePoolKeepsWorking() {
        for (int poisonAt : new int[] {0, 127}) {   // in the caller's part, and in the last helper's
            try (CryptoWorkers w = new CryptoWorkers(4, 128, 1024, "t", null)) {
                MemorySegment[] p = packets(128, 1000);
                byte[][] before = copies(p);
                AeadBatch b = batchOf(p, 1000, poisonAt);
                w.sealBatch(new PoisonedAead(), b);
                assertEquals(1, w.failures(), "poison at " + poisonAt + ": one failed part counted");
                assertFalse(b.ok(poisonAt), "poison at " + poisonAt + ": the poisoned packet is not ok");
                int failed = b.failures();
                assertTrue(failed >= 1 && failed < 128, "poison at " + poisonAt + ": only one part failed, " + failed);
                // The failed packets are one contiguous part around the poisoned one; every other packet was sealed.
                int first = poisonAt, last = poisonAt;
                while (first > 0 && !b.ok(first - 1)) first--;
                while (last < 127 && !b.ok(last + 1)) last++;
                assertEquals(failed, last - first + 1, "poison at " + poisonAt + ": failures are one part");
                for (int i = 0; i < 128; i++) {
                    if (i >= first && i <= last) {
                        assertArrayEquals(before[i], p[i].toArray(ValueLayout.JAVA_BYTE), "packet " + i + " untouched");
                    } else {
                        assertTrue(SCALAR.open(key, i, MemorySegment.NULL, p[i], 0, 1000 + Aead.TAG_LENGTH),
                                "poison at " + poisonAt + ": packet " + i + " was really sealed");
                    }
                }
                for (Thread t : w.helperThreads()) assertTrue(t.isAlive(), "helper " + t.getName() + " survived");

                AeadBatch next = batchOf(packets(128, 1000), 1000, -1);
                w.sealBatch(new PoisonedAead(), next);
                assertEquals(0, next.failures(), "poison at " + poisonAt + ": the next batch is sealed whole");
                assertEquals(2, w.splitBatches(), "poison at " + poisonAt + ": still split");
            }
        }
    }

    @Test
    void anErrorThrownInAPartIsCountedToo() {
        Aead throwsError = new PoisonedAead() {
            @Override public void openBatch(AeadBatch b) { throw new AssertionError("simulated bug"); }
        };
        try (CryptoWorkers w = new CryptoWorkers(2, 64, 100, "t", null)) {
            AeadBatch b = new AeadBatch(64);
            MemorySegment[] p = packets(64, 200);
            for (int i = 0; i < 64; i++) b.add(key, i, p[i], 0, 200 + Aead.TAG_LENGTH);
            w.openBatch(throwsError, b);
            assertEquals(64, b.failures(), "no packet is reported opened");
            assertEquals(2, w.failures(), "both parts counted");
            for (Thread t : w.helperThreads()) assertTrue(t.isAlive(), "helper survived an Error");
        }
    }

    @Test
    void partsAHelperHasNotStartedAreTakenBackByTheCaller() {
        try (CryptoWorkers w = new CryptoWorkers(4, 128, 1024, "t", null, false)) {
            MemorySegment[] p = packets(128, 1420);
            byte[][] expected = expectedSeal(p, 1420);
            AeadBatch b = batchOf(p, 1420, -1);
            w.sealBatch(SCALAR, b);
            assertEquals(3, w.partsTakenBack(), "the three helpers' parts ran on the caller");
            for (int i = 0; i < p.length; i++) {
                assertTrue(b.ok(i), "packet " + i);
                assertArrayEquals(expected[i], p[i].toArray(ValueLayout.JAVA_BYTE), "packet " + i + " bytes");
            }
        }
    }

    @Test
    void closeStopsTheHelpersAndLaterBatchesRunInline() throws Exception {
        CryptoWorkers w = new CryptoWorkers(3, 128, 1024, "t", null);
        w.sealBatch(SCALAR, batchOf(packets(128, 1420), 1420, -1));
        assertEquals(1, w.splitBatches(), "split while open");
        Thread[] helpers = w.helperThreads();
        assertEquals(2, helpers.length, "parallelism 3 = caller + 2 helpers");
        w.close();
        for (Thread t : helpers) {
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " ended");
        }
        MemorySegment[] p = packets(128, 1420);
        byte[][] expected = expectedSeal(p, 1420);
        AeadBatch b = batchOf(p, 1420, -1);
        w.sealBatch(SCALAR, b);
        assertEquals(1, w.inlineBatches(), "after close: inline");
        assertEquals(0, b.failures(), "after close: sealed");
        assertArrayEquals(expected[77], p[77].toArray(ValueLayout.JAVA_BYTE), "after close: same bytes");
        w.close();   // twice is harmless
    }

    @Test
    void aRunningPipelineWithHelpersDeliversEveryPacketInOrderAndStopsItsHelpersOnClose() throws Exception {
        MemoryNetwork net = new MemoryNetwork();
        Key ka = Curve25519.generatePrivateKey(), kb = Curve25519.generatePrivateKey();
        var a = CryptoWorkersProperties.node(net, "wa", "192.0.2.1:51820", ka);
        var b = CryptoWorkersProperties.node(net, "wb", "192.0.2.2:51821", kb);
        CryptoWorkersProperties.connect(a, kb, "192.0.2.2:51821", "10.0.0.2/32");
        CryptoWorkersProperties.connect(b, ka, "192.0.2.1:51820", "10.0.0.1/32");
        int slot = Pipeline.slotSizeFor(1420);
        Pipeline pa = new Pipeline(a.device(), a.tun(), a.socket(), slot, 3, null);
        Pipeline pb = new Pipeline(b.device(), b.tun(), b.socket(), slot, 3, null);
        try {
            assertEquals(3, pa.cryptoParallelism(), "parallelism as asked");
            pa.start();
            pb.start();
            a.tun().inject(CryptoWorkersProperties.ipv4(0x0a000002, 40, -1));
            assertTrue(b.tun().take(10_000) != null, "handshake");
            int n = 2_000;
            for (int s = 0; s < n; s++) {
                while (!a.tun().inject(CryptoWorkersProperties.ipv4(0x0a000002, 1400, s))) Thread.sleep(1);
            }
            for (int s = 0; s < n; s++) {
                byte[] got = b.tun().take(10_000);
                assertTrue(got != null, "packet " + s + " arrived");
                assertEquals(s, ByteBuffer.wrap(got).getInt(20), "packets arrive in order");
            }
            assertEquals(0, pa.cryptoFailures() + pb.cryptoFailures(), "no crypto part failed");
        } finally {
            pa.close();
            pb.close();
            a.device().close();
            b.device().close();
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            assertFalse(name.startsWith("jwgd-crypto-send-wa") || name.startsWith("jwgd-crypto-receive-wb"),
                    name + " still runs after close");
        }
    }

    @Test
    void parallelismOneStartsNoThreads() {
        try (CryptoWorkers w = CryptoWorkers.inline(64)) {
            assertEquals(0, w.helperThreads().length, "no helpers");
            w.sealBatch(SCALAR, batchOf(packets(64, 1420), 1420, -1));
            assertEquals(1, w.inlineBatches(), "inline");
        }
    }

    @Test
    void parallelismComesFromThePropertyAndNonsenseIsRejectedClearly() {
        String old = System.getProperty(CryptoWorkers.PROPERTY);
        try {
            System.clearProperty(CryptoWorkers.PROPERTY);
            assertEquals(5, CryptoWorkers.parallelismFromProperty(5), "unset: the default");
            System.setProperty(CryptoWorkers.PROPERTY, " 3 ");
            assertEquals(3, CryptoWorkers.parallelismFromProperty(1), "set");
            for (String bad : new String[] {"0", "-1", "17", "two", "1.5"}) {
                System.setProperty(CryptoWorkers.PROPERTY, bad);
                var e = assertThrows(IllegalArgumentException.class, () -> CryptoWorkers.parallelismFromProperty(1), bad);
                assertTrue(e.getMessage().contains("jwgd.workers") && e.getMessage().contains(bad), e.getMessage());
            }
        } finally {
            if (old == null) System.clearProperty(CryptoWorkers.PROPERTY);
            else System.setProperty(CryptoWorkers.PROPERTY, old);
        }
    }

    @Test
    void theDefaultIsInlineOnTwoCoresAndHalfTheCoresUpToFourAbove() {
        assertEquals(1, CryptoWorkers.defaultParallelism(1), "1 CPU");
        assertEquals(1, CryptoWorkers.defaultParallelism(2), "2 CPUs: inline (measured)");
        assertEquals(2, CryptoWorkers.defaultParallelism(4), "4 CPUs");
        assertEquals(4, CryptoWorkers.defaultParallelism(8), "8 CPUs");
        assertEquals(4, CryptoWorkers.defaultParallelism(64), "capped at 4");
    }

    @Test
    void badGeometryIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CryptoWorkers(0, 64, 1024, "t", null));
        assertThrows(IllegalArgumentException.class, () -> new CryptoWorkers(17, 64, 1024, "t", null));
        assertThrows(IllegalArgumentException.class, () -> new CryptoWorkers(2, 0, 1024, "t", null));
        assertThrows(IllegalArgumentException.class, () -> new CryptoWorkers(2, 64, 0, "t", null));
    }
}
