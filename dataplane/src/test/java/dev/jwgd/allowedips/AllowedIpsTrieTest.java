package dev.jwgd.allowedips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ip.IpPrefix;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deterministic cases of the kernel's {@code drivers/net/wireguard/selftest/allowedips.c}
 * (insert/lookup, remove-by-peer, exact-match remove, deep IPv6 chains, the per-peer list), in the
 * kernel's order, plus the API's own contract.
 */
class AllowedIpsTrieTest {
    /** A peer is an identity; the name only makes failures readable. */
    record Peer(String name) {}

    private final Peer a = new Peer("a"), b = new Peer("b"), c = new Peer("c"), d = new Peer("d"),
            e = new Peer("e"), f = new Peer("f"), g = new Peer("g"), h = new Peer("h");
    private AllowedIpsTrie<Peer> t = new AllowedIpsTrie<>();

    static byte[] ip4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    static byte[] ip6(int a, int b, int c, int d) {
        return ByteBuffer.allocate(16).putInt(a).putInt(b).putInt(c).putInt(d).array();
    }

    private void insert4(Peer p, int a, int b, int c, int d, int cidr) {
        t.insert(ip4(a, b, c, d), cidr, p);
    }

    private void insert6(Peer p, int a, int b, int c, int d, int cidr) {
        t.insert(ip6(a, b, c, d), cidr, p);
    }

    private boolean remove4(Peer p, int a, int b, int c, int d, int cidr) {
        return t.remove(ip4(a, b, c, d), cidr, p);
    }

    private boolean remove6(Peer p, int a, int b, int c, int d, int cidr) {
        return t.remove(ip6(a, b, c, d), cidr, p);
    }

    private Peer lookup4(int a, int b, int c, int d) {
        return t.lookupV4(ByteBuffer.wrap(ip4(a, b, c, d)).getInt());
    }

    private Peer lookup6(int a, int b, int c, int d) {
        var bb = ByteBuffer.wrap(ip6(a, b, c, d));
        return t.lookupV6(bb.getLong(), bb.getLong());
    }

    private void test4(Peer expected, int a, int b, int c, int d) {
        assertSame(expected, lookup4(a, b, c, d), () -> "lookup " + a + "." + b + "." + c + "." + d);
    }

    private void test6(Peer expected, int a, int b, int c, int d) {
        assertSame(expected, lookup6(a, b, c, d),
                () -> "lookup " + Integer.toHexString(a) + ":" + Integer.toHexString(b) + ":" + Integer.toHexString(c) + ":" + Integer.toHexString(d));
    }

    private void testNegative4(Peer notExpected, int a, int b, int c, int d) {
        assertNotSame(notExpected, lookup4(a, b, c, d), () -> "lookup " + a + "." + b + "." + c + "." + d);
    }

    private void testNegative6(Peer notExpected, int a, int b, int c, int d) {
        assertNotSame(notExpected, lookup6(a, b, c, d));
    }

    private void insertKernelSelftestTable() {
        insert4(a, 192, 168, 4, 0, 24);
        insert4(b, 192, 168, 4, 4, 32);
        insert4(c, 192, 168, 0, 0, 16);
        insert4(d, 192, 95, 5, 64, 27);
        /* replaces previous entry, and maskself is required */
        insert4(c, 192, 95, 5, 65, 27);
        insert6(d, 0x26075300, 0x60006b00, 0, 0xc05f0543, 128);
        insert6(c, 0x26075300, 0x60006b00, 0, 0, 64);
        insert4(e, 0, 0, 0, 0, 0);
        insert6(e, 0, 0, 0, 0, 0);
        /* replaces previous entry */
        insert6(f, 0, 0, 0, 0, 0);
        insert6(g, 0x24046800, 0, 0, 0, 32);
        /* maskself is required */
        insert6(h, 0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef, 64);
        insert6(a, 0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef, 128);
        insert6(c, 0x24446800, 0x40e40800, 0xdeaebeef, 0xdefbeef, 128);
        insert6(b, 0x24446800, 0xf0e40800, 0xeeaebeef, 0, 98);
        insert4(g, 64, 15, 112, 0, 20);
        /* maskself is required */
        insert4(h, 64, 15, 123, 211, 25);
        insert4(a, 10, 0, 0, 0, 25);
        insert4(b, 10, 0, 0, 128, 25);
        insert4(a, 10, 1, 0, 0, 30);
        insert4(b, 10, 1, 0, 4, 30);
        insert4(c, 10, 1, 0, 8, 29);
        insert4(d, 10, 1, 0, 16, 29);
    }

