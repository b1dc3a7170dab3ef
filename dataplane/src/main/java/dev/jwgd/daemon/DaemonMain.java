package dev.jwgd.daemon;

/**
 * The entry point of the detached daemon process that {@link Detacher} starts:
 * {@code -f [--netns NAME] IFACE}. Kept apart from the CLI so the child never depends on how the
 * user-facing command line routes its arguments.
 */
public final class DaemonMain {
    private DaemonMain() {}

    public static void main(String[] args) {
        String netns = null;
        String iface = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-f", "--foreground" -> { }
                case "--netns" -> {
                    if (i + 1 >= args.length) usage();
                    netns = args[++i];
                }
                default -> {
                    if (iface != null || args[i].startsWith("-")) usage();
                    iface = args[i];
                }
            }
        }
        if (iface == null) usage();
        boolean child = "1".equals(System.getenv("JWGD_DETACHED_CHILD"));
        int code = Daemon.runForeground(iface, netns, child);
        System.exit(code);
    }

    private static void usage() {
        System.err.println("usage: DaemonMain [-f] [--netns NAME] IFACE");
        System.exit(2);
    }
}
