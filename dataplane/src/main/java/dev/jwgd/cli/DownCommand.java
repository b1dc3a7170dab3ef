package dev.jwgd.cli;

import dev.jwgd.config.ConfigException;
import dev.jwgd.config.ConfigParser;
import dev.jwgd.config.WgConfig;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.netlink.Rtnetlink;
import dev.jwgd.uapi.UapiClient;
import dev.jwgd.uapi.UapiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jwgd down NAME|FILE}: deletes the interface, which makes its daemon exit and remove its
 * socket (how {@code wg-quick down} stops a userspace implementation), and waits up to 10 s for
 * the socket to go. PreDown/PostDown of the config are run when the file is readable, and its DNS
 * record is taken back from resolvconf as wg-quick does.
 */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Take down an interface brought up with `jwgd up' (or any jwgd interface).")
public final class DownCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME|FILE")
    String target;

    Resolvconf resolvconf = Resolvconf.system();
    DefaultRouteFirewall firewall = DefaultRouteFirewall.system();

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        Path file = UpCommand.configPath(target);
        String iface = UpCommand.interfaceName(file);
        try {
            UapiServer.checkInterfaceName(iface);
        } catch (IllegalArgumentException e) {
            return fail(err, "down: " + e.getMessage());
        }
        List<String> preDown = List.of();
        List<String> postDown = List.of();
        boolean dns = true;   // without the config, undo any DNS record the interface may have (a no-op if none)
        if (Files.isReadable(file)) {
            try {
                WgConfig c = ConfigParser.parse(file);
                preDown = c.iface().preDown();
                postDown = c.iface().postDown();
                dns = !c.iface().dns().isEmpty();
            } catch (ConfigException e) {
                return fail(err, e.getMessage());
            }
        }
        UpCommand.runHooks(preDown, iface, err);
        Path socket = UapiServer.DEFAULT_DIRECTORY.resolve(iface + ".sock");
        int mark = fwmark(socket);
        try (Rtnetlink nl = Rtnetlink.open()) {
            nl.deleteLink(nl.link(iface).index());
            // The policy rules of a default route (jwgd up) outlive the link; the mark names them.
            if (mark != 0) UpCommand.removeDefaultRouteRules(nl, mark);
        } catch (ErrnoException e) {
            return fail(err, "down: `" + iface + "' is not an interface: " + e.getMessage());
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(socket) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (dns) resolvconf.unset(iface);
        String firewallProblem = firewall.remove(iface);   // wg-quick's cmd_down does this whatever the config says
        if (firewallProblem != null) err.println("jwgd: warning: " + firewallProblem);
        if (Files.exists(socket)) return fail(err, "down: the daemon for " + iface + " did not exit in 10 s");
        UpCommand.runHooks(postDown, iface, err);
        err.flush();
        return 0;
    }

    /** The interface's fwmark from its UAPI socket, or 0 when it has none or does not answer. */
    static int fwmark(Path socket) {
        try {
            for (String line : UapiClient.get(socket).split("\n")) {
                if (line.startsWith("fwmark=")) return (int) Long.parseLong(line.substring(7).strip());
            }
        } catch (IOException | RuntimeException e) {
            // no daemon answering: nothing to look up
        }
        return 0;
    }

    private static int fail(java.io.PrintWriter err, String message) {
        err.println("jwgd: " + message);
        err.flush();
        return 1;
    }
}
