package dev.jwgd.ffm.netlink;

/**
 * Constants of {@code <linux/rtnetlink.h>}, {@code <linux/if_link.h>}, {@code <linux/if_addr.h>} and
 * {@code <linux/if.h>} used for links, addresses and routes, named as in the headers, plus the
 * {@code RTA_*} alignment macros as static methods. {@code NetlinkLayoutTest} checks them against gcc.
 */
public final class rtnetlink_h {
    private rtnetlink_h() {}

    // message types
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_SETLINK = 19;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWRULE = 32;
    public static final int RTM_DELRULE = 33;

    // IFLA_* link attributes
    public static final int IFLA_UNSPEC = 0;
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_TXQLEN = 13;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_PID = 19;
    public static final int IFLA_NET_NS_FD = 28;
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    /** veth's IFLA_INFO_DATA carries the peer as a nested ifinfomsg + attributes ({@code <linux/veth.h>}). */
    public static final int VETH_INFO_PEER = 1;

    // IFA_* address attributes and flags
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_PERMANENT = 0x80;
    public static final int IFA_F_NOPREFIXROUTE = 0x200;

    // RTA_* route attributes
    public static final int RTA_DST = 1;
    public static final int RTA_SRC = 2;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_TABLE = 15;

    // routing tables, protocols, scopes, types
    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    public static final int RTN_UNICAST = 1;

    // <linux/if.h> net_device flags
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_POINTOPOINT = 0x10;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_NOARP = 0x80;
    public static final int IFNAMSIZ = 16;

    public static final int RTA_ALIGNTO = 4;

    /** {@code RTA_ALIGN(len)}: rounds up to a multiple of {@link #RTA_ALIGNTO}. */
    public static int RTA_ALIGN(int len) {
        return (len + RTA_ALIGNTO - 1) & ~(RTA_ALIGNTO - 1);
    }

    /** {@code RTA_LENGTH(len)}: attribute header plus {@code len} payload bytes, unpadded. */
    public static int RTA_LENGTH(int len) {
        return RTA_ALIGN(4) + len;
    }

    /** {@code RTA_SPACE(len)}: attribute header plus {@code len} payload bytes, padded. */
    public static int RTA_SPACE(int len) {
        return RTA_ALIGN(RTA_LENGTH(len));
    }
}
