package dev.jwgd.ffm.netlink;

import static dev.jwgd.ffm.netlink.fib_rules_h.FIB_RULE_INVERT;
import static dev.jwgd.ffm.netlink.fib_rules_h.FRA_FWMARK;
import static dev.jwgd.ffm.netlink.fib_rules_h.FRA_PRIORITY;
import static dev.jwgd.ffm.netlink.fib_rules_h.FRA_SUPPRESS_PREFIXLEN;
import static dev.jwgd.ffm.netlink.fib_rules_h.FRA_TABLE;
import static dev.jwgd.ffm.netlink.fib_rules_h.FR_ACT_TO_TBL;
import static dev.jwgd.ffm.netlink.netlink_h.NETLINK_EXT_ACK;
import static dev.jwgd.ffm.netlink.netlink_h.NETLINK_ROUTE;
import static dev.jwgd.ffm.netlink.netlink_h.NLMSG_HDRLEN;
import static dev.jwgd.ffm.netlink.netlink_h.NLM_F_ACK;
import static dev.jwgd.ffm.netlink.netlink_h.NLM_F_CREATE;
import static dev.jwgd.ffm.netlink.netlink_h.NLM_F_EXCL;
import static dev.jwgd.ffm.netlink.netlink_h.NLM_F_REQUEST;
import static dev.jwgd.ffm.netlink.netlink_h.SOL_NETLINK;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFA_ADDRESS;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFA_F_NODAD;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFA_LOCAL;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFF_UP;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFLA_IFNAME;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFLA_INFO_DATA;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFLA_INFO_KIND;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFLA_LINKINFO;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFLA_MTU;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFLA_NET_NS_FD;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFLA_NET_NS_PID;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFNAMSIZ;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTA_ALIGN;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTA_DST;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTA_GATEWAY;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTA_OIF;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTA_PRIORITY;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTA_TABLE;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTM_DELADDR;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTM_DELLINK;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTM_DELROUTE;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTM_DELRULE;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTM_GETLINK;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTM_NEWADDR;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTM_NEWLINK;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTM_NEWROUTE;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTM_NEWRULE;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTN_UNICAST;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTPROT_BOOT;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RT_SCOPE_LINK;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RT_SCOPE_UNIVERSE;
import static dev.jwgd.ffm.netlink.rtnetlink_h.VETH_INFO_PEER;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jwgd.ffm.C;
import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Libc;
import dev.jwgd.ffm.libc.Sockets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An rtnetlink ({@code NETLINK_ROUTE}) socket that configures links, addresses and routes: the
 * {@code ip link / ip addr / ip route / ip rule} subset jwgd needs for {@code jwgd up}.
 *
 * <p>Every request carries {@code NLM_F_ACK} and a fresh sequence number, and waits for the kernel's
 * {@code NLMSG_ERROR} answer to that number: an error comes back as an {@link ErrnoException} that
 * names the operation and its arguments, carries the kernel's errno, and (with {@code NETLINK_EXT_ACK})
 * the kernel's own explanation. Requests are built in one reusable off-heap buffer.
 *
 * <p>The socket acts in the network namespace it was created in, whichever thread uses it later
 * (linux-ffm.md §5): to configure namespace B, open it on a thread that has entered B, then use it from
 * anywhere. Methods are synchronized, so one instance may be shared by threads.
 */
public final class Rtnetlink implements AutoCloseable {
    private static final int REQUEST_BYTES = 4096;
    private static final int RESPONSE_BYTES = 64 * 1024;   // dumps need 32 KiB or more per recv
    private static final int SO_RCVTIMEO = 20;
    private static final int RECEIVE_TIMEOUT_SECONDS = 10;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment request = arena.allocate(REQUEST_BYTES, 8);
    private final MemorySegment response = arena.allocate(RESPONSE_BYTES, 8);
    private final MemorySegment kernel = sockaddr_nl.allocate(arena);
    private final int fd;
    private int seq;
    private int length;   // bytes of the request built so far
    private boolean closed;

