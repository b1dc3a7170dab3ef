package dev.jwgd.cli;

import dev.jwgd.ip.IpAddressText;
import dev.jwgd.ip.IpPrefix;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The firewall rules wg-quick adds with a default route through the tunnel, per family: drop
 * packets for the interface's own addresses that arrive on another interface from a non-local
 * source (anti-spoofing), and carry the fwmark of the tunnel's UDP in conntrack so replies are
 * marked too. One nftables table {@code wg-quick-IFACE} per family ({@code nft -f}), or the same
 * rules through {@code iptables-restore} where there is no nft, with wg-quick's names and
 * comments, so {@code wg-quick down} and {@code jwgd down} each remove what the other added.
 */
final class DefaultRouteFirewall {
    private final String nft;
    private final String iptablesDir;

    DefaultRouteFirewall(String nft, String iptablesDir) {
        this.nft = nft;
        this.iptablesDir = iptablesDir;
    }

    static DefaultRouteFirewall system() {
        return new DefaultRouteFirewall("nft", null);
    }

    static String table(String iface) {
        return "wg-quick-" + iface;
    }

    /** wg-quick's nft script for one family: the table, three chains, a drop rule per address, two mark rules. */
    static String nftScript(String iface, boolean v6, List<IpPrefix> addresses, int mark) {
        String pf = v6 ? "ip6" : "ip";
        String t = table(iface);
        StringBuilder s = new StringBuilder();
        s.append("add table ").append(pf).append(' ').append(t).append('\n');
        s.append("add chain ").append(pf).append(' ').append(t).append(" preraw { type filter hook prerouting priority -300; }\n");
        s.append("add chain ").append(pf).append(' ').append(t).append(" premangle { type filter hook prerouting priority -150; }\n");
        s.append("add chain ").append(pf).append(' ').append(t).append(" postmangle { type filter hook postrouting priority -150; }\n");
        for (IpPrefix a : addresses) {
            if (a.isV6() != v6) continue;
            s.append("add rule ").append(pf).append(' ').append(t).append(" preraw iifname != \"").append(iface).append("\" ")
                    .append(pf).append(" daddr ").append(IpAddressText.format(a.address())).append(" fib saddr type != local drop\n");
        }
        s.append("add rule ").append(pf).append(' ').append(t).append(" postmangle meta l4proto udp mark ").append(Integer.toUnsignedString(mark))
                .append(" ct mark set mark \n");
        s.append("add rule ").append(pf).append(' ').append(t).append(" premangle meta l4proto udp meta mark set ct mark \n");
        return s.toString();
    }

    /** The same rules for iptables-restore, as wg-quick writes them when there is no nft. */
    static String iptablesScript(String iface, boolean v6, List<IpPrefix> addresses, int mark) {
        String marker = "-m comment --comment \"wg-quick(8) rule for " + iface + "\"";
        StringBuilder s = new StringBuilder("*raw\n");
        for (IpPrefix a : addresses) {
            if (a.isV6() != v6) continue;
            s.append("-I PREROUTING ! -i ").append(iface).append(" -d ").append(IpAddressText.format(a.address()))
                    .append(" -m addrtype ! --src-type LOCAL -j DROP ").append(marker).append('\n');
        }
        s.append("COMMIT\n*mangle\n-I POSTROUTING -m mark --mark ").append(Integer.toUnsignedString(mark))
                .append(" -p udp -j CONNMARK --save-mark ").append(marker).append('\n');
        s.append("-I PREROUTING -p udp -j CONNMARK --restore-mark ").append(marker).append("\nCOMMIT\n");
        return s.toString();
    }

    /** Adds the rules for one family; throws with the tool's complaint, or when neither nft nor iptables exists. */
    void add(String iface, boolean v6, List<IpPrefix> addresses, int mark) throws IOException {
        Result r = run(List.of(nft, "-f", "-"), nftScript(iface, v6, addresses, mark));
        if (r.status == 0) return;
        if (r.status != NOT_FOUND) throw new IOException("nft -f failed (status " + r.status + "): " + r.output);
        Result i = run(List.of(iptables(v6 ? "ip6tables-restore" : "iptables-restore"), "-n"), iptablesScript(iface, v6, addresses, mark));
        if (i.status == NOT_FOUND) {
            throw new IOException("a default route needs nft (Debian: nftables) or iptables for wg-quick's firewall rules; neither can be run");
        }
        if (i.status != 0) throw new IOException("iptables-restore failed (status " + i.status + "): " + i.output);
    }

    /**
     * Removes wg-quick's rules for the interface (nft tables, iptables rules with its comment). Returns
     * what went wrong, for a warning, or null (also when there was nothing to remove or no tool).
     */
    String remove(String iface) {
        String problem = null;
        Result tables = run(List.of(nft, "list", "tables"), null);
        if (tables.status == 0) {
            StringBuilder del = new StringBuilder();
            for (String line : tables.output.split("\n")) {
                line = line.strip();
                if (line.endsWith(" " + table(iface)) && line.startsWith("table ")) del.append("delete ").append(line).append('\n');
            }
            if (!del.isEmpty()) {
                Result r = run(List.of(nft, "-f", "-"), del.toString());
                if (r.status != 0) problem = "nft could not delete " + table(iface) + " (status " + r.status + "): " + r.output;
            }
        } else if (tables.status != NOT_FOUND) {
            problem = "nft list tables failed (status " + tables.status + "): " + tables.output;
        }
        String marker = "-m comment --comment \"wg-quick(8) rule for " + iface + "\"";
        for (String family : new String[] {"iptables", "ip6tables"}) {
            Result saved = run(List.of(iptables(family + "-save")), null);
            if (saved.status != 0) continue;
            StringBuilder restore = new StringBuilder();
            boolean found = false;
            for (String line : saved.output.split("\n")) {
                boolean rule = line.startsWith("-A ") && line.contains(marker);
                if (!(line.startsWith("*") || line.equals("COMMIT") || rule)) continue;
                found |= rule;
                restore.append(rule ? "-D" + line.substring(2) : line).append('\n');
            }
            if (found) {
                Result r = run(List.of(iptables(family + "-restore"), "-n"), restore.toString());
                if (r.status != 0) problem = family + "-restore could not remove the rules (status " + r.status + "): " + r.output;
            }
        }
        return problem;
    }

    private String iptables(String tool) {
        return iptablesDir == null ? tool : iptablesDir + "/" + tool;
    }

    private static final int NOT_FOUND = -1;

    private record Result(int status, String output) {}

    private static Result run(List<String> argv, String input) {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(NOT_FOUND, e.getMessage());
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (input != null) in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readNBytes(1 << 20), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, argv.getFirst() + " did not finish in 10 s");
            }
            return new Result(p.exitValue(), out.strip());
        } catch (IOException e) {
            return new Result(1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(1, "interrupted");
        }
    }
}
