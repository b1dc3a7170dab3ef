package dev.jwgd.allowedips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-peer index keeps insertion order through removals, holes, compaction and rehashing. */
class PeerPrefixesTest {
    record K(long hi, long lo, short meta) {}

    private static List<K> contents(PeerPrefixes p) {
        var out = new ArrayList<K>();
        p.forEach((hi, lo, meta) -> out.add(new K(hi, lo, meta)));
        return out;
    }

    @Test
    void keepsInsertionOrderThroughManyRemovalsAndCompactions() {
        var p = new PeerPrefixes();
        var model = new LinkedHashSet<K>();
        var r = new SplittableRandom(7);
        for (int round = 0; round < 20_000; round++) {
            // Keys from a small universe, so that removes hit and re-adds happen.
            var k = new K(r.nextInt(40), r.nextInt(3) == 0 ? 1 : 0, PeerPrefixes.meta(r.nextBoolean(), 120 + r.nextInt(3)));
            if (model.contains(k)) {
                assertTrue(p.remove(k.hi, k.lo, k.meta), "round " + round);
                model.remove(k);
            } else if (r.nextInt(4) == 0) {
                assertFalse(p.remove(k.hi, k.lo, k.meta), "round " + round + ": absent");
            } else {
                p.add(k.hi, k.lo, k.meta);
                model.add(k);
            }
            assertEquals(model.size(), p.size(), "round " + round);
            if (round % 500 == 0) assertEquals(List.copyOf(model), contents(p), "round " + round);
        }
        assertEquals(List.copyOf(model), contents(p));
    }

    @Test
    void ipv4AndIpv6KeysWithTheSameBitsAndLengthAreDistinct() {
        var p = new PeerPrefixes();
        p.add(10, 0, PeerPrefixes.meta(false, 8));
        p.add(10, 0, PeerPrefixes.meta(true, 8));
        assertEquals(2, p.size());
        assertTrue(p.remove(10, 0, PeerPrefixes.meta(true, 8)));
        assertEquals(List.of(new K(10, 0, PeerPrefixes.meta(false, 8))), contents(p));
    }

    @Test
    void emptyingAndRefillingStartsAFreshOrder() {
        var p = new PeerPrefixes();
        for (int i = 0; i < 100; i++) p.add(i, 0, (short) 32);
        for (int i = 0; i < 100; i++) assertTrue(p.remove(i, 0, (short) 32));
        assertEquals(0, p.size());
        p.add(5, 0, (short) 32);
        p.add(1, 0, (short) 32);
        assertEquals(List.of(new K(5, 0, (short) 32), new K(1, 0, (short) 32)), contents(p));
    }
}
