package dev.jwgd.cli;

import dev.jwgd.config.ConfigException;
import dev.jwgd.config.ConfigParser;
import dev.jwgd.config.WgConfig;
import dev.jwgd.daemon.DaemonMain;
import dev.jwgd.daemon.Detacher;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.netlink.Link;
import dev.jwgd.ffm.netlink.Route;
import dev.jwgd.ffm.netlink.Rule;
import dev.jwgd.ffm.netlink.Rtnetlink;
import dev.jwgd.ip.IpPrefix;
import dev.jwgd.uapi.SetOperation;
import dev.jwgd.uapi.SetRequest;
import dev.jwgd.uapi.UapiClient;
import dev.jwgd.uapi.UapiServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jwgd up FILE|NAME}: what {@code wg-quick up} does, without wg-quick. Parses the whole
 * wg-quick style config first (an error names the file and line, and nothing is applied), starts
 * the daemon for the interface (named after the file, {@code NAME} meaning
 * {@code /etc/wireguard/NAME.conf}), applies the WireGuard part through the UAPI socket, then sets
 * the addresses, the MTU, the link up and a route for every peer's AllowedIPs through rtnetlink.
 * If any step fails, the interface is deleted again.
 *
 * <p>A default route (/0) gets wg-quick's policy routing: the interface's fwmark (FwMark, or the
 * first table from 51820 with no routes) marks the tunnel's own UDP, the /0 route goes into that
 * table, and two rules per family send everything unmarked there while the main table keeps its
 * more specific routes ({@code not fwmark M table M}, {@code table main suppress_prefixlength 0}).
 * wg-quick's nftables (or iptables) rules come with it ({@link DefaultRouteFirewall}); {@code jwgd
 * down} removes rules and tables. {@code DNS} goes to {@code resolvconf} as wg-quick sends it
 * ({@link Resolvconf}). {@code PreUp}/{@code PostUp} run through {@code bash -c} with {@code %i}
 * replaced.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Bring up an interface from a wg-quick style config (FILE, or NAME for /etc/wireguard/NAME.conf).")
