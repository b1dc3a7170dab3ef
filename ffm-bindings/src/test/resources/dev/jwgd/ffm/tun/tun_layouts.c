/* Prints "name value" for every TUN struct field and constant the Java bindings in
 * dev.jwgd.ffm.tun define; TunLayoutsTest compares them. Constants newer than the installed
 * headers (linux-libc-dev 6.1) get the current uAPI value here, marked in the Java source. */
#include <stddef.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5
#endif

#define P(name, v) printf("%s %lld\n", name, (long long)(v))
#define C(x) P(#x, x)
#define SZ(s) P("sizeof." #s, sizeof(struct s))
#define AL(s) P("alignof." #s, _Alignof(struct s))
#define OFF(s, f) P(#s "." #f, offsetof(struct s, f))

int main(void) {
	SZ(ifreq); AL(ifreq);
	OFF(ifreq, ifr_name); OFF(ifreq, ifr_ifru); OFF(ifreq, ifr_flags); OFF(ifreq, ifr_ifindex);
	OFF(ifreq, ifr_mtu); OFF(ifreq, ifr_data); OFF(ifreq, ifr_newname);
	SZ(virtio_net_hdr); AL(virtio_net_hdr);
	OFF(virtio_net_hdr, flags); OFF(virtio_net_hdr, gso_type); OFF(virtio_net_hdr, hdr_len);
	OFF(virtio_net_hdr, gso_size); OFF(virtio_net_hdr, csum_start); OFF(virtio_net_hdr, csum_offset);

	C(TUNSETIFF); C(TUNSETPERSIST); C(TUNSETOWNER); C(TUNGETFEATURES); C(TUNSETOFFLOAD); C(TUNGETIFF);
	C(TUNGETSNDBUF); C(TUNSETSNDBUF); C(TUNGETVNETHDRSZ); C(TUNSETVNETHDRSZ); C(TUNSETQUEUE);
	C(TUNSETIFINDEX); C(TUNSETVNETLE); C(TUNSETCARRIER); C(TUNGETDEVNETNS);
	C(IFF_TUN); C(IFF_TAP); C(IFF_NAPI); C(IFF_NAPI_FRAGS); C(IFF_NO_CARRIER); C(IFF_NO_PI);
	C(IFF_ONE_QUEUE); C(IFF_VNET_HDR); C(IFF_TUN_EXCL); C(IFF_MULTI_QUEUE); C(IFF_ATTACH_QUEUE);
	C(IFF_DETACH_QUEUE); C(IFF_PERSIST); C(IFF_NOFILTER);
	C(TUN_F_CSUM); C(TUN_F_TSO4); C(TUN_F_TSO6); C(TUN_F_TSO_ECN); C(TUN_F_UFO); C(TUN_F_USO4); C(TUN_F_USO6);
	C(VIRTIO_NET_HDR_F_NEEDS_CSUM); C(VIRTIO_NET_HDR_F_DATA_VALID); C(VIRTIO_NET_HDR_F_RSC_INFO);
	C(VIRTIO_NET_HDR_GSO_NONE); C(VIRTIO_NET_HDR_GSO_TCPV4); C(VIRTIO_NET_HDR_GSO_UDP);
	C(VIRTIO_NET_HDR_GSO_TCPV6); C(VIRTIO_NET_HDR_GSO_UDP_L4); C(VIRTIO_NET_HDR_GSO_ECN);
	C(SIOCGIFNAME); C(SIOCGIFFLAGS); C(SIOCSIFFLAGS); C(SIOCGIFMTU); C(SIOCSIFMTU); C(SIOCGIFINDEX);
	C(IFNAMSIZ); C(IFF_UP); C(IFF_RUNNING); C(IFF_POINTOPOINT); C(IFF_NOARP);
	return 0;
}
