/**
 * UDP sockets through Panama FFM (linux-ffm.md 2): IP and UDP constants ({@link dev.jwgd.ffm.udp.in_h}),
 * the socket structs in jextract's shape ({@code sockaddr_in}, {@code sockaddr_in6}, {@code iovec},
 * {@code msghdr}, {@code mmsghdr}, {@code cmsghdr}, {@code in_pktinfo}, {@code in6_pktinfo}; checked against
 * gcc by {@code UdpLayoutsTest}), {@link dev.jwgd.ffm.udp.UdpSocket} (IPv4, IPv6, dual-stack; options) and
 * {@link dev.jwgd.ffm.udp.UdpBatch}, the preallocated slots that sendmmsg/recvmmsg, UDP GSO/GRO and
 * pktinfo work through without allocating.
 */
package dev.jwgd.ffm.udp;
