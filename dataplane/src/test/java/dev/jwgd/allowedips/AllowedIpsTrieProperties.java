package dev.jwgd.allowedips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ip.IpPrefix;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The trie against a naive model (a list of prefixes scanned for the longest match, as the kernel's
 * {@code horrible_allowedips} in its random self-test) over random sequences of inserts, moves,
 * removes and remove-alls, IPv4 and IPv6 together; and lookups from reader threads while a writer
 * changes the trie, each answer checked to be the model's answer in one of the states the trie was
 * in during that lookup. Every failure message carries the seed; rerun a seed by putting it in
 * {@link #seeds}.
 */
class AllowedIpsTrieProperties {
    record Peer(int id) {}

    static LongStream seeds() {
        long base = new SplittableRandom(0xA11D1E5L).nextLong();
        return LongStream.range(0, 30).map(i -> base + i * 0x9E3779B97F4A7C15L);
    }

    static LongStream concurrentSeeds() {
        return seeds().limit(6);
    }

    // ------------------------------------------------------------------ the model

    /** An address or prefix key as two longs (IPv4 in the top 32 bits of hi), independent of the trie's code. */
    record Key(boolean v6, long hi, long lo, int cidr) {
        static Key of(byte[] address, int cidr) {
            var bb = ByteBuffer.wrap(address);
            return address.length == 4
                    ? new Key(false, (bb.getInt() & 0xffffffffL) << 32, 0, cidr)
                    : new Key(true, bb.getLong(), bb.getLong(), cidr);
        }

        /** Does this prefix contain the address {@code a} (of any cidr)? */
        boolean contains(Key a) {
            if (a.v6 != v6) return false;
            if (cidr == 0) return true;
            if (cidr <= 64) return ((hi ^ a.hi) >>> (64 - cidr)) == 0;
            return hi == a.hi && ((lo ^ a.lo) >>> (128 - cidr)) == 0;
        }

        Key masked() {
            long h = cidr == 0 ? 0 : cidr >= 64 ? hi : hi & (-1L << (64 - cidr));
            long l = cidr <= 64 ? 0 : lo & (-1L << (128 - cidr));
            return new Key(v6, h, l, cidr);
        }

        byte[] bytes() {
            var bb = ByteBuffer.allocate(v6 ? 16 : 4);
            if (v6) bb.putLong(hi).putLong(lo);
            else bb.putInt((int) (hi >>> 32));
            return bb.array();
        }
    }

    /** The obviously correct table: a map from masked prefix to peer, and per peer its insertion order. */
    static final class Model {
        final Map<Key, Peer> owner = new LinkedHashMap<>();
        final Map<Peer, LinkedHashSet<Key>> lists = new IdentityHashMap<>();

        void insert(Key k, Peer p) {
            Key m = k.masked();
            Peer old = owner.put(m, p);
            if (old != null) lists.get(old).remove(m);
            lists.computeIfAbsent(p, _ -> new LinkedHashSet<>()).add(m);
        }

        boolean remove(Key k, Peer p) {
            Key m = k.masked();
            if (p == null || owner.get(m) != p) return false;
            owner.remove(m);
            lists.get(p).remove(m);
            return true;
        }

        int removeAll(Peer p) {
            var l = lists.remove(p);
            if (l == null) return 0;
            for (Key k : l) owner.remove(k);
            return l.size();
        }

        Peer lookup(Key address) {
            Peer best = null;
            int bestCidr = -1;
            for (var e : owner.entrySet()) {
                if (e.getKey().cidr > bestCidr && e.getKey().contains(address)) {
                    best = e.getValue();
                    bestCidr = e.getKey().cidr;
                }
            }
            return best;
        }

        List<IpPrefix> list(Peer p) {
            var l = lists.get(p);
            var out = new ArrayList<IpPrefix>();
            if (l != null) for (Key k : l) out.add(IpPrefix.of(k.bytes(), k.cidr));
            return out;
        }
    }

    // ------------------------------------------------------------------ generators

    /** Random prefixes clustered around a few bases (as the kernel's mutated routes), so that they nest and collide. */
    static final class Gen {
        final SplittableRandom r;
        final Key[] bases4 = new Key[5];
        final Key[] bases6 = new Key[5];

        Gen(SplittableRandom r) {
            this.r = r;
            for (int i = 0; i < bases4.length; i++) {
                bases4[i] = new Key(false, r.nextLong() & 0xffffffff00000000L, 0, 32);
                bases6[i] = new Key(true, r.nextLong(), r.nextLong(), 128);
            }
        }

        /** A base with the bits after a random position replaced by random bits. */
        Key address(boolean v6) {
            Key b = v6 ? bases6[r.nextInt(bases6.length)] : bases4[r.nextInt(bases4.length)];
            int width = v6 ? 128 : 32;
            int keep = r.nextInt(width + 1);
            return mutate(b, keep, width);
        }

        Key mutate(Key b, int keep, int width) {
            long rh = r.nextLong(), rl = r.nextLong();
            long hi = b.hi, lo = b.lo;
            if (keep < 64) hi = keep == 0 ? rh : (hi & (-1L << (64 - keep))) | (rh & (-1L >>> keep));
            if (width == 128) lo = keep <= 64 ? rl : keep == 128 ? lo : (lo & (-1L << (128 - keep))) | (rl & (-1L >>> (keep - 64)));
            if (width == 32) hi &= 0xffffffff00000000L;
            return new Key(b.v6, hi, lo, width);
        }

        /** A prefix next to a stored one: one bit longer or shorter, or with one of its last bits flipped. */
        Key neighbour(Model m, boolean v6) {
            var keys = m.owner.keySet().stream().filter(k -> k.v6 == v6).toArray(Key[]::new);
            if (keys.length == 0) return prefix(v6);
            Key k = keys[r.nextInt(keys.length)];
            int width = v6 ? 128 : 32;
            int cidr = Math.clamp(k.cidr + r.nextInt(-1, 2), 0, width);
            int flip = cidr == 0 ? -1 : cidr - 1 - r.nextInt(Math.min(cidr, 3)); // a bit inside the prefix
            long hi = k.hi, lo = k.lo;
            if (flip >= 0 && flip < 64) hi ^= 1L << (63 - flip);
            else if (flip >= 64) lo ^= 1L << (127 - flip);
            if (r.nextBoolean()) return new Key(v6, k.hi, k.lo, cidr); // same bits, other length
            return new Key(v6, hi, lo, cidr);
        }

        Key prefix(boolean v6) {
            int width = v6 ? 128 : 32;
            Key a = address(v6);
            // Lengths spread over the whole range, the default route included, long ones more often.
            int cidr = r.nextInt(4) == 0 ? r.nextInt(width + 1) : width - r.nextInt(Math.min(width, 24) + 1);
            return new Key(v6, a.hi, a.lo, cidr);
        }

        /** An address near a stored prefix (inside or just outside), or anywhere. */
        Key probe(Model m, boolean v6) {
            if (!m.owner.isEmpty() && r.nextInt(4) != 0) {
                var keys = m.owner.keySet().toArray(new Key[0]);
                Key k = keys[r.nextInt(keys.length)];
                if (k.v6 == v6) {
                    int width = v6 ? 128 : 32;
                    int keep = Math.max(0, k.cidr - r.nextInt(3));
                    return mutate(new Key(v6, k.hi, k.lo, width), keep, width);
                }
            }
            return r.nextInt(8) == 0 ? randomAddress(v6) : address(v6);
        }

        Key randomAddress(boolean v6) {
            return v6 ? new Key(true, r.nextLong(), r.nextLong(), 128) : new Key(false, r.nextLong() & 0xffffffff00000000L, 0, 32);
        }
    }

    static Peer lookup(AllowedIpsTrie<Peer> t, Key a, boolean viaSegment) {
        if (viaSegment) {
            // A packet with the address at offset 16 (IPv4 destination) or 24 (IPv6 destination).
            var seg = MemorySegment.ofArray(new byte[64]);
            long off = a.v6 ? 24 : 16;
            MemorySegment.copy(MemorySegment.ofArray(a.bytes()), 0, seg, off, a.v6 ? 16 : 4);
            return t.lookup(seg, off, a.v6);
        }
        return a.v6 ? t.lookupV6(a.hi, a.lo) : t.lookupV4((int) (a.hi >>> 32));
    }

    // ------------------------------------------------------------------ properties

    @ParameterizedTest
    @MethodSource("seeds")
    void trieAgreesWithTheNaiveModelThroughRandomInsertsMovesAndRemoves(long seed) {
        var r = new SplittableRandom(seed);
        var gen = new Gen(r);
        // Few peers (remove-all prunes the whole trie in one pass) or many (it removes prefix by prefix).
        var peers = new Peer[r.nextBoolean() ? 3 + r.nextInt(4) : 40];
        for (int i = 0; i < peers.length; i++) peers[i] = new Peer(i);
        var t = new AllowedIpsTrie<Peer>();
        var m = new Model();
        for (int step = 0; step < 1500; step++) {
            int s = step;
            boolean v6 = r.nextBoolean();
            int op = r.nextInt(100);
            Peer p = peers[r.nextInt(peers.length)];
            if (op < 55) {
                Key k = r.nextInt(3) == 0 ? gen.neighbour(m, v6) : gen.prefix(v6);
                t.insert(k.bytes(), k.cidr, p);
                m.insert(k, p);
            } else if (op < 75 && !m.owner.isEmpty()) {
                // Remove a stored prefix, with its owner or (a third of the time) another peer.
                var keys = m.owner.keySet().toArray(new Key[0]);
                Key k = keys[r.nextInt(keys.length)];
                Peer who = r.nextInt(3) == 0 ? p : m.owner.get(k);
                // Host bits set on purpose: remove masks like insert.
                Key unmasked = gen.mutate(new Key(k.v6, k.hi, k.lo, k.v6 ? 128 : 32), k.cidr, k.v6 ? 128 : 32);
                boolean expected = m.remove(new Key(k.v6, unmasked.hi, unmasked.lo, k.cidr), who);
                assertEquals(expected, t.remove(unmasked.bytes(), k.cidr, who), () -> "seed " + seed + " step " + s + " remove");
            } else if (op < 90) {
                Key k = gen.prefix(v6); // usually absent
                boolean expected = m.remove(k, p);
                assertEquals(expected, t.remove(k.bytes(), k.cidr, p), () -> "seed " + seed + " step " + s + " remove absent");
            } else if (op < 94) {
                int expected = m.removeAll(p);
                assertEquals(expected, t.removeAll(p), () -> "seed " + seed + " step " + s + " removeAll");
            }
            for (int q = 0; q < 6; q++) {
                Key a = gen.probe(m, r.nextBoolean());
                Peer want = m.lookup(a);
                Peer got = lookup(t, a, (q & 1) == 0);
                assertSame(want, got, () -> "seed " + seed + " step " + s + " lookup " + a);
            }
            if (step % 100 == 99) checkWhole(t, m, peers, seed, step);
        }
        checkWhole(t, m, peers, seed, -1);
        for (Peer p : peers) assertEquals(m.removeAll(p), t.removeAll(p), "seed " + seed);
        assertEquals(0, t.size(), "seed " + seed);
        assertEquals(0, t.nodeCount(), "seed " + seed + ": an empty trie keeps no node");
    }

    /**
     * Arbitrary input to the writer methods (address arrays of any length, null, any prefix length)
     * either works as the model says or is refused with IllegalArgumentException naming the problem,
     * and a refused call changes nothing.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void malformedWriterInputIsRefusedClearlyAndChangesNothing(long seed) {
        var r = new SplittableRandom(seed);
        var t = new AllowedIpsTrie<Peer>();
        var m = new Model();
        Peer p = new Peer(1);
        for (int step = 0; step < 300; step++) {
            int len = switch (r.nextInt(6)) {
                case 0 -> -1; // null
                case 1 -> r.nextInt(0, 33);
                default -> r.nextBoolean() ? 4 : 16;
            };
            byte[] a = len < 0 ? null : new byte[len];
            if (a != null) r.nextBytes(a);
            int cidr = r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(-3, 132);
            boolean valid = a != null && (len == 4 || len == 16) && cidr >= 0 && cidr <= len * 8;
            int op = r.nextInt(3);
            int s = step;
            try {
                if (op == 0) {
                    t.insert(a, cidr, p);
                    m.insert(Key.of(a, cidr), p);
                } else if (op == 1) {
                    boolean removed = t.remove(a, cidr, p);
                    assertEquals(m.remove(Key.of(a, cidr), p), removed, "seed " + seed + " step " + s);
                } else {
                    var prefix = IpPrefix.of(a, cidr).masked();
                    assertEquals(Key.of(a, cidr).masked(), Key.of(prefix.address(), prefix.cidr()), "seed " + seed + " step " + s);
                }
                assertTrue(valid, () -> "seed " + seed + " step " + s + ": accepted " + len + " bytes /" + cidr);
            } catch (IllegalArgumentException e) {
                assertTrue(!valid, () -> "seed " + seed + " step " + s + ": refused valid input: " + e.getMessage());
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "seed " + seed + ": a message");
            }
            assertEquals(m.owner.size(), t.size(), "seed " + seed + " step " + s);
            assertEquals(m.list(p), t.list(p), "seed " + seed + " step " + s);
        }
    }

    private static void checkWhole(AllowedIpsTrie<Peer> t, Model m, Peer[] peers, long seed, int step) {
        assertEquals(m.owner.size(), t.size(), "seed " + seed + " step " + step + " size");
        for (Peer p : peers) assertEquals(m.list(p), t.list(p), "seed " + seed + " step " + step + " list " + p);
        long nodes = t.nodeCount();
        assertTrue(nodes <= Math.max(0, 2L * m.owner.size() - 1),
                "seed " + seed + " step " + step + ": " + nodes + " nodes for " + m.owner.size() + " prefixes");
    }

    /**
     * Readers run lookups while the writer walks a fixed sequence of operations again and again
     * (S0 empty, S1 .. SL, and the last operations empty it again). The writer counts completed
     * operations; a reader reads the count before (lo) and after (hi) a lookup. The trie was in one
     * of the states S(lo) .. S(hi + 1) during the lookup (the writer publishes S(k + 1) before it
     * counts k + 1), so the answer must be the model's answer in one of them. A reader that could
     * see a half-made operation (half of a remove-all, a branch node without its child) would give
     * an answer that no state has.
     */
    @ParameterizedTest
    @MethodSource("concurrentSeeds")
    void readersOnlyEverSeeAnswersOfAStateTheWriterPublished(long seed) throws InterruptedException {
        var r = new SplittableRandom(seed);
        var gen = new Gen(r);
        var peers = new Peer[r.nextBoolean() ? 5 : 40];
        for (int i = 0; i < peers.length; i++) peers[i] = new Peer(i);

        // The operation sequence, applied to a model to get the probe answers in every state.
        record Op(int kind, Key key, Peer peer) {}
        var ops = new ArrayList<Op>();
        var m = new Model();
        var probes = new ArrayList<Key>();
        for (int i = 0; i < 400; i++) {
            Peer p = peers[r.nextInt(peers.length)];
            int kind = r.nextInt(10);
            if (kind < 6 || m.owner.isEmpty()) {
                boolean v6 = r.nextBoolean();
                Key k = r.nextInt(3) == 0 ? gen.neighbour(m, v6) : gen.prefix(v6);
                ops.add(new Op(0, k, p));
                m.insert(k, p);
            } else if (kind < 9) {
                var keys = m.owner.keySet().toArray(new Key[0]);
                Key k = keys[r.nextInt(keys.length)];
                ops.add(new Op(1, k, m.owner.get(k)));
                m.remove(k, m.owner.get(k));
            } else {
                ops.add(new Op(2, null, p));
                m.removeAll(p);
            }
            if (i % 8 == 0) probes.add(gen.probe(m, r.nextBoolean()));
        }
        for (Peer p : peers) {
            ops.add(new Op(2, null, p));
            m.removeAll(p);
        }
        while (probes.size() < 64) probes.add(gen.address(r.nextBoolean()));
        int cycle = ops.size();
        var answers = new Peer[cycle][probes.size()];
        var replay = new Model();
        for (int k = 0; k < cycle; k++) {
            // answers[k] is the state after k operations, S(k); S(cycle) is S(0), empty.
            for (int q = 0; q < probes.size(); q++) answers[k][q] = replay.lookup(probes.get(q));
            Op op = ops.get(k);
            switch (op.kind) {
                case 0 -> replay.insert(op.key, op.peer);
                case 1 -> replay.remove(op.key, op.peer);
                default -> replay.removeAll(op.peer);
            }
        }
        assertTrue(replay.owner.isEmpty(), "seed " + seed + ": the cycle ends empty");

        var t = new AllowedIpsTrie<Peer>();
        var completed = new AtomicLong();
        var stop = new AtomicBoolean();
        var failure = new AtomicReference<Throwable>();
        var checked = new AtomicLong();
        Key[] probeArray = probes.toArray(new Key[0]);
        Runnable reader = () -> {
            var rr = new SplittableRandom(seed ^ Thread.currentThread().threadId());
            try {
                while (!stop.get()) {
                    int q = rr.nextInt(probeArray.length);
                    long lo = completed.get();
                    Peer got = lookup(t, probeArray[q], false);
                    long hi = completed.get();
                    if (hi + 1 - lo >= cycle) continue; // the writer lapped us: any state was possible
                    boolean ok = false;
                    for (long k = lo; k <= hi + 1 && !ok; k++) ok = answers[(int) (k % cycle)][q] == got;
                    if (!ok) {
                        throw new AssertionError("seed " + seed + ": probe " + probeArray[q] + " answered " + got
                                + " which no state between operation " + lo + " and " + (hi + 1) + " gives");
                    }
                    checked.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        var readers = new Thread[] {new Thread(reader, "trie-reader-1"), new Thread(reader, "trie-reader-2")};
        for (Thread th : readers) th.start();
        try {
            // At least 0.4 s and 2000 checked answers (readers may start late on a busy machine), at most 10 s.
            long start = System.nanoTime();
            for (int lap = 0; lap < 5000 && failure.get() == null; lap++) {
                long elapsed = System.nanoTime() - start;
                if (elapsed > 10_000_000_000L || (elapsed > 400_000_000L && checked.get() >= 2000)) break;
                for (Op op : ops) {
                    switch (op.kind) {
                        case 0 -> t.insert(op.key.bytes(), op.key.cidr, op.peer);
                        case 1 -> t.remove(op.key.bytes(), op.key.cidr, op.peer);
                        default -> t.removeAll(op.peer);
                    }
                    completed.incrementAndGet();
                }
                assertEquals(0, t.size(), "seed " + seed + ": each lap ends empty");
            }
        } finally {
            stop.set(true);
            for (Thread th : readers) th.join(10_000);
        }
        if (failure.get() != null) throw new AssertionError(failure.get().getMessage(), failure.get());
        assertTrue(checked.get() > 0, "seed " + seed + ": the readers checked no answer");
        assertNull(lookup(t, probeArray[0], true), "seed " + seed + ": empty at the end");
    }
}