    @Test
    void kernelSelftestLookupsFindTheLongestMatchingPrefix() {
        insertKernelSelftestTable();
        test4(a, 192, 168, 4, 20);
        test4(a, 192, 168, 4, 0);
        test4(b, 192, 168, 4, 4);
        test4(c, 192, 168, 200, 182);
        test4(c, 192, 95, 5, 68);
        test4(e, 192, 95, 5, 96);
        test6(d, 0x26075300, 0x60006b00, 0, 0xc05f0543);
        test6(c, 0x26075300, 0x60006b00, 0, 0xc02e01ee);
        test6(f, 0x26075300, 0x60006b01, 0, 0);
        test6(g, 0x24046800, 0x40040806, 0, 0x1006);
        test6(g, 0x24046800, 0x40040806, 0x1234, 0x5678);
        test6(f, 0x240467ff, 0x40040806, 0x1234, 0x5678);
        test6(f, 0x24046801, 0x40040806, 0x1234, 0x5678);
        test6(h, 0x24046800, 0x40040800, 0x1234, 0x5678);
        test6(h, 0x24046800, 0x40040800, 0, 0);
        test6(h, 0x24046800, 0x40040800, 0x10101010, 0x10101010);
        test6(a, 0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef);
        test4(g, 64, 15, 116, 26);
        test4(g, 64, 15, 127, 3);
        test4(g, 64, 15, 123, 1);
        test4(h, 64, 15, 123, 128);
        test4(h, 64, 15, 123, 129);
        test4(a, 10, 0, 0, 52);
        test4(b, 10, 0, 0, 220);
        test4(a, 10, 1, 0, 2);
        test4(b, 10, 1, 0, 6);
        test4(c, 10, 1, 0, 10);
        test4(d, 10, 1, 0, 20);
    }

    @Test
    void kernelSelftestRemoveByPeerRemovesEveryPrefixOfThatPeer() {
        insertKernelSelftestTable();
        insert4(a, 1, 0, 0, 0, 32);
        insert4(a, 64, 0, 0, 0, 32);
        insert4(a, 128, 0, 0, 0, 32);
        insert4(a, 192, 0, 0, 0, 32);
        insert4(a, 255, 0, 0, 0, 32);
        t.removeAll(a);
        testNegative4(a, 1, 0, 0, 0);
        testNegative4(a, 64, 0, 0, 0);
        testNegative4(a, 128, 0, 0, 0);
        testNegative4(a, 192, 0, 0, 0);
        testNegative4(a, 255, 0, 0, 0);
        // What a held falls back to the next longest prefix of another peer.
        test4(e, 1, 0, 0, 0);
        test4(c, 192, 168, 4, 20);
        test4(b, 192, 168, 4, 4);
        test6(h, 0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef);
        assertEquals(List.of(), t.list(a));
    }

