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
 * <p>The warm-up ({@link #warmUpKernels}, then {@link #warmUpAndTime}) takes a few seconds here, and up to
 * {@code -Djwgd.crypto.warmupMillis} (default 30 000) on a busy machine, where C2's one thread waits its turn.
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
        long deadline = System.nanoTime() + Long.getLong("jwgd.crypto.warmupMillis", 30_000) * 1_000_000;
        try {
            warmUpKernels(v, deadline);
        } catch (RuntimeException | LinkageError e) {
            return new Choice(JDK, "the vector kernels failed during warm-up: " + e);
        }
        long[] best = warmUpAndTime(v, deadline);
        if (best[0] > MAX_MTU_SEAL_NANOS || best[1] > MAX_SMALL_SEAL_NANOS) {
            return new Choice(JDK, String.format("the vector kernels did not reach C2 during warm-up (fastest 1420 B "
                    + "seal %.1f µs, limit %.1f; 64 B seal %.1f µs, limit %.1f): run java with "
                    + "-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=scripts/jwgd-c2.json",
                    best[0] / 1e3, MAX_MTU_SEAL_NANOS / 1e3, best[1] / 1e3, MAX_SMALL_SEAL_NANOS / 1e3));
        }
        if (best[2] >= 1) {
            return new Choice(JDK, "after warm-up the vector kernels still allocate " + best[2] + " bytes per call: "
                    + "C2 had not compiled them all by the deadline (a busy machine; -Djwgd.crypto.warmupMillis "
                    + "gives it longer), or compiled them with boxed vectors (crypto.md §7.2)");
        }
        return new Choice(v, String.format("%d-bit vectors, known answers pass, warmed-up 1420 B seal %.2f µs and "
                + "64 B seal %.2f µs%s prove C2 compiled the kernels", bits, best[0] / 1e3, best[1] / 1e3,
                best[2] == 0 ? " allocating nothing" : ""));
    }

    /** A round of {@link #KERNEL_ROUND} direct kernel calls allocating less than this ran compiled code only. */
    static final long QUIET_ROUND_BYTES = 16 * 1024;
    static final int KERNEL_ROUND = 32;

    /**
     * The first stage of the warm-up: the implementation's kernels called directly ({@code warmUpKernels}), in rounds
     * of {@value #KERNEL_ROUND}, until four rounds in a row allocate almost nothing or the deadline passes. An
     * interpreted or boxed kernel allocates kilobytes per call; the round's own scratch a few kilobytes in all.
     * Where the JVM cannot count allocation, a fixed number of rounds.
     */
    static void warmUpKernels(Aead aead, long deadline) {
        MethodHandle kernels;
        try {
            kernels = MethodHandles.lookup().findVirtual(vectorClass(), "warmUpKernels",
                    MethodType.methodType(void.class, int.class));
        } catch (ReflectiveOperationException e) {
            return;
        }
        boolean countable = THREADS != null && THREADS.isThreadAllocatedMemorySupported()
                && THREADS.isThreadAllocatedMemoryEnabled();
        int quiet = 0;
        for (int round = 0; quiet < 4 && System.nanoTime() < deadline && (countable || round < 200); round++) {
            long before = countable ? THREADS.getCurrentThreadAllocatedBytes() : 0;
            try {
                kernels.invoke(aead, KERNEL_ROUND);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            long allocated = countable ? THREADS.getCurrentThreadAllocatedBytes() - before : 0;
            quiet = countable && allocated < QUIET_ROUND_BYTES ? quiet + 1 : 0;
        }
    }

    /**
     * Drives every kernel of the implementation's width (vector and scalar Poly1305, the one-packet-per-lane Poly1305,
     * batches, seal and open) until a 1420 B and a 64 B seal run at C2 speed and a whole round of calls allocates
     * nothing, or the deadline passes. Returns the fastest times seen, in ns, and the fewest bytes a round allocated
     * per call (-1 where the JVM cannot count): {1420 B, 64 B, bytes per call}.
     *
     * <p>The allocation count is the sharper proof: kernels that C2 compiled with boxed vectors (crypto.md §7.2)
     * allocate about 100 KB per 1420 B packet, yet on a busy machine their timing can pass for compiled code.
     *
     * <p>Two phases. The first waits until the kernels are compiled. The second adds the data path's shapes (full
     * batches of MTU-size and of short packets, sealed and opened) and waits for a run of {@value #CLEAN_ROUNDS}
     * rounds in which nothing allocated and the timings held: a compiled kernel meeting a shape its profile never saw
     * traps back to the interpreter (measured: the first full 1420 B batch after the first phase recompiled the
     * Poly1305 kernel, and for about a second each packet allocated 130 KB and took 10 000 times longer). The kernels
     * skip C1 (the compiler directive), so until C2 recompiles them they run interpreted; better here than on the
     * first packets of the tunnel. The second phase also waits until the JIT has been idle for a while
     * ({@link #JIT_QUIET_NANOS}), so that C2 has compiled the code around the kernels too and the times it reports are
     * the steady state's.
     */
    static long[] warmUpAndTime(Aead aead, long deadline) {
        // Packets and keys from each kind of arena in turn. Their segments differ in the session behind them, which
        // every memory access checks through code that all callers share; a kernel whose profile saw one kind only
        // traps when the data path brings another (measured: warmed up on a confined arena, the Poly1305 kernel
        // trapped on the first batch from Arena.ofAuto(), which is what the data path uses).
        try (Arena confined = Arena.ofConfined(); Arena shared = Arena.ofShared()) {
            WarmUp w = new WarmUp(new Arena[] {Arena.ofAuto(), confined, shared});
            long[] compiled = w.run(aead, deadline, false);
            if (compiled[0] > MAX_MTU_SEAL_NANOS || compiled[1] > MAX_SMALL_SEAL_NANOS || compiled[2] >= 1) {
                return compiled;
            }
            // However long the first phase took, the second gets a few seconds: a recompile takes about one here.
            return w.run(aead, Math.max(deadline, System.nanoTime() + SETTLE_NANOS), true);
        }
    }

    /**
     * How long the JIT must have finished no compilation before the second phase ends: the scalar code around the
     * kernels (batching, staging, tags) is also kept out of C1 by the directive, so until C2 compiles it, it runs
     * interpreted, tens of times slower (measured: 64 B batches at 0.04 GB/s for the first 0.3 s after the choice,
     * then 0.26).
     */
    static final long JIT_QUIET_NANOS = 500_000_000L;
    /**
     * The least rounds of the second phase: enough calls of the code around the kernels for the interpreter's
     * counters to pass C2's thresholds (a method called once per batch needs some 600 calls), or the JIT would look
     * idle only because nothing had been queued yet.
     */
    static final int DATA_PATH_ROUNDS = 400;

    /** The JIT's total compilation time so far in ms, or 0 where the JVM does not say. */
    private static long compilationMillis() {
        java.lang.management.CompilationMXBean c = java.lang.management.ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
    }

    /** The least time the second phase of the warm-up gets. */
    static final long SETTLE_NANOS = 4_000_000_000L;
    /** Measured rounds in a row that must be clean (nothing allocated, timings within limits) in the second phase. */
    static final int CLEAN_ROUNDS = 40;

    /** The warm-up's packets, keys and batches: one set per arena, used in turn, round by round. */
    private static final class WarmUp {
        private static final int[] SIZES = {0, 64, 100, 300, 1420, 4096, 16384, 64, 1420, 64, 1420, 200, 1420, 64,
                1420, 64};
        private static final int FULL = 64;
        final MemorySegment[] keys;
        final MemorySegment[][] bufs;
        final MemorySegment[] mtuPools, smallPools;
        final AeadBatch batch = new AeadBatch(FULL);
        long counter;

        WarmUp(Arena[] arenas) {
            int n = arenas.length;
            keys = new MemorySegment[n];
            bufs = new MemorySegment[n][SIZES.length];
            mtuPools = new MemorySegment[n];
            smallPools = new MemorySegment[n];
            for (int a = 0; a < n; a++) {
                keys[a] = arenas[a].allocate(32);
                keys[a].fill((byte) 0x42);
                for (int i = 0; i < SIZES.length; i++) {
                    bufs[a][i] = arenas[a].allocate(SIZES[i] + Aead.TAG_LENGTH, 64);
                }
                mtuPools[a] = arenas[a].allocate(FULL * 1472L, 64);
                smallPools[a] = arenas[a].allocate(FULL * 128L, 64);
            }
        }

        /**
         * Rounds until the first phase's proof ({@code dataPath} false: thresholds met, a round allocating nothing,
         * at least 200 rounds) or the second's ({@code dataPath} true: {@link #CLEAN_ROUNDS} clean measured rounds in
         * a row, with full batches in every round, and an idle JIT), or the deadline. Returns {1420 B, 64 B, bytes per call}: the
         * fastest times and fewest bytes of the phase (the second phase: of its clean run).
         */
        long[] run(Aead aead, long deadline, boolean dataPath) {
            long bestMtu = Long.MAX_VALUE, bestSmall = Long.MAX_VALUE, leastPerCall = Long.MAX_VALUE;
            boolean countable = THREADS != null && THREADS.isThreadAllocatedMemorySupported()
                    && THREADS.isThreadAllocatedMemoryEnabled();
            int clean = 0;
            long compiling = compilationMillis(), lastCompile = System.nanoTime();
            for (int round = 0; ; round++) {
                int set = round % keys.length;
                MemorySegment key = keys[set];
                MemorySegment[] bufs = this.bufs[set];
                boolean measured = dataPath || round % 4 == 3;
                long allocatedBefore = measured && countable ? THREADS.getCurrentThreadAllocatedBytes() : 0;
                long calls = 2L * SIZES.length + 16 + 16;
                batch.clear();
                for (int i = 0; i < SIZES.length; i++) {
                    batch.add(key, counter + i, bufs[i], 0, SIZES[i]);
                }
                aead.sealBatch(batch);
                batch.clear();
                for (int i = 0; i < SIZES.length; i++) {
                    batch.add(key, counter + i, bufs[i], 0, SIZES[i] + Aead.TAG_LENGTH);
                }
                aead.openBatch(batch);
                counter += SIZES.length;
                if (dataPath) {
                    fullBatches(aead, key, mtuPools[set], 1472, 1420);
                    fullBatches(aead, key, smallPools[set], 128, round % 2 == 0 ? 64 : 32 + round % 64);
                    calls += 4L * FULL;
                }
                for (int i = 0; i < 4; i++) {
                    aead.seal(key, counter, MemorySegment.NULL, bufs[4], 0, 1420);
                    aead.open(key, counter++, MemorySegment.NULL, bufs[4], 0, 1420 + Aead.TAG_LENGTH);
                    aead.seal(key, counter, MemorySegment.NULL, bufs[1], 0, 64);
                    aead.open(key, counter++, MemorySegment.NULL, bufs[1], 0, 64 + Aead.TAG_LENGTH);
                }
                if (measured) {
                    long roundMtu = Long.MAX_VALUE, roundSmall = Long.MAX_VALUE;
                    for (int i = 0; i < 8; i++) {
                        long t0 = System.nanoTime();
                        aead.seal(key, counter++, MemorySegment.NULL, bufs[4], 0, 1420);
                        long t1 = System.nanoTime();
                        aead.seal(key, counter++, MemorySegment.NULL, bufs[1], 0, 64);
                        long t2 = System.nanoTime();
                        roundMtu = Math.min(roundMtu, t1 - t0);
                        roundSmall = Math.min(roundSmall, t2 - t1);
                    }
                    // Calls this round: the batches, 16 single seals and opens, 16 timed seals.
                    long perCall = countable ? (THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore) / calls
                            : 0;
                    if (dataPath) {
                        boolean ok = roundMtu <= MAX_MTU_SEAL_NANOS && roundSmall <= MAX_SMALL_SEAL_NANOS
                                && perCall == 0;
                        if (!ok) {
                            clean = 0;
                            bestMtu = bestSmall = leastPerCall = Long.MAX_VALUE;
                        } else {
                            clean++;
                        }
                    }
                    bestMtu = Math.min(bestMtu, roundMtu);
                    bestSmall = Math.min(bestSmall, roundSmall);
                    leastPerCall = Math.min(leastPerCall, perCall);
                    // Interpreted or C1-compiled kernels take 20 µs to milliseconds here, so the limits separate
                    // them from C2 with a wide margin even on a loaded machine.
                    long now = System.nanoTime(), compiled = compilationMillis();
                    if (compiled != compiling) {
                        compiling = compiled;
                        lastCompile = now;
                    }
                    boolean proven = dataPath
                            ? clean >= CLEAN_ROUNDS && round >= DATA_PATH_ROUNDS && now - lastCompile >= JIT_QUIET_NANOS
                            : bestMtu <= MAX_MTU_SEAL_NANOS && bestSmall <= MAX_SMALL_SEAL_NANOS && round >= 200
                                    && leastPerCall == 0;
                    if (proven || System.nanoTime() > deadline) {
                        break;
                    }
                }
            }
            return new long[] {bestMtu, bestSmall, countable ? leastPerCall : -1};
        }

        /** Seals and opens a full batch of {@code size}-byte packets at {@code slot}-byte intervals of the pool. */
        private void fullBatches(Aead aead, MemorySegment key, MemorySegment pool, long slot, int size) {
            batch.clear();
            for (int i = 0; i < FULL; i++) {
                batch.add(key, counter + i, pool, i * slot, size);
            }
            aead.sealBatch(batch);
            batch.clear();
            for (int i = 0; i < FULL; i++) {
                batch.add(key, counter + i, pool, i * slot, size + Aead.TAG_LENGTH);
            }
            aead.openBatch(batch);
            counter += FULL;
        }
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