    private Rtnetlink(int fd) {
        this.fd = fd;
        sockaddr_nl.nl_family(kernel, (short) Sockets.AF_NETLINK);
        this.seq = (int) (System.nanoTime() & 0x3fffffff);
    }

    /** Opens an rtnetlink socket in the calling thread's network namespace. */
    public static Rtnetlink open() throws ErrnoException {
        int fd = Sockets.socket(Sockets.AF_NETLINK, Sockets.SOCK_RAW | Sockets.SOCK_CLOEXEC, NETLINK_ROUTE);
        Libc.check(fd, "socket(AF_NETLINK, NETLINK_ROUTE)");
        Rtnetlink nl = new Rtnetlink(fd);
        try {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment local = sockaddr_nl.allocate(a);
                sockaddr_nl.nl_family(local, (short) Sockets.AF_NETLINK);
                Libc.check(Sockets.bind(fd, local, (int) sockaddr_nl.sizeof()), "bind(AF_NETLINK)");
                MemorySegment tv = a.allocate(16, 8);   // struct timeval: a hung kernel reply must not hang us
                tv.set(C.C_LONG, 0, RECEIVE_TIMEOUT_SECONDS);
                Libc.check(Sockets.setsockopt(fd, Sockets.SOL_SOCKET, SO_RCVTIMEO, tv, 16), "setsockopt(SO_RCVTIMEO)");
            }
            // The kernel's error strings are worth having; older kernels without it still work.
            try {
                Sockets.setIntOption(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            } catch (ErrnoException ignored) {
                // no extended acks: errors still carry errno
            }
            return nl;
        } catch (ErrnoException e) {
            nl.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- links

    /** The link called {@code name}; {@code ENODEV} if there is none. */
    public synchronized Link link(String name) throws ErrnoException {
        begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK);
        ifinfomsg(0, 0, 0);
        attrString(IFLA_IFNAME, checkName(name, "RTM_GETLINK"));
        return single(transact("RTM_GETLINK " + name, true), "RTM_GETLINK " + name);
    }

    /** The link with ifindex {@code index}; {@code ENODEV} if there is none. */
    public synchronized Link link(int index) throws ErrnoException {
        begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK);
        ifinfomsg(index, 0, 0);
        return single(transact("RTM_GETLINK index " + index, true), "RTM_GETLINK index " + index);
    }

    /** Sets the link administratively up or down (only the IFF_UP bit changes). */
    public synchronized void setUp(int index, boolean up) throws ErrnoException {
        begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
        ifinfomsg(index, up ? IFF_UP : 0, IFF_UP);
        transact("RTM_NEWLINK dev " + index + (up ? " up" : " down"), false);
    }

    public synchronized void setMtu(int index, int mtu) throws ErrnoException {
        begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
        ifinfomsg(index, 0, 0);
        attrInt(IFLA_MTU, mtu);
        transact("RTM_NEWLINK dev " + index + " mtu " + Integer.toUnsignedString(mtu), false);
    }

    /**
     * Moves the link into the network namespace open as {@code netnsFd} (e.g. {@code /run/netns/NAME}).
     * Its ifindex may change there; afterwards it is gone from this socket's namespace.
     */
    public synchronized void moveToNamespace(int index, int netnsFd) throws ErrnoException {
        begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
        ifinfomsg(index, 0, 0);
        attrInt(IFLA_NET_NS_FD, netnsFd);
        transact("RTM_NEWLINK dev " + index + " netns fd " + netnsFd, false);
    }

    /** Moves the link into the network namespace of process {@code pid}. */
    public synchronized void moveToNamespaceOfPid(int index, int pid) throws ErrnoException {
        begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
        ifinfomsg(index, 0, 0);
        attrInt(IFLA_NET_NS_PID, pid);
        transact("RTM_NEWLINK dev " + index + " netns pid " + pid, false);
    }

