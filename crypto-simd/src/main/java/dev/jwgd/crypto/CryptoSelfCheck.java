package dev.jwgd.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Runs the start-up self-check, prints which ChaCha20-Poly1305 implementation was chosen and why, and a short
 * throughput figure: 1420 B packets sealed in batches of 64 by the chosen implementation against the JDK's
 * {@code Cipher} in the same run. About 3 s. {@code scripts/demo.sh} runs it.
 */
public final class CryptoSelfCheck {
    private CryptoSelfCheck() {}

    private static final int PACKET = 1420;
    private static final int BATCH = 64;

    public static void main(String[] args) {
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version());
        System.out.println("Vector API module: " + (AeadProvider.vectorModulePresent() ? "present" : "absent")
                + ", preferred integer vector width: " + AeadProvider.preferredVectorBits() + " bits");
        long t0 = System.nanoTime();
        AeadProvider.Choice choice = AeadProvider.bestChoice();
        System.out.printf("chosen: %s (%s); self-check took %.2f s%n", choice.aead().name(), choice.reason(),
                (System.nanoTime() - t0) / 1e9);
        KnownAnswers.verify(AeadProvider.scalar());
        KnownAnswers.verify(AeadProvider.jdk());
        System.out.println("known answers (RFC 8439 2.8.2, A.5, agreement with the scalar reference): pass for "
                + choice.aead().name() + ", scalar, jdk");
        double mine = sealRate(choice.aead(), true, 1.0);
        double jdk = sealRate(AeadProvider.jdk(), false, 1.0);
        System.out.printf("seal %d B, one thread, 1 s of its CPU time each: %s %.2f GB/s (batches of %d), JDK Cipher "
                + "%.2f GB/s (one per call): x%.2f%n", PACKET, choice.aead().name(), mine, BATCH, jdk, mine / jdk);
        System.out.println("(GB/s = 10^9 B per second of this thread's CPU time, so that other processes on a shared "
                + "machine do not count; load average now " + String.format("%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + ")");
    }

    /** GB/s (10^9 B per second of thread CPU time) of plaintext sealed in {@code seconds}, after a short warm-up. */
    static double sealRate(Aead aead, boolean batched, double seconds) {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(32);
            key.fill((byte) 7);
            MemorySegment pool = arena.allocate((long) BATCH * 1536, 64);
            AeadBatch batch = new AeadBatch(BATCH);
            long counter = 0;
            long bytes = 0;
            long warmEnd = cpu.getCurrentThreadCpuTime() + 300_000_000L;
            long start = 0;
            boolean timing = false;
            while (true) {
                long now = cpu.getCurrentThreadCpuTime();
                if (!timing && now > warmEnd) {
                    timing = true;
                    start = now;
                    bytes = 0;
                } else if (timing && now - start > seconds * 1e9) {
                    return bytes / ((now - start) / 1e9) / 1e9;
                }
                if (batched) {
                    batch.clear();
                    for (int i = 0; i < BATCH; i++) {
                        batch.add(key, counter++, pool, i * 1536L, PACKET);
                    }
                    aead.sealBatch(batch);
                } else {
                    for (int i = 0; i < BATCH; i++) {
                        aead.seal(key, counter++, MemorySegment.NULL, pool, i * 1536L, PACKET);
                    }
                }
                bytes += (long) BATCH * PACKET;
            }
        }
    }
}
