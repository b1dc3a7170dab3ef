package dev.jwgd.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad arguments get a clear error before any byte is touched; a packet shorter than a tag just fails to open. */
class AeadArgumentsTest {
    static List<Aead> implementations() {
        return TestData.implementations();
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void sealWithoutRoomForTheTagIsRefusedWithoutTouchingTheBuffer(Aead aead) {
        byte[] buf = new byte[40];
        MemorySegment data = MemorySegment.ofArray(buf);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> aead.seal(MemorySegment.ofArray(new byte[32]), 1, MemorySegment.NULL, data, 0, 30));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertArrayEquals(new byte[40], buf);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aShortKeyOrNonceIsRefused(Aead aead) {
        MemorySegment data = MemorySegment.ofArray(new byte[64]);
        assertThrows(IllegalArgumentException.class,
                () -> aead.seal(MemorySegment.ofArray(new byte[16]), 1, MemorySegment.NULL, data, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> aead.seal(MemorySegment.ofArray(new byte[32]),
                MemorySegment.ofArray(new byte[8]), MemorySegment.NULL, data, 0, 10));
        assertThrows(IllegalArgumentException.class,
                () -> aead.open(MemorySegment.ofArray(new byte[32]), 1, MemorySegment.NULL, data, 10, 60));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aPacketShorterThanATagFailsToOpen(Aead aead) {
        byte[] buf = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        assertFalse(aead.open(MemorySegment.ofArray(new byte[32]), 1, MemorySegment.NULL, MemorySegment.ofArray(buf),
                0, 15));
        AeadBatch b = new AeadBatch(2);
        b.add(MemorySegment.ofArray(new byte[32]), 1, MemorySegment.ofArray(buf), 0, 15);
        b.add(MemorySegment.ofArray(new byte[32]), 1, MemorySegment.ofArray(buf), 0, 0);
        aead.openBatch(b);
        assertFalse(b.ok(0));
        assertFalse(b.ok(1));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, buf);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aBatchWithOnePacketTooSmallForItsTagSealsNothing(Aead aead) {
        byte[] good = new byte[64];
        byte[] bad = new byte[20];
        AeadBatch b = new AeadBatch(2);
        b.add(MemorySegment.ofArray(new byte[32]), 1, MemorySegment.ofArray(good), 0, 48);
        b.add(MemorySegment.ofArray(new byte[32]), 2, MemorySegment.ofArray(bad), 0, 10);
        assertThrows(IllegalArgumentException.class, () -> aead.sealBatch(b));
        assertArrayEquals(new byte[64], good);
    }

    @org.junit.jupiter.api.Test
    void aFullBatchRefusesMorePackets() {
        AeadBatch b = new AeadBatch(1);
        b.add(MemorySegment.ofArray(new byte[32]), 1, MemorySegment.ofArray(new byte[32]), 0, 16);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.add(MemorySegment.ofArray(new byte[32]), 1, MemorySegment.ofArray(new byte[32]), 0, 16));
        assertTrue(e.getMessage().contains("full"));
        b.clear();
        b.add(MemorySegment.ofArray(new byte[32]), 1, MemorySegment.ofArray(new byte[32]), 0, 16);
    }
}
