package dev.jwgd.allowedips;

import java.util.Arrays;

/**
 * One peer's prefixes in the order they were (last) inserted, for {@link AllowedIpsTrie#list} and
 * {@link AllowedIpsTrie#removeAll}: the kernel keeps the same order in its per-peer
 * {@code allowedips_list}. Written and read only by the trie's writer, under its lock.
 *
 * <p>Compact on purpose (this index costs memory per prefix): entries live in parallel primitive
 * arrays in insertion order, removed entries become holes that a compaction closes, and an
 * open-addressing table of slot numbers finds an entry in O(1). A key is {@code hi, lo, meta}:
 * IPv4 keys sit in the low 32 bits of {@code hi}; {@code meta} is the prefix length, plus
 * {@link #V6} for IPv6.
 */
final class PeerPrefixes {
    static final short V6 = 0x100;
    private static final short DEAD = -1;
    private static final int EMPTY = 0;
    private static final int TOMB = -1;

    private long[] his = new long[2];
    private long[] los = new long[2];
    private short[] metas = new short[2];
    /** Slots in use, holes included. */
    private int end;
    private int live;
    /** Open addressing, linear probing: slot + 1, {@link #EMPTY} or {@link #TOMB}. */
    private int[] table = new int[4];
    private int tombs;

    int size() {
        return live;
    }

    static short meta(boolean v6, int cidr) {
        return (short) (v6 ? V6 | cidr : cidr);
    }

    /** Appends a key that is not present. */
    void add(long hi, long lo, short meta) {
        if (end == his.length) {
            if (end - live >= live) {
                compact();
            } else {
                int n = his.length * 2;
                his = Arrays.copyOf(his, n);
                los = Arrays.copyOf(los, n);
                metas = Arrays.copyOf(metas, n);
            }
        }
        int slot = end++;
        his[slot] = hi;
        los[slot] = lo;
        metas[slot] = meta;
        live++;
        if ((live + tombs) * 2 > table.length) {
            rehash();
        } else {
            place(slot);
        }
    }

    /** Removes a key; false when it is not present. */
    boolean remove(long hi, long lo, short meta) {
        int mask = table.length - 1;
        for (int p = hash(hi, lo, meta) & mask; ; p = (p + 1) & mask) {
            int t = table[p];
            if (t == EMPTY) return false;
            if (t == TOMB) continue;
            int s = t - 1;
            if (his[s] == hi && los[s] == lo && metas[s] == meta) {
                table[p] = TOMB;
                tombs++;
                metas[s] = DEAD;
                live--;
                if (live == 0) {
                    end = 0;
                    tombs = 0;
                    Arrays.fill(table, EMPTY);
                }
                return true;
            }
        }
    }

    /** Calls {@code visitor} for every live key in insertion order. */
    void forEach(KeyVisitor visitor) {
        for (int s = 0; s < end; s++) {
            if (metas[s] != DEAD) visitor.visit(his[s], los[s], metas[s]);
        }
    }

    @FunctionalInterface
    interface KeyVisitor {
        void visit(long hi, long lo, short meta);
    }

    /** Approximate retained bytes (arrays only), for the memory report. */
    long retainedBytes() {
        return 16L * 5 + his.length * 8L * 2 + metas.length * 2L + table.length * 4L;
    }

    private void compact() {
        int w = 0;
        for (int s = 0; s < end; s++) {
            if (metas[s] == DEAD) continue;
            his[w] = his[s];
            los[w] = los[s];
            metas[w] = metas[s];
            w++;
        }
        end = w;
        rehash();
    }

    private void rehash() {
        int n = 4;
        while (n < live * 4) n <<= 1;
        table = new int[n];
        tombs = 0;
        for (int s = 0; s < end; s++) {
            if (metas[s] != DEAD) place(s);
        }
    }

    private void place(int slot) {
        int mask = table.length - 1;
        int p = hash(his[slot], los[slot], metas[slot]) & mask;
        while (table[p] != EMPTY && table[p] != TOMB) p = (p + 1) & mask;
        if (table[p] == TOMB) tombs--;
        table[p] = slot + 1;
    }

    private static int hash(long hi, long lo, short meta) {
        long h = hi * 0x9E3779B97F4A7C15L + lo;
        h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L + meta;
        h ^= h >>> 32;
        return (int) h;
    }
}
