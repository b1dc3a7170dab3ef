package dev.jwgd.pipeline;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory UDP network for tests: each {@link Socket} is bound to an {@link Endpoint}; a
 * datagram sent to an address nobody is bound to is counted and lost, like a black-holed route.
 * Tests can rebind a socket to another address (roaming) and drop or inspect traffic.
 */
public final class MemoryNetwork {
    private final Map<Endpoint, Socket> sockets = new ConcurrentHashMap<>();
    private final AtomicLong lost = new AtomicLong();

    /** A datagram in flight. */
    public record Datagram(Endpoint source, byte[] payload) {}

    /** Creates a socket bound at {@code address}. */
    public Socket bind(Endpoint address, int queueCapacity) {
        Socket s = new Socket(address, queueCapacity);
        if (sockets.putIfAbsent(address, s) != null) throw new IllegalStateException("address in use: " + address);
        return s;
    }

    public long lost() {
        return lost.get();
    }

    /** Delivers a datagram as if {@code source} sent it (a test playing an attacker). */
    public boolean inject(Endpoint source, Endpoint destination, byte[] payload) {
        Socket s = sockets.get(destination);
        if (s == null || s.closed) {
            lost.incrementAndGet();
            return false;
        }
        return s.inbound.offer(new Datagram(source, payload.clone()));
    }

    /** One bound socket; implements the device's {@link UdpEnd}. */
    public final class Socket implements UdpEnd {
        private volatile Endpoint address;
        private final BlockingQueue<Datagram> inbound;
        private volatile boolean closed;
        private volatile int fwmark;

        private Socket(Endpoint address, int capacity) {
            this.address = address;
            this.inbound = new ArrayBlockingQueue<>(capacity);
        }

        public Endpoint address() {
            return address;
        }

        /** Moves this socket to a new address, as a host that roams does. */
        public void moveTo(Endpoint to) {
            if (sockets.putIfAbsent(to, this) != null) throw new IllegalStateException("address in use: " + to);
            sockets.remove(address, this);
            address = to;
        }

        public int fwmark() {
            return fwmark;
        }

        @Override
        public int receive(PacketBatch batch, int timeoutMillis) {
            batch.count = 0;
            if (closed) return CLOSED;
            Datagram d;
            try {
                d = inbound.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return closed ? CLOSED : 0;
            }
            int n = 0;
            while (d != null) {
                if (d.payload.length <= batch.slotSize()) {
                    MemorySegment.copy(MemorySegment.ofArray(d.payload), 0, batch.slot(n), 0, d.payload.length);
                    batch.offset[n] = 0;
                    batch.length[n] = d.payload.length;
                    batch.sourceV6[n] = d.source.isV6();
                    batch.sourceHigh[n] = d.source.high();
                    batch.sourceLow[n] = d.source.low();
                    batch.sourcePort[n] = d.source.port();
                    n++;
                }
                if (n == batch.capacity()) break;
                d = inbound.poll();
            }
            batch.count = n;
            return closed ? CLOSED : n;
        }

        @Override
        public int send(PacketBatch batch, int[] indexes, int n) {
            if (closed) return CLOSED;
            int sent = 0;
            for (int k = 0; k < n; k++) {
                int i = indexes[k];
                Endpoint dst = batch.destination[i];
                if (dst == null) continue;
                byte[] p = batch.slot(i).asSlice(batch.offset[i], batch.length[i]).toArray(ValueLayout.JAVA_BYTE);
                Socket s = sockets.get(dst);
                if (s == null || s.closed) {
                    lost.incrementAndGet();
                } else if (s.inbound.offer(new Datagram(address, p))) {
                    sent++;
                }
            }
            return sent;
        }

        @Override
        public int port() {
            return address.port();
        }

        @Override
        public void rebind(int port) throws java.io.IOException {
            Endpoint to = Endpoint.of(address.isV6(), address.high(), address.low(), port);
            if (to.equals(address)) return;
            try {
                moveTo(to);
            } catch (IllegalStateException e) {
                throw new java.io.IOException(e.getMessage());
            }
        }

        @Override
        public void setFwmark(int mark) {
            fwmark = mark;
        }

        @Override
        public void close() {
            closed = true;
            sockets.remove(address, this);
        }
    }
}
