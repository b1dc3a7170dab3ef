package dev.jwgd.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one place that decides: what it picks on this JVM, forcing by property, and width checks. */
class AeadProviderTest {
    @Test
    void theBestImplementationPassesKnownAnswersAndSaysWhyItWasChosen() {
        AeadProvider.Choice c = AeadProvider.bestChoice();
        KnownAnswers.verify(c.aead());
        assertFalse(c.reason().isBlank());
        if (c.aead().name().startsWith("vector-")) {
            assertEquals("vector-" + AeadProvider.preferredVectorBits(), c.aead().name());
            assertTrue(c.reason().contains("C2"), c.reason());
        } else {
            assertEquals("jdk", c.aead().name(), c.reason());
        }
    }

    @Test
    void theModuleIsPresentInTheseTestsSoEveryWidthCanBeForced() {
        assertTrue(AeadProvider.vectorModulePresent());
        for (int bits : new int[] {512, 256, 128}) {
            assertEquals("vector-" + bits, AeadProvider.vector(bits).name());
        }
        assertThrows(IllegalArgumentException.class, () -> AeadProvider.vector(64));
        assertThrows(IllegalArgumentException.class, () -> AeadProvider.vector(1024));
    }

    @Test
    void thePropertyForcesTheChoice() {
        String old = System.getProperty("jwgd.crypto");
        try {
            System.setProperty("jwgd.crypto", "scalar");
            assertEquals("scalar", AeadProvider.choose().aead().name());
            System.setProperty("jwgd.crypto", "jdk");
            assertEquals("jdk", AeadProvider.choose().aead().name());
            System.setProperty("jwgd.crypto", "vector-128");
            AeadProvider.Choice c = AeadProvider.choose();
            assertEquals("vector-128", c.aead().name());
            assertTrue(c.reason().contains("forced"), c.reason());
        } finally {
            if (old == null) {
                System.clearProperty("jwgd.crypto");
            } else {
                System.setProperty("jwgd.crypto", old);
            }
        }
    }
}