public final class UpCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|NAME")
    String target;

    Resolvconf resolvconf = Resolvconf.system();
    DefaultRouteFirewall firewall = DefaultRouteFirewall.system();

    /** FILE as given, or /etc/wireguard/NAME.conf. */
    static Path configPath(String target) {
        if (target.contains("/") || target.endsWith(".conf")) return Path.of(target);
        return Path.of("/etc/wireguard", target + ".conf");
    }

    /** wg-quick's rule: the interface is the file name without {@code .conf}. */
    static String interfaceName(Path config) {
        String f = config.getFileName().toString();
        return f.endsWith(".conf") ? f.substring(0, f.length() - 5) : f;
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        Path file = configPath(target);
        String iface = interfaceName(file);
        try {
            UapiServer.checkInterfaceName(iface);
        } catch (IllegalArgumentException e) {
            return fail(err, "up: " + file + ": " + e.getMessage());
        }
        WgConfig config;
        try {
            config = ConfigParser.parse(file);
        } catch (ConfigException e) {
            return fail(err, e.getMessage());
        }
        for (String w : config.warnings()) err.println("jwgd: warning: " + w);
        if (Files.exists(Path.of("/sys/class/net", iface))) return fail(err, "up: `" + iface + "' already exists");
        WgConfig.Interface ifc = config.iface();
        if (!runHooks(ifc.preUp(), iface, err)) return fail(err, "up: a PreUp command failed");

        int started = Detacher.launch(DaemonMain.class.getName(), List.of("-f", iface), System.err);
        if (started != 0) return fail(err, "up: the daemon for " + iface + " did not start");
        try {
            Path socket = UapiClient.socketPath(UapiServer.DEFAULT_DIRECTORY, iface);
            int errno = UapiClient.set(socket, config.toSetRequest(false));
            if (errno != 0) throw new IOException("the interface refused the configuration (errno " + errno + ")");
            try (Rtnetlink nl = Rtnetlink.open()) {
                Link link = nl.link(iface);
                for (IpPrefix a : ifc.addresses()) nl.addAddress(link.index(), InetAddress.getByAddress(a.address()), a.cidr());
                if (ifc.mtu() != null) nl.setMtu(link.index(), ifc.mtu());
                nl.setUp(link.index(), true);
                if (!ifc.dns().isEmpty()) resolvconf.set(iface, ifc.dns());
                addRoutes(nl, link.index(), iface, config, socket);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(iface);
            if (!ifc.dns().isEmpty()) resolvconf.unset(iface);
            firewall.remove(iface);
            return fail(err, "up: " + iface + ": " + e.getMessage());
        }
        if (!runHooks(ifc.postUp(), iface, err)) {
            deleteQuietly(iface);
            if (!ifc.dns().isEmpty()) resolvconf.unset(iface);
            firewall.remove(iface);
            return fail(err, "up: a PostUp command failed");
        }
        err.flush();
        return 0;
    }

    /** wg-quick's first table for a default route; also the fwmark it sets. */
    static final int DEFAULT_TABLE = 51820;

    private void addRoutes(Rtnetlink nl, int index, String iface, WgConfig config, Path socket) throws IOException {
        String table = config.iface().table();
        if ("off".equals(table)) return;
        boolean auto = table == null || table.equals("auto");
        int tableId = dev.jwgd.ffm.netlink.rtnetlink_h.RT_TABLE_MAIN;
        if (!auto) {
            try {
                tableId = Integer.parseInt(table);
            } catch (NumberFormatException e) {
                throw new IOException("Table = " + table + ": only off, auto or a number is supported");
            }
        }
        Set<IpPrefix> prefixes = new LinkedHashSet<>();
        for (WgConfig.Peer p : config.peers()) {
            for (WgConfig.AllowedIp a : p.allowedIps()) if (!a.remove()) prefixes.add(a.prefix().masked());
        }
        int mark = 0;
        for (IpPrefix p : prefixes) {
            if (p.cidr() == 0 && auto) {
                if (mark == 0) mark = defaultRouteMark(config, socket);
                addDefaultRoute(nl, index, p, mark);
                firewall.add(iface, p.isV6(), config.iface().addresses(), mark);
                continue;
            }
            addRouteIfAbsent(nl, Route.viaDevice(InetAddress.getByAddress(p.address()), p.cidr(), index).inTable(tableId));
        }
    }

    /** The interface's FwMark, or the first table from 51820 that has no routes, set as its fwmark. */
    private static int defaultRouteMark(WgConfig config, Path socket) throws IOException {
        Long configured = config.iface().fwmark();
        if (configured != null && configured != 0) return (int) (long) configured;
        int table = DEFAULT_TABLE;
        while (tableHasRoutes(table)) table++;
        int errno = UapiClient.set(socket, SetRequest.of(new SetOperation.SetFwmark(table)));
        if (errno != 0) throw new IOException("setting fwmark " + table + " failed (errno " + errno + ")");
        return table;
    }

    private static void addDefaultRoute(Rtnetlink nl, int index, IpPrefix p, int mark) throws IOException {
        boolean v6 = p.isV6();
        addRouteIfAbsent(nl, Route.viaDevice(InetAddress.getByAddress(p.address()), 0, index).inTable(mark));
        nl.addRule(Rule.notFwmark(v6, mark, mark));
        nl.addRule(Rule.suppressDefaultOfMain(v6));
        // Replies to the tunnel's marked packets must pass reverse-path filtering, as wg-quick arranges.
        if (!v6) Files.writeString(Path.of("/proc/sys/net/ipv4/conf/all/src_valid_mark"), "1");
    }

    /**
     * Removes what {@link #addDefaultRoute} added for {@code mark}: per family, the fwmark rule and, only
     * where that rule was there, one suppress_prefixlength rule (so one that someone else added stays).
     */
    static void removeDefaultRouteRules(Rtnetlink nl, int mark) {
        for (boolean v6 : new boolean[] {false, true}) {
            try {
                nl.removeRule(Rule.notFwmark(v6, mark, mark));
            } catch (ErrnoException e) {
                continue; // this family had no default route through the tunnel
            }
            try {
                nl.removeRule(Rule.suppressDefaultOfMain(v6));
            } catch (ErrnoException e) {
                // already removed by hand
            }
        }
    }

    private static void addRouteIfAbsent(Rtnetlink nl, Route route) throws ErrnoException {
        try {
            nl.addRoute(route);
        } catch (ErrnoException e) {
            if (e.errno() != dev.jwgd.ffm.Errno.EEXIST) throw e;
        }
    }

    private static boolean tableHasRoutes(int table) {
        for (String family : new String[] {"-4", "-6"}) {
            try {
                Process p = new ProcessBuilder("ip", family, "route", "show", "table", Integer.toString(table))
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (p.waitFor() == 0 && !out.isEmpty()) return true;
            } catch (IOException e) {
                return false; // no iproute2: take the table
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    static boolean runHooks(List<String> commands, String iface, java.io.PrintWriter err) {
        for (String c : commands) {
            try {
                Process p = new ProcessBuilder("bash", "-c", c.replace("%i", iface)).inheritIO().start();
                if (p.waitFor() != 0) return false;
            } catch (IOException e) {
                err.println("jwgd: " + e.getMessage());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static void deleteQuietly(String iface) {
        try (Rtnetlink nl = Rtnetlink.open()) {
            nl.deleteLink(nl.link(iface).index());
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }

    private static int fail(java.io.PrintWriter err, String message) {
        err.println("jwgd: " + message);
        err.flush();
        return 1;
    }
}
