package dev.jwgd.daemon;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * wireguard-go's "return once ready, keep running detached" without fork(): the parent JVM starts
 * a copy of itself in the foreground mode ({@code WG_PROCESS_FOREGROUND=1}), in a new session via
 * {@code setsid} when available, and waits for the child to print {@link #READY_LINE} on its stdout
 * (after the TUN device and the listening UAPI socket exist). The child's stderr is relayed until
 * then, so a failure to start reaches the user with the child's exit code.
 */
public final class Detacher {
    private Detacher() {}

    /** The line the child prints when the TUN and the UAPI socket exist. */
    public static final String READY_LINE = "jwgd: ready";
    /** How long the parent waits for the child (JVM start + TUN + socket). */
    public static final long READY_TIMEOUT_SECONDS = 60;

    /**
     * Runs the child with {@code childArgs} (the command line after the main class) and returns the
     * exit code for the parent: 0 when the child reported ready, else the child's exit code (or 1).
     */
    public static int launch(String mainClass, List<String> childArgs, PrintStream err) {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) cmd.add("/usr/bin/setsid");
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(childArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("WG_PROCESS_FOREGROUND", "1");
        pb.environment().put("JWGD_DETACHED_CHILD", "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // With LOG_LEVEL set the daemon keeps logging to our stderr, as wireguard-go does;
        // otherwise its stderr is relayed only until it is ready and then dropped.
        boolean inheritStderr = System.getenv("LOG_LEVEL") != null;
        if (inheritStderr) pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            err.println("jwgd: cannot start the daemon process: " + e.getMessage());
            return 1;
        }
        Thread relay = inheritStderr ? Thread.ofPlatform().unstarted(() -> {})
                : Thread.ofPlatform().daemon().name("jwgd-stderr-relay").start(() -> relay(child.getErrorStream(), err));
        boolean ready = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
            String line;
            while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
                if (line.equals(READY_LINE)) {
                    ready = true;
                    break;
                }
            }
        } catch (IOException e) {
            err.println("jwgd: lost contact with the daemon process: " + e.getMessage());
        }
        if (ready) {
            // Give the relay a moment to pass on anything the child printed before it was ready.
            try {
                relay.join(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
        try {
            if (!child.waitFor(5, TimeUnit.SECONDS)) {
                err.println("jwgd: the daemon did not become ready in " + READY_TIMEOUT_SECONDS + " s; stopping it");
                child.destroy();
                child.waitFor(5, TimeUnit.SECONDS);
                return 1;
            }
            relay.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        int code = child.exitValue();
        return code == 0 ? 1 : code;
    }

    private static void relay(InputStream in, PrintStream err) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                err.write(buf, 0, n);
                err.flush();
            }
        } catch (IOException ignored) {
            // the child closed its stderr or the parent is leaving: nothing to relay any more
        }
    }

    /**
     * Called in the child once ready: tells the parent, then detaches stdout and (unless
     * {@code LOG_LEVEL} asked for logging on the inherited stderr) stderr so the child never blocks on or writes to a pipe nobody reads.
     */
    public static void signalReady(Log log) {
        boolean keepStderr = System.getenv("LOG_LEVEL") != null;
        System.out.println(READY_LINE);
        System.out.flush();
        PrintStream devNull;
        try {
            devNull = new PrintStream(new java.io.FileOutputStream("/dev/null"), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return;
        }
        System.out.close();
        System.setOut(devNull);
        if (!keepStderr) {
            System.err.flush();
            System.err.close();
            System.setErr(devNull);
            log.redirect(devNull);
        }
    }
}
