package dev.jwgd.ffm.udp;

/**
 * IP-level constants of {@code <netinet/in.h>} / {@code <linux/in.h>} / {@code <linux/in6.h>} and the
 * UDP options of {@code <netinet/udp.h>}, named as in the headers and checked against gcc by a test.
 * Socket-level constants (AF_*, SOCK_*, SOL_SOCKET, SO_*, MSG_*) live in {@link dev.jwgd.ffm.libc.Sockets}.
 */
public final class in_h {
    private in_h() {}

    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ICMPV6 = 58;

    // socket option levels (<bits/socket.h> SOL_IP/SOL_IPV6/SOL_UDP equal the protocol numbers)
    public static final int SOL_IP = 0;
    public static final int SOL_IPV6 = 41;
    public static final int SOL_UDP = 17;

    // SOL_IP options
    public static final int IP_TOS = 1;
    public static final int IP_TTL = 2;
    public static final int IP_PKTINFO = 8;
    public static final int IP_MTU_DISCOVER = 10;
    public static final int IP_RECVERR = 11;
    public static final int IP_FREEBIND = 15;
    public static final int IP_PMTUDISC_DONT = 0;
    public static final int IP_PMTUDISC_WANT = 1;
    public static final int IP_PMTUDISC_DO = 2;

    // SOL_IPV6 options
    public static final int IPV6_UNICAST_HOPS = 16;
    public static final int IPV6_MTU_DISCOVER = 23;
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_RECVPKTINFO = 49;
    public static final int IPV6_PKTINFO = 50;
    public static final int IPV6_PMTUDISC_DONT = 0;

    // SOL_UDP options
    /** Per-socket (int) or per-message (u16 cmsg, {@code cmsg_len} exactly CMSG_LEN(2)) GSO segment size. */
    public static final int UDP_SEGMENT = 103;
    /** Receive coalesced datagrams; the segment size comes back in an int cmsg (cmsg_len 20). */
    public static final int UDP_GRO = 104;
}
