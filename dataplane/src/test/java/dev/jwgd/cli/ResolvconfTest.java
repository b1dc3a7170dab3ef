package dev.jwgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvconfTest {
    @TempDir
    Path dir;

    /** A stand-in resolvconf that records its arguments and standard input, and exits with {@code status}. */
    private String fake(int status) throws IOException {
        Path script = dir.resolve("resolvconf");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + dir.resolve("args") + "\ncat >> " + dir.resolve("stdin")
                + "\necho 'resolvconf says no' >&2\nexit " + status + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script.toString();
    }

    @Test
    void serversBecomeNameserverLinesAndTheRestOneSearchLineAsWgQuickWritesThem() {
        assertEquals("nameserver 10.0.0.53\nnameserver fd00::53\nsearch corp.example lan\n",
                Resolvconf.records(List.of("10.0.0.53", "corp.example", "fd00::53", "lan")));
        assertEquals("nameserver 1.1.1.1\n", Resolvconf.records(List.of("1.1.1.1")));
        assertTrue(Resolvconf.isServer("1.2.3"), "wg-quick's pattern: digits and dots");
        assertFalse(Resolvconf.isServer("example.com"));
    }

    @Test
    void upAddsTheRecordAndDownRemovesItWithWgQuicksArguments() throws IOException {
        var r = new Resolvconf(fake(0), dir.resolve("no-interface-order"));
        r.set("wg0", List.of("10.0.0.53", "lan"));
        r.unset("wg0");
        assertEquals("-a wg0 -m 0 -x\n-d wg0 -f\n", Files.readString(dir.resolve("args")));
        assertEquals("nameserver 10.0.0.53\nsearch lan\n", Files.readString(dir.resolve("stdin")));
    }

    @Test
    void theRecordNameTakesThePrefixFromInterfaceOrderLikeWgQuick() throws IOException {
        Path order = dir.resolve("interface-order");
        Files.writeString(order, "lo.inet*\n# comment\ntun*\ntap*\n");
        var r = new Resolvconf(fake(0), order);
        assertEquals("tun.wg0", r.recordName("wg0"), "the first line of the form NAME* (lo.inet* has a dot)");
        r.set("wg0", List.of("10.0.0.53"));
        assertEquals("-a tun.wg0 -m 0 -x\n", Files.readString(dir.resolve("args")));
    }

    @Test
    void searchDomainsAloneSetNothing() throws IOException {
        new Resolvconf(fake(0), dir.resolve("none")).set("wg0", List.of("lan"));
        assertFalse(Files.exists(dir.resolve("args")));
    }

    @Test
    void aFailingOrMissingResolvconfIsAClearErrorOnUpAndQuietOnDown() throws IOException {
        var failing = new Resolvconf(fake(3), dir.resolve("none"));
        var e = assertThrows(IOException.class, () -> failing.set("wg0", List.of("10.0.0.53")));
        assertTrue(e.getMessage().contains("status 3") && e.getMessage().contains("resolvconf says no"), e.getMessage());
        failing.unset("wg0");
        var missing = new Resolvconf(dir.resolve("not-there").toString(), dir.resolve("none"));
        e = assertThrows(IOException.class, () -> missing.set("wg0", List.of("10.0.0.53")));
        assertTrue(e.getMessage().contains("openresolv or resolvconf"), e.getMessage());
        missing.unset("wg0");
    }
}
