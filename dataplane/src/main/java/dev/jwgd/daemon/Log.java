package dev.jwgd.daemon;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The daemon's log, with wireguard-go's levels from {@code LOG_LEVEL}: {@code verbose} (everything),
 * {@code error} (the default: errors only) and {@code silent}. Lines go to stderr as
 * {@code jwgd(IFACE): 2026/11/26 00:52:51 message}. Never log a key.
 */
public final class Log {
    public enum Level { SILENT, ERROR, VERBOSE }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private final String prefix;
    private final Level level;
    private volatile PrintStream out;

    public Log(String iface, Level level, PrintStream out) {
        this.prefix = "jwgd(" + iface + "): ";
        this.level = level;
        this.out = out;
    }

    /** The level {@code LOG_LEVEL} names; unknown or unset means ERROR, as in wireguard-go. */
    public static Level levelFromEnvironment(String value) {
        if (value == null) return Level.ERROR;
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "verbose", "debug" -> Level.VERBOSE;
            case "silent" -> Level.SILENT;
            default -> Level.ERROR;
        };
    }

    public Level level() {
        return level;
    }

    public boolean verboseEnabled() {
        return level == Level.VERBOSE;
    }

    public void redirect(PrintStream to) {
        this.out = to;
    }

    public void verbose(String message) {
        if (level == Level.VERBOSE) write(message);
    }

    public void error(String message) {
        if (level != Level.SILENT) write(message);
    }

    private void write(String message) {
        PrintStream o = out;
        synchronized (o) {
            o.println(prefix + LocalDateTime.now().format(TIME) + " " + message);
            o.flush();
        }
    }
}
