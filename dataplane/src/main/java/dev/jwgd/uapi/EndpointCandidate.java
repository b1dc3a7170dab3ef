package dev.jwgd.uapi;

import dev.jwgd.ip.IpAddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One address a peer may be reached at: a literal IP with a port, or a DNS name with a port that the daemon resolves
 * when the configuration is applied and again while handshakes keep failing. A peer has one or more of them; the
 * daemon tries them in turn and {@code get} reports the one in use.
 *
 * <p>Text forms: {@code 192.0.2.1:51820}, {@code [2001:db8::1]:51820}, {@code host.example:51820}. A literal may carry
 * a host prefix ({@code 192.0.2.1/32:51820}, {@code [2001:db8::1/128]:51820} or {@code [2001:db8::1]/128:51820}),
 * which is tolerated and dropped; any other prefix length is an error.
 *
 * @param host    the canonical text of a literal address, or a lower-cased DNS name
 * @param literal the 4 or 16 address bytes when {@code host} is a literal, else {@code null}
 * @param port    0 to 65535
 */
public record EndpointCandidate(String host, byte[] literal, int port) {
    public EndpointCandidate {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is out of range");
        if (literal != null) literal = literal.clone();
    }

    /** A literal endpoint from a resolved address. */
    public static EndpointCandidate of(InetSocketAddress a) {
        if (a.isUnresolved()) return new EndpointCandidate(a.getHostString().toLowerCase(java.util.Locale.ROOT), null, a.getPort());
        byte[] b = a.getAddress().getAddress();
        return new EndpointCandidate(IpAddressText.format(b), b, a.getPort());
    }

    /**
     * Parses {@code host:port} or {@code [v6]:port}. With {@code allowNames} false only literal addresses are
     * accepted (the UAPI {@code endpoint} key, which {@code wg} resolves before sending).
     */
    public static EndpointCandidate parse(String s, boolean allowNames) {
        String hostPart, portPart;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("endpoint `" + s + "' has no matching ]");
            hostPart = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.startsWith("/128:")) rest = rest.substring(4);
            if (!rest.startsWith(":") || rest.length() == 1) throw new IllegalArgumentException("endpoint `" + s + "' has no port");
            portPart = rest.substring(1);
            if (hostPart.endsWith("/128")) hostPart = hostPart.substring(0, hostPart.length() - 4);
            if (IpAddressText.parseV6(hostPart) == null)
                throw new IllegalArgumentException("endpoint `" + s + "': `" + hostPart + "' is not an IPv6 address");
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0 || colon == s.length() - 1) throw new IllegalArgumentException("endpoint `" + s + "' has no port");
            hostPart = s.substring(0, colon);
            portPart = s.substring(colon + 1);
            if (hostPart.indexOf(':') >= 0)
                throw new IllegalArgumentException("endpoint `" + s + "': an IPv6 address needs brackets, as in [2001:db8::1]:51820");
            int slash = hostPart.indexOf('/');
            if (slash >= 0) {
                String len = hostPart.substring(slash + 1);
                hostPart = hostPart.substring(0, slash);
                if (!len.equals("32") || IpAddressText.parseV4(hostPart) == null)
                    throw new IllegalArgumentException("endpoint `" + s + "': only a single-host prefix (/32 for IPv4, /128 for IPv6) is allowed");
            }
        }
        int port = parsePort(portPart, s);
        byte[] lit = IpAddressText.parse(hostPart);
        if (lit != null) return new EndpointCandidate(IpAddressText.format(lit), lit, port);
        if (!allowNames) throw new IllegalArgumentException("endpoint `" + s + "' is not an IP address and port");
        if (!isHostName(hostPart)) throw new IllegalArgumentException("endpoint `" + s + "': `" + hostPart + "' is neither an IP address nor a host name");
        return new EndpointCandidate(hostPart.toLowerCase(java.util.Locale.ROOT), null, port);
    }

    private static int parsePort(String p, String whole) {
        if (p.isEmpty() || p.length() > 5) throw new IllegalArgumentException("endpoint `" + whole + "': port is not a number from 0 to 65535");
        int v = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException("endpoint `" + whole + "': port is not a number from 0 to 65535");
            v = v * 10 + (c - '0');
        }
        if (v > 65535) throw new IllegalArgumentException("endpoint `" + whole + "': port is not a number from 0 to 65535");
        return v;
    }

    /** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 253 characters at most. */
    static boolean isHostName(String h) {
        if (h.isEmpty() || h.length() > 253) return false;
        String name = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (name.isEmpty()) return false;
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) return false;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) return false;
            }
        }
        return true;
    }

    public boolean isLiteral() {
        return literal != null;
    }

    @Override
    public byte[] literal() {
        return literal == null ? null : literal.clone();
    }

    /** The socket address of a literal endpoint (no name lookup). */
    public InetSocketAddress toSocketAddress() {
        if (literal == null) throw new IllegalStateException("endpoint " + this + " is a name; resolve it first");
        try {
            return new InetSocketAddress(InetAddress.getByAddress(literal), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code 192.0.2.1:51820}, {@code [2001:db8::1]:51820} or {@code name:51820}. */
    @Override
    public String toString() {
        return (literal != null && literal.length == 16 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndpointCandidate e && e.host.equals(host) && e.port == port && Arrays.equals(e.literal, literal);
    }

    @Override
    public int hashCode() {
        return host.hashCode() * 31 + port;
    }
}