    @Test
    void kernelSelftestRemoveOnlyAnExactPrefixOfTheGivenPeer() {
        insertKernelSelftestTable();
        t.removeAll(a);
        insert4(a, 1, 0, 0, 0, 32);
        insert4(a, 192, 0, 0, 0, 24);
        insert6(a, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef, 128);
        insert6(a, 0x24446800, 0xf0e40800, 0xeeaebeef, 0, 98);
        test4(a, 1, 0, 0, 0);
        test4(a, 192, 0, 0, 1);
        test6(a, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef);
        test6(a, 0x24446800, 0xf0e40800, 0xeeaebeef, 0x10101010);
        /* Must be an exact match to remove */
        assertFalse(remove4(a, 192, 0, 0, 0, 32));
        test4(a, 192, 0, 0, 1);
        /* NULL peer should have no effect */
        assertFalse(remove4(null, 192, 0, 0, 0, 24));
        test4(a, 192, 0, 0, 1);
        /* different peer should have no effect */
        assertFalse(remove4(b, 192, 0, 0, 0, 24));
        test4(a, 192, 0, 0, 1);
        /* invalid CIDR should have no effect and be refused */
        assertThrows(IllegalArgumentException.class, () -> remove4(b, 192, 0, 0, 0, 33));
        test4(a, 192, 0, 0, 1);
        assertTrue(remove4(a, 192, 0, 0, 0, 24));
        testNegative4(a, 192, 0, 0, 1);
        assertTrue(remove4(a, 1, 0, 0, 0, 32));
        testNegative4(a, 1, 0, 0, 0);
        /* Must be an exact match to remove */
        assertFalse(remove6(a, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef, 96));
        test6(a, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef);
        /* NULL peer should have no effect */
        assertFalse(remove6(null, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef, 128));
        test6(a, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef);
        /* different peer should have no effect */
        assertFalse(remove6(b, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef, 128));
        test6(a, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef);
        /* invalid CIDR should have no effect and be refused */
        assertThrows(IllegalArgumentException.class, () -> remove6(a, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef, 129));
        test6(a, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef);
        assertTrue(remove6(a, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef, 128));
        testNegative6(a, 0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef);
        /* Must match the peer to remove */
        assertFalse(remove6(b, 0x24446800, 0xf0e40800, 0xeeaebeef, 0, 98));
        test6(a, 0x24446800, 0xf0e40800, 0xeeaebeef, 0x10101010);
        assertTrue(remove6(a, 0x24446800, 0xf0e40800, 0xeeaebeef, 0, 98));
        testNegative6(a, 0x24446800, 0xf0e40800, 0xeeaebeef, 0x10101010);
        assertEquals(List.of(), t.list(a));
    }

    @Test
    void kernelSelftestNestedPrefixesOfOnePeerAreAllRemoved() {
        insert4(a, 192, 168, 0, 0, 16);
        insert4(a, 192, 168, 0, 0, 24);
        t.removeAll(a);
        testNegative4(a, 192, 168, 0, 1);
        assertEquals(0, t.size());
        assertEquals(0, t.nodeCount(), "no branch node is left behind");
    }

    @Test
    void kernelSelftestDeepestIpv6ChainsInsertAndRemoveCleanly() {
        // 129 /128s whose keys share every prefix length from 0 to 128 with a neighbour: the
        // deepest chains the trie can grow.
        int inserted = 0;
        for (int i = 0; i < 64; ++i) {
            var bb = ByteBuffer.allocate(16);
            bb.putLong(-1L).putLong(~0L << i);
            t.insert(bb.array(), 128, a);
            var cc = ByteBuffer.allocate(16);
            cc.putLong(~0L << i).putLong(0);
            t.insert(cc.array(), 128, a);
            inserted += 2;
        }
        t.insert(new byte[16], 128, a);
        inserted++;
        assertEquals(inserted, t.size());
        assertEquals(inserted, t.list(a).size());
        assertSame(a, t.lookupV6(-1L, ~0L << 17));
        assertNull(t.lookupV6(-1L, (~0L << 17) | 1));
        assertEquals(inserted, t.removeAll(a));
        assertEquals(0, t.nodeCount());
    }

