package dev.jwgd.ffm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Compiles a C program from the test resources with gcc, runs it, and returns its
 * {@code name value} lines (value decimal or 0x-hex). Layout tests compare these numbers against
 * the Java layouts. Skips the calling test, with a clear message, where gcc is missing.
 */
public final class GccProbe {
    private GccProbe() {}

    public static Map<String, Long> run(String resource) throws IOException, InterruptedException {
        assumeTrue(onPath("gcc"), "gcc is not installed: layout checks against the C headers skipped");
        Path dir = Files.createTempDirectory("jwgd-gcc");
        try {
            Path src = dir.resolve("probe.c");
            try (var in = GccProbe.class.getResourceAsStream(resource)) {
                if (in == null) throw new IOException("test resource " + resource + " missing");
                Files.copy(in, src);
            }
            Path exe = dir.resolve("probe");
            String out = exec(dir, "gcc", "-O0", "-o", exe.toString(), src.toString());
            out = exec(dir, exe.toString());
            Map<String, Long> values = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 2) continue;
                values.put(f[0], f[1].startsWith("0x") ? Long.parseUnsignedLong(f[1].substring(2), 16) : Long.parseLong(f[1]));
            }
            return values;
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean onPath(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, cmd))) return true;
        }
        return false;
    }

    private static String exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }
}
