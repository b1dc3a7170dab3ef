package dev.jwgd.pipeline;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.udp.UdpBatch;
import dev.jwgd.ffm.udp.UdpSocket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@link UdpEnd} over one dual-stack UDP socket ({@code AF_INET6}, {@code IPV6_V6ONLY=0}; IPv4 peers
 * are {@code ::ffff:a.b.c.d}), falling back to IPv4 only where IPv6 is unavailable. Receives with
 * one recvmmsg per batch and sends with sendmmsg; each sending thread has its own {@link UdpBatch}.
 * Datagrams are copied between the kernel-facing batch and the pipeline's {@link PacketBatch}.
 *
 * <p>The socket is created in the network namespace of the thread that constructs this end and
 * stays there (WireGuard's "birthplace" rule, also after the TUN moves to another namespace).
 * {@link #rebind} swaps in a new socket; the old one is closed a moment later so a receive in
 * flight on it finishes first.
 */
public final class UdpSocketEnd implements UdpEnd {
    private static final long V4_MAPPED = 0xffff00000000L;

    private final int batchSize;
    private final int bufferSize;
    private volatile UdpSocket socket;
    private volatile int port;
    private volatile int mark;
    private final UdpBatch receiveBatch;
    private final ThreadLocal<UdpBatch> sendBatches;
    private volatile boolean closed;

    public UdpSocketEnd(int port, int batchSize, int bufferSize) throws IOException {
        this.batchSize = batchSize;
        this.bufferSize = bufferSize;
        this.receiveBatch = new UdpBatch(batchSize, bufferSize, Arena.ofAuto());
        this.sendBatches = ThreadLocal.withInitial(() -> new UdpBatch(batchSize, bufferSize, Arena.ofAuto()));
        this.socket = open(port);
        this.port = socket.localAddress().getPort();
    }

    private UdpSocket open(int port) throws ErrnoException {
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
            return s;
        } catch (ErrnoException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public int receive(PacketBatch batch, int timeoutMillis) {
        batch.count = 0;
        if (closed) return CLOSED;
        UdpSocket s = socket;
        int max = Math.min(batch.capacity(), batchSize);
        int n = s.receive(receiveBatch, 0, max, 0);
        if (n == -Errno.EAGAIN) {
            int p = s.awaitReadable(timeoutMillis);
            if (p <= 0) return closed ? CLOSED : 0;
            n = s.receive(receiveBatch, 0, max, 0);
        }
        if (n <= 0) return closed ? CLOSED : 0;
        boolean dual = s.family() != UdpSocket.Family.IPV4;
        int k = 0;
        for (int i = 0; i < n; i++) {
            int len = receiveBatch.length(i);
            if (len > batch.slotSize() || receiveBatch.truncated(i)) continue;
            MemorySegment.copy(receiveBatch.buffer(i), 0, batch.slot(k), 0, len);
            batch.offset[k] = 0;
            batch.length[k] = len;
            if (dual) {
                long hi = receiveBatch.addressIPv6Hi(i);
                long lo = receiveBatch.addressIPv6Lo(i);
                if (hi == 0 && (lo & 0xffffffff00000000L) == V4_MAPPED) {
                    batch.sourceV6[k] = false;
                    batch.sourceHigh[k] = 0;
                    batch.sourceLow[k] = lo & 0xffffffffL;
                } else {
                    batch.sourceV6[k] = true;
                    batch.sourceHigh[k] = hi;
                    batch.sourceLow[k] = lo;
                }
            } else {
                batch.sourceV6[k] = false;
                batch.sourceHigh[k] = 0;
                batch.sourceLow[k] = receiveBatch.addressIPv4(i) & 0xffffffffL;
            }
            batch.sourcePort[k] = receiveBatch.addressPort(i);
            k++;
        }
        batch.count = k;
        return k;
    }

    @Override
    public int send(PacketBatch batch, int[] indexes, int n) {
        if (closed) return CLOSED;
        UdpSocket s = socket;
        boolean dual = s.family() != UdpSocket.Family.IPV4;
        UdpBatch out = sendBatches.get();
        int sent = 0;
        int k = 0;
        while (k < n) {
            int m = 0;
            while (k < n && m < batchSize) {
                int i = indexes[k++];
                Endpoint to = batch.destination[i];
                int len = batch.length[i];
                if (to == null || len > bufferSize) continue;
                if (to.isV6()) {
                    if (!dual) continue;
                    out.setAddressIPv6(m, to.high(), to.low(), to.port(), 0);
                } else if (dual) {
                    out.setAddressIPv6(m, 0, V4_MAPPED | (to.v4() & 0xffffffffL), to.port(), 0);
                } else {
                    out.setAddressIPv4(m, to.v4(), to.port());
                }
                MemorySegment.copy(batch.slot(i), batch.offset[i], out.buffer(m), 0, len);
                out.setLength(m, len);
                m++;
            }
            int from = 0;
            int spins = 0;
            while (from < m) {
                int r = s.send(out, from, m - from, 0);
                if (r > 0) {
                    from += r;
                    sent += r;
                } else if (r == -Errno.EAGAIN && spins++ < 100) {
                    Thread.onSpinWait();
                } else if (r == -Errno.EINTR) {
                    continue;
                } else {
                    from++; // an unreachable destination (or a full queue): drop this datagram, go on
                }
            }
        }
        return sent;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void rebind(int newPort) throws IOException {
        if (newPort != 0 && newPort == port) return;
        UdpSocket fresh = open(newPort);
        UdpSocket old = socket;
        socket = fresh;
        port = fresh.localAddress().getPort();
        closeLater(old);
    }

    @Override
    public synchronized void setFwmark(int newMark) throws IOException {
        socket.setMark(newMark);
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
        socket.close();
    }
}
