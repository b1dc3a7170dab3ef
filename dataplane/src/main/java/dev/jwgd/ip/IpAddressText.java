package dev.jwgd.ip;

/**
 * Text forms of IPv4 and IPv6 addresses without any name lookup: parsing is as strict as glibc's
 * {@code inet_pton} (dotted quad without leading zeros; IPv6 with one {@code ::} and an optional
 * trailing dotted quad; no zone), formatting follows RFC 5952 (lowercase, the longest run of two or
 * more zero groups shortened, IPv4-mapped addresses as {@code ::ffff:a.b.c.d}).
 *
 * <p>{@link java.net.InetAddress#getByName} is avoided on purpose: it resolves names, and it turns
 * IPv4-mapped IPv6 addresses into IPv4 ones, which changes the meaning of a {@code /104} prefix.
 */
public final class IpAddressText {
    private IpAddressText() {}

    /** The 4 or 16 address bytes, or {@code null} when {@code s} is not a literal address. */
    public static byte[] parse(String s) {
        if (s.indexOf(':') >= 0) return parseV6(s);
        return parseV4(s);
    }

    /** A dotted quad, or {@code null}. */
    public static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0, i = 0, n = s.length();
        if (n == 0 || n > 15) return null;
        while (true) {
            int start = i, v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) return null;
            }
            int len = i - start;
            if (len == 0 || v > 255 || (len > 1 && s.charAt(start) == '0')) return null;
            out[part++] = (byte) v;
            if (part == 4) return i == n ? out : null;
            if (i >= n || s.charAt(i) != '.') return null;
            i++;
        }
    }

    /** An IPv6 literal without brackets or zone, or {@code null}. */
    public static byte[] parseV6(String s) {
        int n = s.length();
        if (n < 2 || n > 45) return null;
        int[] groups = new int[8];
        int count = 0, gap = -1, i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) return new byte[16];
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            int start = i, v = 0;
            while (i < n && hexValue(s.charAt(i)) >= 0 && i - start < 5) {
                v = (v << 4) | hexValue(s.charAt(i));
                i++;
            }
            int len = i - start;
            if (i < n && s.charAt(i) == '.') {
                // trailing dotted quad takes the last two groups
                if (count > 6) return null;
                byte[] v4 = parseV4(s.substring(start));
                if (v4 == null) return null;
                groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                i = n;
                break;
            }
            if (len == 0 || len > 4 || count == 8) return null;
            groups[count++] = v;
            if (i == n) break;
            if (s.charAt(i) != ':') return null;
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) return null;
                gap = count;
                i++;
                if (i == n) break;
            } else if (i == n) {
                return null; // trailing single colon
            }
        }
        if (gap < 0 && count != 8) return null;
        if (gap >= 0 && count > 7) return null;
        byte[] out = new byte[16];
        int[] full = new int[8];
        if (gap < 0) {
            System.arraycopy(groups, 0, full, 0, 8);
        } else {
            System.arraycopy(groups, 0, full, 0, gap);
            int tail = count - gap;
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        for (int g = 0; g < 8; g++) {
            out[2 * g] = (byte) (full[g] >>> 8);
            out[2 * g + 1] = (byte) full[g];
        }
        return out;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** The canonical text of 4 or 16 address bytes. */
    public static String format(byte[] a) {
        if (a.length == 4) return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        if (a.length != 16) throw new IllegalArgumentException("an address is 4 or 16 bytes, not " + a.length);
        boolean mapped = a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        for (int i = 0; i < 10 && mapped; i++) mapped = a[i] == 0;
        if (mapped) return "::ffff:" + (a[12] & 0xff) + "." + (a[13] & 0xff) + "." + (a[14] & 0xff) + "." + (a[15] & 0xff);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
