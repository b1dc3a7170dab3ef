/**
 * rtnetlink through Panama FFM: constants of {@code <linux/netlink.h>}, {@code <linux/rtnetlink.h>} and
 * {@code <linux/fib_rules.h>} ({@link dev.jwgd.ffm.netlink.netlink_h}, {@link dev.jwgd.ffm.netlink.rtnetlink_h},
 * {@link dev.jwgd.ffm.netlink.fib_rules_h}), one class per kernel struct in jextract's shape (checked
 * against gcc by {@code NetlinkLayoutTest}), and {@link dev.jwgd.ffm.netlink.Rtnetlink}, which configures
 * links, addresses, routes and rules the way {@code ip} does.
 */
package dev.jwgd.ffm.netlink;
