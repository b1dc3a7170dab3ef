package dev.jwgd.session;

import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * Plaintext packets waiting for a session (kernel {@code staged_packet_queue}): at most
 * MAX_STAGED_PACKETS; when full the oldest is dropped, as the kernel does. Guarded by the owning
 * {@link PeerSession}'s monitor. Staging happens only while no session exists, so copying to the heap
 * here does not touch the steady-state data path.
 */
final class StagedPackets {
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final int capacity;
    private long dropped;

    StagedPackets(int capacity) {
        this.capacity = capacity;
    }

    StagedPackets() {
        this(Protocol.MAX_STAGED_PACKETS);
    }

    void add(MemorySegment packet, long offset, int length) {
        byte[] copy = new byte[length];
        MemorySegment.copy(packet, ValueLayout.JAVA_BYTE, offset, copy, 0, length);
        queue.addLast(copy);
        while (queue.size() > capacity) {
            queue.removeFirst();
            dropped++;
        }
    }

    byte[] poll() {
        return queue.pollFirst();
    }

    void pushFront(byte[] packet) {
        queue.addFirst(packet);
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void clear() {
        dropped += queue.size();
        queue.clear();
    }

    long dropped() {
        return dropped;
    }
}
