package dev.jwgd.ffm.netns;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixture: network namespaces and veth pairs made with iproute2 under unique names
 * ({@code ffmio<pid><n>}), removed by {@link #close} even when the test fails. Skips the test when
 * not root or when {@code ip} is missing.
 */
public final class TestNet implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final List<String> namespaces = new ArrayList<>();

    private TestNet() {}

    /** Skips unless root with iproute2; then returns a fixture to create namespaces in. */
    public static TestNet create() throws IOException {
        assumeTrue(isRoot(), "needs root: creates network namespaces and TUN devices");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")) || Files.isExecutable(Path.of("/usr/bin/ip")),
                "iproute2 'ip' is not installed");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "/dev/net/tun is missing");
        return new TestNet();
    }

    public static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) return line.split("\\s+")[1].equals("0");
        }
        return false;
    }

    /** A name unique to this JVM and call, at most 15 bytes (fits IFNAMSIZ). */
    public static String uniqueName(String tag) {
        String n = "ffmio" + (ProcessHandle.current().pid() % 100000) + tag + SEQ.incrementAndGet();
        if (n.length() > 15) throw new IllegalStateException("name too long: " + n);
        return n;
    }

    /** {@code ip netns add} a fresh namespace with loopback up; deleted on {@link #close}. */
    public String addNamespace() throws IOException {
        String name = uniqueName("n");
        ip("netns", "add", name);
        namespaces.add(name);
        ip("-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * A veth pair {@code a} in namespace {@code nsA} with {@code addrA} (CIDR), peer in {@code nsB} with {@code addrB},
     * both up; returns the two interface names.
     */
    public String[] addVeth(String nsA, String addrA, String nsB, String addrB) throws IOException {
        String a = uniqueName("a");
        String b = uniqueName("b");
        ip("link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB);
        addAddress(nsA, a, addrA);
        addAddress(nsB, b, addrB);
        ip("-n", nsA, "link", "set", a, "up");
        ip("-n", nsB, "link", "set", b, "up");
        return new String[] {a, b};
    }

    /** {@code ip -n NS addr add CIDR dev DEV}, with {@code nodad} for IPv6 so the address is usable at once. */
    public static void addAddress(String ns, String dev, String cidr) throws IOException {
        if (cidr.contains(":")) ip("-n", ns, "addr", "add", cidr, "dev", dev, "nodad");
        else ip("-n", ns, "addr", "add", cidr, "dev", dev);
    }

    /** Runs {@code ip ARGS} (bounded to 20 s) and returns its output; throws with the output on failure. */
    public static String ip(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return run(cmd);
    }

    /** Runs a command (bounded to 20 s), returning stdout+stderr; throws with the output unless it exits 0. */
    public static String run(String... cmd) throws IOException {
        Result r = runAllowingFailure(cmd);
        if (r.exit != 0) throw new IOException(String.join(" ", cmd) + " exited " + r.exit + ":\n" + r.output);
        return r.output;
    }

    public record Result(int exit, String output) {}

    public static Result runAllowingFailure(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in 20 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Work to run on a thread that lacks CAP_NET_ADMIN and CAP_NET_RAW. */
    @FunctionalInterface
    public interface Unprivileged<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code task} on a fresh platform thread whose effective capability set lacks CAP_NET_ADMIN
     * and CAP_NET_RAW (SO_MARK accepts either):
     * capset(2) changes only the calling thread, and the thread ends afterwards, so the rest of the JVM
     * keeps root. This is how the tests reach the kernel's EPERM paths while running as root.
     * Returns what the task returned or threw.
     */
    public static Object withoutNetAdminAndRaw(Unprivileged<?> task) throws Exception {
        Object[] result = new Object[1];
        Thread t = Thread.ofPlatform().name("no CAP_NET_ADMIN").start(() -> {
            try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
                // struct __user_cap_header_struct { __u32 version; int pid; } + 2 x struct __user_cap_data_struct
                java.lang.foreign.MemorySegment hdr = a.allocate(8, 4);
                java.lang.foreign.MemorySegment data = a.allocate(24, 4);
                hdr.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 0x20080522);   // _LINUX_CAPABILITY_VERSION_3
                if (dev.jwgd.ffm.libc.Libc.syscall(125, hdr.address(), data.address(), 0, 0, 0, 0) != 0) {  // SYS_capget
                    throw new IllegalStateException("capget failed: errno " + dev.jwgd.ffm.C.errno());
                }
                int effective = data.get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
                data.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, effective & ~(1 << 12 | 1 << 13));   // CAP_NET_ADMIN, CAP_NET_RAW
                if (dev.jwgd.ffm.libc.Libc.syscall(126, hdr.address(), data.address(), 0, 0, 0, 0) != 0) {  // SYS_capset
                    throw new IllegalStateException("capset failed: errno " + dev.jwgd.ffm.C.errno());
                }
                result[0] = task.run();
            } catch (Throwable e) {
                result[0] = e;
            }
        });
        t.join(20_000);
        return result[0];
    }

    /** Deletes every namespace made here (their veths and TUNs go with them). */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                ip("netns", "del", namespaces.get(i));
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        namespaces.clear();
        if (first != null) throw first;
    }
}
