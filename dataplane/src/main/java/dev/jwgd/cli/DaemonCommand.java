package dev.jwgd.cli;

import dev.jwgd.daemon.Daemon;
import dev.jwgd.daemon.DaemonMain;
import dev.jwgd.daemon.Detacher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jwgd [-f|--foreground] [--netns NAME] IFACE}: wireguard-go's contract. Returns 0 once the
 * TUN device and the listening UAPI socket exist, leaving the daemon running detached; {@code -f}
 * or {@code WG_PROCESS_FOREGROUND=1} keeps it in the foreground. {@code LOG_LEVEL=verbose|error|silent}.
 * With {@code --netns NAME} the encrypted UDP stays in the namespace jwgd started in and the
 * interface is moved into NAME.
 */
@Command(name = "daemon", description = "Run the WireGuard daemon for an interface (as wireguard-go does).",
        mixinStandardHelpOptions = true)
public final class DaemonCommand implements Callable<Integer> {
    @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground.")
    boolean foreground;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Move the interface into network namespace NAME; the UDP socket stays here.")
    String netns;

    @Parameters(index = "0", paramLabel = "IFACE", description = "The interface name.")
    String iface;

    @Override
    public Integer call() {
        boolean fg = foreground || "1".equals(System.getenv("WG_PROCESS_FOREGROUND"));
        if (fg) return Daemon.runForeground(iface, netns, false);
        List<String> child = new ArrayList<>();
        child.add("-f");
        if (netns != null) {
            child.add("--netns");
            child.add(netns);
        }
        child.add(iface);
        return Detacher.launch(DaemonMain.class.getName(), child, System.err);
    }
}