    /** Deletes the link (for a veth, both ends). A TUN is deleted by closing its descriptors instead. */
    public synchronized void deleteLink(int index) throws ErrnoException {
        begin(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK);
        ifinfomsg(index, 0, 0);
        transact("RTM_DELLINK dev " + index, false);
    }

    /** Creates a veth pair {@code name} / {@code peerName} in this namespace and returns the first end. */
    public synchronized Link createVethPair(String name, String peerName) throws ErrnoException {
        String call = "RTM_NEWLINK " + name + " type veth peer " + peerName;
        begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        ifinfomsg(0, 0, 0);
        attrString(IFLA_IFNAME, checkName(name, call));
        int linkinfo = nestStart(IFLA_LINKINFO);
        attrString(IFLA_INFO_KIND, "veth");
        int data = nestStart(IFLA_INFO_DATA);
        int peer = nestStart(VETH_INFO_PEER);
        ifinfomsg(0, 0, 0);   // the peer's own ifinfomsg comes first inside VETH_INFO_PEER
        attrString(IFLA_IFNAME, checkName(peerName, call));
        nestEnd(peer);
        nestEnd(data);
        nestEnd(linkinfo);
        transact(call, false);
        return link(name);
    }

    // ------------------------------------------------------------ addresses

    /**
     * Adds {@code address/prefixLength} to the link ({@code ip addr add}); {@code EEXIST} if it is there.
     * IPv6 addresses skip duplicate address detection (IFA_F_NODAD), so they are usable at once.
     */
    public synchronized void addAddress(int index, InetAddress address, int prefixLength) throws ErrnoException {
        address(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, index, address, prefixLength);
    }

    /** Removes {@code address/prefixLength} from the link; {@code EADDRNOTAVAIL} if it is not there. */
    public synchronized void removeAddress(int index, InetAddress address, int prefixLength) throws ErrnoException {
        address(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, index, address, prefixLength);
    }

    private void address(int type, int flags, int index, InetAddress address, int prefixLength) throws ErrnoException {
        String call = (type == RTM_NEWADDR ? "RTM_NEWADDR " : "RTM_DELADDR ") + address.getHostAddress() + "/" + prefixLength + " dev " + index;
        if (prefixLength < 0 || prefixLength > 255) throw new ErrnoException(call + ": prefix length out of range", Errno.EINVAL);
        byte[] raw = address.getAddress();
        begin(type, flags);
        int at = reserve((int) ifaddrmsg.sizeof());
        request.set(JAVA_BYTE, at + ifaddrmsg.ifa_family$OFFSET, (byte) family(address));
        request.set(JAVA_BYTE, at + ifaddrmsg.ifa_prefixlen$OFFSET, (byte) prefixLength);
        request.set(JAVA_BYTE, at + ifaddrmsg.ifa_flags$OFFSET, (byte) (address instanceof Inet6Address ? IFA_F_NODAD : 0));
        request.set(JAVA_BYTE, at + ifaddrmsg.ifa_scope$OFFSET, (byte) RT_SCOPE_UNIVERSE);
        request.set(JAVA_INT, at + ifaddrmsg.ifa_index$OFFSET, index);
        attrBytes(IFA_LOCAL, raw);
        attrBytes(IFA_ADDRESS, raw);
        transact(call, false);
    }

    // --------------------------------------------------------------- routes

    /** Adds the route ({@code ip route add ... table T metric M}); {@code EEXIST} if it is there. */
    public synchronized void addRoute(Route route) throws ErrnoException {
        route(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, route, "RTM_NEWROUTE " + route);
    }

    /** Removes the route; {@code ESRCH} if there is no such route. */
    public synchronized void removeRoute(Route route) throws ErrnoException {
        route(RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, route, "RTM_DELROUTE " + route);
    }

