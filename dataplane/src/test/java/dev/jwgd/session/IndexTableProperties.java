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
}
