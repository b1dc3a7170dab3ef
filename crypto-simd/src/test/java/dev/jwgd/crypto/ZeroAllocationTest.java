package dev.jwgd.crypto;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Once warm, sealing and opening allocate nothing, single or batched, heap or off-heap. Warm-up is bounded in rounds
 * (not in time): the test passes as soon as one measured round of calls allocates less than one byte per call.
 */
class ZeroAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static Stream<Aead> implementations() {
        // The preferred width only: a width the CPU lacks runs the Vector API's allocating Java fallback.
        return Stream.of(AeadProvider.vector(AeadProvider.preferredVectorBits()), AeadProvider.scalar());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void sealAndOpenAllocateNothingOnceWarm(Aead aead) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(32);
            key.fill((byte) 3);
            MemorySegment offHeap = arena.allocate(20 * 2048L, 64);
            MemorySegment heap = MemorySegment.ofArray(new byte[4096]);
            MemorySegment aad = MemorySegment.ofArray(new byte[13]);
            AeadBatch batch = new AeadBatch(20);
            int[] sizes = {0, 1, 64, 100, 255, 256, 300, 1420, 1420, 1420, 1420, 2000, 64, 64, 64, 64, 64, 80, 1420, 17};
            long perRound = 0;
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 1500; round++) {   // at most about a minute while C2 still compiles the kernels
                long before = THREADS.getCurrentThreadAllocatedBytes();
                perRound = 0;
                for (int i = 0; i < 50; i++) {
                    aead.seal(key, i, MemorySegment.NULL, offHeap, 0, 1420);
                    aead.open(key, i, MemorySegment.NULL, offHeap, 0, 1436);
                    aead.seal(key, i, aad, heap, 5, 64);
                    aead.open(key, i, aad, heap, 5, 80);
                    batch.clear();
                    for (int p = 0; p < sizes.length; p++) {
                        batch.add(key, i * 100L + p, offHeap, p * 2048L, sizes[p]);
                    }
                    aead.sealBatch(batch);
                    batch.clear();
                    for (int p = 0; p < sizes.length; p++) {
                        batch.add(key, i * 100L + p, offHeap, p * 2048L, sizes[p] + 16);
                    }
                    aead.openBatch(batch);
                    perRound += 6;
                }
                long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                best = Math.min(best, allocated);
                if (allocated < perRound) {
                    break;
                }
            }
            assertTrue(best < perRound, aead.name() + ": the least-allocating round of " + perRound
                    + " calls allocated " + best + " bytes");
        }
    }
}
