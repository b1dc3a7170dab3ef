package dev.jwgd.pipeline;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A peer's UDP address, IPv4 or IPv6, as primitives so the data path can compare a datagram's
 * source with it without allocating. Immutable: roaming replaces the peer's endpoint object, which
 * happens only when the address really changes.
 *
 * <p>IPv4 addresses sit in the low 32 bits of {@code low} with {@code high == 0}; IPv6 addresses are
 * the two big-endian halves.
 */
public final class Endpoint {
    private final boolean v6;
    private final long high;
    private final long low;
    private final int port;

    private Endpoint(boolean v6, long high, long low, int port) {
        this.v6 = v6;
        this.high = high;
        this.low = low;
        this.port = port & 0xffff;
    }

    public static Endpoint ofV4(int address, int port) {
        return new Endpoint(false, 0, address & 0xffffffffL, port);
    }

    public static Endpoint ofV6(long high, long low, int port) {
        return new Endpoint(true, high, low, port);
    }

    public static Endpoint of(boolean v6, long high, long low, int port) {
        return v6 ? ofV6(high, low, port) : ofV4((int) low, port);
    }

    /** From a resolved socket address; an IPv4-mapped IPv6 address becomes IPv4. */
    public static Endpoint of(InetSocketAddress a) {
        if (a.isUnresolved()) throw new IllegalArgumentException("endpoint " + a.getHostString() + " is not resolved");
        return of(a.getAddress(), a.getPort());
    }

    public static Endpoint of(InetAddress address, int port) {
        byte[] b = address.getAddress();
        if (b.length == 4) return ofV4(beInt(b, 0), port);
        boolean mapped = true;
        for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
        mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        if (mapped) return ofV4(beInt(b, 12), port);
        return ofV6(((long) beInt(b, 0) << 32) | (beInt(b, 4) & 0xffffffffL),
                ((long) beInt(b, 8) << 32) | (beInt(b, 12) & 0xffffffffL), port);
    }

    private static int beInt(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    public boolean isV6() { return v6; }
    public long high() { return high; }
    public long low() { return low; }
    public int port() { return port; }
    /** The IPv4 address as a big-endian int (meaningful only when not v6). */
    public int v4() { return (int) low; }

    /** True when this is the given address; no allocation. */
    public boolean matches(boolean v6, long high, long low, int port) {
        return this.v6 == v6 && this.high == high && this.low == low && this.port == (port & 0xffff);
    }

    public InetAddress address() {
        try {
            if (!v6) {
                int a = (int) low;
                return Inet4Address.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
            }
            byte[] b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (high >>> (56 - 8 * i));
                b[8 + i] = (byte) (low >>> (56 - 8 * i));
            }
            return Inet6Address.getByAddress(null, b, null);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(address(), port);
    }

    /** {@code 192.0.2.1:51820} or {@code [2001:db8::1]:51820}, the form UAPI and {@code wg} print. */
    @Override
    public String toString() {
        String host = address().getHostAddress();
        int pct = host.indexOf('%');
        if (pct >= 0) host = host.substring(0, pct);
        return v6 ? "[" + compressV6(host) + "]:" + port : host + ":" + port;
    }

    private static String compressV6(String full) {
        // Java prints 2001:db8:0:0:0:0:0:1; collapse the longest run of zero groups like inet_ntop.
        String[] g = full.split(":");
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < g.length; ) {
            if (g[i].equals("0")) {
                int j = i;
                while (j < g.length && g[j].equals("0")) j++;
                if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) return full;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bestStart; i++) { if (i > 0) sb.append(':'); sb.append(g[i]); }
        sb.append("::");
        for (int i = bestStart + bestLen; i < g.length; i++) { sb.append(g[i]); if (i < g.length - 1) sb.append(':'); }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && matches(e.v6, e.high, e.low, e.port);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low) * 31 + port + (v6 ? 1 : 0);
    }
}
