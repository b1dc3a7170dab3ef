package dev.jwgd.allowedips;

import dev.jwgd.ip.IpPrefix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;

/**
 * WireGuard's cryptokey routing table (whitepaper section 2, "Cryptokey Routing"; the reference's
 * §2.10): IPv4 and IPv6 prefixes mapped to peers, looked up by longest-prefix match, for both
 * directions of the data path: destination to peer on send, and on receive the check that the
 * inner source maps back to the peer that sent the packet.
 *
 * <p>Semantics follow the kernel's {@code allowedips.c} and wireguard-go's {@code allowedips.go}:
 * prefixes are stored masked ({@code 10.0.0.1/24} is {@code 10.0.0.0/24}); inserting a prefix that
 * another peer holds moves it; {@link #remove} removes a prefix only when that exact prefix belongs
 * to the given peer; {@link #list} gives a peer's prefixes in the order they were last inserted. Peers
 * are compared by identity ({@code ==}), as the kernel compares peer pointers.
 *
 * <p>Structure: one path-compressed binary trie per address family (a node per stored prefix plus
 * branch nodes without a peer where two prefixes diverge; a branch node always has two children),
 * like the kernel's.
 *
 * <p><b>Concurrency: single writer, lock-free readers, path copying.</b>
 * <ul>
 *   <li>Writers ({@link #insert}, {@link #remove}, {@link #removeAll}, and {@link #list}, which reads
 *       writer-only state) serialize on one lock, so there is one writer at a time.
 *   <li>Nodes are immutable: every field is {@code final} and is never written after the
 *       constructor. A change never touches a reachable node; it copies the path from the root to
 *       the changed node (at most 33 or 129 nodes, about log2(n) for random prefixes) and shares
 *       everything else. Removed and replaced nodes are left to the garbage collector, which is what
 *       RCU's grace period does for the kernel: a reader still walking an old version keeps it alive.
 *   <li>The writer publishes the new root of a family with one {@code setRelease} at the end of each
 *       operation; readers load it once per lookup with {@code getAcquire}. Everything the writer did
 *       before the release (the new nodes, and the peer objects it was given) is visible to a reader
 *       whose acquire load saw that root. A reader therefore sees either the whole operation or none
 *       of it, never a half-made update: each lookup runs entirely on one version. {@link #removeAll}
 *       publishes each family once, so a lookup sees all of a peer's prefixes of that family or none.
 * </ul>
 * Lookups ({@link #lookupV4}, {@link #lookupV6}, {@link #lookup(MemorySegment, long, boolean)}) take no
 * lock and allocate nothing. Writes allocate (the copied path), which is fine on the control path.
 *
 * <p>Memory: a node is 32 bytes for IPv4 and 48 for IPv6 (compressed oops and class pointers), at
 * most two per prefix (random prefixes need about 1.9), plus the per-peer index ({@link PeerPrefixes},
 * about 30 bytes per prefix): about 106 bytes per prefix measured at 1M mixed IPv4/IPv6 prefixes
 * ({@code AllowedIpsTrieBench}).
 *
 * <p>Write cost: an insert or remove copies one path (a few microseconds at 1M prefixes);
 * {@link #removeAll} of a peer holding more than 1/16 of all prefixes instead prunes the whole trie in
 * one pass, which gives the same shape.
 *
 * @param <P> the peer type
 */
public final class AllowedIpsTrie<P> {
    private static final VarHandle ROOT4;
    private static final VarHandle ROOT6;

