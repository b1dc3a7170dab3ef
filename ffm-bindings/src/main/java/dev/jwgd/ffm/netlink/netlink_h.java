package dev.jwgd.ffm.netlink;

/**
 * Constants and alignment macros of {@code <linux/netlink.h>}, named as in the header. The function-like
 * macros ({@code NLMSG_ALIGN}, {@code NLMSG_LENGTH}, {@code NLMSG_SPACE}) are static methods that compute
 * what the C macros compute; {@code NetlinkLayoutTest} checks both against gcc.
 */
public final class netlink_h {
    private netlink_h() {}

    public static final int NETLINK_ROUTE = 0;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NETLINK_GET_STRICT_CHK = 12;

    // nlmsg_type
    public static final int NLMSG_NOOP = 0x1;
    public static final int NLMSG_ERROR = 0x2;
    public static final int NLMSG_DONE = 0x3;
    public static final int NLMSG_OVERRUN = 0x4;

    // nlmsg_flags
    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;

    // enum nlmsgerr_attrs
    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;

    public static final int NLMSG_ALIGNTO = 4;
    public static final int NLMSG_HDRLEN = 16;   // NLMSG_ALIGN(sizeof(struct nlmsghdr))

    /** {@code NLMSG_ALIGN(len)}: rounds up to a multiple of {@link #NLMSG_ALIGNTO}. */
    public static int NLMSG_ALIGN(int len) {
        return (len + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
    }

    /** {@code NLMSG_LENGTH(len)}: header plus {@code len} payload bytes, unpadded. */
    public static int NLMSG_LENGTH(int len) {
        return len + NLMSG_HDRLEN;
    }

    /** {@code NLMSG_SPACE(len)}: header plus {@code len} payload bytes, padded. */
    public static int NLMSG_SPACE(int len) {
        return NLMSG_ALIGN(NLMSG_LENGTH(len));
    }
}
