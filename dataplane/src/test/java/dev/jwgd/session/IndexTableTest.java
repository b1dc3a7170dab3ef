package dev.jwgd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IndexTableTest {
    @Test
    void newIndicesAreUniqueAndFoundUntilDeleted() {
        IndexTable t = new IndexTable(new SplittableRandom(5));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) assertTrue(seen.add(t.newIndexForHandshake(null)));
        for (int idx : seen) {
            IndexTable.Entry e = t.lookup(idx);
            assertNotNull(e);
            assertTrue(e.isHandshake());
        }
        for (int idx : seen) t.delete(idx);
        assertEquals(0, t.size());
        for (int idx : seen) assertNull(t.lookup(idx));
    }

    @Test
    void aCollidingRandomIndexIsNeverHandedOutTwice() {
        // A generator that repeats itself: the table must skip values already in use.
        int[] values = {7, 7, 7, 9};
        int[] i = {0};
        IndexTable t = new IndexTable(new java.util.random.RandomGenerator() {
            @Override public long nextLong() { return values[Math.min(i[0]++, values.length - 1)]; }
            @Override public int nextInt() { return (int) nextLong(); }
        });
        assertEquals(7, t.newIndexForHandshake(null));
        assertEquals(9, t.newIndexForHandshake(null));
    }
}
