package dev.jwgd.ratelimiter;

/**
 * Per-source-address token bucket for handshake messages while under load (kernel
 * {@code ratelimiter.c}, wireguard-go {@code ratelimiter}): 20 packets per second per address with a
 * burst of 5. IPv4 sources are keyed by address, IPv6 by their /64, as in the kernel. Memory is fixed
 * at construction: a table of {@code capacity} slots that never grows; when it is full new sources are
 * refused until the once-a-second sweep frees entries idle for more than a second. Allocation-free.
 * Thread-safe (one monitor; handshake path only).
 */
public final class Ratelimiter {
    public static final int PACKETS_PER_SECOND = 20;
    public static final int PACKETS_BURSTABLE = 5;
    static final long SECOND = 1_000_000_000L;
    public static final long PACKET_COST = SECOND / PACKETS_PER_SECOND;
    public static final long TOKEN_MAX = PACKET_COST * PACKETS_BURSTABLE;

    private final int mask;
    private final int maxEntries;
    private final long[] keys;
    private final byte[] families; // 0 = empty, 4, 6
    private final long[] tokens;
    private final long[] lastTime;
    private int entries;
    private long lastSweep = Long.MIN_VALUE / 2; // "long ago" without overflowing now - lastSweep

    /** {@code capacity} slots (rounded up to a power of two); at most half are ever used. */
    public Ratelimiter(int capacity) {
        int c = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        mask = c - 1;
        maxEntries = c / 2;
        keys = new long[c];
        families = new byte[c];
        tokens = new long[c];
        lastTime = new long[c];
    }

    public Ratelimiter() {
        this(16384);
    }

    /** Whether one more handshake message from {@code ip} (4 or 16 bytes) may be processed now. */
    public synchronized boolean allow(byte[] ip, long now) {
        if (now - lastSweep >= SECOND) sweep(now);
        byte family;
        long key;
        if (ip.length == 4) {
            family = 4;
            key = ((ip[0] & 0xffL) << 24) | ((ip[1] & 0xffL) << 16) | ((ip[2] & 0xffL) << 8) | (ip[3] & 0xffL);
        } else if (ip.length == 16) {
            family = 6;
            key = 0;
            for (int i = 0; i < 8; i++) key = (key << 8) | (ip[i] & 0xffL);
        } else {
            return false;
        }
        int slot = (int) mix(key ^ family) & mask;
        while (families[slot] != 0) {
            if (families[slot] == family && keys[slot] == key) {
                long t = Math.min(TOKEN_MAX, tokens[slot] + (now - lastTime[slot]));
                lastTime[slot] = now;
                boolean ok = t >= PACKET_COST;
                tokens[slot] = ok ? t - PACKET_COST : t;
                return ok;
            }
            slot = (slot + 1) & mask;
        }
        if (entries >= maxEntries) return false;
        families[slot] = family;
        keys[slot] = key;
        tokens[slot] = TOKEN_MAX - PACKET_COST;
        lastTime[slot] = now;
        entries++;
        return true;
    }

    /** Number of addresses currently tracked; never above half the capacity. */
    public synchronized int size() {
        return entries;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Drops entries idle for more than a second, then re-packs the probe chains. */
    private void sweep(long now) {
        lastSweep = now;
        int n = families.length;
        boolean removed = false;
        for (int i = 0; i < n; i++) {
            if (families[i] != 0 && now - lastTime[i] > SECOND) {
                families[i] = 0;
                entries--;
                removed = true;
            }
        }
        if (!removed) return;
        // Re-insert survivors so that no lookup stops early at a freed slot (linear probing).
        for (int i = 0; i < n; i++) {
            if (families[i] == 0) continue;
            byte f = families[i];
            long k = keys[i], t = tokens[i], l = lastTime[i];
            families[i] = 0;
            int slot = (int) mix(k ^ f) & mask;
            while (families[slot] != 0) slot = (slot + 1) & mask;
            families[slot] = f;
            keys[slot] = k;
            tokens[slot] = t;
            lastTime[slot] = l;
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
