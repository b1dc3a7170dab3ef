package dev.jwgd.pipeline;

import dev.jwgd.message.TransportData;
import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Framing of transport data messages in a {@link PacketBatch} slot (whitepaper 5.4.6): the IP
 * packet at {@link PacketBatch#HEADROOM} is zero-padded to a multiple of 16 within the MTU
 * (send.c {@code calculate_skb_padding}) and the 16-byte header goes in front; the caller seals
 * {@code [HEADROOM, HEADROOM + padded)} and the tag lands right after it. Allocation-free.
 */
public final class Transport {
    private Transport() {}

    /**
     * Pads slot {@code i}'s packet and writes the header; returns the padded plaintext length to
     * seal. The slot's offset must be {@link PacketBatch#HEADROOM}.
     */
    public static int prepare(PacketBatch b, int i, int receiverIndex, long counter, int mtu) {
        MemorySegment slot = b.slot(i);
        int len = b.length[i];
        int padded = Math.min(Protocol.paddedLength(len, mtu), b.maxPayload());
        if (padded < len) padded = len;
        for (int p = PacketBatch.HEADROOM + len, end = PacketBatch.HEADROOM + padded; p < end; p++) {
            slot.set(ValueLayout.JAVA_BYTE, p, (byte) 0);
        }
        TransportData.writeHeader(slot, 0, receiverIndex, counter);
        return padded;
    }

    /** After sealing: the slot now holds the whole datagram from offset 0. */
    public static void sealed(PacketBatch b, int i, int padded) {
        b.offset[i] = 0;
        b.length[i] = Protocol.MESSAGE_TRANSPORT_OVERHEAD + padded;
    }
}
