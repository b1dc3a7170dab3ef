package dev.jwgd.crypto.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jwgd.crypto.KnownAnswers;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provider's first warm-up stage, {@link VectorChaCha20Poly1305#warmUpKernels}, at every width: it drives the
 * kernels on its own scratch without failing, and leaves the implementation giving the known answers and the same
 * bytes as before (its scratch is wiped, nothing of it leaks into later calls).
 */
class VectorWarmUpTest {
    @ParameterizedTest
    @ValueSource(ints = {512, 256, 128})
    void warmingUpTheKernelsLeavesEveryWidthGivingTheSameBytes(int bits) {
        VectorChaCha20Poly1305 aead = new VectorChaCha20Poly1305(bits);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(32);
            key.fill((byte) 0x11);
            MemorySegment before = arena.allocate(300 + 16);
            MemorySegment after = arena.allocate(300 + 16);
            for (int i = 0; i < 300; i++) {
                before.set(ValueLayout.JAVA_BYTE, i, (byte) i);
                after.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            aead.seal(key, 7, MemorySegment.NULL, before, 0, 300);
            // Enough rounds to reach every lane count, partial fill, xor length and Poly1305 step count.
            aead.warmUpKernels(2 * VectorChaCha20Poly1305.MAX_LANE_STEPS);
            KnownAnswers.verify(aead);
            aead.seal(key, 7, MemorySegment.NULL, after, 0, 300);
            assertArrayEquals(before.toArray(ValueLayout.JAVA_BYTE), after.toArray(ValueLayout.JAVA_BYTE),
                    bits + "-bit: a seal after the warm-up must equal the one before it");
        }
    }
}
