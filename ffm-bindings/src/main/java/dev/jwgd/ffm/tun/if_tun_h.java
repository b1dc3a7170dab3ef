package dev.jwgd.ffm.tun;

/**
 * Constants of {@code <linux/if_tun.h>}, {@code <linux/virtio_net.h>} and the interface ioctls of
 * {@code <linux/sockios.h>}/{@code <net/if.h>} that a TUN user needs, named as in the headers.
 * The ioctl request numbers come from function-like macros that jextract cannot evaluate; each is
 * computed here by hand with the macro in a comment ({@code _IOW(type,nr,size) = 1<<30 | size<<16 |
 * type<<8 | nr}, {@code _IOR} the same with {@code 2<<30}) and checked against gcc by a test.
 * Values marked "not in the 6.1 headers" come from the current kernel uAPI (linux-ffm.md 1.1).
 */
public final class if_tun_h {
    private if_tun_h() {}

    // ---- TUN ioctls ----
    /** {@code _IOW('T', 202, int)}: create or attach a device; arg = {@code struct ifreq*}. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOW('T', 203, int)}: arg passed BY VALUE (0/1). */
    public static final long TUNSETPERSIST = 0x400454cbL;
    /** {@code _IOW('T', 204, int)}. */
    public static final long TUNSETOWNER = 0x400454ccL;
    /** {@code _IOR('T', 207, unsigned int)}: arg = {@code unsigned int*}. */
    public static final long TUNGETFEATURES = 0x800454cfL;
    /** {@code _IOW('T', 208, unsigned int)}: arg passed BY VALUE (an unsigned long of TUN_F_* bits), not a pointer. */
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code _IOR('T', 210, unsigned int)}: arg = {@code struct ifreq*}, flags written at ifr_flags. */
    public static final long TUNGETIFF = 0x800454d2L;
    /** {@code _IOR('T', 211, int)}. */
    public static final long TUNGETSNDBUF = 0x800454d3L;
    /** {@code _IOW('T', 212, int)}. */
    public static final long TUNSETSNDBUF = 0x400454d4L;
    /** {@code _IOR('T', 215, int)}: arg = {@code int*}. */
    public static final long TUNGETVNETHDRSZ = 0x800454d7L;
    /** {@code _IOW('T', 216, int)}: arg = {@code int*} (a pointer, unlike TUNSETOFFLOAD); below 10 gives EINVAL. */
    public static final long TUNSETVNETHDRSZ = 0x400454d8L;
    /** {@code _IOW('T', 217, int)}: arg = {@code struct ifreq*} with IFF_ATTACH_QUEUE or IFF_DETACH_QUEUE. */
    public static final long TUNSETQUEUE = 0x400454d9L;
    /** {@code _IOW('T', 218, unsigned int)}. */
    public static final long TUNSETIFINDEX = 0x400454daL;
    /** {@code _IOW('T', 220, int)}. */
    public static final long TUNSETVNETLE = 0x400454dcL;
    /** {@code _IOW('T', 226, int)}. */
    public static final long TUNSETCARRIER = 0x400454e2L;
    /** {@code _IO('T', 227)}: returns an fd of the device's network namespace. */
    public static final long TUNGETDEVNETNS = 0x54e3L;

    // ---- TUNSETIFF ifr_flags ----
    public static final short IFF_TUN = 0x0001;
    public static final short IFF_TAP = 0x0002;
    public static final short IFF_NAPI = 0x0010;
    public static final short IFF_NAPI_FRAGS = 0x0020;
    public static final short IFF_NO_CARRIER = 0x0040;
    public static final short IFF_NO_PI = 0x1000;
    public static final short IFF_ONE_QUEUE = 0x2000;
    public static final short IFF_VNET_HDR = 0x4000;
    public static final short IFF_TUN_EXCL = (short) 0x8000;
    public static final short IFF_MULTI_QUEUE = 0x0100;
    public static final short IFF_ATTACH_QUEUE = 0x0200;
    public static final short IFF_DETACH_QUEUE = 0x0400;
    public static final short IFF_PERSIST = 0x0800;
    public static final short IFF_NOFILTER = 0x1000;

    // ---- TUNSETOFFLOAD flags ----
    public static final int TUN_F_CSUM = 0x01;
    public static final int TUN_F_TSO4 = 0x02;
    public static final int TUN_F_TSO6 = 0x04;
    public static final int TUN_F_TSO_ECN = 0x08;
    public static final int TUN_F_UFO = 0x10;
    /** Not in the 6.1 headers (kernel 6.2+): must be set together with USO6 and CSUM. */
    public static final int TUN_F_USO4 = 0x20;
    /** Not in the 6.1 headers (kernel 6.2+). */
    public static final int TUN_F_USO6 = 0x40;

    // ---- struct virtio_net_hdr flags and gso_type ----
    public static final byte VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
    public static final byte VIRTIO_NET_HDR_F_DATA_VALID = 2;
    public static final byte VIRTIO_NET_HDR_F_RSC_INFO = 4;
    public static final byte VIRTIO_NET_HDR_GSO_NONE = 0;
    public static final byte VIRTIO_NET_HDR_GSO_TCPV4 = 1;
    public static final byte VIRTIO_NET_HDR_GSO_UDP = 3;
    public static final byte VIRTIO_NET_HDR_GSO_TCPV6 = 4;
    /** Not in the 6.1 headers. */
    public static final byte VIRTIO_NET_HDR_GSO_UDP_L4 = 5;
    public static final byte VIRTIO_NET_HDR_GSO_ECN = (byte) 0x80;

    // ---- <linux/sockios.h> interface ioctls (on any AF_INET socket) ----
    public static final long SIOCGIFNAME = 0x8910L;
    public static final long SIOCGIFFLAGS = 0x8913L;
    public static final long SIOCSIFFLAGS = 0x8914L;
    public static final long SIOCGIFMTU = 0x8921L;
    public static final long SIOCSIFMTU = 0x8922L;
    public static final long SIOCGIFINDEX = 0x8933L;

    // ---- <net/if.h> ----
    public static final int IFNAMSIZ = 16;
    public static final short IFF_UP = 0x1;
    public static final short IFF_RUNNING = 0x40;
    public static final short IFF_POINTOPOINT = 0x10;
    public static final short IFF_NOARP = 0x80;

    /** The /dev node every TUN device is opened through. */
    public static final String TUN_DEVICE_PATH = "/dev/net/tun";
}
