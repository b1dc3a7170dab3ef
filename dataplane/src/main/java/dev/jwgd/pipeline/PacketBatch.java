package dev.jwgd.pipeline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A batch of packet slots in one off-heap block, allocated once and reused for every batch a
 * stage handles: the unit that moves through the data path (TUN read → seal → UDP send, and UDP
 * receive → open → TUN write). Each slot is {@link #slotSize()} bytes; the per-slot metadata lives
 * in primitive arrays beside it, so filling and draining a batch allocates nothing.
 *
 * <p>Layout conventions: on the send path the IP packet is read to {@link #HEADROOM} so that the
 * 16-byte transport header can be written in front of it and the tag after it, in place. On the
 * receive path a datagram is received at offset 0 and, once opened, its plaintext is at
 * {@link #HEADROOM}. {@link #offset} and {@link #length} say where each slot's bytes are now.
 *
 * <p>Owned by one thread at a time (the stage holding it); it is not safe for concurrent use.
 */
public final class PacketBatch {
    /** Room in front of a packet for the transport-data header (type, receiver index, counter). */
    public static final int HEADROOM = 16;
    /** Room behind a packet for the padding (≤ 15) and the Poly1305 tag (16). */
    public static final int TAILROOM = 32;

    private final int capacity;
    private final int slotSize;
    private final MemorySegment memory;
    private final MemorySegment[] slots;
    private final MemorySegment[] payloads;

    /** Number of slots in use, from index 0. */
    public int count;
    /** Where each slot's bytes start and how many there are. */
    public final int[] offset;
    public final int[] length;
    /** Receive side: the datagram's source address; send side: unused. */
    public final boolean[] sourceV6;
    public final long[] sourceHigh;
    public final long[] sourceLow;
    public final int[] sourcePort;
    /** Send side: where each datagram goes. */
    public final Endpoint[] destination;
    /** The peer a slot belongs to, set by the stage that classified it. */
    public final Object[] owner;
    /** A stage-specific tag per slot (e.g. the keypair a data message was opened with). */
    public final Object[] tag;
    /** A stage-specific number per slot (e.g. the nonce counter). */
    public final long[] counter;

    public PacketBatch(int capacity, int slotSize) {
        this(capacity, slotSize, Arena.ofAuto());
    }

    public PacketBatch(int capacity, int slotSize, Arena arena) {
        if (capacity <= 0 || slotSize < HEADROOM + TAILROOM + 64) throw new IllegalArgumentException("bad batch geometry");
        this.capacity = capacity;
        this.slotSize = (slotSize + 63) & ~63;
        this.memory = arena.allocate((long) this.slotSize * capacity, 64);
        this.slots = new MemorySegment[capacity];
        this.payloads = new MemorySegment[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = memory.asSlice((long) i * this.slotSize, this.slotSize);
            payloads[i] = slots[i].asSlice(HEADROOM, this.slotSize - HEADROOM - TAILROOM);
        }
        offset = new int[capacity];
        length = new int[capacity];
        sourceV6 = new boolean[capacity];
        sourceHigh = new long[capacity];
        sourceLow = new long[capacity];
        sourcePort = new int[capacity];
        destination = new Endpoint[capacity];
        owner = new Object[capacity];
        tag = new Object[capacity];
        counter = new long[capacity];
    }

    public int capacity() { return capacity; }

    public int slotSize() { return slotSize; }

    /** The whole slot i (slotSize bytes). */
    public MemorySegment slot(int i) { return slots[i]; }

    /**
     * Slot i from {@link #HEADROOM}, leaving the tail room free: where the TUN end reads a packet
     * and writes a received one from. Made once, so I/O needs no slicing per packet.
     */
    public MemorySegment payload(int i) { return payloads[i]; }

    /** The largest IP packet a slot can hold on the send path. */
    public int maxPayload() { return slotSize - HEADROOM - TAILROOM; }

    /** The whole off-heap block: slot i starts at i × slotSize. */
    public MemorySegment memory() { return memory; }

    /** Forgets every slot's metadata references so pooled peers and keypairs can be collected. */
    public void clear() {
        for (int i = 0; i < count; i++) {
            destination[i] = null;
            owner[i] = null;
            tag[i] = null;
        }
        count = 0;
    }

    /** Copies slot {@code from}'s bytes and metadata into slot {@code to} of {@code target}. */
    public void copySlotTo(int from, PacketBatch target, int to) {
        int len = length[from];
        int off = offset[from];
        MemorySegment.copy(slots[from], off, target.slots[to], off, len);
        target.offset[to] = off;
        target.length[to] = len;
        target.sourceV6[to] = sourceV6[from];
        target.sourceHigh[to] = sourceHigh[from];
        target.sourceLow[to] = sourceLow[from];
        target.sourcePort[to] = sourcePort[from];
        target.destination[to] = destination[from];
        target.owner[to] = owner[from];
        target.tag[to] = tag[from];
        target.counter[to] = counter[from];
    }
}
