package dev.jwgd.cli;

import dev.jwgd.config.ConfigException;
import dev.jwgd.config.ConfigParser;
import dev.jwgd.config.WgConfig;
import dev.jwgd.ffm.Errno;
import dev.jwgd.uapi.UapiClient;
import dev.jwgd.uapi.UapiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code setconf IFACE FILE} and {@code addconf IFACE FILE}: parse the whole file with {@link ConfigParser} (nothing is
 * sent if any line is wrong), then send one UAPI {@code set} to {@code /var/run/wireguard/IFACE.sock} and report the
 * errno. setconf replaces the interface's configuration and peers; addconf adds to it.
 */
final class ConfCommands {
    private ConfCommands() {}

    abstract static class ConfCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IFACE", description = "The interface, served on /var/run/wireguard/IFACE.sock.")
        String iface;

        @Parameters(index = "1", paramLabel = "FILE", description = "A WireGuard config file (wg or wg-quick format).")
        Path file;

        @Option(names = "--uapi-dir", hidden = true, description = "Directory of the UAPI sockets (for tests).")
        Path uapiDir = UapiServer.DEFAULT_DIRECTORY;

        abstract boolean replace();

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            String cmd = spec.name();
            try {
                UapiServer.checkInterfaceName(iface);
            } catch (IllegalArgumentException e) {
                return fail(err, cmd + ": " + e.getMessage());
            }
            WgConfig config;
            try {
                config = ConfigParser.parse(file);
            } catch (ConfigException e) {
                return fail(err, e.getMessage());
            }
            for (String w : config.warnings()) err.println("jwgd: warning: " + w);
            Path socket = uapiDir.resolve(iface + ".sock");
            if (!Files.exists(socket))
                return fail(err, cmd + " " + iface + ": no such interface (" + socket + " does not exist; start it with `jwgd " + iface + "')");
            int errno;
            try {
                errno = UapiClient.set(socket, config.toSetRequest(replace()));
            } catch (ConnectException e) {
                return fail(err, cmd + " " + iface + ": nothing answers on " + socket + " (the daemon is gone)");
            } catch (IOException e) {
                return fail(err, cmd + " " + iface + ": " + e.getMessage());
            }
            if (errno != 0) {
                int n = Math.abs(errno);
                return fail(err, cmd + " " + iface + ": " + Errno.message(n) + " (errno " + errno + ")");
            }
            err.flush();
            return 0;
        }

        private static int fail(PrintWriter err, String message) {
            err.println("jwgd: " + message);
            err.flush();
            return 1;
        }
    }

    @Command(name = "setconf", description = "Apply a config file to an interface, replacing its configuration and peers.")
    static final class Setconf extends ConfCommand {
        @Override
        boolean replace() {
            return true;
        }
    }

    @Command(name = "addconf", description = "Add a config file's settings and peers to an interface.")
    static final class Addconf extends ConfCommand {
        @Override
        boolean replace() {
            return false;
        }
    }
}
