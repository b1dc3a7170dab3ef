package dev.jwgd.ffm.netlink;

/**
 * A network link as rtnetlink reports it.
 *
 * @param index the ifindex
 * @param name  the interface name
 * @param flags the {@code IFF_*} flags ({@link rtnetlink_h#IFF_UP}, ...)
 * @param mtu   the MTU, or -1 if the kernel did not report one
 */
public record Link(int index, String name, int flags, int mtu) {
    /** Whether the link is administratively up. */
    public boolean isUp() {
        return (flags & rtnetlink_h.IFF_UP) != 0;
    }
}
