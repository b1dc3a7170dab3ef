package dev.jwgd.crypto;

/**
 * Run in a child JVM by {@link AeadProviderFallbackTest} with other vector flags (or without the incubator module):
 * prints what it finds, one fact per line, and checks the known answers of what it can load.
 */
public final class FallbackProbe {
    private FallbackProbe() {}

    public static void main(String[] args) {
        boolean module = AeadProvider.vectorModulePresent();
        System.out.println("module=" + (module ? "present" : "absent"));
        int bits = AeadProvider.preferredVectorBits();
        System.out.println("preferred=" + bits);
        KnownAnswers.verify(AeadProvider.scalar());
        System.out.println("kat scalar ok");
        KnownAnswers.verify(AeadProvider.jdk());
        System.out.println("kat jdk ok");
        if (module) {
            Aead v = AeadProvider.vector(bits);
            KnownAnswers.verify(v);
            System.out.println("kat " + v.name() + " ok");
        } else {
            try {
                AeadProvider.vector(256);
                System.out.println("vector loaded");
            } catch (UnsupportedOperationException e) {
                System.out.println("vector unavailable: " + e.getMessage());
            }
        }
        AeadProvider.Choice c = AeadProvider.bestChoice();
        KnownAnswers.verify(c.aead());
        System.out.println("best=" + c.aead().name());
        System.out.println("kat best ok");
        System.out.println("reason=" + c.reason());
    }
}
