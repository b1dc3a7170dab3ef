package dev.jwgd.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The send batches of one {@link UdpSocketEnd}, shared by every thread that sends (send path, handshake
 * worker, timers, UAPI): at most {@code max} exist, made on demand, so the off-heap memory stays bounded
 * however many threads send. A sender takes one for the length of a send call and puts it back.
 *
 * <p>Concurrency: each free batch sits in one cell of {@code free}; taking it is a CAS from the batch
 * to null, returning it a CAS from null to the batch. A batch is owned by exactly one thread between
 * the two, and the CASes order its memory between owners. When all {@code max} are taken, a sender waits
 * (sends are short and never block: the socket is non-blocking). Allocates only while growing.
 */
final class UdpSendPool {
    private final AtomicReferenceArray<UdpSendBatch> free;
    private final AtomicInteger created = new AtomicInteger();
    private final int max;
    private final int slots;
    private final int messageSize;
    private final int maxDatagram;

    UdpSendPool(int max, int slots, int messageSize, int maxDatagram) {
        if (max <= 0) throw new IllegalArgumentException("pool size " + max);
        this.max = max;
        this.slots = slots;
        this.messageSize = messageSize;
        this.maxDatagram = maxDatagram;
        this.free = new AtomicReferenceArray<>(max);
    }

    UdpSendBatch acquire() {
        for (int round = 0; ; round++) {
            for (int i = 0; i < max; i++) {
                UdpSendBatch b = free.get(i);
                if (b != null && free.compareAndSet(i, b, null)) return b;
            }
            int c = created.get();
            if (c < max) {
                if (created.compareAndSet(c, c + 1)) return new UdpSendBatch(slots, messageSize, maxDatagram);
                continue;
            }
            if (round < 64) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    void release(UdpSendBatch b) {
        // At most max batches exist and this one is not in the array, so a free cell exists.
        for (int i = 0; ; i = i + 1 == max ? 0 : i + 1) {
            if (free.get(i) == null && free.compareAndSet(i, null, b)) return;
        }
    }

    /** Batches made so far (at most {@code max}). */
    int created() { return created.get(); }

    int max() { return max; }

    /** Off-heap bytes of one batch, about. */
    long batchBytes() {
        return UdpSendBatch.offHeapBytes(slots, messageSize);
    }
}
