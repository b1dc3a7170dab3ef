package dev.jwgd.bench.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Namespaces and veths for the I/O benchmarks, made with iproute2 under names unique to this JVM
 * ({@code jwgdb<pid><n>}); the io and io_uring benchmarks share it and deleted in {@link #close} (called from @TearDown). Fails fast when not root.
 */
public final class BenchNet implements AutoCloseable {
    private final List<String> namespaces = new ArrayList<>();
    private int seq;

    public BenchNet() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:") && !line.split("\\s+")[1].equals("0")) {
                throw new IllegalStateException("the I/O benchmarks need root: they create namespaces, veths and TUN devices");
            }
        }
    }

    public String name(String tag) {
        String n = "jwgdb" + (ProcessHandle.current().pid() % 100000) + tag + (++seq);
        if (n.length() > 15) throw new IllegalStateException("name too long: " + n);
        return n;
    }

    public String addNamespace() throws IOException {
        String ns = name("n");
        ip("netns", "add", ns);
        namespaces.add(ns);
        ip("-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    public void addVeth(String nsA, String cidrA, String nsB, String cidrB) throws IOException {
        String a = name("a"), b = name("b");
        ip("link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB);
        ip("-n", nsA, "addr", "add", cidrA, "dev", a);
        ip("-n", nsB, "addr", "add", cidrB, "dev", b);
        ip("-n", nsA, "link", "set", a, "up");
        ip("-n", nsB, "link", "set", b, "up");
    }

    public static void ip(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws IOException {
        for (int i = namespaces.size() - 1; i >= 0; i--) ip("netns", "del", namespaces.get(i));
        namespaces.clear();
    }
}
