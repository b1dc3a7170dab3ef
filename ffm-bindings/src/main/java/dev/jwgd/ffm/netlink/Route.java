package dev.jwgd.ffm.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A unicast route for {@link Rtnetlink#addRoute} and {@link Rtnetlink#removeRoute}: destination prefix,
 * the output link, an optional gateway, the routing table and the metric. The address family is the
 * destination's.
 *
 * @param destination     the network (host bits are the caller's business; the kernel rejects set ones)
 * @param prefixLength    0..32 or 0..128; 0 is a default route
 * @param outputInterface the ifindex, or 0 for none (a gateway route then picks the link)
 * @param gateway         the next hop, or null for a device route
 * @param table           the table id ({@link rtnetlink_h#RT_TABLE_MAIN} = 254); ids above 255 work
 * @param metric          the priority ({@code RTA_PRIORITY}); lower wins
 */
public record Route(InetAddress destination, int prefixLength, int outputInterface, InetAddress gateway, int table, int metric) {
    public Route {
        if (destination == null) throw new IllegalArgumentException("route destination is null");
        if (gateway != null && (gateway instanceof Inet4Address) != (destination instanceof Inet4Address)) {
            throw new IllegalArgumentException("gateway " + gateway.getHostAddress() + " is not in the family of " + destination.getHostAddress());
        }
    }

    /** A device route in the main table with metric 0. */
    public static Route viaDevice(InetAddress destination, int prefixLength, int outputInterface) {
        return new Route(destination, prefixLength, outputInterface, null, rtnetlink_h.RT_TABLE_MAIN, 0);
    }

    public Route inTable(int newTable) {
        return new Route(destination, prefixLength, outputInterface, gateway, newTable, metric);
    }

    public Route withMetric(int newMetric) {
        return new Route(destination, prefixLength, outputInterface, gateway, table, newMetric);
    }

    public Route via(InetAddress newGateway) {
        return new Route(destination, prefixLength, outputInterface, newGateway, table, metric);
    }

    boolean isIpv4() {
        return destination instanceof Inet4Address;
    }

    @Override
    public String toString() {
        return destination.getHostAddress() + "/" + prefixLength
                + (gateway != null ? " via " + gateway.getHostAddress() : "")
                + (outputInterface != 0 ? " dev " + outputInterface : "")
                + " table " + Integer.toUnsignedString(table) + " metric " + Integer.toUnsignedString(metric);
    }
}
