package dev.jwgd.ffm.netlink;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.ffm.libc.Libc;
import dev.jwgd.ffm.netns.NetNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace a test creates with {@code ip netns add uringnl-PID-N-TAG} and removes on close,
 * with an {@link Rtnetlink} socket opened inside it. Skips the test (assumeTrue) when not root or when
 * iproute2 is missing.
 */
public final class ScratchNamespace implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    public final String name;
    public final NetNamespace netns;
    public final Rtnetlink rtnl;

    private ScratchNamespace(String name, NetNamespace netns, Rtnetlink rtnl) {
        this.name = name;
        this.netns = netns;
        this.rtnl = rtnl;
    }

    public static ScratchNamespace create(String tag) throws Exception {
        assumeTrue(Libc.getpid() > 0 && isRoot(), "needs root: creates network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "iproute2 (ip) is not installed");
        String name = "uringnl-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + tag;
        run("ip", "netns", "add", name);
        NetNamespace ns = null;
        try {
            ns = NetNamespace.open(name);
            Rtnetlink nl = ns.call(Rtnetlink::open);
            return new ScratchNamespace(name, ns, nl);
        } catch (Exception e) {
            if (ns != null) ns.close();
            run("ip", "netns", "del", name);
            throw e;
        }
    }

    /** {@code ip -n NAME args...}; its standard output, or an IOException with its error output. */
    public String ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    @Override
    public void close() throws IOException {
        try {
            rtnl.close();
            netns.close();
        } finally {
            try {
                run("ip", "netns", "del", name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while deleting namespace " + name, e);
            }
        }
    }

    public static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + new String(err, StandardCharsets.UTF_8).strip());
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static boolean isRoot() {
        try {
            return "0".equals(run("id", "-u").strip());
        } catch (Exception e) {
            return false;
        }
    }
}
