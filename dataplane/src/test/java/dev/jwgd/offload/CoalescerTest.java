package dev.jwgd.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What both coalescers share through {@link Coalescer}: pass-through untouched, the capacity of a batch. */
class CoalescerTest {
    private static final int SLOT = 2048;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment slots = arena.allocate((long) SLOT * 4);

    private Coalescer coalescer(String kind, int capacity) {
        return kind.equals("tcp") ? new TcpCoalescer(capacity, 8, 1, arena) : new UdpCoalescer(capacity, 8, 1, arena);
    }

    private boolean add(Coalescer c, long off, int len, int tag) {
        return c.add(slots, off, len, tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void passedThroughPacketsAreTheCallersBytesUntouched(String kind) {
        Coalescer c = coalescer(kind, 8);
        Packets.Spec other = new Packets.Spec();
        other.udp = kind.equals("tcp");                              // the other protocol passes through
        c.reset();
        int len = Packets.write(other, Packets.pattern(100, 1), slots, 16, false);
        byte[] before = Packets.bytes(slots, 16, len);
        add(c, 16, len, 7);
        add(c, SLOT + 16, 3, 8);                                     // too short to be an IP packet
        assertEquals(2, c.finish());
        assertFalse(c.coalesced(0));
        assertSame(slots, c.packet(0));
        assertEquals(16, c.packetOffset(0));
        assertEquals(len, c.packetLength(0));
        assertEquals(7, c.tag(0));
        assertEquals(3, c.packetLength(1));
        assertArrayEquals(before, Packets.bytes(slots, 16, len));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void addRefusesMoreThanItsCapacityUntilReset(String kind) {
        Coalescer c = coalescer(kind, 2);
        c.reset();
        assertTrue(add(c, 0, 20, 0));
        assertTrue(add(c, 0, 20, 1));
        assertFalse(add(c, 0, 20, 2));
        c.reset();
        assertTrue(add(c, 0, 20, 2));
    }
}
