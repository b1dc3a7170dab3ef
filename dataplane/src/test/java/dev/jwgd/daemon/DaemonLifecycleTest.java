package dev.jwgd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.uapi.UapiClient;
import dev.jwgd.uapi.UapiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon's life in a namespace of its own (root only): it creates the interface (MTU 1420) and
 * the UAPI socket, answers {@code get}, and when the interface is deleted (how {@code wg-quick down}
 * stops it) it notices, removes its socket and is gone; when its socket file is deleted it stops too.
 */
class DaemonLifecycleTest {
    private final String ns = "dmnlife" + ProcessHandle.current().pid();
    private final String iface = "dl" + ProcessHandle.current().pid();

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @BeforeEach
    void namespace() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create namespaces and TUN devices");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "needs iproute2");
        assertEquals(0, run("ip", "netns", "add", ns));
    }

    @AfterEach
    void removeNamespace() throws Exception {
        run("ip", "netns", "del", ns);
    }

    private Daemon startInNamespace() throws Exception {
        Daemon d = new Daemon(iface, null, new Log(iface, Log.Level.SILENT, System.err));
        try (NetNamespace n = NetNamespace.open(ns)) {
            n.call(() -> {
                d.start();
                return null;
            });
        }
        return d;
    }

    private static Thread awaitStopIn(Daemon d) {
        return Thread.ofPlatform().start(() -> {
            try {
                d.awaitStop();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            d.cleanup();
        });
    }

    @Test
    void createsInterfaceAndSocketAndExitsCleanlyWhenTheInterfaceIsDeleted() throws Exception {
        Daemon d = startInNamespace();
        Path socket = UapiServer.DEFAULT_DIRECTORY.resolve(iface + ".sock");
        Thread waiter = awaitStopIn(d);
        try {
            assertTrue(Files.exists(socket), "the UAPI socket exists once start() returned");
            assertTrue(UapiClient.get(socket).contains("errno=0"), "get answers");
            assertEquals(0, run("ip", "-n", ns, "link", "show", iface), "the interface exists in the namespace");
            assertEquals(0, run("ip", "-n", ns, "link", "del", iface));
            waiter.join(10_000);
            assertFalse(waiter.isAlive(), "the daemon noticed the interface was deleted");
            assertFalse(Files.exists(socket), "and removed its socket");
        } finally {
            d.requestStop();
            waiter.join(5_000);
            d.cleanup();
        }
    }

    @Test
    void stopsAndRemovesTheInterfaceWhenItsSocketFileIsDeleted() throws Exception {
        Daemon d = startInNamespace();
        Path socket = UapiServer.DEFAULT_DIRECTORY.resolve(iface + ".sock");
        Thread waiter = awaitStopIn(d);
        try {
            Files.delete(socket);
            waiter.join(10_000);
            assertFalse(waiter.isAlive(), "the daemon noticed its socket was deleted");
            assertTrue(run("ip", "-n", ns, "link", "show", iface) != 0, "and its interface is gone");
        } finally {
            d.requestStop();
            waiter.join(5_000);
            d.cleanup();
        }
    }
}