    static {
        try {
            var lookup = MethodHandles.lookup();
            ROOT4 = lookup.findVarHandle(AllowedIpsTrie.class, "root4", Node4.class);
            ROOT6 = lookup.findVarHandle(AllowedIpsTrie.class, "root6", Node6.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Read with getAcquire by readers, written with setRelease by the writer (under {@link #lock}). */
    @SuppressWarnings("unused") // accessed through ROOT4
    private Node4 root4;
    @SuppressWarnings("unused") // accessed through ROOT6
    private Node6 root6;

    private final Object lock = new Object();
    // Writer-only state, guarded by lock.
    private final IdentityHashMap<P, PeerPrefixes> byPeer = new IdentityHashMap<>();
    private int size;
    /** The peer an exact-match insert replaced, set by {@link #insert(Node, Node)}. */
    private Object displaced;

    // ---------------------------------------------------------------- lookups (lock-free, no allocation)

    /**
     * The peer whose longest matching prefix contains this IPv4 address, or null.
     *
     * @param address the address as a big-endian int (first octet in the top byte), as read from a
     *     packet with a big-endian layout
     */
    @SuppressWarnings("unchecked")
    public P lookupV4(int address) {
        Node4 n = (Node4) ROOT4.getAcquire(this);
        Object found = null;
        while (n != null && Integer.numberOfLeadingZeros(n.key ^ address) >= n.cidr) {
            if (n.peer != null) found = n.peer;
            int c = n.cidr;
            if (c == 32) break;
            n = (address << c) < 0 ? n.c1 : n.c0; // the bit right after the prefix
        }
        return (P) found;
    }

    /**
     * The peer whose longest matching prefix contains this IPv6 address, or null.
     *
     * @param high the first 8 bytes of the address, big-endian
     * @param low the last 8 bytes, big-endian
     */
    @SuppressWarnings("unchecked")
    public P lookupV6(long high, long low) {
        Node6 n = (Node6) ROOT6.getAcquire(this);
        Object found = null;
        while (n != null && Node6.commonBits(n.hi, n.lo, high, low) >= n.cidr) {
            if (n.peer != null) found = n.peer;
            int c = n.cidr;
            if (c == 128) break;
            n = (c < 64 ? (high << c) : (low << (c - 64))) < 0 ? n.c1 : n.c0;
        }
        return (P) found;
    }

    /**
     * Looks up the address at {@code addressOffset} in a packet: 4 bytes when {@code v6} is false, 16
     * when true. For an IP packet at offset {@code o}: IPv4 destination {@code o + 16}, source
     * {@code o + 12}; IPv6 destination {@code o + 24}, source {@code o + 8}. The caller has checked that
     * the packet holds the whole header (the segment's bounds check would otherwise throw).
     */
    public P lookup(MemorySegment packet, long addressOffset, boolean v6) {
        if (v6) {
            return lookupV6(packet.get(BE64, addressOffset), packet.get(BE64, addressOffset + 8));
        }
        return lookupV4(packet.get(BE32, addressOffset));
    }

    // ---------------------------------------------------------------- writes (one writer at a time)

    /**
     * Maps a prefix to {@code peer}, moving it from whichever peer held it. Host bits beyond
     * {@code cidr} are ignored.
     *
     * @param address 4 (IPv4) or 16 (IPv6) bytes in network order
     * @throws IllegalArgumentException for a null or wrongly sized address or a prefix length outside
     *     0..32 or 0..128
     * @throws NullPointerException when {@code peer} is null
     */
    public void insert(byte[] address, int cidr, P peer) {
        Objects.requireNonNull(peer, "peer");
        Node leaf = leaf(address, cidr, peer);
        synchronized (lock) {
            displaced = null;
            if (leaf instanceof Node4 l) {
                ROOT4.setRelease(this, (Node4) insert((Node4) ROOT4.get(this), l));
            } else {
                ROOT6.setRelease(this, (Node6) insert((Node6) ROOT6.get(this), leaf));
            }
            Object old = displaced;
            displaced = null;
            if (old != null) {
                @SuppressWarnings("unchecked") P oldPeer = (P) old;
                unindex(oldPeer, leaf);
            } else {
                size++;
            }
            byPeer.computeIfAbsent(peer, _ -> new PeerPrefixes()).add(leaf.hiKey(), leaf.loKey(), leaf.meta());
        }
    }

    /**
     * Removes a prefix if, and only if, that exact prefix (after masking) is mapped to {@code peer};
     * otherwise changes nothing, like the kernel's {@code wg_allowedips_remove_v4/v6} (the UAPI's
     * {@code allowed_ip=-prefix}).
     *
     * @return true when the prefix was removed
     * @throws IllegalArgumentException for a bad address or prefix length, as {@link #insert}
     */
    public boolean remove(byte[] address, int cidr, P peer) {
        Node probe = leaf(address, cidr, null);
        if (peer == null) return false;
        synchronized (lock) {
            if (!removeLocked(probe, peer)) return false;
            unindex(peer, probe);
            size--;
            return true;
        }
    }

    /** Removes every prefix of {@code peer}; a lookup sees all of them (per family) or none. */
    public int removeAll(P peer) {
        if (peer == null) return 0;
        synchronized (lock) {
            PeerPrefixes prefixes = byPeer.remove(peer);
            if (prefixes == null) return 0;
            int removed = prefixes.size();
            if (removed * 16L > size) {
                // Many prefixes: one pass over the whole trie beats a path copy per prefix.
                ROOT4.setRelease(this, (Node4) prune((Node4) ROOT4.get(this), peer));
                ROOT6.setRelease(this, (Node6) prune((Node6) ROOT6.get(this), peer));
            } else {
                var roots = new Object[] {ROOT4.get(this), ROOT6.get(this)};
                prefixes.forEach((hi, lo, meta) -> {
                    if ((meta & PeerPrefixes.V6) != 0) {
                        roots[1] = remove((Node6) roots[1], new Node6(hi, lo, meta & 0xff, null, null, null), peer);
                    } else {
                        roots[0] = remove((Node4) roots[0], new Node4((int) hi, meta, null, null, null), peer);
                    }
                });
                ROOT4.setRelease(this, (Node4) roots[0]);
                ROOT6.setRelease(this, (Node6) roots[1]);
            }
            size -= removed;
            return removed;
        }
    }

    /** The peer's prefixes in the order they were last inserted (the kernel's per-peer list order). */
    public List<IpPrefix> list(P peer) {
        synchronized (lock) {
            PeerPrefixes prefixes = peer == null ? null : byPeer.get(peer);
            if (prefixes == null) return List.of();
            var out = new ArrayList<IpPrefix>(prefixes.size());
            prefixes.forEach((hi, lo, meta) -> out.add(toPrefix(hi, lo, meta)));
            return out;
        }
    }

    /** Number of prefixes stored, over all peers and both families. */
    public int size() {
        synchronized (lock) {
            return size;
        }
    }

    /**
     * Nodes in both tries (prefix nodes plus branch nodes), counted by walking the current version.
     * For tests and the memory report, O(n).
     */
    public long nodeCount() {
        return count((Node) ROOT4.getAcquire(this)) + count((Node) ROOT6.getAcquire(this));
    }

    /**
     * Estimated retained bytes of the structure: nodes at their compressed-oops sizes plus the per-peer
     * index arrays. An estimate by counting, for the memory report; the benchmark also measures the heap.
     */
    public long estimatedBytes() {
        long bytes = count4((Node4) ROOT4.getAcquire(this)) * Node4.BYTES + count6((Node6) ROOT6.getAcquire(this)) * Node6.BYTES;
        synchronized (lock) {
            for (PeerPrefixes p : byPeer.values()) bytes += p.retainedBytes() + 48; // + map entry share
        }
        return bytes;
    }

    // ---------------------------------------------------------------- writer internals

    private boolean removeLocked(Node probe, Object peer) {
        if (probe instanceof Node4 p) {
            Node4 root = (Node4) ROOT4.get(this);
            Node4 next = (Node4) remove(root, p, peer);
            if (next == root) return false;
            ROOT4.setRelease(this, next);
        } else {
            Node6 root = (Node6) ROOT6.get(this);
            Node6 next = (Node6) remove(root, probe, peer);
            if (next == root) return false;
            ROOT6.setRelease(this, next);
        }
        return true;
    }

    private void unindex(P peer, Node key) {
        PeerPrefixes prefixes = byPeer.get(peer);
        if (prefixes == null || !prefixes.remove(key.hiKey(), key.loKey(), key.meta())) {
            throw new IllegalStateException("per-peer index out of step with the trie");
        }
        if (prefixes.size() == 0) byPeer.remove(peer);
    }

    /**
     * Returns the root of a copy of subtree {@code n} with {@code leaf}'s prefix mapped to its peer,
     * sharing every untouched node. Sets {@link #displaced} when an existing prefix changed hands.
     */
    private Node insert(Node n, Node leaf) {
        if (n == null) return leaf;
        int common = Math.min(n.commonBits(leaf), Math.min(n.cidr, leaf.cidr));
        if (common == n.cidr) {
            if (n.cidr == leaf.cidr) {
                displaced = n.peer;
                return n.copy(leaf.peer, n.child(0), n.child(1));
            }
            int bit = leaf.bitAt(n.cidr);
            Node c = insert(n.child(bit), leaf);
            return bit == 0 ? n.copy(n.peer, c, n.child(1)) : n.copy(n.peer, n.child(0), c);
        }
        if (common == leaf.cidr) {
            // The new prefix contains n's: it goes above n.
            return n.bitAt(leaf.cidr) == 0 ? leaf.copy(leaf.peer, n, null) : leaf.copy(leaf.peer, null, n);
        }
        // They diverge below both prefix lengths: a branch node at the common length.
        return leaf.bitAt(common) == 0 ? leaf.branch(common, leaf, n) : leaf.branch(common, n, leaf);
    }

    /**
     * Returns the root of a copy of subtree {@code n} without {@code probe}'s exact prefix if it is
     * mapped to {@code peer}; returns {@code n} itself when nothing changed.
     */
    private static Node remove(Node n, Node probe, Object peer) {
        if (n == null || n.cidr > probe.cidr || n.commonBits(probe) < n.cidr) return n;
        if (n.cidr == probe.cidr) {
            if (n.peer != peer) return n;
            Node c0 = n.child(0), c1 = n.child(1);
            if (c0 != null && c1 != null) return n.copy(null, c0, c1); // stays as a branch node
            return c0 != null ? c0 : c1;
        }
        int bit = probe.bitAt(n.cidr);
        Node c = n.child(bit);
        Node nc = remove(c, probe, peer);
        if (nc == c) return n;
        Node other = n.child(bit ^ 1);
        if (nc == null && n.peer == null) return other; // a branch node left with one child goes
        return bit == 0 ? n.copy(n.peer, nc, other) : n.copy(n.peer, other, nc);
    }

    /**
     * Returns the root of a copy of subtree {@code n} without any prefix of {@code peer}, sharing every
     * subtree that has none; the same shape as removing them one by one.
     */
    private static Node prune(Node n, Object peer) {
        if (n == null) return null;
        Node c0 = prune(n.child(0), peer), c1 = prune(n.child(1), peer);
        Object p = n.peer == peer ? null : n.peer;
        if (p == null && (c0 == null || c1 == null)) return c0 != null ? c0 : c1; // no peer, under two children
        if (p == n.peer && c0 == n.child(0) && c1 == n.child(1)) return n;
        return n.copy(p, c0, c1);
    }

    private static Node leaf(byte[] address, int cidr, Object peer) {
        byte[] a = IpPrefix.maskedBytes(address, cidr);
        var bytes = MemorySegment.ofArray(a);
        if (a.length == 4) return new Node4(bytes.get(BE32, 0), cidr, peer, null, null);
        return new Node6(bytes.get(BE64, 0), bytes.get(BE64, 8), cidr, peer, null, null);
    }

    private static IpPrefix toPrefix(long hi, long lo, short meta) {
        boolean v6 = (meta & PeerPrefixes.V6) != 0;
        byte[] a = new byte[v6 ? 16 : 4];
        var s = MemorySegment.ofArray(a);
        if (v6) {
            s.set(BE64, 0, hi);
            s.set(BE64, 8, lo);
        } else {
            s.set(BE32, 0, (int) hi);
        }
        return IpPrefix.of(a, meta & 0xff);
    }

    private static long count(Node n) {
        if (n == null) return 0;
        return 1 + count(n.child(0)) + count(n.child(1));
    }

    private static long count4(Node4 n) {
        return n == null ? 0 : 1 + count4(n.c0) + count4(n.c1);
    }

    private static long count6(Node6 n) {
        return n == null ? 0 : 1 + count6(n.c0) + count6(n.c1);
    }

    // ---------------------------------------------------------------- nodes (immutable)

    /** A trie node. Immutable: all fields final, so any reader that reaches it sees it whole. */
    abstract static sealed class Node permits Node4, Node6 {
        /** The peer of this prefix, or null for a branch node (which then has two children). */
        final Object peer;
        /** Prefix length; the key's bits beyond it are zero. */
        final int cidr;

        Node(Object peer, int cidr) {
            this.peer = peer;
            this.cidr = cidr;
        }

        abstract Node child(int bit);

        /** Leading key bits this node shares with {@code other} (same family), up to the width. */
        abstract int commonBits(Node other);

        /** This node's key bit at {@code pos} (0 = most significant), {@code pos} below the width. */
        abstract int bitAt(int pos);

        /** Same key and length, new peer and children. */
        abstract Node copy(Object peer, Node c0, Node c1);

        /** A peerless branch node whose key is this key cut to {@code cidr}. */
        abstract Node branch(int cidr, Node c0, Node c1);

        abstract long hiKey();

        abstract long loKey();

        final short meta() {
            return PeerPrefixes.meta(this instanceof Node6, cidr);
        }
    }

    static final class Node4 extends Node {
        /** 12 header + 4 peer + 4 cidr + 4 key + 4 + 4 children = 32 with compressed oops. */
        static final int BYTES = 32;
        final int key;
        final Node4 c0;
        final Node4 c1;

        Node4(int key, int cidr, Object peer, Node4 c0, Node4 c1) {
            super(peer, cidr);
            this.key = key;
            this.c0 = c0;
            this.c1 = c1;
        }

        @Override
        Node child(int bit) {
            return bit == 0 ? c0 : c1;
        }

        @Override
        int commonBits(Node other) {
            return Integer.numberOfLeadingZeros(key ^ ((Node4) other).key);
        }

        @Override
        int bitAt(int pos) {
            return (key >>> (31 - pos)) & 1;
        }

        @Override
        Node copy(Object peer, Node c0, Node c1) {
            return new Node4(key, cidr, peer, (Node4) c0, (Node4) c1);
        }

        @Override
        Node branch(int cidr, Node c0, Node c1) {
            int mask = (int) (0xFFFF_FFFF_0000_0000L >>> cidr);
            return new Node4(key & mask, cidr, null, (Node4) c0, (Node4) c1);
        }

        @Override
        long hiKey() {
            return Integer.toUnsignedLong(key);
        }

        @Override
        long loKey() {
            return 0;
        }
    }

    static final class Node6 extends Node {
        /** 12 header + 4 peer + 4 cidr + 16 key + 4 + 4 children = 44, padded to 48. */
        static final int BYTES = 48;
        final long hi;
        final long lo;
        final Node6 c0;
        final Node6 c1;

        Node6(long hi, long lo, int cidr, Object peer, Node6 c0, Node6 c1) {
            super(peer, cidr);
            this.hi = hi;
            this.lo = lo;
            this.c0 = c0;
            this.c1 = c1;
        }

        static int commonBits(long aHi, long aLo, long bHi, long bLo) {
            long x = aHi ^ bHi;
            return x != 0 ? Long.numberOfLeadingZeros(x) : 64 + Long.numberOfLeadingZeros(aLo ^ bLo);
        }

        @Override
        Node child(int bit) {
            return bit == 0 ? c0 : c1;
        }

        @Override
        int commonBits(Node other) {
            Node6 o = (Node6) other;
            return commonBits(hi, lo, o.hi, o.lo);
        }

        @Override
        int bitAt(int pos) {
            return (int) (pos < 64 ? (hi >>> (63 - pos)) & 1 : (lo >>> (127 - pos)) & 1);
        }

        @Override
        Node copy(Object peer, Node c0, Node c1) {
            return new Node6(hi, lo, cidr, peer, (Node6) c0, (Node6) c1);
        }

        @Override
        Node branch(int cidr, Node c0, Node c1) {
            long hiMask = cidr >= 64 ? -1L : cidr == 0 ? 0 : -1L << (64 - cidr);
            long loMask = cidr <= 64 ? 0 : -1L << (128 - cidr);
            return new Node6(hi & hiMask, lo & loMask, cidr, null, (Node6) c0, (Node6) c1);
        }

        @Override
        long hiKey() {
            return hi;
        }

        @Override
        long loKey() {
            return lo;
        }
    }
}