    @Test
    void kernelSelftestPeerListHoldsExactlyTheMaskedPrefixes() {
        insert4(a, 192, 95, 5, 93, 27);
        insert6(a, 0x26075300, 0x60006b00, 0, 0xc05f0543, 128);
        insert4(a, 10, 1, 0, 20, 29);
        insert6(a, 0x26075300, 0x6d8a6bf8, 0xdab1f1df, 0xc05f1523, 83);
        insert6(a, 0x26075300, 0x6d8a6bf8, 0xdab1f1df, 0xc05f1523, 21);
        assertEquals(List.of(
                IpPrefix.of(ip4(192, 95, 5, 64), 27),
                IpPrefix.of(ip6(0x26075300, 0x60006b00, 0, 0xc05f0543), 128),
                IpPrefix.of(ip4(10, 1, 0, 16), 29),
                IpPrefix.of(ip6(0x26075300, 0x6d8a6bf8, 0xdab1e000, 0), 83),
                IpPrefix.of(ip6(0x26075000, 0, 0, 0), 21)), t.list(a));
        assertEquals("192.95.5.64/27", t.list(a).get(0).toString());
        assertEquals("2607:5300:6d8a:6bf8:dab1:e000::/83", t.list(a).get(3).toString());
        assertEquals("2607:5000::/21", t.list(a).get(4).toString());
    }

    @Test
    void insertingAPrefixHeldByAnotherPeerMovesItBetweenTheirLists() {
        insert4(a, 10, 0, 0, 0, 8);
        insert4(a, 10, 1, 0, 0, 16);
        insert4(b, 10, 0, 0, 0, 8);
        test4(b, 10, 9, 9, 9);
        test4(a, 10, 1, 9, 9);
        assertEquals(List.of(IpPrefix.of(ip4(10, 1, 0, 0), 16)), t.list(a));
        assertEquals(List.of(IpPrefix.of(ip4(10, 0, 0, 0), 8)), t.list(b));
        assertEquals(2, t.size());
        assertFalse(t.remove(ip4(10, 0, 0, 0), 8, a), "a no longer owns it");
        assertTrue(t.remove(ip4(10, 0, 0, 0), 8, b));
        test4(null, 10, 9, 9, 9);
    }

    @Test
    void reinsertingByTheSamePeerMovesThePrefixToTheEndOfItsList() {
        insert4(a, 10, 0, 0, 0, 8);
        insert6(a, 0xfd000000, 0, 0, 0, 8);
        insert4(a, 10, 9, 9, 9, 8); // the same prefix after masking
        assertEquals(List.of(IpPrefix.of(ip6(0xfd000000, 0, 0, 0), 8), IpPrefix.of(ip4(10, 0, 0, 0), 8)), t.list(a));
        assertEquals(2, t.size());
    }

    @Test
    void removeIgnoresHostBitsLikeInsert() {
        insert4(a, 10, 0, 0, 0, 24);
        assertTrue(t.remove(ip4(10, 0, 0, 77), 24, a));
        assertEquals(0, t.size());
    }

    @Test
    void removingAPrefixThatSplitsTwoOthersKeepsBothReachable() {
        insert4(a, 10, 0, 0, 0, 8);
        insert4(b, 10, 0, 0, 0, 16);
        insert4(c, 10, 128, 0, 0, 16);
        assertTrue(t.remove(ip4(10, 0, 0, 0), 8, a));
        test4(b, 10, 0, 1, 1);
        test4(c, 10, 128, 1, 1);
        test4(null, 10, 64, 1, 1);
        assertEquals(3, t.nodeCount(), "the /8 stays as a branch node with two children");
        assertTrue(t.remove(ip4(10, 0, 0, 0), 16, b));
        assertEquals(1, t.nodeCount(), "a branch node left with one child is removed");
        test4(c, 10, 128, 1, 1);
    }

