package dev.jwgd.device;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The receiver-index table of whitepaper 5.4.2: random 32-bit local indices mapped to a handshake
 * in progress (the peer) or to an established {@link Keypair}. Lookups from the data path are
 * lock-free and allocation-free over an immutable open-addressing snapshot published with a
 * volatile write; changes (one per handshake) copy the snapshot under the table's lock
 * (single-writer, readers see either the old or the new table, never a half-made one).
 */
public final class IndexTable {
    /** What an index stands for: the peer, and the keypair once the session exists. */
    public record Entry(Peer peer, Keypair keypair) {}

    private record Table(int[] keys, Entry[] values, int size) {}

    private final SecureRandom random = new SecureRandom();
    private volatile Table table = new Table(new int[16], new Entry[16], 0);

    /** The entry for {@code index}, or null. */
    public Entry lookup(int index) {
        Table t = table;
        int mask = t.keys.length - 1;
        int i = mix(index) & mask;
        while (true) {
            Entry e = t.values[i];
            if (e == null) return null;
            if (t.keys[i] == index) return e;
            i = (i + 1) & mask;
        }
    }

    /** Reserves a fresh random index for a handshake of {@code peer}. */
    public synchronized int newIndex(Peer peer) {
        while (true) {
            int idx = random.nextInt();
            if (lookup(idx) == null) {
                put(idx, new Entry(peer, null));
                return idx;
            }
        }
    }

    /** Points {@code index} at an established keypair (replacing the handshake entry). */
    public synchronized void bindKeypair(int index, Keypair keypair) {
        put(index, new Entry(keypair.peer(), keypair));
    }

    public synchronized void remove(int index) {
        if (lookup(index) == null) return;
        Table t = table;
        int[] keys = new int[t.keys.length];
        Entry[] values = new Entry[t.keys.length];
        Table fresh = new Table(keys, values, 0);
        int size = 0;
        for (int i = 0; i < t.keys.length; i++) {
            if (t.values[i] != null && t.keys[i] != index) {
                insert(fresh, t.keys[i], t.values[i]);
                size++;
            }
        }
        table = new Table(keys, values, size);
    }

    public int size() {
        return table.size;
    }

    private void put(int index, Entry entry) {
        Table t = table;
        boolean replacing = lookup(index) != null;
        int size = t.size + (replacing ? 0 : 1);
        int cap = t.keys.length;
        while (size * 2 > cap) cap *= 2;
        int[] keys = Arrays.copyOf(t.keys, t.keys.length);
        Entry[] values = Arrays.copyOf(t.values, t.values.length);
        Table fresh;
        if (cap != t.keys.length) {
            fresh = new Table(new int[cap], new Entry[cap], size);
            for (int i = 0; i < t.keys.length; i++) if (t.values[i] != null) insert(fresh, t.keys[i], t.values[i]);
        } else {
            fresh = new Table(keys, values, size);
        }
        insert(fresh, index, entry);
        table = fresh;
    }

    private static void insert(Table t, int key, Entry value) {
        int mask = t.keys.length - 1;
        int i = mix(key) & mask;
        while (t.values[i] != null && t.keys[i] != key) i = (i + 1) & mask;
        t.keys[i] = key;
        t.values[i] = value;
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
