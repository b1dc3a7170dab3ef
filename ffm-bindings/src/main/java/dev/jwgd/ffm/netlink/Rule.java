package dev.jwgd.ffm.netlink;

/**
 * A policy-routing rule for {@link Rtnetlink#addRule} and {@link Rtnetlink#removeRule}: "look up
 * {@code table}" for packets that match, as {@code ip rule} makes them. wg-quick's full-tunnel setup is
 * two of them per family: {@link #notFwmark} sends everything without the tunnel's mark to the tunnel's
 * table, and {@link #suppressDefaultOfMain} lets the main table decide except for its default route.
 *
 * @param ipv6                 the family: IPv6 rules, else IPv4
 * @param priority             the rule's preference, or -1 to let the kernel choose
 * @param table                the table to look up
 * @param fwmark               match packets with this mark (0 = any)
 * @param invert               match what the selector does not ("not fwmark ...")
 * @param suppressPrefixLength ignore routes of this prefix length or shorter found by the lookup, or -1
 */
public record Rule(boolean ipv6, int priority, int table, int fwmark, boolean invert, int suppressPrefixLength) {

    /** {@code ip rule add not fwmark MARK table TABLE}. */
    public static Rule notFwmark(boolean ipv6, int mark, int table) {
        return new Rule(ipv6, -1, table, mark, true, -1);
    }

    /** {@code ip rule add table main suppress_prefixlength 0}. */
    public static Rule suppressDefaultOfMain(boolean ipv6) {
        return new Rule(ipv6, -1, rtnetlink_h.RT_TABLE_MAIN, 0, false, 0);
    }

    public Rule withPriority(int newPriority) {
        return new Rule(ipv6, newPriority, table, fwmark, invert, suppressPrefixLength);
    }

    @Override
    public String toString() {
        return (ipv6 ? "-6 " : "-4 ") + (priority >= 0 ? "pref " + priority + " " : "") + (invert ? "not " : "")
                + (fwmark != 0 ? "fwmark 0x" + Integer.toHexString(fwmark) + " " : "") + "table " + Integer.toUnsignedString(table)
                + (suppressPrefixLength >= 0 ? " suppress_prefixlength " + suppressPrefixLength : "");
    }
}
