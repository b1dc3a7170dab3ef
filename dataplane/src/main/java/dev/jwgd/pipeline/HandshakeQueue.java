package dev.jwgd.pipeline;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bounded queue between the receive path and the handshake worker (kernel
 * {@code MAX_QUEUED_INCOMING_HANDSHAKES}): handshake messages are copied into pooled slots, so a
 * flood costs a bounded amount of memory and never blocks the data path; when the pool is empty the
 * message is dropped and counted. Its fill level feeds the under-load detector.
 *
 * <p>One producer (the receive thread) and one consumer (the handshake worker). The slot numbers
 * travel through two array-backed queues as pre-boxed Integers, so nothing is allocated per message.
 */
public final class HandshakeQueue {
    public static final int SLOT_SIZE = 256;

    private final PacketBatch slots;
    private final Integer[] boxes;
    private final ArrayBlockingQueue<Integer> free;
    private final ArrayBlockingQueue<Integer> ready;
    public volatile long dropped;

    public HandshakeQueue(int capacity) {
        slots = new PacketBatch(capacity, SLOT_SIZE);
        boxes = new Integer[capacity];
        free = new ArrayBlockingQueue<>(capacity);
        ready = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < capacity; i++) {
            boxes[i] = i;
            free.add(boxes[i]);
        }
    }

    /** Copies slot {@code i} of {@code from} (with its source address) in; false when full. */
    public boolean offer(PacketBatch from, int i) {
        Integer slot = free.poll();
        if (slot == null || from.length[i] > SLOT_SIZE) {
            if (slot != null) free.offer(slot);
            dropped++;
            return false;
        }
        int s = slot;
        MemorySegment.copy(from.slot(i), from.offset[i], slots.slot(s), 0, from.length[i]);
        slots.offset[s] = 0;
        slots.length[s] = from.length[i];
        slots.sourceV6[s] = from.sourceV6[i];
        slots.sourceHigh[s] = from.sourceHigh[i];
        slots.sourceLow[s] = from.sourceLow[i];
        slots.sourcePort[s] = from.sourcePort[i];
        ready.offer(slot);
        return true;
    }

    /** Messages waiting. */
    public int size() {
        return ready.size();
    }

    /** The next slot number, waiting up to {@code timeoutMillis}; -1 on timeout. */
    public int take(long timeoutMillis) throws InterruptedException {
        Integer s = ready.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        return s == null ? -1 : s;
    }

    /** The pooled slots: a taken slot's bytes, length and source. */
    public PacketBatch slots() {
        return slots;
    }

    /** Returns a taken slot to the pool. */
    public void release(int slot) {
        free.offer(boxes[slot]);
    }
}