    private void route(int type, int flags, Route r, String call) throws ErrnoException {
        if (r.prefixLength() < 0 || r.prefixLength() > 255) throw new ErrnoException(call + ": prefix length out of range", Errno.EINVAL);
        boolean add = type == RTM_NEWROUTE;
        begin(type, flags);
        int at = reserve((int) rtmsg.sizeof());
        request.set(JAVA_BYTE, at + rtmsg.rtm_family$OFFSET, (byte) family(r.destination()));
        request.set(JAVA_BYTE, at + rtmsg.rtm_dst_len$OFFSET, (byte) r.prefixLength());
        // rtm_table is a byte: ids above 255 travel in RTA_TABLE only.
        request.set(JAVA_BYTE, at + rtmsg.rtm_table$OFFSET, (byte) (Integer.compareUnsigned(r.table(), 255) <= 0 ? r.table() : 0));
        request.set(JAVA_BYTE, at + rtmsg.rtm_protocol$OFFSET, (byte) (add ? RTPROT_BOOT : 0));
        // Deleting with scope NOWHERE (255) matches a route of any scope, as iproute2 does.
        int scope = !add ? 255 : r.gateway() == null ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        request.set(JAVA_BYTE, at + rtmsg.rtm_scope$OFFSET, (byte) scope);
        request.set(JAVA_BYTE, at + rtmsg.rtm_type$OFFSET, (byte) RTN_UNICAST);
        if (r.prefixLength() > 0) attrBytes(RTA_DST, r.destination().getAddress());
        if (r.outputInterface() != 0) attrInt(RTA_OIF, r.outputInterface());
        if (r.gateway() != null) attrBytes(RTA_GATEWAY, r.gateway().getAddress());
        attrInt(RTA_PRIORITY, r.metric());
        attrInt(RTA_TABLE, r.table());
        transact(call, false);
    }

    // ---------------------------------------------------------------- rules

    /**
     * Adds the policy-routing rule ({@code ip rule add ...}). With a priority, {@code EEXIST} if the same
     * rule is there; without one the kernel gives it a fresh priority, so adding twice makes two rules.
     */
    public synchronized void addRule(Rule rule) throws ErrnoException {
        rule(RTM_NEWRULE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, rule, "RTM_NEWRULE " + rule);
    }

    /** Removes the rule; {@code ENOENT} if there is no such rule. */
    public synchronized void removeRule(Rule rule) throws ErrnoException {
        rule(RTM_DELRULE, NLM_F_REQUEST | NLM_F_ACK, rule, "RTM_DELRULE " + rule);
    }

    private void rule(int type, int flags, Rule r, String call) throws ErrnoException {
        begin(type, flags);
        int at = reserve((int) fib_rule_hdr.sizeof());
        request.set(JAVA_BYTE, at + fib_rule_hdr.family$OFFSET, (byte) (r.ipv6() ? Sockets.AF_INET6 : Sockets.AF_INET));
        request.set(JAVA_BYTE, at + fib_rule_hdr.table$OFFSET, (byte) (Integer.compareUnsigned(r.table(), 255) <= 0 ? r.table() : 0));
        request.set(JAVA_BYTE, at + fib_rule_hdr.action$OFFSET, (byte) FR_ACT_TO_TBL);
        request.set(JAVA_INT, at + fib_rule_hdr.flags$OFFSET, r.invert() ? FIB_RULE_INVERT : 0);
        attrInt(FRA_TABLE, r.table());
        if (r.priority() >= 0) attrInt(FRA_PRIORITY, r.priority());
        if (r.fwmark() != 0) attrInt(FRA_FWMARK, r.fwmark());
        if (r.suppressPrefixLength() >= 0) attrInt(FRA_SUPPRESS_PREFIXLEN, r.suppressPrefixLength());
        transact(call, false);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
        arena.close();
    }

    // ------------------------------------------------------ message building

    private void begin(int type, int flags) throws ErrnoException {
        if (closed) throw new ErrnoException("rtnetlink request on a closed socket", Errno.EBADF);
        request.asSlice(0, NLMSG_HDRLEN).fill((byte) 0);
        request.set(JAVA_SHORT, nlmsghdr.nlmsg_type$OFFSET, (short) type);
        request.set(JAVA_SHORT, nlmsghdr.nlmsg_flags$OFFSET, (short) flags);
        seq = (seq + 1) & 0x7fffffff;
        if (seq == 0) seq = 1;
        request.set(JAVA_INT, nlmsghdr.nlmsg_seq$OFFSET, seq);
        length = NLMSG_HDRLEN;
    }

