/* Prints "name value" for every UDP/socket struct field and constant the Java bindings in
 * dev.jwgd.ffm.udp (and the socket constants of dev.jwgd.ffm.libc.Sockets) define;
 * UdpLayoutsTest compares them. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#define P(name, v) printf("%s %lld\n", name, (long long)(v))
#define C(x) P(#x, x)
#define SZ(s) P("sizeof." #s, sizeof(struct s))
#define AL(s) P("alignof." #s, _Alignof(struct s))
#define OFF(s, f) P(#s "." #f, offsetof(struct s, f))

int main(void) {
	SZ(sockaddr_in); AL(sockaddr_in);
	OFF(sockaddr_in, sin_family); OFF(sockaddr_in, sin_port); OFF(sockaddr_in, sin_addr); OFF(sockaddr_in, sin_zero);
	SZ(sockaddr_in6); AL(sockaddr_in6);
	OFF(sockaddr_in6, sin6_family); OFF(sockaddr_in6, sin6_port); OFF(sockaddr_in6, sin6_flowinfo);
	OFF(sockaddr_in6, sin6_addr); OFF(sockaddr_in6, sin6_scope_id);
	SZ(iovec); AL(iovec); OFF(iovec, iov_base); OFF(iovec, iov_len);
	SZ(msghdr); AL(msghdr);
	OFF(msghdr, msg_name); OFF(msghdr, msg_namelen); OFF(msghdr, msg_iov); OFF(msghdr, msg_iovlen);
	OFF(msghdr, msg_control); OFF(msghdr, msg_controllen); OFF(msghdr, msg_flags);
	SZ(mmsghdr); AL(mmsghdr); OFF(mmsghdr, msg_hdr); OFF(mmsghdr, msg_len);
	SZ(cmsghdr); AL(cmsghdr); OFF(cmsghdr, cmsg_len); OFF(cmsghdr, cmsg_level); OFF(cmsghdr, cmsg_type);
	SZ(in_pktinfo); AL(in_pktinfo); OFF(in_pktinfo, ipi_ifindex); OFF(in_pktinfo, ipi_spec_dst); OFF(in_pktinfo, ipi_addr);
	SZ(in6_pktinfo); AL(in6_pktinfo); OFF(in6_pktinfo, ipi6_addr); OFF(in6_pktinfo, ipi6_ifindex);

	/* CMSG macros for the payload sizes jwgd uses */
	for (int n = 0; n <= 24; n++) {
		printf("CMSG_LEN.%d %zu\nCMSG_SPACE.%d %zu\n", n, (size_t)CMSG_LEN(n), n, (size_t)CMSG_SPACE(n));
	}
	{
		/* CMSG_DATA offset from the header */
		char buf[64];
		struct cmsghdr *h = (struct cmsghdr *)buf;
		P("CMSG_DATA.offset", (char *)CMSG_DATA(h) - buf);
	}

	/* <netinet/in.h>, <netinet/udp.h> */
	C(IPPROTO_IP); C(IPPROTO_ICMP); C(IPPROTO_TCP); C(IPPROTO_UDP); C(IPPROTO_IPV6); C(IPPROTO_ICMPV6);
	C(SOL_IP); C(SOL_IPV6); C(SOL_UDP);
	C(IP_TOS); C(IP_TTL); C(IP_PKTINFO); C(IP_MTU_DISCOVER); C(IP_RECVERR); C(IP_FREEBIND);
	C(IP_PMTUDISC_DONT); C(IP_PMTUDISC_WANT); C(IP_PMTUDISC_DO);
	C(IPV6_UNICAST_HOPS); C(IPV6_MTU_DISCOVER); C(IPV6_V6ONLY); C(IPV6_RECVPKTINFO); C(IPV6_PKTINFO);
	C(IPV6_PMTUDISC_DONT);
	C(UDP_SEGMENT); C(UDP_GRO);

	/* <sys/socket.h>, <bits/socket.h>: dev.jwgd.ffm.libc.Sockets */
	C(AF_UNSPEC); C(AF_UNIX); C(AF_INET); C(AF_INET6); C(AF_NETLINK);
	C(SOCK_STREAM); C(SOCK_DGRAM); C(SOCK_RAW); C(SOCK_NONBLOCK); C(SOCK_CLOEXEC);
	C(SOL_SOCKET); C(SO_REUSEADDR); C(SO_SNDBUF); C(SO_RCVBUF); C(SO_SNDBUFFORCE); C(SO_RCVBUFFORCE); C(SO_MARK);
	C(MSG_DONTWAIT); C(MSG_TRUNC); C(MSG_CTRUNC); C(MSG_WAITFORONE);
	return 0;
}
