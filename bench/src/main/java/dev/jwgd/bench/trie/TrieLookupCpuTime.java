package dev.jwgd.bench.trie;

import java.lang.management.ManagementFactory;

/**
 * A companion to {@link AllowedIpsTrieBench} for a shared, loaded machine: the same workload, but
 * lookups per second of this thread's CPU time rather than of wall-clock time, so that other
 * processes taking the core do not lower the figure (they still share the caches). Prints one line
 * per size and round; the first two rounds are warm-up.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.jwgd.bench.trie.TrieLookupCpuTime 1000 100000 1000000}
 */
public final class TrieLookupCpuTime {
    private TrieLookupCpuTime() {}

    public static void main(String[] args) {
        var threads = ManagementFactory.getThreadMXBean();
        for (String arg : args.length == 0 ? new String[] {"1000", "100000", "1000000"} : args) {
            var state = new AllowedIpsTrieBench.TrieState();
            state.prefixes = Integer.parseInt(arg);
            state.build();
            var bench = new AllowedIpsTrieBench();
            long sink = 0;
            for (int round = 0; round < 5; round++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                long lookups = 0;
                while (threads.getCurrentThreadCpuTime() - cpu0 < 1_000_000_000L) {
                    sink += bench.trie(state);
                    lookups += AllowedIpsTrieBench.PROBES;
                }
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                long wall = System.nanoTime() - wall0;
                System.out.printf("%s%d prefixes: %.2f M lookups per CPU-second (%.0f ns of CPU per lookup); %.2f M per wall-clock second%n",
                        round < 2 ? "(warm-up) " : "", state.prefixes, lookups * 1e3 / cpu, cpu / (double) lookups, lookups * 1e3 / wall);
            }
            if (sink == 42) System.out.println(); // keeps the results alive
        }
    }
}
