package dev.jwgd.ffm.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A reusable set of packet buffers for {@link TunDevice#readBatch} and {@link TunDevice#writeBatch}:
 * {@code slots} off-heap buffers of {@code bufferSize} bytes, carved once from one segment, each with
 * a length. Owned by one thread; nothing is allocated after construction.
 * With IFF_VNET_HDR each buffer starts with the 10-byte {@link virtio_net_hdr}; size buffers to
 * 10 + 65535 when GSO offloads are on.
 */
public final class TunBatch {
    private final MemorySegment memory;
    private final MemorySegment[] buffers;
    private final int[] lengths;
    private final int bufferSize;

    public TunBatch(int slots, int bufferSize, Arena arena) {
        if (slots <= 0 || bufferSize <= 0) throw new IllegalArgumentException("slots and bufferSize must be positive");
        this.bufferSize = bufferSize;
        this.memory = arena.allocate((long) slots * bufferSize, 64);
        this.buffers = new MemorySegment[slots];
        this.lengths = new int[slots];
        for (int i = 0; i < slots; i++) buffers[i] = memory.asSlice((long) i * bufferSize, bufferSize);
    }

    public int slots() { return buffers.length; }

    public int bufferSize() { return bufferSize; }

    /** Slot {@code i}'s whole buffer (a slice made once, at construction). */
    public MemorySegment buffer(int i) { return buffers[i]; }

    /** The packet length in slot {@code i}: bytes read by the last batch read, or to write. */
    public int length(int i) { return lengths[i]; }

    public void setLength(int i, int length) {
        if (length < 0 || length > bufferSize) throw new IndexOutOfBoundsException("length " + length + " outside 0.." + bufferSize);
        lengths[i] = length;
    }
}
