package dev.jwgd.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wg-quick's {@code DNS =} handling: the entries that are IP addresses become {@code nameserver}
 * lines, the others one {@code search} line, handed to {@code resolvconf -a IFACE -m 0 -x} on up
 * and taken back with {@code resolvconf -d IFACE -f} on down. The record name gets the prefix
 * wg-quick takes from {@code /etc/resolvconf/interface-order} (e.g. {@code tun.}), so either tool
 * can remove what the other added.
 */
final class Resolvconf {
    private static final Pattern SERVER = Pattern.compile("^[0-9.]+$");
    private static final Pattern ORDER_PREFIX = Pattern.compile("^([A-Za-z0-9-]+)\\*$");

    private final String command;
    private final Path interfaceOrder;

    Resolvconf(String command, Path interfaceOrder) {
        this.command = command;
        this.interfaceOrder = interfaceOrder;
    }

    /** {@code resolvconf} from PATH, as wg-quick runs it. */
    static Resolvconf system() {
        return new Resolvconf("resolvconf", Path.of("/etc/resolvconf/interface-order"));
    }

    /** What {@code resolvconf -a} reads: nameserver lines, then one search line if there are domains. */
    static String records(List<String> dns) {
        StringBuilder servers = new StringBuilder();
        List<String> search = new ArrayList<>();
        for (String d : dns) {
            if (isServer(d)) servers.append("nameserver ").append(d).append('\n');
            else search.add(d);
        }
        if (!search.isEmpty()) servers.append("search ").append(String.join(" ", search)).append('\n');
        return servers.toString();
    }

    /** wg-quick's test: digits and dots, or any colon, is a server; anything else a search domain. */
    static boolean isServer(String entry) {
        return entry.indexOf(':') >= 0 || SERVER.matcher(entry).matches();
    }

    /** wg-quick's {@code resolvconf_iface_prefix} + the interface. */
    String recordName(String iface) {
        if (Files.isReadable(interfaceOrder)) {
            try {
                for (String line : Files.readAllLines(interfaceOrder)) {
                    Matcher m = ORDER_PREFIX.matcher(line.strip());
                    if (m.matches()) return m.group(1) + "." + iface;
                }
            } catch (IOException e) {
                // unreadable: no prefix, as wg-quick
            }
        }
        return iface;
    }

    /**
     * Adds the interface's DNS configuration; throws with resolvconf's complaint when it fails or is
     * missing. Search domains without any server set nothing, as in wg-quick.
     */
    void set(String iface, List<String> dns) throws IOException {
        if (dns.stream().noneMatch(Resolvconf::isServer)) return;
        run(List.of(command, "-a", recordName(iface), "-m", "0", "-x"), records(dns), true);
    }

    /** Removes it again; quiet when resolvconf is missing or had nothing for this interface. */
    void unset(String iface) {
        try {
            run(List.of(command, "-d", recordName(iface), "-f"), null, false);
        } catch (IOException e) {
            // nothing was set, or no resolvconf: nothing to undo
        }
    }

    private static void run(List<String> argv, String input, boolean mustSucceed) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("DNS needs `" + argv.getFirst() + "' (Debian: openresolv or resolvconf), which cannot be run: " + e.getMessage());
        }
        try (OutputStream in = p.getOutputStream()) {
            if (input != null) in.write(input.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] out = p.getInputStream().readNBytes(4096);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.getFirst());
        }
        if (mustSucceed && p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed (status " + p.exitValue() + "): "
                    + new String(out, StandardCharsets.UTF_8).strip());
        }
    }
}
