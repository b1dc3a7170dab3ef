package dev.jwgd.bench.trie;

import dev.jwgd.allowedips.AllowedIpsTrie;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.SplittableRandom;
import java.util.TreeSet;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * AllowedIPs lookups per second at 1k, 100k and 1M prefixes (half IPv4, half IPv6), for
 * {@link AllowedIpsTrie} and, beside it, a simple baseline: one {@link HashMap} per prefix length,
 * probed from the longest length present down to the shortest. Each invocation looks up
 * {@value #PROBES} addresses, half inside a stored prefix and half random, mixed v4/v6; the score is
 * lookups per second.
 *
 * <p>Bytes per prefix are printed by each trial's setup (look for lines starting with
 * {@code # memory}): the heap in use after {@code System.gc()} before and after building the
 * structure, divided by the prefixes stored, plus the trie's own estimate by counting nodes.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar AllowedIpsTrieBench -prof gc} (the gc profiler
 * shows {@code gc.alloc.rate.norm} ≈ 0 B/op for the trie).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class AllowedIpsTrieBench {
    static final int PROBES = 4096;

    /** A peer: an identity, as the data path's peer objects. */
    public static final class Peer {
        final int id;

        Peer(int id) {
            this.id = id;
        }
    }

    /** The prefixes and probe addresses, the same for both structures at a given size (seeded). */
    @State(Scope.Benchmark)
    public abstract static class Workload {
        @Param({"1000", "100000", "1000000"})
        public int prefixes;

        final Peer[] peers = new Peer[256];
        boolean[] pv6;
        long[] phi;
        long[] plo;
        int[] pcidr;
        final boolean[] qv6 = new boolean[PROBES];
        final long[] qhi = new long[PROBES];
        final long[] qlo = new long[PROBES];

        void generate() {
            var r = new SplittableRandom(42);
            for (int i = 0; i < peers.length; i++) peers[i] = new Peer(i);
            pv6 = new boolean[prefixes];
            phi = new long[prefixes];
            plo = new long[prefixes];
            pcidr = new int[prefixes];
            for (int i = 0; i < prefixes; i++) {
                boolean v6 = (i & 1) == 1;
                pv6[i] = v6;
                int k = r.nextInt(100);
                if (v6) {
                    // Mostly host routes and /64s inside fd00::/8, as tunnels assign them.
                    phi[i] = 0xfd00_0000_0000_0000L | (r.nextLong() >>> 8);
                    plo[i] = r.nextLong();
                    pcidr[i] = k < 50 ? 128 : k < 75 ? 64 : r.nextInt(16, 129);
                } else {
                    phi[i] = Integer.toUnsignedLong(r.nextInt());
                    pcidr[i] = k < 60 ? 32 : k < 80 ? 24 : r.nextInt(8, 33);
                }
            }
            for (int q = 0; q < PROBES; q++) {
                if (r.nextBoolean()) {
                    // Inside a stored prefix: its bits, random host bits.
                    int i = r.nextInt(prefixes);
                    qv6[q] = pv6[i];
                    int c = pcidr[i];
                    if (pv6[i]) {
                        long mh = c >= 64 ? -1L : -1L << (64 - c);
                        long ml = c <= 64 ? 0 : -1L << (128 - c);
                        qhi[q] = (phi[i] & mh) | (r.nextLong() & ~mh);
                        qlo[q] = (plo[i] & ml) | (r.nextLong() & ~ml);
                    } else {
                        long m = c == 0 ? 0 : (0xFFFF_FFFFL << (32 - c)) & 0xFFFF_FFFFL;
                        qhi[q] = (phi[i] & m) | (r.nextInt() & ~m & 0xFFFF_FFFFL);
                    }
                } else {
                    qv6[q] = r.nextBoolean();
                    qhi[q] = qv6[q] ? 0xfd00_0000_0000_0000L | (r.nextLong() >>> 8) : Integer.toUnsignedLong(r.nextInt());
                    qlo[q] = qv6[q] ? r.nextLong() : 0;
                }
            }
        }

        byte[] address(int i) {
            return pv6[i]
                    ? ByteBuffer.allocate(16).putLong(phi[i]).putLong(plo[i]).array()
                    : ByteBuffer.allocate(4).putInt((int) phi[i]).array();
        }

        static long usedHeapAfterGc() {
            var memory = ManagementFactory.getMemoryMXBean();
            long used = Long.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                System.gc();
                used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
            }
            return used;
        }
    }

    @State(Scope.Benchmark)
    public static class TrieState extends Workload {
        AllowedIpsTrie<Peer> trie;

        @Setup(Level.Trial)
        public void build() {
            generate();
            long before = usedHeapAfterGc();
            trie = new AllowedIpsTrie<>();
            for (int i = 0; i < prefixes; i++) trie.insert(address(i), pcidr[i], peers[i % peers.length]);
            long after = usedHeapAfterGc();
            int stored = trie.size();
            System.out.printf("%n# memory trie %d prefixes (%d stored, %d nodes): %.1f bytes/prefix measured (heap after GC), %.1f estimated%n",
                    prefixes, stored, trie.nodeCount(), (after - before) / (double) stored, trie.estimatedBytes() / (double) stored);
        }
    }

    /** The baseline: a HashMap per prefix length, masked address to peer, probed longest first. */
    @State(Scope.Benchmark)
    public static class HashPerLengthState extends Workload {
        record V6(long hi, long lo) {}

        @SuppressWarnings("unchecked")
        final HashMap<Long, Peer>[] v4 = new HashMap[33];
        @SuppressWarnings("unchecked")
        final HashMap<V6, Peer>[] v6 = new HashMap[129];
        int[] lengths4;
        int[] lengths6;

        @Setup(Level.Trial)
        public void build() {
            generate();
            long before = usedHeapAfterGc();
            var l4 = new TreeSet<Integer>();
            var l6 = new TreeSet<Integer>();
            int stored = 0;
            for (int i = 0; i < prefixes; i++) {
                int c = pcidr[i];
                Peer p = peers[i % peers.length];
                if (pv6[i]) {
                    if (v6[c] == null) v6[c] = new HashMap<>();
                    if (v6[c].put(new V6(phi[i] & mask6hi(c), plo[i] & mask6lo(c)), p) == null) stored++;
                    l6.add(c);
                } else {
                    if (v4[c] == null) v4[c] = new HashMap<>();
                    if (v4[c].put(phi[i] & mask4(c), p) == null) stored++;
                    l4.add(c);
                }
            }
            lengths4 = l4.descendingSet().stream().mapToInt(Integer::intValue).toArray();
            lengths6 = l6.descendingSet().stream().mapToInt(Integer::intValue).toArray();
            long after = usedHeapAfterGc();
            System.out.printf("%n# memory hash-per-length %d prefixes (%d stored): %.1f bytes/prefix measured (heap after GC)%n",
                    prefixes, stored, (after - before) / (double) stored);
        }

        Peer lookup4(long a) {
            for (int c : lengths4) {
                Peer p = v4[c].get(a & mask4(c));
                if (p != null) return p;
            }
            return null;
        }

        Peer lookup6(long hi, long lo) {
            for (int c : lengths6) {
                Peer p = v6[c].get(new V6(hi & mask6hi(c), lo & mask6lo(c)));
                if (p != null) return p;
            }
            return null;
        }

        static long mask4(int c) {
            return c == 0 ? 0 : (0xFFFF_FFFFL << (32 - c)) & 0xFFFF_FFFFL;
        }

        static long mask6hi(int c) {
            return c >= 64 ? -1L : c == 0 ? 0 : -1L << (64 - c);
        }

        static long mask6lo(int c) {
            return c <= 64 ? 0 : -1L << (128 - c);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PROBES)
    public int trie(TrieState s) {
        int hits = 0;
        var trie = s.trie;
        for (int q = 0; q < PROBES; q++) {
            Peer p = s.qv6[q] ? trie.lookupV6(s.qhi[q], s.qlo[q]) : trie.lookupV4((int) s.qhi[q]);
            if (p != null) hits += p.id;
        }
        return hits;
    }

    @Benchmark
    @OperationsPerInvocation(PROBES)
    public int hashPerLength(HashPerLengthState s) {
        int hits = 0;
        for (int q = 0; q < PROBES; q++) {
            Peer p = s.qv6[q] ? s.lookup6(s.qhi[q], s.qlo[q]) : s.lookup4(s.qhi[q]);
            if (p != null) hits += p.id;
        }
        return hits;
    }
}
