package dev.jwgd.session;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;

/**
 * Random 32-bit local indices (whitepaper 5.4.2: "sender index") mapped to the handshake or keypair
 * they name (wireguard-go {@code indextable.go}, kernel {@code index_hashtable}). Readers (the data
 * path looking up a receiver index) take no lock and allocate nothing: entries are immutable and
 * published in an {@link AtomicReferenceArray}, and a resize publishes a whole new array through a
 * volatile field (release on write, acquire on read). Writers (handshake and timer threads)
 * serialize on {@code this}. Open addressing with linear probing; a removal re-places the rest of its
 * probe run so that lookups never stop early at the hole. While an entry is being re-placed a
 * concurrent reader may miss it for an instant: that costs one dropped packet, never a wrong match,
 * because a reader only returns an entry whose index equals the one it looks for.
 */
public final class IndexTable {
    /** What an index names: a handshake in progress, or a keypair. */
    public record Entry(int index, PeerSession peer, Keypair keypair) {
        public boolean isHandshake() { return keypair == null; }
    }

    private final RandomGenerator random;
    private volatile AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(64);
    private int size;

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
            if (e.index == index) return e;
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Picks a fresh random index for a handshake of {@code peer} and registers it. */
    public synchronized int newIndexForHandshake(PeerSession peer) {
        while (true) {
            int index = random.nextInt();
            if (lookup(index) != null) continue;
            insert(new Entry(index, peer, null));
            return index;
        }
    }

    /** Re-points a handshake's index at the keypair derived from it. */
    public synchronized void swapIndexForKeypair(int index, Keypair keypair) {
        remove(index);
        insert(new Entry(index, keypair.peer(), keypair));
    }

    public synchronized void delete(int index) {
        remove(index);
    }

    public synchronized int size() {
        return size;
    }

    private void insert(Entry e) {
        AtomicReferenceArray<Entry> s = slots;
        if ((size + 1) * 2 > s.length()) {
            AtomicReferenceArray<Entry> bigger = new AtomicReferenceArray<>(s.length() * 2);
            for (int j = 0; j < s.length(); j++) {
                Entry old = s.getPlain(j);
                if (old != null) place(bigger, old);
            }
            slots = bigger;
            s = bigger;
        }
        place(s, e);
        size++;
    }

    private static void place(AtomicReferenceArray<Entry> s, Entry e) {
        int mask = s.length() - 1;
        int i = hash(e.index) & mask;
        while (s.getPlain(i) != null) i = (i + 1) & mask;
        s.setRelease(i, e);
    }

    private void remove(int index) {
        AtomicReferenceArray<Entry> s = slots;
        int mask = s.length() - 1;
        int i = hash(index) & mask;
        while (true) {
            Entry e = s.getPlain(i);
            if (e == null) return;
            if (e.index == index) break;
            i = (i + 1) & mask;
        }
        s.setRelease(i, null);
        size--;
        // Re-place the rest of this probe run so lookups do not stop at the new hole.
        int j = (i + 1) & mask;
        Entry e;
        while ((e = s.getPlain(j)) != null) {
            s.setRelease(j, null);
            place(s, e);
            j = (j + 1) & mask;
        }
    }
}
