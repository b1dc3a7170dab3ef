package dev.jwgd.allowedips;

import dev.jwgd.ip.IpAddressText;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network prefix as AllowedIPs stores it: the address with every host bit beyond
 * {@code cidr} cleared, in network byte order (4 or 16 bytes). Immutable; the array is copied in and
 * out. {@link #toString()} gives the form {@code wg} prints: {@code 10.0.0.0/24}, {@code fd00::/64}.
 */
public record IpPrefix(byte[] address, int cidr) {

    /** Validates, copies and masks: {@code of(10.0.0.1, 24)} is {@code 10.0.0.0/24}. */
    public IpPrefix {
        address = masked(address, cidr);
    }

    /** The prefix for an address with host bits that are masked away. */
    public static IpPrefix of(byte[] address, int cidr) {
        return new IpPrefix(address, cidr);
    }

    /** True for a 16-byte (IPv6) prefix. */
    public boolean isV6() {
        return address.length == 16;
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.cidr == cidr && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + cidr;
    }

    @Override
    public String toString() {
        return IpAddressText.format(address) + "/" + cidr;
    }

    /** A copy of {@code address} with the bits beyond {@code cidr} cleared; rejects bad input clearly. */
    static byte[] masked(byte[] address, int cidr) {
        if (address == null) throw new IllegalArgumentException("address is null");
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
        }
        int bits = address.length * 8;
        if (cidr < 0 || cidr > bits) {
            throw new IllegalArgumentException("prefix length " + cidr + " is outside 0.." + bits);
        }
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.clamp(cidr - i * 8L, 0, 8);
            out[i] &= (byte) (0xff00 >>> keep);
        }
        return out;
    }
}
