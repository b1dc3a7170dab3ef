package dev.jwgd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jwgd.message.TransportData;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class TransportTest {
    @Test
    void padsToSixteenWithZerosAndWritesTheHeaderInFront() {
        PacketBatch b = new PacketBatch(1, 2048);
        b.slot(0).fill((byte) 0x55);
        b.offset[0] = PacketBatch.HEADROOM;
        b.length[0] = 21;
        int padded = Transport.prepare(b, 0, 0x01020304, 77L, 1420);
        assertEquals(32, padded, "21 bytes pad to 32");
        for (int i = 21; i < 32; i++) {
            assertEquals(0, b.slot(0).get(ValueLayout.JAVA_BYTE, PacketBatch.HEADROOM + i), "padding byte " + i + " is zero");
        }
        assertEquals(0x55, b.slot(0).get(ValueLayout.JAVA_BYTE, PacketBatch.HEADROOM + 20), "the packet itself is untouched");
        assertEquals(4, b.slot(0).get(ValueLayout.JAVA_INT_UNALIGNED, 0), "type 4, reserved zero (little-endian)");
        assertEquals(0x01020304, TransportData.receiverIndex(b.slot(0), 0));
        assertEquals(77L, TransportData.counter(b.slot(0), 0));
        Transport.sealed(b, 0, padded);
        assertEquals(0, b.offset[0]);
        assertEquals(64, b.length[0], "16 header + 32 padded + 16 tag");
    }

    @Test
    void paddingNeverGoesBeyondTheMtu() {
        PacketBatch b = new PacketBatch(1, 2048);
        b.offset[0] = PacketBatch.HEADROOM;
        b.length[0] = 1419;
        assertEquals(1420, Transport.prepare(b, 0, 1, 0, 1420), "1419 rounds to 1424 but the MTU caps it at 1420");
        b.length[0] = 1420;
        assertEquals(1420, Transport.prepare(b, 0, 1, 0, 1420), "a full-MTU packet is not padded");
        b.length[0] = 0;
        assertEquals(0, Transport.prepare(b, 0, 1, 0, 1420), "a keepalive stays empty");
    }
}
