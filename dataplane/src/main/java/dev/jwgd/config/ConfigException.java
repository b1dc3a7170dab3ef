package dev.jwgd.config;

/**
 * A config file that cannot be used, with the place of the problem: {@code wg0.conf:7: AllowedIPs: ...}.
 * The message never contains key material.
 */
public final class ConfigException extends Exception {
    private final String source;
    private final int line;

    public ConfigException(String source, int line, String message) {
        super(line > 0 ? source + ":" + line + ": " + message : source + ": " + message);
        this.source = source;
        this.line = line;
    }

    /** The file name as the user gave it. */
    public String source() {
        return source;
    }

    /** 1-based line number, or 0 for a problem with the whole file. */
    public int line() {
        return line;
    }
}
