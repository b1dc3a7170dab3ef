package dev.jwgd.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jwgd}: the jar's main class. Subcommands are registered in {@link #commandLine(InputStream)}, one line each.
 * A first argument that is not a subcommand name (for example {@code jwgd wg0} or {@code jwgd -f wg0}) goes to the
 * subcommand named {@value #DAEMON_COMMAND}, as {@code wireguard-go IFACE} starts a daemon. Exit status 0 on success,
 * 1 on any error, with one line on stderr saying what went wrong.
 */
@Command(name = "jwgd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Userspace WireGuard for Linux in Java.%n"
                + "Run `jwgd IFACE' to start the daemon for an interface (as wireguard-go does), or a command below.")
public final class Main implements Callable<Integer> {
    /** The subcommand that {@code jwgd IFACE} (no command name) runs. */
    public static final String DAEMON_COMMAND = "daemon";

    private static final Set<String> MAIN_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(commandLine(System.in), args));
    }

    /** The command line with every subcommand; {@code stdin} is what {@code pubkey} reads. */
    public static CommandLine commandLine(InputStream stdin) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new KeyCommands.Genkey());
        cl.addSubcommand(new KeyCommands.Genpsk());
        cl.addSubcommand(new KeyCommands.Pubkey(stdin));
        cl.addSubcommand(new ConfCommands.Setconf());
        cl.addSubcommand(new ConfCommands.Addconf());
        cl.addSubcommand(new DaemonCommand());   // named DAEMON_COMMAND: `jwgd IFACE` routes here
        cl.addSubcommand(new UpCommand());
        cl.addSubcommand(new DownCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("jwgd: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            commandLine.getErr().flush();
            return 1;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            String name = c.getCommandSpec().qualifiedName();
            c.getErr().println(name + ": " + e.getMessage() + " (see `" + name + " --help')");
            c.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** Routes {@code jwgd IFACE ...} to the daemon command, then executes; returns the exit status. */
    public static int run(CommandLine cl, String... args) {
        return cl.execute(route(cl, args));
    }

    static String[] route(CommandLine cl, String[] args) {
        if (args.length == 0 || cl.getSubcommands().containsKey(args[0]) || MAIN_OPTIONS.contains(args[0])
                || !cl.getSubcommands().containsKey(DAEMON_COMMAND)) {
            return args;
        }
        String[] routed = new String[args.length + 1];
        routed[0] = DAEMON_COMMAND;
        System.arraycopy(args, 0, routed, 1, args.length);
        return routed;
    }

    /** {@code jwgd} alone: usage on stderr, status 1. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        spec.commandLine().usage(err);
        err.flush();
        return 1;
    }

    /** The version Maven recorded in the jar ({@code pom.properties}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = "unknown (not run from the jar)";
            try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/dev.jwgd/dataplane/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    v = p.getProperty("version", v);
                }
            } catch (java.io.IOException ignored) {
                // keep "unknown"
            }
            return new String[] {"jwgd " + v, "Userspace WireGuard for Linux, Java " + Runtime.version()};
        }
    }
}
