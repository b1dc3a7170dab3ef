package dev.jwgd.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * The one place that decides which ChaCha20-Poly1305 jwgd uses (Lucene's VectorizationProvider pattern,
 * java-build.md §3.2), and says why in one log line.
 *
 * <p>{@link #best()} is the Vector API implementation when the {@code jdk.incubator.vector} module is present, the
 * preferred integer vectors are at least 256 bits wide, its known answers pass, and after a warm-up a timed seal
 * proves that C2 compiled its kernels (a kernel left in C1 or the interpreter is 70 to 13 000 times slower without
 * any error, crypto.md §2.4). Otherwise it is the JDK's {@code Cipher}, with a WARNING. The vector classes are
 * loaded reflectively, so this class works without the incubator module.
 *
 * <p>System property {@code jwgd.crypto} overrides the choice: {@code auto} (default), {@code vector},
 * {@code vector-512}, {@code vector-256}, {@code vector-128}, {@code jdk} or {@code scalar}.
 */
public final class AeadProvider {
    private AeadProvider() {}

    private static final System.Logger LOG = System.getLogger(AeadProvider.class.getName());
    private static final String VECTOR_CLASS = "dev.jwgd.crypto.vector.VectorChaCha20Poly1305";
    /**
     * Above this, a warmed-up 1420 B seal was not compiled by C2. Measured here (AVX2, shared machine): C2 about
     * 2 µs, kernels stuck in C1 81 µs, interpreted milliseconds.
     */
    static final long MAX_MTU_SEAL_NANOS = 10_000;
    /** The same for a 64 B seal, which runs the table-driven kernel (C2 about 1 µs, C1 17 µs). */
    static final long MAX_SMALL_SEAL_NANOS = 6_000;

    private static final Aead SCALAR = new ScalarChaCha20Poly1305();
    private static final Aead JDK = new JdkChaCha20Poly1305();

    /** What was chosen and why, for logs and {@code jwgd doctor}. */
    public record Choice(Aead aead, String reason) {}

    // A holder class, so that the choice is made once, on first use, without class-loading deadlocks.
    private static final class Holder {
        static final Choice BEST = choose();
    }

    /** The implementation to use; decided, checked and logged once. */
    public static Aead best() {
        return Holder.BEST.aead();
    }

    /** {@link #best()} with the reason it was chosen. */
    public static Choice bestChoice() {
        return Holder.BEST;
    }

    /** The plain Java reference. */
    public static Aead scalar() {
        return SCALAR;
    }

    /** The JDK's {@code Cipher.getInstance("ChaCha20-Poly1305")}. */
    public static Aead jdk() {
        return JDK;
    }

    /** Whether the {@code jdk.incubator.vector} module is readable (run with {@code --add-modules}). */
    public static boolean vectorModulePresent() {
        Optional<Module> m = Optional.ofNullable(AeadProvider.class.getModule().getLayer())
                .orElse(ModuleLayer.boot()).findModule("jdk.incubator.vector");
        m.ifPresent(AeadProvider.class.getModule()::addReads);
        return m.isPresent();
    }

    /** The preferred integer vector width of this JVM and CPU in bits, or 0 without the incubator module. */
    public static int preferredVectorBits() {
        if (!vectorModulePresent()) {
            return 0;
        }
        try {
            MethodHandle h = MethodHandles.lookup().findStatic(vectorClass(), "preferredBits",
                    MethodType.methodType(int.class));
            return (int) h.invoke();
        } catch (Throwable e) {
            return 0;
        }
    }

    /**
     * The Vector API implementation with widest vectors of {@code bits} (512, 256 or 128), whatever the CPU: a width
     * wider than the hardware runs correctly but very slowly. For tests and benchmarks; it is not self-checked.
     *
     * @throws UnsupportedOperationException without the incubator module
     * @throws IllegalArgumentException for another width
     */
    public static Aead vector(int bits) {
        if (!vectorModulePresent()) {
            throw new UnsupportedOperationException("the Vector API module is absent: run java with "
                    + "--add-modules=jdk.incubator.vector");
        }
        try {
            MethodHandle c = MethodHandles.lookup().findConstructor(vectorClass(),
                    MethodType.methodType(void.class, int.class));
            return (Aead) c.invoke(bits);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw e;
        } catch (Throwable e) {
            throw new UnsupportedOperationException("cannot load " + VECTOR_CLASS + ": " + e, e);
        }
    }

    private static Class<?> vectorClass() throws ReflectiveOperationException {
        return MethodHandles.lookup().findClass(VECTOR_CLASS);
    }

    /** Makes the decision (uncached): the property, then module, width, known answers and a timed warm-up. */
    static Choice choose() {
        String forced = System.getProperty("jwgd.crypto", "auto").trim();
        Choice c = switch (forced) {
            case "jdk" -> new Choice(JDK, "forced by -Djwgd.crypto=jdk");
            case "scalar" -> new Choice(SCALAR, "forced by -Djwgd.crypto=scalar");
            case "vector-512", "vector-256", "vector-128" -> {
                Aead v = vector(Integer.parseInt(forced.substring(7)));
                KnownAnswers.verify(v);
                yield new Choice(v, "forced by -Djwgd.crypto=" + forced + ", known answers pass");
            }
            default -> chooseAutomatically(forced.equals("vector"));
        };
        System.Logger.Level level = c.aead() == JDK && !forced.equals("jdk")
                ? System.Logger.Level.WARNING : System.Logger.Level.INFO;
        LOG.log(level, "ChaCha20-Poly1305: using " + c.aead().name() + " (" + c.reason() + ")");
        return c;
    }

    private static Choice chooseAutomatically(boolean insist) {
        if (!vectorModulePresent()) {
            return new Choice(JDK, "the Vector API module is absent; run java with "
                    + "--add-modules=jdk.incubator.vector for the vector implementation");
        }
        int bits = preferredVectorBits();
        if (bits < 256 && !insist) {
            return new Choice(JDK, "the preferred integer vectors are " + bits + " bits; the vector kernels need at "
                    + "least 256 (AVX2)");
        }
        Aead v;
        try {
            v = vector(Math.min(512, Math.max(128, bits)));
            KnownAnswers.verify(v);
        } catch (RuntimeException | LinkageError e) {
            return new Choice(JDK, "the vector implementation failed its self-check: " + e.getMessage());
        }
        long deadline = System.nanoTime() + Long.getLong("jwgd.crypto.warmupMillis", 15_000) * 1_000_000;
        long[] best = warmUpAndTime(v, deadline);
        if (best[0] > MAX_MTU_SEAL_NANOS || best[1] > MAX_SMALL_SEAL_NANOS) {
            return new Choice(JDK, String.format("the vector kernels did not reach C2 during warm-up (fastest 1420 B "
                    + "seal %.1f µs, limit %.1f; 64 B seal %.1f µs, limit %.1f): run java with "
                    + "-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=scripts/jwgd-c2.json",
                    best[0] / 1e3, MAX_MTU_SEAL_NANOS / 1e3, best[1] / 1e3, MAX_SMALL_SEAL_NANOS / 1e3));
        }
        if (best[2] >= 1) {
            return new Choice(JDK, "C2 compiled the vector kernels with boxed vectors: after warm-up they still "
                    + "allocate " + best[2] + " bytes per call (crypto.md §7.2)");
        }
        return new Choice(v, String.format("%d-bit vectors, known answers pass, warmed-up 1420 B seal %.2f µs and "
                + "64 B seal %.2f µs%s prove C2 compiled the kernels", bits, best[0] / 1e3, best[1] / 1e3,
                best[2] == 0 ? " allocating nothing" : ""));
    }

    /**
     * Drives every kernel of the implementation's width (vector and scalar Poly1305, batches, seal and open) until a
     * 1420 B and a 64 B seal run at C2 speed and a whole round of calls allocates nothing, or the deadline passes.
     * Returns the fastest times seen, in ns, and the fewest bytes a round allocated per call (-1 where the JVM
     * cannot count): {1420 B, 64 B, bytes per call}.
     *
     * <p>The allocation count is the sharper proof: kernels that C2 compiled with boxed vectors (crypto.md §7.2)
     * allocate about 100 KB per 1420 B packet, yet on a busy machine their timing can pass for compiled code.
     */
    static long[] warmUpAndTime(Aead aead, long deadline) {
        long bestMtu = Long.MAX_VALUE, bestSmall = Long.MAX_VALUE, leastPerCall = Long.MAX_VALUE;
        boolean countable = THREADS != null && THREADS.isThreadAllocatedMemorySupported()
                && THREADS.isThreadAllocatedMemoryEnabled();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(32);
            key.fill((byte) 0x42);
            int[] sizes = {0, 64, 100, 300, 1420, 4096, 16384, 64, 1420, 64, 1420, 200, 1420, 64, 1420, 64};
            MemorySegment[] bufs = new MemorySegment[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                bufs[i] = arena.allocate(sizes[i] + Aead.TAG_LENGTH, 64);
            }
            AeadBatch batch = new AeadBatch(sizes.length);
            long counter = 0;
            for (int round = 0; ; round++) {
                boolean measured = round % 4 == 3;
                long allocatedBefore = measured && countable ? THREADS.getCurrentThreadAllocatedBytes() : 0;
                batch.clear();
                for (int i = 0; i < sizes.length; i++) {
                    batch.add(key, counter + i, bufs[i], 0, sizes[i]);
                }
                aead.sealBatch(batch);
                batch.clear();
                for (int i = 0; i < sizes.length; i++) {
                    batch.add(key, counter + i, bufs[i], 0, sizes[i] + Aead.TAG_LENGTH);
                }
                aead.openBatch(batch);
                counter += sizes.length;
                for (int i = 0; i < 4; i++) {
                    aead.seal(key, counter, MemorySegment.NULL, bufs[4], 0, 1420);
                    aead.open(key, counter++, MemorySegment.NULL, bufs[4], 0, 1420 + Aead.TAG_LENGTH);
                    aead.seal(key, counter, MemorySegment.NULL, bufs[1], 0, 64);
                    aead.open(key, counter++, MemorySegment.NULL, bufs[1], 0, 64 + Aead.TAG_LENGTH);
                }
                if (measured) {
                    for (int i = 0; i < 8; i++) {
                        long t0 = System.nanoTime();
                        aead.seal(key, counter++, MemorySegment.NULL, bufs[4], 0, 1420);
                        long t1 = System.nanoTime();
                        aead.seal(key, counter++, MemorySegment.NULL, bufs[1], 0, 64);
                        long t2 = System.nanoTime();
                        bestMtu = Math.min(bestMtu, t1 - t0);
                        bestSmall = Math.min(bestSmall, t2 - t1);
                    }
                    if (countable) {
                        // Calls this round: two batches, 16 single seals and opens, 16 timed seals.
                        long calls = 2L * sizes.length + 16 + 16;
                        leastPerCall = Math.min(leastPerCall,
                                (THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore) / calls);
                    }
                    // Interpreted or C1-compiled kernels take 20 µs to milliseconds here, so the limits separate
                    // them from C2 with a wide margin even on a loaded machine.
                    if ((bestMtu <= MAX_MTU_SEAL_NANOS && bestSmall <= MAX_SMALL_SEAL_NANOS && round >= 200
                            && (!countable || leastPerCall == 0))
                            || System.nanoTime() > deadline) {
                        break;
                    }
                }
            }
        }
        return new long[] {bestMtu, bestSmall, countable ? leastPerCall : -1};
    }

    /** Counts what this thread allocates, where the JVM can ({@code jdk.management}); otherwise null. */
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private static com.sun.management.ThreadMXBean threads() {
        try {
            return java.lang.management.ManagementFactory.getThreadMXBean()
                    instanceof com.sun.management.ThreadMXBean t ? t : null;
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }
}
