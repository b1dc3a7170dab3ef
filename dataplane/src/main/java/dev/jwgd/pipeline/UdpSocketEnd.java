package dev.jwgd.pipeline;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.udp.UdpBatch;
import dev.jwgd.ffm.udp.UdpSocket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link UdpEnd} over one dual-stack UDP socket ({@code AF_INET6}, {@code IPV6_V6ONLY=0}; IPv4 peers
 * are {@code ::ffff:a.b.c.d}), falling back to IPv4 only where IPv6 is unavailable. Receives with
 * one recvmmsg per batch and sends with one sendmmsg per batch. Datagrams are copied between the
 * kernel-facing batches and the pipeline's {@link PacketBatch}.
 *
 * <p>UDP offload (linux-ffm.md 2.4, wireguard-go {@code conn/gso_linux.go}), probed at construction
 * and switched off with {@code -Djwgd.udp.offload=false}:
 * <ul>
 * <li>GSO on send: consecutive datagrams with the same destination and length leave as one message
 *     with a UDP_SEGMENT control message ({@link UdpSendBatch}). A GSO send failing with EIO means
 *     the egress device cannot checksum: GSO stays off for that socket and the group is sent again
 *     datagram by datagram. EMSGSIZE or EINVAL (a segment larger than the path MTU, which a plain
 *     send would fragment) resends that group one by one and keeps GSO.</li>
 * <li>GRO on receive: UDP_GRO lets one receive buffer hold several datagrams of one source back to
 *     back; they are split into consecutive {@link PacketBatch} slots. What does not fit stays
 *     pending and is returned by the next {@link #receive} without a syscall.</li>
 * </ul>
 * Off-heap memory stays below {@link #OFF_HEAP_BUDGET} with offload on: a receive batch of at most
 * 64 × 64 KiB and at most {@link #SEND_BATCHES} send batches of {@link #GSO_SEND_MESSAGES} × 65000 B,
 * shared by all sending threads ({@link UdpSendPool}).
 *
 * <p>The socket is created in the network namespace of the thread that constructs this end and
 * stays there (WireGuard's "birthplace" rule, also after the TUN moves to another namespace).
 * {@link #rebind} swaps in a new socket (made in the namespace of the calling thread); the old one is
 * closed a moment later so a receive in flight on it finishes first.
 *
 * <p>Threads: one receives ({@link #receive} owns the receive batch and the pending state); any number
 * send, each holding a pooled batch for the length of the call.
 */
public final class UdpSocketEnd implements UdpEnd {
    /** System property: {@code false} turns GSO and GRO off (read at construction). */
    public static final String OFFLOAD_PROPERTY = "jwgd.udp.offload";
    /** Receive buffers with GRO: one coalesced read can be a whole IP datagram. */
    static final int GRO_BUFFER = 65535;
    /** Receive slots with GRO, at most: 64 × 64 KiB. */
    static final int GRO_RECEIVE_SLOTS = 64;
    /** Messages per send batch with GSO: 64 distinct destinations take 4 sendmmsg calls, one peer's 64 datagrams 1. */
    static final int GSO_SEND_MESSAGES = 16;
    /** Send batches per end, at most: concurrent senders beyond this wait their turn. */
    static final int SEND_BATCHES = 8;
    /** The end's off-heap memory with offload on stays below this. */
    static final long OFF_HEAP_BUDGET = 16L << 20;

    private static final long V4_MAPPED = 0xffff00000000L;

    /** One socket and what this end knows about it; replaced whole by {@link #rebind}. */
    private static final class Bound {
        final UdpSocket socket;
        final boolean dual;
        /** Cleared for good when a GSO send fails with EIO. */
        volatile boolean gso;

        Bound(UdpSocket socket, boolean gso) {
            this.socket = socket;
            this.dual = socket.family() != UdpSocket.Family.IPV4;
            this.gso = gso;
        }
    }

    private final boolean gro;
    private final boolean gsoCapable;
    private final String offloadReason;
    private volatile Bound bound;
    private volatile int port;
    private volatile int mark;
    private final UdpBatch receiveBatch;
    private final UdpSendPool sendPool;
    private volatile boolean closed;

    // receive state, owned by the receiving thread: messages of the last recvmmsg not yet delivered
    private int pendingCount;
    private int pendingIndex;
    private int pendingOffset;
    private boolean pendingDual;

    // counters (receive side: written by the receiving thread only)
    private volatile long receiveDropped;
    private volatile long groBuffers;
    private final AtomicLong datagramsSent = new AtomicLong();
    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong sendDropped = new AtomicLong();
    private final AtomicLong gsoRetries = new AtomicLong();

    /** Offload as {@link #OFFLOAD_PROPERTY} says (on unless {@code false}). */
    public UdpSocketEnd(int port, int batchSize, int bufferSize) throws IOException {
        this(port, batchSize, bufferSize, !"false".equalsIgnoreCase(System.getProperty(OFFLOAD_PROPERTY, "true")));
    }

    /**
     * Binds {@code port} (0 = any). {@code bufferSize} is the largest datagram sent or received;
     * {@code offload} allows GSO and GRO where the kernel has them.
     */
    public UdpSocketEnd(int port, int batchSize, int bufferSize, boolean offload) throws IOException {
        if (batchSize <= 0 || batchSize > 1024) throw new IllegalArgumentException("batch size must be 1..1024, got " + batchSize);
        if (bufferSize <= 0 || bufferSize > 65535) throw new IllegalArgumentException("buffer size must be 1..65535, got " + bufferSize);
        UdpSocket s = open(port, false);
        boolean groOn = false;
        boolean gsoOn = false;
        String reason;
        try {
            if (offload) {
                gsoOn = s.gsoSupported();
                try {
                    // Accepted means on: kernels before 5.12 take UDP_GRO but cannot read it back.
                    s.setGro(true);
                    groOn = true;
                } catch (ErrnoException e) {
                    groOn = false;
                }
                reason = gsoOn ? (groOn ? "" : "setsockopt UDP_GRO refused")
                        : groOn ? "getsockopt UDP_SEGMENT refused" : "getsockopt UDP_SEGMENT and setsockopt UDP_GRO refused";
            } else {
                reason = OFFLOAD_PROPERTY + "=false";
            }
            this.port = s.localAddress().getPort();
        } catch (ErrnoException | RuntimeException e) {
            s.close();
            throw e;
        }
        this.gro = groOn;
        this.gsoCapable = gsoOn;
        this.offloadReason = reason;
        this.receiveBatch = groOn
                ? new UdpBatch(Math.min(batchSize, GRO_RECEIVE_SLOTS), GRO_BUFFER, Arena.ofAuto())
                : new UdpBatch(batchSize, bufferSize, Arena.ofAuto());
        this.sendPool = gsoOn
                ? new UdpSendPool(SEND_BATCHES, Math.min(batchSize, GSO_SEND_MESSAGES), Math.max(bufferSize, UdpSendBatch.MAX_BYTES), bufferSize)
                : new UdpSendPool(SEND_BATCHES, batchSize, bufferSize, bufferSize);
        this.bound = new Bound(s, gsoOn);
    }

    private UdpSocket open(int port, boolean withGro) throws ErrnoException {
        UdpSocket s;
        try {
            s = UdpSocket.open(UdpSocket.Family.DUAL_STACK);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EAFNOSUPPORT) throw e;
            s = UdpSocket.open(UdpSocket.Family.IPV4);
        }
        try {
            s.bind(null, port);
            s.setNonBlocking(true);
            if (mark != 0) s.setMark(mark);
            try {
                s.setReceiveBufferSize(UdpSocket.WIREGUARD_GO_BUFFER_SIZE);
                s.setSendBufferSize(UdpSocket.WIREGUARD_GO_BUFFER_SIZE);
            } catch (ErrnoException ignored) {
                // Larger buffers are an optimization only.
            }
            if (withGro) {
                try {
                    s.setGro(true);
                } catch (ErrnoException ignored) {
                    // The receive buffers are large enough either way; datagrams just arrive one by one.
                }
            }
            return s;
        } catch (ErrnoException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** True when receives use UDP_GRO (coalesced buffers are split here). */
    public boolean gro() { return gro; }

    /** True while sends use UDP GSO on the current socket (false after an EIO from the egress device). */
    public boolean gso() { return bound.gso; }

    /** The current socket (tests set options on it). */
    UdpSocket socket() { return bound.socket; }

    /** One line for the daemon's log: what is on, and why something is off. */
    public String describeOffload() {
        boolean gsoNow = bound.gso;
        String s = "UDP offload: GSO " + (gsoNow ? "on" : "off") + ", GRO " + (gro ? "on" : "off");
        if (gsoCapable && !gsoNow) return s + " (GSO: EIO from the egress device, it cannot checksum)";
        return offloadReason.isEmpty() ? s : s + " (" + offloadReason + ")";
    }

    @Override
    public int receive(PacketBatch batch, int timeoutMillis) {
        batch.count = 0;
        if (closed) return CLOSED;
        if (pendingIndex < pendingCount) {
            // The rest of the last recvmmsg (a GRO buffer cut by a full batch): no syscall.
            int k = drain(batch);
            batch.count = k;
            return k;
        }
        Bound b = bound;
        UdpSocket s = b.socket;
        int max = Math.min(batch.capacity(), receiveBatch.slots());
        int n = s.receive(receiveBatch, 0, max, 0);
        if (n == -Errno.EAGAIN) {
            if (timeoutMillis <= 0) return closed ? CLOSED : 0;
            int p = s.awaitReadable(timeoutMillis);
            if (p <= 0) return closed ? CLOSED : 0;
            n = s.receive(receiveBatch, 0, max, 0);
        }
        if (n <= 0) return closed ? CLOSED : 0;
        pendingCount = n;
        pendingIndex = 0;
        pendingOffset = 0;
        pendingDual = b.dual;
        int k = drain(batch);
        batch.count = k;
        return k;
    }

    /**
     * Moves pending datagrams into {@code batch} from slot 0 until either runs out: a message with a GRO
     * segment size becomes one slot per segment (the last may be shorter), others one slot each.
     */
    private int drain(PacketBatch batch) {
        UdpBatch rb = receiveBatch;
        int capacity = batch.capacity();
        int slotSize = batch.slotSize();
        int k = 0;
        long dropped = 0;
        while (pendingIndex < pendingCount && k < capacity) {
            int i = pendingIndex;
            int len = rb.length(i);
            if (rb.truncated(i)) {
                dropped++;
                pendingIndex++;
                pendingOffset = 0;
                continue;
            }
            int gso = rb.groSegmentSize(i);
            int segment = gso > 0 && gso < len ? gso : Math.max(len, 1);
            if (pendingOffset == 0 && segment < len) groBuffers++;
            MemorySegment from = rb.buffer(i);
            boolean v6;
            long hi;
            long lo;
            if (pendingDual) {
                hi = rb.addressIPv6Hi(i);
                lo = rb.addressIPv6Lo(i);
                v6 = !(hi == 0 && (lo & 0xffffffff00000000L) == V4_MAPPED);
                if (!v6) lo &= 0xffffffffL;
            } else {
                v6 = false;
                hi = 0;
                lo = rb.addressIPv4(i) & 0xffffffffL;
            }
            int sourcePort = rb.addressPort(i);
            do {
                int l = Math.min(segment, len - pendingOffset);
                if (l > slotSize) {
                    dropped++;
                } else {
                    MemorySegment.copy(from, pendingOffset, batch.slot(k), 0, l);
                    batch.offset[k] = 0;
                    batch.length[k] = l;
                    batch.sourceV6[k] = v6;
                    batch.sourceHigh[k] = hi;
                    batch.sourceLow[k] = lo;
                    batch.sourcePort[k] = sourcePort;
                    k++;
                }
                pendingOffset += l;
            } while (pendingOffset < len && k < capacity);
            if (pendingOffset >= len) {
                pendingIndex++;
                pendingOffset = 0;
            }
        }
        if (dropped != 0) receiveDropped += dropped;
        return k;
    }

    @Override
    public int send(PacketBatch batch, int[] indexes, int n) {
        if (closed) return CLOSED;
        Bound b = bound;
        UdpSendBatch out = sendPool.acquire();
        try {
            return send(b, out, batch, indexes, n);
        } finally {
            sendPool.release(out);
        }
    }

    private int send(Bound b, UdpSendBatch out, PacketBatch batch, int[] indexes, int n) {
        UdpSocket s = b.socket;
        UdpBatch u = out.udp;
        int sent = 0;
        int messages = 0;
        long dropped = 0;
        int spins = 0;
        int plainBefore = 0;
        int k = 0;
        while (k < n) {
            int next = out.fill(batch, indexes, k, n, b.dual, b.gso, plainBefore);
            dropped += out.skipped;
            int m = out.messages;
            int from = 0;
            while (from < m) {
                int r = s.send(u, from, m - from, 0);
                if (r > 0) {
                    for (int j = from; j < from + r; j++) sent += out.datagrams[j];
                    messages += r;
                    from += r;
                } else if (r == -Errno.EAGAIN && spins++ < 100) {
                    Thread.onSpinWait();
                } else if (r == -Errno.EINTR) {
                    continue;
                } else if (out.datagrams[from] > 1 && (r == -Errno.EIO || r == -Errno.EMSGSIZE || r == -Errno.EINVAL)) {
                    // EIO: the egress device cannot checksum (or xfrm is on the route): GSO is off for this
                    // socket from now on. EMSGSIZE (EINVAL before 6.x): a segment is larger than the path
                    // MTU, which plain sends fragment; EINVAL also for SO_NO_CHECK. Only this group goes plain.
                    if (r == -Errno.EIO) b.gso = false;
                    gsoRetries.incrementAndGet();
                    plainBefore = out.last[from] + 1;
                    next = out.first[from];
                    break;
                } else {
                    dropped += out.datagrams[from];   // an unreachable destination (or a full queue): drop, go on
                    from++;
                }
            }
            k = next;
        }
        datagramsSent.addAndGet(sent);
        messagesSent.addAndGet(messages);
        if (dropped != 0) sendDropped.addAndGet(dropped);
        return sent;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void rebind(int newPort) throws IOException {
        if (newPort != 0 && newPort == port) return;
        UdpSocket fresh = open(newPort, gro);
        Bound old = bound;
        bound = new Bound(fresh, gsoCapable && fresh.gsoSupported());
        port = fresh.localAddress().getPort();
        closeLater(old.socket);
    }

    @Override
    public synchronized void setFwmark(int newMark) throws IOException {
        bound.socket.setMark(newMark);
        mark = newMark;
    }

    private static void closeLater(UdpSocket s) {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException ignored) {
                // close now
            }
            s.close();
        });
    }

    @Override
    public void close() {
        closed = true;
        bound.socket.close();
    }

    // ---- counters ----

    /** Datagrams handed to the kernel (a GSO message counts its segments). */
    public long datagramsSent() { return datagramsSent.get(); }

    /** sendmmsg messages the kernel took: fewer than {@link #datagramsSent()} when GSO coalesced. */
    public long messagesSent() { return messagesSent.get(); }

    /** Datagrams not sent: no destination, too long, a family the socket lacks, or an error from the kernel. */
    public long sendDropped() { return sendDropped.get(); }

    /** GSO messages the kernel refused (EIO or EINVAL) and that were sent again datagram by datagram. */
    public long gsoRetries() { return gsoRetries.get(); }

    /** Received buffers that held more than one datagram (UDP_GRO coalesced them). */
    public long groBuffers() { return groBuffers; }

    /** Received datagrams dropped: truncated, or longer than the batch's slots. */
    public long receiveDropped() { return receiveDropped; }

    /** Off-heap bytes this end holds now, about: the receive batch and the send batches made so far. */
    public long offHeapBytes() {
        return UdpSendBatch.offHeapBytes(receiveBatch.slots(), receiveBatch.bufferSize())
                + sendPool.created() * sendPool.batchBytes();
    }

    /** The most this end can hold: the receive batch and every send batch the pool may make. */
    long offHeapLimit() {
        return UdpSendBatch.offHeapBytes(receiveBatch.slots(), receiveBatch.bufferSize())
                + sendPool.max() * sendPool.batchBytes();
    }
}