    @Test
    void hostRoutesThatDifferOnlyInTheLastBitGoToTheirOwnPeers() {
        insert4(a, 10, 0, 0, 2, 32);
        insert4(b, 10, 0, 0, 3, 32);
        insert4(c, 10, 0, 0, 2, 31);
        insert6(a, 0xfd000000, 0, 0, 2, 128);
        insert6(b, 0xfd000000, 0, 0, 3, 128);
        insert6(c, 0xfd000000, 0, 0, 2, 127);
        test4(a, 10, 0, 0, 2);
        test4(b, 10, 0, 0, 3);
        test4(null, 10, 0, 0, 1);
        test6(a, 0xfd000000, 0, 0, 2);
        test6(b, 0xfd000000, 0, 0, 3);
        test6(null, 0xfd000000, 0, 0, 1);
        assertTrue(t.remove(ip6(0xfd000000, 0, 0, 3), 128, b));
        test6(c, 0xfd000000, 0, 0, 3);
    }

    @Test
    void aDefaultRouteMatchesEveryAddressOfItsFamilyOnly() {
        insert4(a, 0, 0, 0, 0, 0);
        test4(a, 255, 255, 255, 255);
        test4(a, 0, 0, 0, 0);
        test6(null, 0, 0, 0, 0);
        insert6(b, 0, 0, 0, 0, 0);
        test6(b, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff);
        test4(a, 1, 2, 3, 4);
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        var ex = assertThrows(IllegalArgumentException.class, () -> t.insert(new byte[5], 8, a));
        assertTrue(ex.getMessage().contains("4 or 16 bytes"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> t.insert(ip4(1, 2, 3, 4), 33, a));
        assertTrue(ex.getMessage().contains("0..32"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.insert(ip6(1, 2, 3, 4), -1, a));
        assertThrows(IllegalArgumentException.class, () -> t.insert(null, 0, a));
        assertThrows(NullPointerException.class, () -> t.insert(ip4(1, 2, 3, 4), 32, null));
        assertEquals(0, t.size());
        assertEquals(0, t.nodeCount());
    }

    @Test
    void aPeerWithoutPrefixesListsNothingAndRemovesNothing() {
        assertEquals(List.of(), t.list(a));
        assertEquals(0, t.removeAll(a));
        assertEquals(0, t.removeAll(null));
        assertEquals(List.of(), t.list(null));
    }

    @Test
    void ipPrefixPrintsLikeWgAndComparesByValue() {
        assertEquals("10.0.0.0/24", IpPrefix.of(ip4(10, 0, 0, 1), 24).masked().toString());
        assertEquals("0.0.0.0/0", IpPrefix.of(ip4(1, 2, 3, 4), 0).masked().toString());
        assertEquals("::/0", IpPrefix.of(new byte[16], 0).masked().toString());
        assertEquals("fd00::1/128", IpPrefix.of(ip6(0xfd000000, 0, 0, 1), 128).masked().toString());
        assertEquals("2001:db8::1:0:1/128", IpPrefix.of(ip6(0x20010db8, 0, 1, 1), 128).masked().toString());
        assertEquals("2001:db8::1:0:0:1/128", IpPrefix.of(ip6(0x20010db8, 0, 0x00010000, 1), 128).masked().toString(),
                "of two equal zero runs the first is compressed");
        assertEquals("2001:db8:0:1:1:1:1:1/128", IpPrefix.of(ip6(0x20010db8, 0x00000001, 0x00010001, 0x00010001), 128).masked().toString());
        assertEquals(IpPrefix.of(ip4(10, 0, 0, 1), 24).masked(), IpPrefix.of(ip4(10, 0, 0, 9), 24).masked());
        assertEquals(IpPrefix.of(ip4(10, 0, 0, 1), 24).masked().hashCode(), IpPrefix.of(ip4(10, 0, 0, 9), 24).masked().hashCode());
        byte[] raw = ip4(10, 0, 0, 1);
        var p = IpPrefix.of(raw, 32);
        raw[3] = 2;
        p.address()[3] = 3;
        assertEquals("10.0.0.1/32", p.toString(), "the prefix owns its bytes");
    }
}
