package dev.jwgd.pipeline;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TunEnd} over two in-memory queues, for tests: {@link #inject} plays the kernel routing a
 * packet into the tunnel, {@link #take} receives what the device delivered. Copies each packet
 * into a byte array, so it allocates; the benchmark drives the stages directly instead.
 */
public final class MemoryTun implements TunEnd {
    private final BlockingQueue<byte[]> toDevice;
    private final BlockingQueue<byte[]> fromDevice;
    private final int mtu;
    private volatile boolean closed;

    public MemoryTun(int mtu, int queueCapacity) {
        this.mtu = mtu;
        this.toDevice = new ArrayBlockingQueue<>(queueCapacity);
        this.fromDevice = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Queues a packet for the device to read; false when the queue is full. */
    public boolean inject(byte[] packet) {
        return toDevice.offer(packet.clone());
    }

    /** The next packet the device wrote, or null after {@code timeoutMillis}. */
    public byte[] take(long timeoutMillis) throws InterruptedException {
        return fromDevice.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    public int delivered() {
        return fromDevice.size();
    }

    @Override
    public int read(PacketBatch batch, int timeoutMillis) {
        if (closed) return CLOSED;
        batch.count = 0;
        byte[] p;
        try {
            p = toDevice.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return closed ? CLOSED : 0;
        }
        int n = 0;
        int max = batch.slotSize() - PacketBatch.HEADROOM - PacketBatch.TAILROOM;
        while (p != null) {
            if (p.length <= max) {
                MemorySegment.copy(MemorySegment.ofArray(p), 0, batch.slot(n), PacketBatch.HEADROOM, p.length);
                batch.offset[n] = PacketBatch.HEADROOM;
                batch.length[n] = p.length;
                n++;
            }
            if (n == batch.capacity()) break;
            p = toDevice.poll();
        }
        batch.count = n;
        return closed ? CLOSED : n;
    }

    @Override
    public int write(PacketBatch batch, int[] indexes, int n) {
        if (closed) return CLOSED;
        int written = 0;
        for (int k = 0; k < n; k++) {
            int i = indexes[k];
            byte[] p = batch.slot(i).asSlice(batch.offset[i], batch.length[i]).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            if (fromDevice.offer(p)) written++;
        }
        return written;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public void close() {
        closed = true;
    }
}
