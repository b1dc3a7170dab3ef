package dev.jwgd.pipeline;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.tun.TunDevice;
import dev.jwgd.ffm.uring.IoUring;
import dev.jwgd.ffm.uring.io_uring_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * {@link TunEnd} over a TUN queue through io_uring (issue 5): reads keep up to {@link #readDepth()}
 * READ SQEs in flight on the TUN fd, submitted as chains of hard-linked READs (only a chain's head
 * waits on the device, so a packet wakes one request, not all of them; each completion starts the
 * next READ, so a queue of packets drains in one enter) and re-armed as their packets are handed
 * out; a write batch goes out as one WRITE SQE per packet in a single {@code io_uring_enter}. The semantics are those
 * of {@link TunDeviceEnd}, which this wraps and which keeps the MTU and the closing errno: 0 on
 * timeout, {@link #CLOSED} once a read or write fails with anything but a transient error (EBADFD
 * after {@code ip link del}, ENODEV, EIO...), oversized packets dropped.
 *
 * <p><b>Rings and threads.</b> Two rings, one per direction, because {@link TunEnd} is read by the
 * send thread and written by the receive thread concurrently: the <em>read ring</em> is created by,
 * owned by and used only from the first thread that calls {@link #read}; the <em>write ring</em>
 * likewise by the first thread that calls {@link #write}. Another thread calling read or write fails
 * with IllegalStateException. The write ring is {@code SINGLE_ISSUER | DEFER_TASKRUN} where the
 * kernel has it ({@link IoUring#recommendedFlags()}): nothing is in flight on it between calls. The
 * read ring is {@code COOP_TASKRUN} but not single-issuer, so that {@link #close()}, on the closing
 * thread once the reader has stopped, can cancel the READs still in flight and reap them: each holds
 * a reference to the TUN file, and the interface disappears only once they are gone (a ring torn
 * down by the kernel drops them later, asynchronously). The read ring reads into its own slots (the
 * caller's batch is being sealed while reads are in flight, and completions land in any order), and
 * the completed packets are copied into the batch in completion order, which is the order the
 * device queued them.
 *
 * <p><b>Memory ordering.</b> The binding publishes SQEs with a release store of the SQ tail before
 * {@code io_uring_enter} and reads the CQ tail with an acquire load ({@link IoUring} says how); this
 * class only touches state confined to each ring's owner thread, plus the volatile {@code closed}
 * flag; {@link #close()} touches the read ring's state only once {@code owner.isAlive()} is false,
 * which orders the owner's last actions before it (JLS 17.4.4), or on the owner itself.
 *
 * <p>Every buffer an SQE points to stays alive until its CQE: the read slots live as long as the
 * ring (freed by the GC after close, never earlier), and {@link #write} returns only after all of its
 * WRITE CQEs have arrived, so the caller may reuse the batch at once.
 *
 * <p>If a ring cannot be set up at first use, that direction quietly uses the plain syscalls of
 * {@link TunDeviceEnd}; {@link #fallbackReason()} says why. Allocates nothing per packet.
 */
public final class IoUringTunEnd implements TunEnd {
    /** READ SQEs kept in flight by default: one batch of the pipeline. */
    public static final int DEFAULT_READ_DEPTH = Pipeline.BATCH;
    /** Tuning: {@code -Djwgd.io_uring.tunReads=N} keeps N READs in flight instead (1..4096). */
    public static final String READ_DEPTH_PROPERTY = IoUring.PROPERTY + ".tunReads";
    private static final long WAIT_SLICE_NANOS = 1_000_000_000L;
    private static final int WRITE_RING_ENTRIES = 64;
    private static final long CLOSE_WAIT_NANOS = 2_000_000_000L;
    /** User data of an ASYNC_CANCEL SQE (READs carry their slot, below 4096). */
    private static final long CANCEL_USER_DATA = 1L << 32;

    private final TunDeviceEnd plain;
    private final TunDevice tun;
    private final int readDepth;
    private volatile boolean closed;
    // Set once by the owning thread; volatile so that close() on another thread sees them.
    private volatile ReadRing readRing;
    private volatile WriteRing writeRing;
    private boolean readFallback;       // set once, by the reading thread
    private boolean writeFallback;      // set once, by the writing thread
    private volatile String fallbackReason;
    /** Packets read but dropped because they did not fit a slot (or the read said EMSGSIZE/EINVAL). */
    public volatile long readDrops;
    /** Times a READ came back EAGAIN instead of waiting, so the read waited in poll(2) instead. */
    public volatile long readEagainWaits;
    /** Packets the device refused to take (EINVAL, EAGAIN...): dropped, as with plain write(2). */
    public volatile long writeDrops;

    /** io_uring over the device of {@code plain}, with {@link #DEFAULT_READ_DEPTH} reads in flight. */
    public IoUringTunEnd(TunDeviceEnd plain) {
        this(plain, DEFAULT_READ_DEPTH);
    }

    public IoUringTunEnd(TunDeviceEnd plain, int readDepth) {
        if (readDepth < 1 || readDepth > 4096) throw new IllegalArgumentException("read depth must be 1..4096, was " + readDepth);
        this.plain = plain;
        this.tun = plain.device();
        this.readDepth = readDepth;
    }

    /**
     * The TUN end the daemon should use: this class when io_uring is available and not switched off
     * with {@code -Djwgd.io_uring=false}, else {@code plain} itself.
     */
    public static TunEnd choose(TunDeviceEnd plain) {
        return choose(plain, System.getProperty(IoUring.PROPERTY), IoUring::isAvailable);
    }

    /** {@link #choose(TunDeviceEnd)} with the property's value and the availability probe given. */
    public static TunEnd choose(TunDeviceEnd plain, String ioUringProperty, BooleanSupplier available) {
        if ("false".equalsIgnoreCase(ioUringProperty) || !available.getAsBoolean()) return plain;
        return new IoUringTunEnd(plain, Integer.getInteger(READ_DEPTH_PROPERTY, DEFAULT_READ_DEPTH));
    }

    /** One line for the log: which TUN I/O {@code end} does. */
    public static String describe(TunEnd end) {
        if (end instanceof IoUringTunEnd u) {
            return "TUN I/O: io_uring (" + u.readDepth + " reads in flight, one enter per write batch)";
        }
        return "TUN I/O: read(2)/write(2) per packet"
                + ("false".equalsIgnoreCase(System.getProperty(IoUring.PROPERTY))
                        ? " (io_uring switched off by -D" + IoUring.PROPERTY + "=false)"
                        : " (io_uring unavailable: " + IoUring.support().unavailableReason() + ")");
    }

    public int readDepth() { return readDepth; }

    public TunDeviceEnd plain() { return plain; }

    /** Why a direction fell back to plain syscalls, or null. */
    public String fallbackReason() { return fallbackReason; }

    /** Whether the reads so far went through io_uring (false before the first read or after a fallback). */
    public boolean readsUseIoUring() { return readRing != null; }

    /** Whether the writes so far went through io_uring. */
    public boolean writesUseIoUring() { return writeRing != null; }

    @Override
    public int read(PacketBatch batch, int timeoutMillis) {
        batch.count = 0;
        if (closed) return CLOSED;
        ReadRing r = readRing;
        if (r == null) {
            if (readFallback) return plain.read(batch, timeoutMillis);
            r = readRing = openReadRing(batch.maxPayload());
            if (r == null) return plain.read(batch, timeoutMillis);
        }
        r.checkOwner();
        return r.read(batch, timeoutMillis);
    }

    @Override
    public int write(PacketBatch batch, int[] indexes, int n) {
        if (closed) return CLOSED;
        WriteRing w = writeRing;
        if (w == null) {
            if (writeFallback) return plain.write(batch, indexes, n);
            w = writeRing = openWriteRing();
            if (w == null) return plain.write(batch, indexes, n);
        }
        w.checkOwner();
        return w.write(batch, indexes, n);
    }

    @Override
    public int mtu() {
        return plain.mtu();
    }

    /**
     * Closes both rings (the kernel cancels what is still in flight and drops its references to the
     * TUN file), then the device. Call it after the reading and writing threads have stopped.
     */
    @Override
    public void close() {
        closed = true;
        ReadRing r = readRing;
        if (r != null) r.cancelAndClose();
        WriteRing w = writeRing;
        if (w != null) w.ring.close();
        plain.close();
    }

    private ReadRing openReadRing(int slotBytes) {
        try {
            // Room for a READ per slot plus a cancel per slot at close; the SQ size rounds up anyway.
            int entries = Integer.highestOneBit(2 * readDepth - 1) << 1;
            IoUring ring;
            try {
                ring = IoUring.create(entries, 2 * entries, io_uring_h.IORING_SETUP_COOP_TASKRUN);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINVAL) throw e;
                ring = IoUring.create(entries, 2 * entries, 0);   // before 5.19
            }
            return new ReadRing(ring, slotBytes);
        } catch (ErrnoException | RuntimeException e) {
            readFallback = true;
            fallbackReason = "read ring: " + e.getMessage();
            return null;
        }
    }

    private WriteRing openWriteRing() {
        try {
            return new WriteRing(IoUring.create(WRITE_RING_ENTRIES, 2 * WRITE_RING_ENTRIES, IoUring.recommendedFlags()));
        } catch (ErrnoException | RuntimeException e) {
            writeFallback = true;
            fallbackReason = "write ring: " + e.getMessage();
            return null;
        }
    }

    /** Whether a failed TUN read or write concerns one packet or is transient, rather than the device being gone. */
    private static boolean transientOrPacketError(int errno) {
        return errno == Errno.EAGAIN || errno == Errno.EINTR || errno == Errno.ECANCELED
                || errno == Errno.EMSGSIZE || errno == Errno.EINVAL || errno == Errno.ENOBUFS;
    }

    private static void ringFailure(String what, int r) {
        throw new IllegalStateException("io_uring_enter on the TUN " + what + " ring failed: errno " + -r);
    }

    /**
     * The read ring and its slots. User data of a READ is its slot. A slot is free, in flight, or
     * ready (its packet waits in {@link #ready}, in completion order, to be copied out).
     */
    private final class ReadRing implements IoUring.CompletionHandler {
        final IoUring ring;
        final Thread owner = Thread.currentThread();
        final MemorySegment slots;
        final int slotBytes;
        final boolean[] inFlight = new boolean[readDepth];
        final int[] length = new int[readDepth];
        final int[] ready = new int[readDepth];   // FIFO of ready slots
        int inFlightCount;
        int readyHead, readyCount;
        boolean sawEagain;
        boolean gone;
        int goneErrno;

        ReadRing(IoUring ring, int slotBytes) {
            this.ring = ring;
            this.slotBytes = (slotBytes + 63) & ~63;
            // Arena.ofAuto: freed only once unreachable, so never while the kernel could still write here.
            this.slots = Arena.ofAuto().allocate((long) this.slotBytes * readDepth, 4096);
            Arrays.fill(length, -1);
        }

        void checkOwner() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("the TUN read ring belongs to thread " + owner.getName() + ", not " + Thread.currentThread().getName());
            }
        }

        int read(PacketBatch batch, int timeoutMillis) {
            if (readyCount == 0 && gone) return closedNow();
            long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
            armFree();
            while (true) {
                sawEagain = false;
                int r;
                long left = deadline - System.nanoTime();
                if (readyCount > 0 || left <= 0 || gone) {
                    r = ring.submitAndWait(0);        // submit, run completion work, do not wait
                } else {
                    r = ring.submitAndWait(1, Math.min(left, WAIT_SLICE_NANOS));
                }
                ring.drain(this);
                if (readyCount > 0) break;
                if (gone) return closedNow();
                if (r < 0 && r != -IoUring.ETIME && r != -Errno.EINTR && r != -Errno.EBUSY && r != -Errno.EAGAIN) ringFailure("read", r);
                left = deadline - System.nanoTime();
                if (left <= 0) return 0;
                if (sawEagain) {
                    // The kernel handed back EAGAIN instead of waiting (a file without FMODE_NOWAIT on an
                    // O_NONBLOCK fd): wait with poll(2) before arming again, never spin.
                    int p = tun.awaitReadable((int) Math.max(1, left / 1_000_000L));
                    if (p < 0 && p != -Errno.EINTR) {
                        gone = true;
                        goneErrno = -p;
                        return closedNow();
                    }
                    if (p == 0) return 0;
                }
                armFree();
            }
            int n = 0;
            int cap = batch.capacity();
            int max = batch.maxPayload();
            while (readyCount > 0 && n < cap) {
                int s = ready[readyHead];
                readyHead = readyHead + 1 == readDepth ? 0 : readyHead + 1;
                readyCount--;
                int len = length[s];
                if (len > max) {
                    readDrops++;
                } else {
                    MemorySegment.copy(slots, (long) s * slotBytes, batch.payload(n), 0, len);
                    batch.offset[n] = PacketBatch.HEADROOM;
                    batch.length[n] = len;
                    n++;
                }
                length[s] = -1;   // free again: armFree links it into the next chain
            }
            batch.count = n;
            return n;
        }

        private int closedNow() {
            plain.closedErrno = goneErrno;
            return CLOSED;
        }

        /**
         * Cancels the READs in flight and waits (bounded) for their CQEs, so that the kernel lets go
         * of the TUN file now, then closes the ring. Only when the owner has stopped or is the caller:
         * an owner still running keeps the SQ to itself, and the kernel's teardown cancels instead.
         */
        void cancelAndClose() {
            if (owner == Thread.currentThread() || !owner.isAlive()) {
                gone = true;   // no re-arming from here on
                long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
                // Cancelling a chain's waiting head starts its next READ (hard links go on after a
                // failure), which the next round cancels; READs not yet started answer ENOENT.
                while (inFlightCount > 0 && System.nanoTime() - deadline < 0) {
                    for (int s = 0; s < readDepth; s++) {
                        if (inFlight[s] && !ring.prepCancel(s, CANCEL_USER_DATA)) {
                            ring.submit();
                            if (!ring.prepCancel(s, CANCEL_USER_DATA)) break;
                        }
                    }
                    ring.submitAndWait(1, 20_000_000L);
                    ring.drain(this);
                }
            }
            ring.close();
        }

        /**
         * Puts the free slots (neither in flight nor holding a packet) back in flight as one chain of
         * hard-linked READs, once at most half of the slots are in flight. In a chain only the READ
         * at its head waits for the device; each completion starts the next. Separate READs would all
         * wait in the TUN's wait queue, and every packet would wake every one of them.
         */
        private void armFree() {
            if (gone || inFlightCount > readDepth / 2) return;
            int room = ring.sqSpace();
            int last = -1;
            for (int s = 0; s < readDepth && room > 0; s++) {
                if (inFlight[s] || length[s] >= 0) continue;
                if (last >= 0) {
                    // Link the READ prepared last to this one; the chain's final READ carries no link.
                    ring.setLastFlags(io_uring_h.IOSQE_IO_HARDLINK);
                }
                if (!ring.prepRead(tun.fd(), slots, (long) s * slotBytes, slotBytes, s)) break;   // cannot happen: room
                inFlight[s] = true;
                inFlightCount++;
                room--;
                last = s;
            }
        }

        @Override
        public void complete(long userData, int res, int flags) {
            if (userData == CANCEL_USER_DATA) return;
            int s = (int) userData;
            inFlight[s] = false;
            inFlightCount--;
            if (res > 0) {
                length[s] = res;
                int tail = readyHead + readyCount;
                ready[tail >= readDepth ? tail - readDepth : tail] = s;
                readyCount++;
                return;
            }
            length[s] = -1;
            if (res == 0) return;
            int errno = -res;
            if (errno == Errno.EAGAIN) {
                if (!sawEagain) readEagainWaits++;
                sawEagain = true;
            } else if (errno == Errno.EMSGSIZE || errno == Errno.EINVAL) {
                readDrops++;
            } else if (!transientOrPacketError(errno) && !gone) {
                gone = true;
                goneErrno = errno;
            }
        }
    }

    /** The write ring: user data of a WRITE is its position in the caller's index list. */
    private final class WriteRing implements IoUring.CompletionHandler {
        final IoUring ring;
        final Thread owner = Thread.currentThread();
        int completed;
        int written;
        boolean gone;
        int goneErrno;

        WriteRing(IoUring ring) {
            this.ring = ring;
        }

        void checkOwner() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("the TUN write ring belongs to thread " + owner.getName() + ", not " + Thread.currentThread().getName());
            }
        }

        int write(PacketBatch batch, int[] indexes, int n) {
            if (gone) return closedNow();
            written = 0;
            int fd = tun.fd();
            int k = 0;
            while (k < n) {
                int prepared = 0;
                while (k < n) {
                    int i = indexes[k];
                    int len = batch.length[i];
                    if (len <= 0) {
                        k++;
                        continue;
                    }
                    if (!ring.prepWrite(fd, batch.slot(i), batch.offset[i], len, k)) break;   // SQ full: this chunk first
                    k++;
                    prepared++;
                }
                // All of this chunk's CQEs must be in before the caller may reuse the batch.
                completed = 0;
                while (completed < prepared) {
                    int r = ring.submitAndWait(prepared - completed, WAIT_SLICE_NANOS);
                    ring.drain(this);
                    if (r < 0 && r != -IoUring.ETIME && r != -Errno.EINTR && r != -Errno.EBUSY && r != -Errno.EAGAIN) ringFailure("write", r);
                }
            }
            return gone ? closedNow() : written;
        }

        private int closedNow() {
            plain.closedErrno = goneErrno;
            return CLOSED;
        }

        @Override
        public void complete(long userData, int res, int flags) {
            completed++;
            if (res >= 0) {
                written++;
            } else if (transientOrPacketError(-res)) {
                writeDrops++;
            } else if (!gone) {
                gone = true;
                goneErrno = -res;
            }
        }
    }
}
