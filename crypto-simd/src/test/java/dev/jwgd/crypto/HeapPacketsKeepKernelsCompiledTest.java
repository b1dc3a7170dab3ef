package dev.jwgd.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * After {@link AeadProvider}'s warm-up, a few heap packets (what the handshake and a packet staged before its session
 * look like) must not leave the vector kernels recompiled into code that boxes every vector. Before the kernels were
 * kept to off-heap segments, three heap-segment 1420 B packets made every later off-heap 1420 B packet allocate about
 * 116 KB, for the rest of the JVM's life. Surefire runs this class in its own JVM ({@code reuseForks=false}), as the
 * daemon would be.
 *
 * <p>Bounded in rounds, not in time: each phase passes as soon as one round allocates less than one byte per call.
 */
class HeapPacketsKeepKernelsCompiledTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int BATCH = 16, SIZE = 1420, SLOT = 2048, MAX_ROUNDS = 400;

    @Test
    void offHeapPacketsStayAllocationFreeAfterHeapPacketsWentThroughTheSameImplementation() {
        Aead aead = AeadProvider.vector(AeadProvider.preferredVectorBits());
        // The provider's own warm-up, as best() runs it: it leaves the kernels compiled for off-heap segments only.
        AeadProvider.warmUpAndTime(aead, System.nanoTime() + 20_000_000_000L);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(32, 32);
            key.fill((byte) 0x5a);
            MemorySegment pool = arena.allocate((long) BATCH * SLOT, 64);
            AeadBatch batch = new AeadBatch(BATCH);
            long[] counter = {0};

            long warm = leastAllocatedPerCall(aead, key, pool, batch, counter);
            assertTrue(warm < 1, aead.name() + ": off-heap 1420 B batches never ran allocation-free while warming up ("
                    + warm + " B per call at best)");

            // The control plane's traffic: heap key, AAD and data (handshake), and heap data with an off-heap key
            // (a staged packet), each sealed and opened back.
            byte[] plain = new byte[SIZE];
            for (int i = 0; i < SIZE; i++) {
                plain[i] = (byte) (i * 31);
            }
            for (int k = 0; k < 3; k++) {
                byte[] staged = java.util.Arrays.copyOf(plain, 16 + SIZE + 16);
                System.arraycopy(plain, 0, staged, 16, SIZE);
                MemorySegment heap = MemorySegment.ofArray(staged);
                aead.seal(key, 1000 + k, MemorySegment.NULL, heap, 16, SIZE);
                assertTrue(aead.open(key, 1000 + k, MemorySegment.NULL, heap, 16, SIZE + 16), "staged packet " + k);
                assertArrayEquals(plain, heap.asSlice(16, SIZE).toArray(ValueLayout.JAVA_BYTE), "staged packet " + k);

                byte[] handshake = new byte[32 + 16];
                MemorySegment heapKey = MemorySegment.ofArray(new byte[32]);
                MemorySegment hash = MemorySegment.ofArray(new byte[32]);
                aead.seal(heapKey, k, hash, MemorySegment.ofArray(handshake), 0, 32);
                assertTrue(aead.open(heapKey, k, hash, MemorySegment.ofArray(handshake), 0, 48), "handshake " + k);
            }

            long after = leastAllocatedPerCall(aead, key, pool, batch, counter);
            assertTrue(after < 1, aead.name() + ": after heap packets, off-heap 1420 B batches allocate " + after
                    + " B per call at best over " + MAX_ROUNDS + " rounds: the kernels were recompiled with boxed "
                    + "vectors");
        }
    }

    /** Seals and opens off-heap batches until a round allocates less than a byte per call; the least per call. */
    private static long leastAllocatedPerCall(Aead aead, MemorySegment key, MemorySegment pool, AeadBatch batch,
                                              long[] counter) {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < MAX_ROUNDS && best >= 1; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            int calls = 0;
            for (int i = 0; i < 10; i++) {
                long first = counter[0];
                batch.clear();
                for (int p = 0; p < BATCH; p++) {
                    batch.add(key, first + p, pool, (long) p * SLOT, SIZE);
                }
                aead.sealBatch(batch);
                batch.clear();
                for (int p = 0; p < BATCH; p++) {
                    batch.add(key, first + p, pool, (long) p * SLOT, SIZE + 16);
                }
                aead.openBatch(batch);
                if (batch.failures() != 0) {
                    throw new AssertionError(aead.name() + ": an off-heap packet failed to open");
                }
                counter[0] += BATCH;
                calls += 2 * BATCH;
            }
            best = Math.min(best, (THREADS.getCurrentThreadAllocatedBytes() - before) / calls);
        }
        return best;
    }
}
