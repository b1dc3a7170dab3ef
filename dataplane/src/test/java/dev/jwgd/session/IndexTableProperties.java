package dev.jwgd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IndexTableProperties {
    static LongStream seeds() {
        return new SplittableRandom(0x696478L).longs(20);
    }

    /** Against a HashSet model: random inserts and deletes keep every live index findable. */
    @ParameterizedTest
    @MethodSource("seeds")
    void matchesASetModelUnderRandomInsertsAndDeletes(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        IndexTable t = new IndexTable(new SplittableRandom(seed + 1));
        List<Integer> live = new ArrayList<>();
        for (int op = 0; op < 3000; op++) {
            if (live.isEmpty() || r.nextInt(3) > 0) {
                live.add(t.newIndexForHandshake(null));
            } else {
                int idx = live.remove(r.nextInt(live.size()));
                t.delete(idx);
                assertNull(t.lookup(idx), "seed " + seed);
            }
        }
        assertEquals(live.size(), t.size(), "seed " + seed);
        for (int idx : live) assertNotNull(t.lookup(idx), "seed " + seed + " lost " + idx);
    }

    /**
     * Lock-free readers keep finding a fixed set of live indices, never anything for indices that
     * were never inserted, while a writer inserts, swaps and deletes thousands of others.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void readersNeverMissALiveIndexWhileAWriterChangesTheTable(long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        IndexTable t = new IndexTable(new SplittableRandom(seed + 2));
        List<Integer> stable = new ArrayList<>();
        for (int i = 0; i < 50; i++) stable.add(t.newIndexForHandshake(null));
        java.util.Set<Integer> stableSet = new java.util.HashSet<>(stable);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            SplittableRandom rr = new SplittableRandom(seed + 3);
            while (!stop.get() && failure.get() == null) {
                int idx = stable.get(rr.nextInt(stable.size()));
                IndexTable.Entry e = t.lookup(idx);
                if (e == null || e.index() != idx) failure.set("missed live index " + idx);
                int absent = rr.nextInt();
                IndexTable.Entry x = t.lookup(absent);
                if (x != null && !stableSet.contains(absent) && x.index() != absent) failure.set("wrong entry for " + absent);
            }
        });
        reader.start();
        List<Integer> churn = new ArrayList<>();
        for (int op = 0; op < 20_000 && failure.get() == null; op++) {
            if (churn.isEmpty() || r.nextInt(2) == 0) churn.add(t.newIndexForHandshake(null));
            else t.delete(churn.remove(r.nextInt(churn.size())));
        }
        stop.set(true);
        reader.join(10_000);
        assertNull(failure.get(), "seed " + seed);
        for (int idx : stable) assertNotNull(t.lookup(idx), "seed " + seed);
    }
}
