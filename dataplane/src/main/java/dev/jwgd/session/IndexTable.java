package dev.jwgd.session;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;

/**
 * Random 32-bit local indices (whitepaper 5.4.2: "sender index") mapped to the handshake or keypair
 * they name (wireguard-go {@code indextable.go}, kernel {@code index_hashtable}).
 *
 * <p>Readers (the data path looking up a receiver index) take no lock and allocate nothing: entries
 * are immutable records stored with release and read with acquire ordering. Writers (handshake,
 * timer and control threads) serialize on {@code this}. Open addressing with linear probing;
 * a removal leaves a tombstone rather than a hole, so a reader never stops early and never misses
 * a live entry while a writer works; a handshake index becomes a keypair index by replacing the
 * entry in its slot in one store. When tombstones and entries fill half the table it is rebuilt
 * into a new array published through a volatile field; a reader still on the old array sees the
 * entries as they were, and an entry removed meanwhile names a keypair that is already wiped and
 * invalid.
 */
public final class IndexTable {
    /** What an index names: a handshake in progress ({@code keypair == null}), or a keypair. */
    public record Entry(int index, PeerSession peer, Keypair keypair) {
        public boolean isHandshake() { return keypair == null; }
    }

    private static final Entry TOMBSTONE = new Entry(0, null, null);

    private final RandomGenerator random;
    private volatile AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(64);
    private int size;
    private int tombstones;

    public IndexTable(RandomGenerator random) {
        this.random = random;
    }

    private static int hash(int index) {
        int h = index * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** Lock-free lookup; null when unknown. */
    public Entry lookup(int index) {
        AtomicReferenceArray<Entry> s = slots;
        int mask = s.length() - 1;
        int i = hash(index) & mask;
        for (int probes = 0; probes <= mask; probes++) {
            Entry e = s.getAcquire(i);
            if (e == null) return null;
            if (e != TOMBSTONE && e.index == index) return e;
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Picks a fresh random index for a handshake of {@code peer} and registers it. */
    public synchronized int newIndexForHandshake(PeerSession peer) {
        while (true) {
            int index = random.nextInt();
            if (find(slots, index) >= 0) continue;
            insert(new Entry(index, peer, null));
            return index;
        }
    }

    /** Re-points a handshake's index at the keypair derived from it, in one store. */
    public synchronized void swapIndexForKeypair(int index, Keypair keypair) {
        Entry e = new Entry(index, keypair.peer(), keypair);
        AtomicReferenceArray<Entry> s = slots;
        int slot = find(s, index);
        if (slot >= 0) s.setRelease(slot, e);
        else insert(e);
    }

    public synchronized void delete(int index) {
        AtomicReferenceArray<Entry> s = slots;
        int slot = find(s, index);
        if (slot < 0) return;
        s.setRelease(slot, TOMBSTONE);
        size--;
        tombstones++;
    }

    public synchronized int size() {
        return size;
    }

    /** The slot holding {@code index}, or -1. Under the monitor. */
    private static int find(AtomicReferenceArray<Entry> s, int index) {
        int mask = s.length() - 1;
        int i = hash(index) & mask;
        for (int probes = 0; probes <= mask; probes++) {
            Entry e = s.getPlain(i);
            if (e == null) return -1;
            if (e != TOMBSTONE && e.index == index) return i;
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void insert(Entry e) {
        AtomicReferenceArray<Entry> s = slots;
        if ((size + tombstones + 1) * 2 > s.length()) {
            int capacity = 64;
            while (capacity < (size + 1) * 4) capacity <<= 1;
            AtomicReferenceArray<Entry> fresh = new AtomicReferenceArray<>(capacity);
            for (int j = 0; j < s.length(); j++) {
                Entry old = s.getPlain(j);
                if (old != null && old != TOMBSTONE) place(fresh, old);
            }
            tombstones = 0;
            slots = fresh; // volatile publication of the fully built table
            s = fresh;
        }
        int mask = s.length() - 1;
        int i = hash(e.index) & mask;
        while (true) {
            Entry x = s.getPlain(i);
            if (x == null) break;
            if (x == TOMBSTONE) {
                tombstones--;
                break;
            }
            i = (i + 1) & mask;
        }
        s.setRelease(i, e);
        size++;
    }

    private static void place(AtomicReferenceArray<Entry> s, Entry e) {
        int mask = s.length() - 1;
        int i = hash(e.index) & mask;
        while (s.getPlain(i) != null) i = (i + 1) & mask;
        s.setPlain(i, e);
    }
}
