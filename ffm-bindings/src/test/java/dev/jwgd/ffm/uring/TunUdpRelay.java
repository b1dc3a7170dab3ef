package dev.jwgd.ffm.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Sockets;
import dev.jwgd.ffm.tun.TunDevice;
import dev.jwgd.ffm.udp.UdpSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Test fixture: moves whole IP packets between a TUN device and a UDP socket, the shape of a VPN data
 * path without the crypto. TUN to UDP: each packet read from the TUN is sent as one datagram to
 * {@code peer}. UDP to TUN: each datagram received is written to the TUN as one packet.
 * {@link #create} picks io_uring when {@code support} says it is available, plain syscalls otherwise.
 */
abstract class TunUdpRelay implements AutoCloseable {
    static final int SLOTS = 8;
    static final int SLOT_BYTES = 2048;

    enum Mode { PLAIN, FIXED, MULTISHOT }

    final TunDevice tun;
    final UdpSocket udp;
    final Arena arena = Arena.ofConfined();
    final MemorySegment pool = arena.allocate((long) SLOTS * SLOT_BYTES, 4096);
    final MemorySegment peer;   // sockaddr_in of the far end

    TunUdpRelay(TunDevice tun, UdpSocket udp, MemorySegment peerSockaddr) {
        this.tun = tun;
        this.udp = udp;
        this.peer = arena.allocate(16, 8);
        peer.copyFrom(peerSockaddr);
    }

    static TunUdpRelay create(IoUringSupport support, Mode mode, TunDevice tun, UdpSocket udp, MemorySegment peer) throws ErrnoException {
        if (!support.available()) return new Syscalls(tun, udp, peer);
        return new Uring(IoUring.create(support, 16, 64, mode == Mode.PLAIN ? 0 : IoUring.recommendedFlags()), mode, tun, udp, peer);
    }

    /** Moves {@code n} packets from the TUN to the UDP peer; returns how many moved before the deadline. */
    abstract int tunToUdp(int n, long timeoutNanos);

    /** Moves {@code n} datagrams from the UDP socket into the TUN. */
    abstract int udpToTun(int n, long timeoutNanos);

    abstract boolean usesIoUring();

    @Override
    public void close() {
        arena.close();
    }

    /** The fallback: one read/sendto or recvfrom/write pair per packet. */
    static final class Syscalls extends TunUdpRelay {
        Syscalls(TunDevice tun, UdpSocket udp, MemorySegment peer) {
            super(tun, udp, peer);
        }

        @Override
        int tunToUdp(int n, long timeoutNanos) {
            long deadline = System.nanoTime() + timeoutNanos;
            int moved = 0;
            while (moved < n && System.nanoTime() < deadline) {
                if (tun.awaitReadable(50) <= 0) continue;
                int len = tun.read(pool.asSlice(0, SLOT_BYTES));
                if (len <= 0) continue;
                if (Sockets.sendto(udp.fd(), pool, len, 0, peer, 16) == len) moved++;
            }
            return moved;
        }

        @Override
        int udpToTun(int n, long timeoutNanos) {
            long deadline = System.nanoTime() + timeoutNanos;
            int moved = 0;
            while (moved < n && System.nanoTime() < deadline) {
                if (udp.awaitReadable(50) <= 0) continue;
                long len = Sockets.recvfrom(udp.fd(), pool, SLOT_BYTES, Sockets.MSG_DONTWAIT, MemorySegment.NULL, MemorySegment.NULL);
                if (len <= 0) continue;
                if (tun.write(pool, (int) len) == len) moved++;
            }
            return moved;
        }

        @Override
        boolean usesIoUring() {
            return false;
        }
    }

    /**
     * io_uring: {@link #SLOTS} operations in flight, each completion chaining the next SQE. User data is
     * {@code kind << 32 | slot}.
     */
    static final class Uring extends TunUdpRelay implements IoUring.CompletionHandler {
        static final long READ = 1, SEND = 2, RECV = 3, WRITE = 4, CANCEL = 5, MULTI = 6;
        static final int TUN_INDEX = 0, UDP_INDEX = 1;   // registered-file slots in FIXED mode

        final IoUring ring;
        final Mode mode;
        final MemorySegment msghdrs = arena.allocate(56L * SLOTS, 8);
        final MemorySegment iovecs = arena.allocate(16L * SLOTS, 8);
        final MemorySegment template = arena.allocate(56, 8);
        final MemorySegment names = arena.allocate(16L * SLOTS, 8);
        BufferRing group;
        int moved;
        int inFlight;
        int errors;
        boolean rearm;
        int multishotActive;

        Uring(IoUring ring, Mode mode, TunDevice tun, UdpSocket udp, MemorySegment peer) throws ErrnoException {
            super(tun, udp, peer);
            this.ring = ring;
            this.mode = mode;
            for (int s = 0; s < SLOTS; s++) {
                long iov = 16L * s;
                iovecs.set(JAVA_LONG, iov, pool.address() + (long) s * SLOT_BYTES);
                iovecs.set(JAVA_LONG, iov + 8, SLOT_BYTES);
                long m = 56L * s;
                msghdrs.set(JAVA_LONG, m, this.peer.address());   // msg_name
                msghdrs.set(JAVA_INT, m + 8, 16);                 // msg_namelen
                msghdrs.set(JAVA_LONG, m + 16, iovecs.address() + iov);
                msghdrs.set(JAVA_LONG, m + 24, 1);                // msg_iovlen
            }
            if (mode == Mode.FIXED) {
                ring.registerFiles(tun.fd(), udp.fd());
                ring.registerBuffers(pool);
            }
            if (mode == Mode.MULTISHOT) {
                group = ring.registerBufferRing(0, SLOTS, SLOT_BYTES);
                template.set(JAVA_INT, 8, 0);   // no name, no control: payload right after recvmsg_out
            }
        }

        private int fd(boolean tunSide) {
            return mode == Mode.FIXED ? (tunSide ? TUN_INDEX : UDP_INDEX) : (tunSide ? tun.fd() : udp.fd());
        }

        private void fixed() {
            if (mode == Mode.FIXED) ring.setLastFlags(io_uring_h.IOSQE_FIXED_FILE);
        }

        private void read(int slot) {
            long ud = READ << 32 | slot;
            boolean ok = mode == Mode.FIXED
                    ? ring.prepReadFixed(fd(true), pool, (long) slot * SLOT_BYTES, SLOT_BYTES, 0, ud)
                    : ring.prepRead(fd(true), pool, (long) slot * SLOT_BYTES, SLOT_BYTES, ud);
            if (!ok) throw new IllegalStateException("SQ full");
            fixed();
            inFlight++;
        }

        private void recv(int slot) {
            iovecs.set(JAVA_LONG, 16L * slot + 8, SLOT_BYTES);
            msghdrs.set(JAVA_INT, 56L * slot + 8, 16);
            msghdrs.set(JAVA_LONG, 56L * slot, names.address() + 16L * slot);   // the sender's address lands here
            if (!ring.prepRecvmsg(fd(false), msghdrs, 56L * slot, 0, RECV << 32 | slot)) throw new IllegalStateException("SQ full");
            fixed();
            inFlight++;
        }

        @Override
        int tunToUdp(int n, long timeoutNanos) {
            moved = 0;
            for (int s = 0; s < SLOTS; s++) read(s);
            loop(n, timeoutNanos);
            cancelAll();
            return moved;
        }

        @Override
        int udpToTun(int n, long timeoutNanos) {
            moved = 0;
            if (mode == Mode.MULTISHOT) {
                armMultishot();
            } else {
                for (int s = 0; s < SLOTS; s++) recv(s);
            }
            loop(n, timeoutNanos);
            cancelAll();
            return moved;
        }

        private void armMultishot() {
            if (!ring.prepRecvmsgMultishot(udp.fd(), template, group.group(), 0, MULTI << 32)) throw new IllegalStateException("SQ full");
            multishotActive++;
            inFlight++;
        }

        private void loop(int n, long timeoutNanos) {
            long deadline = System.nanoTime() + timeoutNanos;
            rearm = true;
            while (moved < n && System.nanoTime() < deadline) {
                int r = ring.submitAndWait(1, 50_000_000L);
                if (r < 0 && r != -IoUring.ETIME && r != -Errno.EINTR) throw new IllegalStateException("io_uring_enter: errno " + -r);
                ring.drain(this);
                if (moved >= n) rearm = false;
            }
            rearm = false;
        }

        /** Cancels whatever is still waiting (reads on the TUN, receives on the socket) and reaps it. */
        private void cancelAll() {
            rearm = false;
            for (long kind : new long[] {READ, RECV}) {
                for (int s = 0; s < SLOTS; s++) cancel(kind << 32 | s);
            }
            if (multishotActive > 0) cancel(MULTI << 32);
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (inFlight > 0 && System.nanoTime() < deadline) {
                ring.submitAndWait(1, 20_000_000L);
                ring.drain(this);
            }
            if (inFlight > 0) throw new IllegalStateException(inFlight + " operations still in flight after cancel");
        }

        private void cancel(long target) {
            while (!ring.prepCancel(target, CANCEL << 32)) ring.submit();   // SQ full: hand the kernel what is there
        }

        @Override
        public void complete(long userData, int res, int flags) {
            long kind = userData >>> 32;
            int slot = (int) userData;
            if (kind == CANCEL) return;
            if (kind == MULTI) {
                if ((flags & io_uring_h.IORING_CQE_F_MORE) == 0) {
                    multishotActive--;
                    inFlight--;
                    if (rearm) armMultishot();
                }
                if (res < 0) {
                    if (res != -Errno.ECANCELED && res != -Errno.ENOBUFS) errors++;
                    return;
                }
                int bid = BufferRing.bufferId(flags);
                long at = group.offset(bid) + BufferRing.payloadOffset(0, 0);
                int len = group.payloadLength(bid);
                if (!ring.prepWrite(tun.fd(), group.buffers(), at, len, WRITE << 32 | bid)) throw new IllegalStateException("SQ full");
                inFlight++;
                return;
            }
            inFlight--;
            if (res < 0) {
                if (res != -Errno.ECANCELED && res != -Errno.ENOENT) errors++;
                return;
            }
            switch ((int) kind) {
                case 1 -> {   // READ from the TUN -> SENDMSG of the same bytes
                    iovecs.set(JAVA_LONG, 16L * slot + 8, res);
                    msghdrs.set(JAVA_LONG, 56L * slot, peer.address());
                    msghdrs.set(JAVA_INT, 56L * slot + 8, 16);
                    if (!ring.prepSendmsg(fd(false), msghdrs, 56L * slot, 0, SEND << 32 | slot)) throw new IllegalStateException("SQ full");
                    fixed();
                    inFlight++;
                }
                case 2 -> {   // SENDMSG done: the slot reads again
                    moved++;
                    if (rearm) read(slot);
                }
                case 3 -> {   // RECVMSG -> WRITE to the TUN
                    boolean ok = mode == Mode.FIXED
                            ? ring.prepWriteFixed(fd(true), pool, (long) slot * SLOT_BYTES, res, 0, WRITE << 32 | slot)
                            : ring.prepWrite(fd(true), pool, (long) slot * SLOT_BYTES, res, WRITE << 32 | slot);
                    if (!ok) throw new IllegalStateException("SQ full");
                    fixed();
                    inFlight++;
                }
                case 4 -> {   // WRITE done
                    moved++;
                    if (mode == Mode.MULTISHOT) group.recycle(slot);
                    else if (rearm) recv(slot);
                }
                default -> errors++;
            }
        }

        @Override
        boolean usesIoUring() {
            return true;
        }

        @Override
        public void close() {
            ring.close();
            super.close();
        }
    }
}
