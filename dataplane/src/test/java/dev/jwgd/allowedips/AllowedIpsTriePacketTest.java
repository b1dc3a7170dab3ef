package dev.jwgd.allowedips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The trie driven the way the data path drives it: IP packets in off-heap segments, looked up at
 * the header offsets (IPv4 destination 16, source 12; IPv6 destination 24, source 8), for the send
 * direction (destination to peer) and the receive check (the inner source must map back to the peer
 * that sent it), with packets at arbitrary, unaligned offsets in a batch buffer. Also pins that a
 * steady-state lookup allocates nothing.
 */
class AllowedIpsTriePacketTest {
    record Peer(String name) {}

    static final int V4_SRC = 12, V4_DST = 16, V6_SRC = 8, V6_DST = 24;

    private final Peer alice = new Peer("alice"), bob = new Peer("bob"), carol = new Peer("carol");
    private final AllowedIpsTrie<Peer> trie = new AllowedIpsTrie<>();

    private static byte[] ip(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress(); // literals only: no name lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes a minimal IPv4 header (20 bytes) at {@code off}. */
    private static void v4(MemorySegment s, long off, String src, String dst) {
        s.asSlice(off, 20).fill((byte) 0);
        s.set(ValueLayout.JAVA_BYTE, off, (byte) 0x45);
        MemorySegment.copy(MemorySegment.ofArray(ip(src)), 0, s, off + V4_SRC, 4);
        MemorySegment.copy(MemorySegment.ofArray(ip(dst)), 0, s, off + V4_DST, 4);
    }

    /** Writes a minimal IPv6 header (40 bytes) at {@code off}. */
    private static void v6(MemorySegment s, long off, String src, String dst) {
        s.asSlice(off, 40).fill((byte) 0);
        s.set(ValueLayout.JAVA_BYTE, off, (byte) 0x60);
        MemorySegment.copy(MemorySegment.ofArray(ip(src)), 0, s, off + V6_SRC, 16);
        MemorySegment.copy(MemorySegment.ofArray(ip(dst)), 0, s, off + V6_DST, 16);
    }

    private void configure() {
        trie.insert(ip("10.0.0.0"), 24, alice);
        trie.insert(ip("10.0.0.128"), 25, bob);
        trie.insert(ip("0.0.0.0"), 0, carol); // carol is the default route
        trie.insert(ip("fd00::"), 64, alice);
        trie.insert(ip("fd00::b0b"), 128, bob);
    }

    @Test
    void sendPathMapsEachPacketsDestinationToItsPeer() {
        configure();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment batch = arena.allocate(4096, 64);
            long[] offsets = {0, 64 + 7, 1500 + 3, 3000 + 1}; // unaligned slots, as in a batch with headroom
            v4(batch, offsets[0], "10.0.0.1", "10.0.0.5");
            v4(batch, offsets[1], "10.0.0.1", "10.0.0.200");
            v6(batch, offsets[2], "fd00::1", "fd00::b0b");
            v6(batch, offsets[3], "fd00::1", "fd00::b0c");
            assertSame(alice, trie.lookup(batch, offsets[0] + V4_DST, false));
            assertSame(bob, trie.lookup(batch, offsets[1] + V4_DST, false));
            assertSame(bob, trie.lookup(batch, offsets[2] + V6_DST, true));
            assertSame(alice, trie.lookup(batch, offsets[3] + V6_DST, true));
            v4(batch, offsets[0], "10.0.0.1", "192.0.2.7");
            assertSame(carol, trie.lookup(batch, offsets[0] + V4_DST, false), "the default route");
            v6(batch, offsets[2], "fd00::1", "2001:db8::1");
            assertNull(trie.lookup(batch, offsets[2] + V6_DST, true), "no IPv6 route: the packet is dropped");
        }
    }

    @Test
    void receivePathAcceptsAnInnerSourceOnlyFromThePeerThatOwnsIt() {
        configure();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pkt = arena.allocate(2048);
            long off = 33;
            v4(pkt, off, "10.0.0.130", "10.0.0.1"); // bob's /25
            assertSame(bob, trie.lookup(pkt, off + V4_SRC, false));
            assertNotSame(alice, trie.lookup(pkt, off + V4_SRC, false), "alice may not send from bob's range");
            v6(pkt, off, "fd00::b0b", "fd00::1");
            assertSame(bob, trie.lookup(pkt, off + V6_SRC, true));
            v6(pkt, off, "fd00::1234", "fd00::1");
            assertSame(alice, trie.lookup(pkt, off + V6_SRC, true));
            // The crypto-RP filter case from the kernel's netns.sh: a more specific prefix for another
            // peer takes the source away from the original peer.
            trie.insert(ip("10.0.0.130"), 32, carol);
            v4(pkt, off, "10.0.0.130", "10.0.0.1");
            assertSame(carol, trie.lookup(pkt, off + V4_SRC, false));
        }
    }

    @Test
    void segmentLookupAgreesWithThePrimitiveLookups() {
        configure();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pkt = arena.allocate(64);
            v4(pkt, 0, "10.0.0.200", "10.0.0.7");
            int dst = pkt.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), V4_DST);
            assertEquals(0x0a000007, dst);
            assertSame(trie.lookupV4(dst), trie.lookup(pkt, V4_DST, false));
            v6(pkt, 0, "fd00::1", "fd00::b0b");
            assertSame(trie.lookupV6(0xfd00_0000_0000_0000L, 0xb0bL), trie.lookup(pkt, V6_DST, true));
        }
    }

    /**
     * Lookups allocate nothing once compiled. Measured with the thread's allocation counter over
     * rounds of lookups; at least one round (after warm-up, on a busy machine the JIT may be late)
     * must allocate zero bytes: a lookup that boxes or allocates would allocate in every round.
     */
    @Test
    void steadyStateLookupsAllocateNothing() {
        configure();
        for (int i = 0; i < 1000; i++) {
            trie.insert(new byte[] {10, (byte) (i >> 8), (byte) i, 0}, 24 + (i % 9), i % 2 == 0 ? alice : bob);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pkt = arena.allocate(64);
            v6(pkt, 0, "fd00::b0b", "fd00::b0b");
            long sink = 0;
            boolean zeroRound = false;
            threads.getCurrentThreadAllocatedBytes();
            for (int round = 0; round < 60 && !zeroRound; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                sink += lookups(pkt);
                long after = threads.getCurrentThreadAllocatedBytes();
                zeroRound = after == before;
            }
            assertTrue(sink != 0);
            assertTrue(zeroRound, "every round of lookups allocated");
        }
    }

    private long lookups(MemorySegment pkt) {
        long hits = 0;
        for (int i = 0; i < 50_000; i++) {
            if (trie.lookupV4(0x0a000000 | (i & 0xffff) << 8) != null) hits++;
            if (trie.lookupV6(0xfd00_0000_0000_0000L, i) != null) hits++;
            if (trie.lookup(pkt, V6_SRC, true) != null) hits++;
            if (trie.lookup(pkt, V4_DST, false) != null) hits++;
        }
        return hits;
    }
}