    /** Reserves {@code n} zeroed bytes (padded to 4) and returns their offset. */
    private int reserve(int n) {
        int at = length;
        int padded = RTA_ALIGN(n);
        if (at + padded > REQUEST_BYTES) throw new IllegalStateException("rtnetlink request larger than " + REQUEST_BYTES + " bytes");
        request.asSlice(at, padded).fill((byte) 0);
        length = at + padded;
        return at;
    }

    private void ifinfomsg(int index, int flags, int change) {
        int at = reserve((int) ifinfomsg.sizeof());
        request.set(JAVA_INT, at + ifinfomsg.ifi_index$OFFSET, index);
        request.set(JAVA_INT, at + ifinfomsg.ifi_flags$OFFSET, flags);
        request.set(JAVA_INT, at + ifinfomsg.ifi_change$OFFSET, change);
    }

    private int attrHeader(int type, int payload) {
        int at = reserve(4 + payload);
        request.set(JAVA_SHORT, at + rtattr.rta_len$OFFSET, (short) (4 + payload));
        request.set(JAVA_SHORT, at + rtattr.rta_type$OFFSET, (short) type);
        return at + 4;
    }

    private void attrInt(int type, int value) {
        request.set(JAVA_INT, attrHeader(type, 4), value);
    }

    private void attrBytes(int type, byte[] value) {
        MemorySegment.copy(value, 0, request, JAVA_BYTE, attrHeader(type, value.length), value.length);
    }

    private void attrString(int type, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(b, 0, request, JAVA_BYTE, attrHeader(type, b.length + 1), b.length);   // NUL from reserve
    }

    private int nestStart(int type) {
        int at = reserve(4);
        request.set(JAVA_SHORT, at + rtattr.rta_type$OFFSET, (short) type);
        return at;
    }

    private void nestEnd(int at) {
        request.set(JAVA_SHORT, at + rtattr.rta_len$OFFSET, (short) (length - at));
    }

    // ------------------------------------------------------------- exchange

    /** Sends the built request and reads until its ack; returns the link replies seen on the way. */
    private List<Link> transact(String call, boolean wantLinks) throws ErrnoException {
        request.set(JAVA_INT, nlmsghdr.nlmsg_len$OFFSET, length);
        long sent = Sockets.sendto(fd, request, length, 0, kernel, (int) sockaddr_nl.sizeof());
        if (sent < 0) throw new ErrnoException(call + ": sendto(NETLINK_ROUTE)", C.errno());
        List<Link> links = wantLinks ? new ArrayList<>(1) : null;
        while (true) {
            long got = Sockets.recvfrom(fd, response, RESPONSE_BYTES, 0, MemorySegment.NULL, MemorySegment.NULL);
            if (got < 0) {
                int err = C.errno();
                if (err == Errno.EINTR) continue;
                throw new ErrnoException(call + ": recv(NETLINK_ROUTE)", err);
            }
            if (NetlinkReply.scan(response, (int) got, seq, call, links)) return links;
        }
    }

    private static Link single(List<Link> links, String call) throws ErrnoException {
        if (links.size() != 1) throw new ErrnoException(call + ": expected one link in the reply, got " + links.size(), NetlinkReply.EPROTO);
        return links.getFirst();
    }

    private static String checkName(String name, String call) throws ErrnoException {
        int n = name.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n >= IFNAMSIZ || name.indexOf('\0') >= 0) {
            throw new ErrnoException(call + ": interface name \"" + name + "\" is empty or longer than " + (IFNAMSIZ - 1) + " bytes", Errno.EINVAL);
        }
        return name;
    }

    private static int family(InetAddress a) {
        return a instanceof Inet4Address ? Sockets.AF_INET : Sockets.AF_INET6;
    }
}
