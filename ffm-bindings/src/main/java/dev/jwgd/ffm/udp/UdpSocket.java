package dev.jwgd.ffm.udp;

import static dev.jwgd.ffm.C.C_INT;

import dev.jwgd.ffm.C;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Libc;
import dev.jwgd.ffm.libc.ReadablePoll;
import dev.jwgd.ffm.libc.Sockets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP socket for IPv4, IPv6 or dual-stack IPv6 (linux-ffm.md 2): bind, options (non-blocking, SO_MARK,
 * buffer sizes, UDP_GRO, pktinfo), and datagram I/O through a {@link UdpBatch}.
 *
 * <p>The socket lives in the network namespace of the thread that calls {@link #open}, and keeps
 * sending and receiving there from any thread. Control methods throw {@link ErrnoException}; the
 * data-path methods return a count or {@code -errno} and neither allocate nor throw.
 * One thread may send while another receives, each with its own batch.
 */
public final class UdpSocket implements AutoCloseable {
    /** What {@link #open} creates. */
    public enum Family {
        /** AF_INET. */
        IPV4,
        /** AF_INET6 with IPV6_V6ONLY=1: the second socket of the kernel/wireguard-go two-socket scheme. */
        IPV6_ONLY,
        /** AF_INET6 with IPV6_V6ONLY=0: IPv4 peers appear as ::ffff:a.b.c.d. */
        DUAL_STACK
    }

    /** Segments per GSO send every kernel accepts (kernel-internal UDP_MAX_SEGMENTS; 6.9+ takes 128, 129 gives EINVAL). */
    public static final int GSO_MAX_SEGMENTS_PORTABLE = 64;
    /** Largest UDP payload of one IPv4 datagram (65535 - 20 - 8), also the GSO total limit (EMSGSIZE above). */
    public static final int MAX_PAYLOAD_IPV4 = 65507;
    /** Largest UDP payload of one IPv6 datagram (65535 - 8). */
    public static final int MAX_PAYLOAD_IPV6 = 65527;
    /** wireguard-go's socket buffer request: 7 MiB. */
    public static final int WIREGUARD_GO_BUFFER_SIZE = 7 << 20;

    private final int fd;
    private final Family family;
    // GC-managed, not closed with the socket: a poll on another thread may still hold it when close() runs
    private final ReadablePoll readable;
    private volatile boolean closed;

    private UdpSocket(int fd, Family family) {
        this.fd = fd;
        this.family = family;
        this.readable = new ReadablePoll(fd);
    }

    /** socket(AF_INET or AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC, 0), with IPV6_V6ONLY set as the family says. */
    public static UdpSocket open(Family family) throws ErrnoException {
        int domain = family == Family.IPV4 ? Sockets.AF_INET : Sockets.AF_INET6;
        int fd = (int) Libc.check(Sockets.socket(domain, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0),
                "socket(" + (domain == Sockets.AF_INET ? "AF_INET" : "AF_INET6") + ", SOCK_DGRAM)");
        try {
            if (family != Family.IPV4) {
                Sockets.setIntOption(fd, in_h.SOL_IPV6, in_h.IPV6_V6ONLY, family == Family.IPV6_ONLY ? 1 : 0, "IPV6_V6ONLY");
            }
        } catch (ErrnoException e) {
            Libc.close(fd);
            throw e;
        }
        return new UdpSocket(fd, family);
    }

    public int fd() { return fd; }

    public Family family() { return family; }

    /**
     * bind(2) to {@code address} ({@code null} = any) and {@code port} (0 = let the kernel choose):
     * returns the port bound. An IPv4 address on a dual-stack socket binds its ::ffff: form.
     */
    public int bind(InetAddress address, int port) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa;
            if (family == Family.IPV4) {
                if (address != null && !(address instanceof Inet4Address)) {
                    throw new IllegalArgumentException("IPv4 socket cannot bind " + address);
                }
                sa = sockaddr_in.allocate(a);
                sockaddr_in.sin_family(sa, (short) Sockets.AF_INET);
                sockaddr_in.sin_port(sa, port);
                sockaddr_in.sin_addr(sa, address == null ? 0 : ByteBuffer.wrap(address.getAddress()).getInt());
            } else {
                sa = sockaddr_in6.allocate(a);
                sockaddr_in6.sin6_family(sa, (short) Sockets.AF_INET6);
                sockaddr_in6.sin6_port(sa, port);
                if (address instanceof Inet6Address v6) {
                    ByteBuffer b = ByteBuffer.wrap(v6.getAddress());
                    sockaddr_in6.sin6_addr(sa, b.getLong(), b.getLong());
                    sockaddr_in6.sin6_scope_id(sa, v6.getScopeId());
                } else if (address instanceof Inet4Address v4) {
                    sockaddr_in6.sin6_addr(sa, 0, 0xffff00000000L | Integer.toUnsignedLong(ByteBuffer.wrap(v4.getAddress()).getInt()));
                }
            }
            Libc.check(Sockets.bind(fd, sa, (int) sa.byteSize()), "bind(" + (address == null ? "*" : address.getHostAddress()) + ":" + port + ")");
        }
        return localAddress().getPort();
    }

    /** getsockname(2). */
    public InetSocketAddress localAddress() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(UdpBatch.NAME_STRIDE, 8);
            MemorySegment len = a.allocateFrom(C_INT, (int) UdpBatch.NAME_STRIDE);
            Libc.check(Sockets.getsockname(fd, sa, len), "getsockname");
            byte[] addr;
            int port;
            if (sa.get(ValueLayout.JAVA_SHORT, 0) == Sockets.AF_INET) {
                addr = ByteBuffer.allocate(4).putInt(sockaddr_in.sin_addr(sa)).array();
                port = sockaddr_in.sin_port(sa);
            } else {
                addr = ByteBuffer.allocate(16).putLong(sockaddr_in6.sin6_addr_hi(sa)).putLong(sockaddr_in6.sin6_addr_lo(sa)).array();
                port = sockaddr_in6.sin6_port(sa);
            }
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public void setNonBlocking(boolean on) throws ErrnoException { Libc.setNonBlocking(fd, on); }

    /** SO_MARK (fwmark, needs CAP_NET_ADMIN): policy routing rules match on it. */
    public void setMark(int mark) throws ErrnoException {
        Sockets.setIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_MARK, mark, "SO_MARK, " + Integer.toUnsignedString(mark));
    }

    public int mark() throws ErrnoException { return Sockets.getIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_MARK, "SO_MARK"); }

    /**
     * wireguard-go's buffer sizing: SO_RCVBUF, then SO_RCVBUFFORCE (beyond net.core.rmem_max; needs
     * CAP_NET_ADMIN, failure ignored). The kernel stores twice the value; see {@link #receiveBufferSize}.
     */
    public void setReceiveBufferSize(int bytes) throws ErrnoException {
        Sockets.setIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF, bytes, "SO_RCVBUF, " + bytes);
        try { Sockets.setIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUFFORCE, bytes, "SO_RCVBUFFORCE"); } catch (ErrnoException ignored) { }
    }

    /** As {@link #setReceiveBufferSize}, for SO_SNDBUF/SO_SNDBUFFORCE. */
    public void setSendBufferSize(int bytes) throws ErrnoException {
        Sockets.setIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_SNDBUF, bytes, "SO_SNDBUF, " + bytes);
        try { Sockets.setIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_SNDBUFFORCE, bytes, "SO_SNDBUFFORCE"); } catch (ErrnoException ignored) { }
    }

    public int receiveBufferSize() throws ErrnoException { return Sockets.getIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF, "SO_RCVBUF"); }

    public int sendBufferSize() throws ErrnoException { return Sockets.getIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_SNDBUF, "SO_SNDBUF"); }

    /** UDP_GRO: receives may return several datagrams coalesced, with their segment size in a cmsg. */
    public void setGro(boolean on) throws ErrnoException {
        Sockets.setIntOption(fd, in_h.SOL_UDP, in_h.UDP_GRO, on ? 1 : 0, "UDP_GRO");
    }

    public boolean gro() throws ErrnoException { return Sockets.getIntOption(fd, in_h.SOL_UDP, in_h.UDP_GRO, "UDP_GRO") != 0; }

    /** wireguard-go's GSO probe: getsockopt(UDP_SEGMENT) succeeds where the kernel supports UDP GSO. */
    public boolean gsoSupported() {
        try {
            Sockets.getIntOption(fd, in_h.SOL_UDP, in_h.UDP_SEGMENT, "UDP_SEGMENT");
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /**
     * Receive the local address of each datagram: IP_PKTINFO on IPv4 and dual-stack sockets,
     * IPV6_RECVPKTINFO on IPv6 ones (dual-stack gets both).
     */
    public void setPacketInfo(boolean on) throws ErrnoException {
        int v = on ? 1 : 0;
        if (family != Family.IPV6_ONLY) Sockets.setIntOption(fd, in_h.SOL_IP, in_h.IP_PKTINFO, v, "IP_PKTINFO");
        if (family != Family.IPV4) Sockets.setIntOption(fd, in_h.SOL_IPV6, in_h.IPV6_RECVPKTINFO, v, "IPV6_RECVPKTINFO");
    }

    /** Any other int option; control path. */
    public void setIntOption(int level, int name, int value, String what) throws ErrnoException {
        Sockets.setIntOption(fd, level, name, value, what);
    }

    public int intOption(int level, int name, String what) throws ErrnoException {
        return Sockets.getIntOption(fd, level, name, what);
    }

    // ---- data path: counts or -errno, no allocation ----

    /**
     * sendmmsg(2) of slots {@code from .. from+count-1}: how many messages the kernel took (it may take
     * fewer; send the rest again), or -errno. Each slot's GSO size and source go out as control messages.
     */
    public int send(UdpBatch batch, int from, int count, int flags) {
        for (int i = from; i < from + count; i++) batch.prepareSend(i);
        int n = Sockets.sendmmsg(fd, batch.message(from), count, flags);
        return n >= 0 ? n : -C.errno();
    }

    /**
     * recvmmsg(2) into slots {@code from .. from+max-1}: the number of datagrams (or GRO superpackets)
     * received, or -errno. Lengths, source addresses, GRO sizes and pktinfo are then in the batch.
     * With a blocking socket pass {@link Sockets#MSG_WAITFORONE} to return once anything arrived.
     */
    public int receive(UdpBatch batch, int from, int max, int flags) {
        for (int i = from; i < from + max; i++) batch.prepareReceive(i);
        int n = Sockets.recvmmsg(fd, batch.message(from), max, flags, MemorySegment.NULL);
        if (n < 0) return -C.errno();
        for (int i = from; i < from + n; i++) batch.parseControl(i);
        return n;
    }

    /** sendmsg(2) of one slot: one syscall per datagram (or per GSO superpacket): bytes sent, or -errno. */
    public int sendOne(UdpBatch batch, int i, int flags) {
        batch.prepareSend(i);
        long n = Sockets.sendmsg(fd, batch.message(i), flags);
        return n >= 0 ? (int) n : -C.errno();
    }

    /** recvmsg(2) into one slot: bytes received, or -errno. */
    public int receiveOne(UdpBatch batch, int i, int flags) {
        batch.prepareReceive(i);
        long n = Sockets.recvmsg(fd, batch.message(i), flags);
        if (n < 0) return -C.errno();
        batch.setReceivedLength(i, (int) n);
        batch.parseControl(i);
        return (int) n;
    }

    /** Waits up to {@code timeoutMillis} for a datagram: 1 readable, 0 timeout, -errno. One caller at a time. */
    public int awaitReadable(int timeoutMillis) {
        return readable.await(timeoutMillis);
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
    }

    @Override
    public String toString() {
        return "UdpSocket[" + family + ", fd " + fd + "]";
    }
}
