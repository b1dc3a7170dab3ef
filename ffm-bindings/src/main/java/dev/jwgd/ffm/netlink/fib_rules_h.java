package dev.jwgd.ffm.netlink;

/**
 * Constants of {@code <linux/fib_rules.h>} used for wg-quick-style policy routing, named as in the header.
 * {@code NetlinkLayoutTest} checks them against gcc.
 */
public final class fib_rules_h {
    private fib_rules_h() {}

    // enum FRA_*: rule attributes
    public static final int FRA_PRIORITY = 6;
    public static final int FRA_FWMARK = 10;
    public static final int FRA_SUPPRESS_PREFIXLEN = 14;
    public static final int FRA_TABLE = 15;
    public static final int FRA_FWMASK = 16;

    // fib_rule_hdr.action
    public static final int FR_ACT_TO_TBL = 1;

    // fib_rule_hdr.flags
    public static final int FIB_RULE_INVERT = 0x00000002;
}
