package dev.jwgd.pipeline;

import static dev.jwgd.ffm.tun.if_tun_h.IFF_NO_PI;
import static dev.jwgd.ffm.tun.if_tun_h.IFF_TUN;
import static dev.jwgd.ffm.tun.if_tun_h.IFF_VNET_HDR;
import static dev.jwgd.ffm.tun.if_tun_h.VIRTIO_NET_HDR_GSO_NONE;

import dev.jwgd.ffm.C;
import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Libc;
import dev.jwgd.ffm.tun.TunDevice;
import dev.jwgd.ffm.tun.virtio_net_hdr;
import dev.jwgd.ffm.udp.iovec;
import dev.jwgd.offload.Coalescer;
import dev.jwgd.offload.InternetChecksum;
import dev.jwgd.offload.Segmenter;
import dev.jwgd.offload.TcpCoalescer;
import dev.jwgd.offload.UdpCoalescer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link TunEnd} over a TUN opened with {@code IFF_VNET_HDR} and TSO/USO offloads on (linux-ffm.md 1.2):
 * the kernel hands over TCP and UDP super-packets of up to 64 KiB and takes them back, each behind a
 * 10-byte {@code virtio_net_hdr}, which saves a system call per MTU-sized packet.
 *
 * <p>Read: one read(2) into a buffer for the largest super-packet, then {@link Segmenter} cuts the super-packet into
 * the batch's slots at {@link PacketBatch#HEADROOM} (or finishes the partial checksum of a single
 * packet). When the batch fills up in the middle of a super-packet, the rest waits in the buffer and the
 * next read starts with it. Reads go on while slots remain and the queue has packets. Malformed
 * super-packets are dropped and counted.
 *
 * <p>Write: {@link TcpCoalescer} merges the batch's TCP segments per flow, then (only when the TUN has
 * USO) {@link UdpCoalescer} runs over its outputs and merges the UDP datagrams per flow (TCP
 * super-packets and other packets pass it untouched, each flow's order kept); each super-packet is one
 * write(2) from its coalescer's buffer, every other packet one writev(2) of an all-zero
 * {@code virtio_net_hdr} and the packet where it lies in the batch (the batch is not modified).
 *
 * <p>{@link #CLOSED} exactly as {@link TunDeviceEnd}: the device is gone (EBADFD, ENODEV, ...).
 * {@link #read} belongs to one thread, {@link #write} to one (other) thread; the counters are plain
 * fields written by those threads, for tests and diagnostics.
 */
public final class VnetTunEnd implements TunEnd {
    private static final int VNET_HDR = 10;
    /** The checksum kernels are warmed up once per JVM, by the first end made. */
    /** The largest super-packet (an IPv6 UDP GSO send can exceed 65535 bytes), plus one byte to see truncation. */
    private static final int READ_BUFFER = VNET_HDR + Segmenter.MAX_IPV6_PACKET + 1;

    private final TunDevice tun;
    private final int offloads;
    private volatile int mtu;
    /** The errno that made the last read or write report {@link #CLOSED}, for the log. */
    public volatile int closedErrno;

    // ---- read side (the send path's thread) ----
    private final MemorySegment readBuffer;
    private final Segmenter segmenter = new Segmenter();
    private int pendingNext;
    private int pendingCount;
    /** IP packets handed to the send path. */
    public long packetsRead;
    /** read(2)s that returned a GSO super-packet (TCP or UDP). */
    public long superPacketsRead;
    /** Super-packets or packets dropped: malformed vnet header or headers, or a segment larger than a slot. */
    public long readDrops;

    // ---- write side (the receive path's thread) ----
    private final TcpCoalescer coalescer;
    /** Runs over {@link #coalescer}'s outputs (tags are its output indexes); null without USO. */
    private final UdpCoalescer udpCoalescer;
    private final MemorySegment iov;
    private final MemorySegment zeroHeader;
    private final MemorySegment scratch;
    /** IP packets the TUN accepted (a super-packet counts its segments). */
    public long packetsWritten;
    /** Coalesced super-packets (TCP or UDP) the TUN accepted. */
    public long superPacketsWritten;
    /** Of {@link #superPacketsWritten}, the UDP (USO) ones. */
    public long udpSuperPacketsWritten;
    /** IP packets the TUN refused (dropped). */
    public long writeDrops;

    /**
     * Wraps a queue opened with {@code IFF_VNET_HDR}: enables the offloads (TSO, then USO if the kernel has
     * it), makes the queue non-blocking. The checksum stays scalar until someone runs
     * {@link InternetChecksum#warmUp} (the daemon does, in the background).
     *
     * @throws ErrnoException when the kernel refuses the offloads: use {@link TunDeviceEnd} instead
     */
    public VnetTunEnd(TunDevice tun, int mtu) throws ErrnoException {
        if ((tun.requestedFlags() & IFF_VNET_HDR) == 0) {
            throw new IllegalArgumentException(tun.name() + " was opened without IFF_VNET_HDR");
        }
        this.tun = tun;
        this.mtu = mtu;
        this.offloads = tun.enableOffloads();
        tun.setNonBlocking(true);
        Arena arena = Arena.ofAuto();
        this.readBuffer = arena.allocate(READ_BUFFER, 64);
        this.coalescer = new TcpCoalescer(Pipeline.BATCH, 8, 8, arena);
        // A TUN without USO would refuse GSO_UDP_L4 packets: UDP then passes through as single datagrams.
        this.udpCoalescer = offloads == TunDevice.OFFLOAD_TCP_UDP ? new UdpCoalescer(Pipeline.BATCH, 8, 8, arena) : null;
        this.iov = iovec.allocateArray(2, arena);
        this.zeroHeader = arena.allocate(VNET_HDR);
        this.scratch = arena.allocate(VNET_HDR + Segmenter.MAX_IPV6_PACKET, 64);
        iov.set(ValueLayout.JAVA_LONG, iovec.iov_base$offset(), zeroHeader.address());
        iov.set(ValueLayout.JAVA_LONG, iovec.iov_len$offset(), VNET_HDR);
    }

    /**
     * Opens (creates) the TUN {@code nameOrTemplate} with {@code IFF_TUN | IFF_NO_PI | IFF_VNET_HDR} and the
     * offloads on, in the calling thread's network namespace. Throws {@link ErrnoException} when the kernel
     * refuses, so the caller can fall back to a plain TUN and {@link TunDeviceEnd}.
     */
    public static VnetTunEnd open(String nameOrTemplate, int mtu) throws ErrnoException {
        TunDevice tun = TunDevice.open(nameOrTemplate, IFF_TUN | IFF_NO_PI | IFF_VNET_HDR);
        try {
            return new VnetTunEnd(tun, mtu);
        } catch (ErrnoException | RuntimeException e) {
            tun.close();
            throw e;
        }
    }

    public TunDevice device() {
        return tun;
    }

    /** One line for the start-up log: what this end does and with which offloads. */
    public String describe() {
        return "TUN " + tun.name() + ": IFF_VNET_HDR, offloads "
                + (offloads == TunDevice.OFFLOAD_TCP_UDP ? "TSO4|TSO6|USO4|USO6" : "TSO4|TSO6")
                + " (split on read, " + (udpCoalescer != null ? "TCP and UDP" : "TCP") + " coalescing on write), checksum "
                + InternetChecksum.implementation();
    }

    /** The {@code TUN_F_*} offloads in force ({@link TunDevice#OFFLOAD_TCP} or {@link TunDevice#OFFLOAD_TCP_UDP}). */
    public int offloads() {
        return offloads;
    }

    public void mtu(int mtu) {
        this.mtu = mtu;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int read(PacketBatch batch, int timeoutMillis) {
        batch.count = 0;
        int n = 0;
        int capacity = batch.capacity();
        int room = batch.maxPayload();
        while (n < capacity) {
            if (pendingNext < pendingCount) {
                int len = segmenter.segment(pendingNext, batch.payload(n), 0, room);
                if (len < 0) {
                    readDrops++;                    // a segment larger than a slot: the rest goes too
                    pendingNext = pendingCount;
                    continue;
                }
                pendingNext++;
                batch.offset[n] = PacketBatch.HEADROOM;
                batch.length[n] = len;
                n++;
                continue;
            }
            int r = tun.read(readBuffer);
            if (r >= 0) {
                accept(r);
                continue;
            }
            if (r == -Errno.EAGAIN) {
                if (n > 0) break;
                int p = tun.awaitReadable(timeoutMillis);
                if (p == 0) break;
                if (p < 0 && p != -Errno.EINTR) {
                    closedErrno = -p;
                    return CLOSED;
                }
                continue;
            }
            if (r == -Errno.EINTR) continue;
            if (r == -Errno.EMSGSIZE || r == -Errno.EINVAL) {
                readDrops++;
                continue;
            }
            if (n > 0) break;
            closedErrno = -r;
            return CLOSED;
        }
        packetsRead += n;
        batch.count = n;
        return n;
    }

    /** Checks what one read(2) returned and makes it the pending super-packet. */
    private void accept(int r) {
        pendingNext = 0;
        pendingCount = 0;
        if (r <= VNET_HDR || r == READ_BUFFER) {      // nothing behind the header, or cut short
            readDrops++;
            return;
        }
        int gsoType = virtio_net_hdr.gso_type(readBuffer, 0);
        int count = segmenter.prepare(readBuffer, VNET_HDR, r - VNET_HDR, virtio_net_hdr.flags(readBuffer, 0), gsoType,
                virtio_net_hdr.gso_size(readBuffer, 0), virtio_net_hdr.csum_start(readBuffer, 0), virtio_net_hdr.csum_offset(readBuffer, 0));
        if (count < 0) {
            readDrops++;
            return;
        }
        if (gsoType != VIRTIO_NET_HDR_GSO_NONE) superPacketsRead++;
        pendingCount = count;
    }

    @Override
    public int write(PacketBatch batch, int[] indexes, int n) {
        int written = 0;
        int k = 0;
        while (k < n) {
            coalescer.reset();
            while (k < n) {
                int i = indexes[k];
                if (!coalescer.add(batch.slot(i), batch.offset[i], batch.length[i], i)) break;
                k++;
            }
            int outputs = coalescer.finish();
            UdpCoalescer udp = udpCoalescer;
            if (udp != null) {
                // The TCP coalescer's outputs never outnumber its inputs: the UDP one takes them all.
                udp.reset();
                for (int o = 0; o < outputs; o++) udp.add(coalescer.packet(o), coalescer.packetOffset(o), coalescer.packetLength(o), o);
                outputs = udp.finish();
            }
            for (int u = 0; u < outputs; u++) {
                int r;
                int segments;
                if (udp != null && udp.coalesced(u)) {
                    r = writeSuperPacket(udp, u);
                    segments = udp.segments(u);
                } else {
                    int o = udp != null ? udp.tag(u) : u;
                    r = coalescer.coalesced(o) ? writeSuperPacket(coalescer, o) : writeSingle(o);
                    segments = coalescer.segments(o);
                }
                if (r >= 0) {
                    written += segments;
                    packetsWritten += segments;
                } else if (r == -TunDevice.EBADFD || r == -Errno.ENODEV) {
                    closedErrno = -r;
                    resetCoalescers();
                    return CLOSED;
                } else {
                    writeDrops += segments;
                }
            }
        }
        resetCoalescers();
        return written;
    }

    private void resetCoalescers() {
        coalescer.reset();
        if (udpCoalescer != null) udpCoalescer.reset();
    }

    /** Writes coalesced output {@code i} of {@code c}: its buffer starts with the virtio_net_hdr, the IP packet at 10. */
    private int writeSuperPacket(Coalescer c, int i) {
        int r = tun.write(c.packet(i), VNET_HDR + c.packetLength(i));
        if (r >= 0) {
            superPacketsWritten++;
            if (c == udpCoalescer) udpSuperPacketsWritten++;
        }
        return r;
    }

    private int writeSingle(int o) {
        MemorySegment p = coalescer.packet(o);
        long off = coalescer.packetOffset(o);
        int len = coalescer.packetLength(o);
        if (!p.isNative()) {
            // Only tests pass heap memory: copy behind a zero header.
            virtio_net_hdr.clear(scratch, 0);
            MemorySegment.copy(p, off, scratch, VNET_HDR, len);
            return tun.write(scratch, VNET_HDR + len);
        }
        iov.set(ValueLayout.JAVA_LONG, iovec.sizeof() + iovec.iov_base$offset(), p.address() + off);
        iov.set(ValueLayout.JAVA_LONG, iovec.sizeof() + iovec.iov_len$offset(), len);
        long r = Libc.writev(tun.fd(), iov, 2);
        return r >= 0 ? (int) r : -C.errno();
    }

    @Override
    public void close() {
        tun.close();
    }
}
