package dev.jwgd.ip;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 address with a prefix length, e.g. {@code 10.0.0.0/24} or {@code 2001:db8::/32}: an AllowedIPs
 * entry, or an interface Address (which keeps its host bits, so the address is stored as written; {@link #masked()}
 * clears them as the AllowedIPs table does). Immutable. One type for the config parser, UAPI and the AllowedIPs
 * trie, so a prefix crosses from one to the other without conversion.
 */
public final class IpPrefix {
    private final byte[] address;
    private final int cidr;

    private IpPrefix(byte[] address, int cidr) {
        this.address = address;
        this.cidr = cidr;
    }

    /** From 4 or 16 address bytes (copied) and a prefix length of at most 32 or 128. */
    public static IpPrefix of(byte[] address, int cidr) {
        if (address == null) throw new IllegalArgumentException("address is null");
        if (address.length != 4 && address.length != 16)
            throw new IllegalArgumentException("an address is 4 or 16 bytes, not " + address.length);
        if (cidr < 0 || cidr > address.length * 8)
            throw new IllegalArgumentException("prefix length " + cidr + " is out of range 0.." + address.length * 8 + " for IPv" + (address.length == 4 ? 4 : 6));
        return new IpPrefix(address.clone(), cidr);
    }

    /**
     * Parses {@code ADDRESS/CIDR} (the UAPI form, which always has the length); the message of the exception says
     * what is wrong and quotes the input, which is never secret.
     */
    public static IpPrefix parse(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("prefix `" + s + "' has no /length");
        return parse(s.substring(0, slash), s.substring(slash + 1), s);
    }

    /** Parses {@code ADDRESS[/CIDR]}; without a length the prefix is a single host (/32 or /128), as in config files. */
    public static IpPrefix parseOptionalLength(String s) {
        int slash = s.indexOf('/');
        if (slash >= 0) return parse(s.substring(0, slash), s.substring(slash + 1), s);
        byte[] a = IpAddressText.parse(s);
        if (a == null) throw new IllegalArgumentException("`" + s + "' is not an IPv4 or IPv6 address");
        return new IpPrefix(a, a.length * 8);
    }

    private static IpPrefix parse(String addr, String len, String whole) {
        byte[] a = IpAddressText.parse(addr);
        if (a == null) throw new IllegalArgumentException("`" + addr + "' in `" + whole + "' is not an IPv4 or IPv6 address");
        if (len.isEmpty() || len.length() > 3) throw new IllegalArgumentException("prefix length of `" + whole + "' is not a number from 0 to " + a.length * 8);
        int c = 0;
        for (int i = 0; i < len.length(); i++) {
            char ch = len.charAt(i);
            if (ch < '0' || ch > '9') throw new IllegalArgumentException("prefix length of `" + whole + "' is not a number from 0 to " + a.length * 8);
            c = c * 10 + (ch - '0');
        }
        if (c > a.length * 8) throw new IllegalArgumentException("prefix length of `" + whole + "' is not a number from 0 to " + a.length * 8);
        return new IpPrefix(a, c);
    }

    public boolean isV6() {
        return address.length == 16;
    }

    /** A copy of the 4 or 16 address bytes, host bits as given. */
    public byte[] address() {
        return address.clone();
    }

    public int cidr() {
        return cidr;
    }

    /** True when no bit beyond the prefix length is set. */
    public boolean isMasked() {
        return Arrays.equals(address, maskedBytes());
    }

    /** This prefix with the host bits cleared (this object itself when they already are). */
    public IpPrefix masked() {
        byte[] m = maskedBytes();
        return Arrays.equals(m, address) ? this : new IpPrefix(m, cidr);
    }

    private byte[] maskedBytes() {
        return maskedBytes(address, cidr);
    }

    /** A copy of {@code address} with the bits beyond {@code cidr} cleared; rejects bad input clearly. */
    public static byte[] maskedBytes(byte[] address, int cidr) {
        if (address == null) throw new IllegalArgumentException("address is null");
        if (address.length != 4 && address.length != 16)
            throw new IllegalArgumentException("an address is 4 or 16 bytes, not " + address.length);
        if (cidr < 0 || cidr > address.length * 8)
            throw new IllegalArgumentException("prefix length " + cidr + " is out of range 0.." + address.length * 8 + " for IPv" + (address.length == 4 ? 4 : 6));
        byte[] m = address.clone();
        for (int i = 0; i < m.length; i++) {
            int keep = Math.clamp(cidr - 8 * i, 0, 8);
            m[i] &= (byte) (0xff00 >>> keep);
        }
        return m;
    }

    /** {@code 10.0.0.0/24}, {@code 2001:db8::/32}: the form UAPI and {@code wg} use. */
    @Override
    public String toString() {
        return IpAddressText.format(address) + "/" + cidr;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.cidr == cidr && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 131 + cidr;
    }
}
