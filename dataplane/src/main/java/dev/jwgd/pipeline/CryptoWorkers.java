package dev.jwgd.pipeline;

import dev.jwgd.crypto.Aead;
import dev.jwgd.crypto.AeadBatch;
import dev.jwgd.daemon.Log;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Seals or opens one {@link AeadBatch} on several cores at once: the batch is cut into contiguous parts of about equal
 * bytes, helper threads take all parts but the first, the calling thread does the first, then waits for the others
 * (fork-join per batch, as the kernel's and wireguard-go's crypto workers, but without their reordering queues: the
 * caller sends or writes only after every part is done, so the batch, and each peer's packets in it, keep their
 * order). A batch too small to pay for waking a helper ({@code < 2 ×} {@link #minPartBytes()} bytes, a ping) is done
 * inline.
 *
 * <p>Threads and memory ordering: one instance belongs to one submitting thread (the send or the receive thread);
 * {@link #sealBatch}/{@link #openBatch} must not be called concurrently. Each helper has one {@link Part} and a state
 * word. The submitter fills the part's batch with plain stores, then publishes it with a volatile store of
 * {@code POSTED}; the helper claims it by a CAS {@code POSTED → RUNNING}, which also makes those stores visible, runs it,
 * and publishes its ok flags and the packets' bytes with a volatile store of {@code DONE}, which the submitter reads
 * before it touches the batch again. When its own part is done and a helper has not yet claimed its part (descheduled
 * on a busy machine), the submitter claims it by a CAS {@code POSTED → TAKEN} and does it itself, so a batch never
 * waits for a thread that is not running. Waiting (both sides) spins briefly, then parks; the waker unparks only a
 * thread that said it parks ({@code parked} flags, volatile on both sides, so one of the two always sees the other).
 *
 * <p>A part that throws (a bad packet, a bug in an {@link Aead}) does not stop the pool: the exception is counted in
 * {@link #failures()} and logged, and every packet of that part is marked not ok, so the caller drops them. After
 * {@link #close()} the helpers have exited and every batch is done inline. Nothing is allocated per batch.
 */
public final class CryptoWorkers implements AutoCloseable {
    /** System property: how many threads do a batch's crypto, the caller included ({@code 1} = inline). */
    public static final String PROPERTY = "jwgd.workers";
    public static final int MAX_PARALLELISM = 16;
    /**
     * The fewest bytes of packets worth handing to another thread: about 8 µs of ChaCha20-Poly1305 here, well above the
     * cost of posting a part to a spinning helper, so a batch is split only in two or more parts of at least this.
     */
    public static final int DEFAULT_MIN_PART_BYTES = 8 * 1024;
    /**
     * How long a helper spins for the next part before it parks: about the gap between two batches under load, so a
     * busy pipeline hands parts over without a futex wake, and an idle one stops burning a core within 50 µs. A
     * time, not a count: one {@link Thread#onSpinWait()} takes 55 ns here (Zen 3 under KVM) but 3 to 140 cycles
     * elsewhere.
     */
    static final long HELPER_SPIN_NANOS = 50_000;
    /** How long the submitter spins for a running part (about as big as its own, so nearly done) before it parks. */
    static final long SUBMITTER_SPIN_NANOS = 100_000;

    private static final int IDLE = 0, POSTED = 1, RUNNING = 2, TAKEN = 3, DONE = 4;
    private static final boolean SEAL = true, OPEN = false;
    private static final ValueLayout.OfInt NONCE0 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong NONCE12 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Part.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One part of a batch: the packets copied from the caller's batch, and who runs it. */
    static final class Part {
        final AeadBatch batch;
        /** A general nonce's 12 bytes, for a packet whose nonce does not start with WireGuard's 4 zero bytes. */
        final MemorySegment nonce;
        /** Where the part's packets are in the caller's batch. */
        int from, to;
        /** Written by the submitter before POSTED, read by whoever runs the part. */
        Aead aead;
        boolean seal;
        /** IDLE → POSTED (submitter) → RUNNING (helper) or TAKEN (submitter) → DONE → IDLE (submitter). */
        volatile int state;
        /** The helper thread for this part; null for the submitter's own part. */
        Thread thread;
        volatile boolean helperParked;

        Part(int capacity, Arena arena) {
            batch = new AeadBatch(capacity);
            nonce = arena.allocate(Aead.NONCE_LENGTH, 8);
        }
    }

    private final int parallelism;
    private final int minPartBytes;
    private final String name;
    private final Log log;
    private final Part own;
    private final Part[] helpers;
    private final int[] cut;
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;
    /** The thread in {@link #sealBatch}/{@link #openBatch}, set before each split batch is posted. */
    private Thread submitter;
    private volatile boolean submitterParked;

    /** Batches done inline, split, and parts the submitter took back from a helper that had not started. */
    private long inlineBatches, splitBatches, partsTakenBack;

    /**
     * A pool for batches of up to {@code capacity} packets with {@code parallelism - 1} helper threads (none for 1),
     * named {@code jwgd-crypto-NAME-k}; {@code log} (may be null) gets one line per failed part.
     */
    public CryptoWorkers(int parallelism, int capacity, int minPartBytes, String name, Log log) {
        this(parallelism, capacity, minPartBytes, name, log, true);
    }

    /** As above; {@code startHelpers = false} (tests) leaves the helpers unstarted so the submitter takes every part back. */
    CryptoWorkers(int parallelism, int capacity, int minPartBytes, String name, Log log, boolean startHelpers) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("crypto parallelism must be 1 to " + MAX_PARALLELISM + ", got " + parallelism);
        }
        if (capacity < 1) throw new IllegalArgumentException("batch capacity must be at least 1, got " + capacity);
        if (minPartBytes < 1) throw new IllegalArgumentException("minimum part size must be at least 1 byte, got " + minPartBytes);
        this.parallelism = parallelism;
        this.minPartBytes = minPartBytes;
        this.name = name;
        this.log = log;
        Arena arena = Arena.ofAuto();
        this.own = new Part(capacity, arena);
        this.helpers = new Part[parallelism - 1];
        this.cut = new int[parallelism + 1];
        for (int k = 0; k < helpers.length; k++) {
            Part p = new Part(capacity, arena);
            helpers[k] = p;
            p.thread = Thread.ofPlatform().name("jwgd-crypto-" + name + "-" + (k + 1)).daemon().unstarted(() -> helperLoop(p));
            if (startHelpers) p.thread.start();
        }
    }

    /** A pool that does every batch inline on the caller: no threads. */
    public static CryptoWorkers inline(int capacity) {
        return new CryptoWorkers(1, capacity, DEFAULT_MIN_PART_BYTES, "inline", null);
    }

    /**
     * The parallelism from system property {@value #PROPERTY}, else {@code defaultValue}.
     *
     * @throws IllegalArgumentException when the property is not a whole number from 1 to {@value #MAX_PARALLELISM}
     */
    public static int parallelismFromProperty(int defaultValue) {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) return defaultValue;
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1 && n <= MAX_PARALLELISM) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(PROPERTY + " must be a whole number from 1 to " + MAX_PARALLELISM
                + " (threads doing a batch's crypto, 1 = on the send/receive thread itself), got '" + v + "'");
    }

    /** {@link #defaultParallelism(int)} for this machine's processors. */
    public static int defaultParallelism() {
        return defaultParallelism(Runtime.getRuntime().availableProcessors());
    }

    /**
     * The default parallelism on a machine with {@code processors} CPUs: 1 (inline) up to 2 CPUs, else half the CPUs
     * (the send and the receive path each get that many), at most 4. Measured on the 2-core test machine, shared with
     * other jobs: in the in-memory {@code PipelineBenchmark} one helper per path gave between -24 % and +110 % packets/s
     * (1420 B, batches of 64 and 128, four runs), through a real tunnel ({@code scripts/bench-tunnel.sh}, where both
     * ends and iperf3 already keep both cores busy) no throughput gain (TCP 1 stream, mean of 4 runs: 245 Mbit/s
     * inline, 266 with a helper, each run's spread ±50 %) and a higher ping p50 (0.5-2.3 ms inline, 1.8-4.4 ms with
     * helpers). The rule above 2 CPUs follows the kernel and wireguard-go (crypto on every CPU); it is not measured.
     */
    public static int defaultParallelism(int processors) {
        return processors <= 2 ? 1 : Math.min(4, processors / 2);
    }

    public int parallelism() { return parallelism; }

    public int minPartBytes() { return minPartBytes; }

    /** Parts that threw, in helpers or in the caller, since the start. */
    public long failures() { return failures.get(); }

    /** Batches done on the caller alone (too small to split, parallelism 1, or closed). Read by the owner thread. */
    public long inlineBatches() { return inlineBatches; }

    /** Batches cut into parts. Read by the owner thread. */
    public long splitBatches() { return splitBatches; }

    /** Parts posted to a helper that the caller did itself because the helper had not started them. Owner thread. */
    public long partsTakenBack() { return partsTakenBack; }

    /** Seals every packet of {@code batch} with {@code aead}, as {@link Aead#sealBatch}; a packet of a part that threw is not ok. */
    public void sealBatch(Aead aead, AeadBatch batch) {
        run(aead, batch, SEAL);
    }

    /** Opens every packet of {@code batch} with {@code aead}, as {@link Aead#openBatch}; a packet of a part that threw is not ok. */
    public void openBatch(Aead aead, AeadBatch batch) {
        run(aead, batch, OPEN);
    }

    private void run(Aead aead, AeadBatch batch, boolean seal) {
        int n = batch.size();
        if (n == 0) return;
        int parts = closed ? 1 : planParts(batch);
        if (parts <= 1) {
            inlineBatches++;
            runInline(aead, batch, seal);
            return;
        }
        splitBatches++;
        submitter = Thread.currentThread();
        // Post the helpers' parts first, so they start while the caller works on part 0.
        for (int k = 1; k < parts; k++) {
            if (cut[k] == cut[k + 1]) continue;   // an empty part (one packet bigger than a share): nothing to post
            Part p = helpers[k - 1];
            fill(p, aead, batch, cut[k], cut[k + 1], seal);
            p.state = POSTED;
            if (p.helperParked) LockSupport.unpark(p.thread);
        }
        fill(own, aead, batch, cut[0], cut[1], seal);
        runPart(own);
        drain(own, batch);
        for (int k = 1; k < parts; k++) {
            if (cut[k] == cut[k + 1]) continue;
            Part p = helpers[k - 1];
            if (STATE.compareAndSet(p, POSTED, TAKEN)) {
                partsTakenBack++;
                runPart(p);
            } else {
                awaitDone(p);
            }
            drain(p, batch);
            p.state = IDLE;
        }
    }

    /**
     * How many parts to cut {@code batch} into (1 = inline), and where: {@code cut[k]} to {@code cut[k+1]} is part
     * {@code k}, cut so each part has about the same number of bytes (the AEAD's cost is linear in bytes, and a
     * batch mixes 1420-byte segments with 52-byte ACKs).
     */
    private int planParts(AeadBatch batch) {
        if (parallelism == 1) return 1;
        int n = batch.size();
        long total = 0;
        for (int i = 0; i < n; i++) total += batch.length(i);
        long parts = Math.min(Math.min(parallelism, n), total / minPartBytes);
        if (parts <= 1) return 1;
        int p = (int) parts;
        cut[0] = 0;
        long sum = 0;
        int i = 0;
        for (int k = 1; k < p; k++) {
            long target = total * k / p;
            while (i < n && sum + batch.length(i) / 2 < target) sum += batch.length(i++);
            cut[k] = i;
        }
        cut[p] = n;
        return p;
    }

    /** Copies packets {@code [from, to)} of {@code batch} into part {@code p} (references only, no packet bytes). */
    private static void fill(Part p, Aead aead, AeadBatch batch, int from, int to, boolean seal) {
        AeadBatch b = p.batch;
        b.clear();
        for (int i = from; i < to; i++) {
            int n0 = batch.nonce0(i);
            if (n0 == 0) {
                b.add(batch.key(i), batch.nonce12(i), batch.aad(i), batch.data(i), batch.offset(i), batch.length(i));
            } else {
                p.nonce.set(NONCE0, 0, n0);
                p.nonce.set(NONCE12, 4, batch.nonce12(i));
                b.add(batch.key(i), p.nonce, batch.aad(i), batch.data(i), batch.offset(i), batch.length(i));
            }
        }
        p.from = from;
        p.to = to;
        p.aead = aead;
        p.seal = seal;
    }

    /** Runs a part on the current thread; a throw is counted and fails the whole part. */
    private void runPart(Part p) {
        AeadBatch b = p.batch;
        try {
            if (p.seal) p.aead.sealBatch(b);
            else p.aead.openBatch(b);
        } catch (Throwable t) {
            for (int i = 0; i < b.size(); i++) b.setOk(i, false);
            failed(t);
        }
    }

    /** Copies a finished part's ok flags back into the caller's batch and drops its references. */
    private static void drain(Part p, AeadBatch batch) {
        AeadBatch b = p.batch;
        for (int k = 0, i = p.from; i < p.to; k++, i++) batch.setOk(i, b.ok(k));
        b.clear();
        p.aead = null;
    }

    private void runInline(Aead aead, AeadBatch batch, boolean seal) {
        try {
            if (seal) aead.sealBatch(batch);
            else aead.openBatch(batch);
        } catch (Throwable t) {
            for (int i = 0; i < batch.size(); i++) batch.setOk(i, false);
            failed(t);
        }
    }

    private void failed(Throwable t) {
        failures.incrementAndGet();
        // Exceptions from the AEADs name lengths and offsets, never key bytes (AeadBounds).
        if (log != null) log.error("crypto " + name + ": a part of a batch failed, its packets are dropped: " + t);
    }

    /** The submitter waits for a helper's part: spin, then park until the helper's DONE unparks it. */
    private void awaitDone(Part p) {
        long start = System.nanoTime();
        for (int s = 1; p.state != DONE; s++) {
            if ((s & 15) == 0 && System.nanoTime() - start > SUBMITTER_SPIN_NANOS) break;
            Thread.onSpinWait();
        }
        while (p.state != DONE) {
            submitterParked = true;
            if (p.state != DONE) LockSupport.park(this);
            submitterParked = false;
        }
    }

    private void helperLoop(Part p) {
        while (true) {
            if (!awaitPosted(p)) return;
            if (!STATE.compareAndSet(p, POSTED, RUNNING)) continue;   // the submitter took it back
            runPart(p);
            p.state = DONE;
            if (submitterParked) LockSupport.unpark(submitter);
        }
    }

    /** A helper waits for a posted part: true when there is one, false when the pool closed. */
    private boolean awaitPosted(Part p) {
        long start = System.nanoTime();
        for (int s = 1; ; s++) {
            if (p.state == POSTED) return true;
            if (closed) return false;
            if ((s & 15) == 0 && System.nanoTime() - start > HELPER_SPIN_NANOS) break;
            Thread.onSpinWait();
        }
        while (true) {
            if (p.state == POSTED) return true;
            if (closed) return false;
            p.helperParked = true;
            if (p.state != POSTED && !closed) LockSupport.park(this);
            p.helperParked = false;
        }
    }

    /**
     * Stops the helpers and waits for them (a part they are running finishes first); later batches are done inline.
     * Call it from the owner thread, or after the owner has stopped.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Part p : helpers) LockSupport.unpark(p.thread);
        for (Part p : helpers) {
            if (!p.thread.isAlive()) continue;
            try {
                p.thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The helper threads, for tests. */
    Thread[] helperThreads() {
        Thread[] t = new Thread[helpers.length];
        for (int k = 0; k < helpers.length; k++) t[k] = helpers[k].thread;
        return t;
    }
}
