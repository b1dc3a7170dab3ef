package dev.jwgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `jwgd up` / `jwgd down` argument handling and the all-or-nothing rule for a bad config. */
class UpDownCommandTest {
    @Test
    void aNameMeansTheFileInEtcWireguardAndTheInterfaceIsNamedAfterTheFile() {
        assertEquals(Path.of("/etc/wireguard/wg7.conf"), UpCommand.configPath("wg7"));
        assertEquals(Path.of("conf/office.conf"), UpCommand.configPath("conf/office.conf"));
        assertEquals("office", UpCommand.interfaceName(Path.of("conf/office.conf")));
        assertEquals("wg7", UpCommand.interfaceName(UpCommand.configPath("wg7")));
    }

    @Test
    void aBadConfigIsReportedWithItsFileAndLineAndNothingIsStarted(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("jwgdbad" + ProcessHandle.current().pid() % 10000 + ".conf");
        Files.writeString(conf, "[Interface]\nPrivateKey = not-a-key\nListenPort = 51820\n");
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new UpCommand());
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(conf.toString());
        String iface = UpCommand.interfaceName(conf);
        assertEquals(1, code);
        assertTrue(err.toString().contains(conf.getFileName() + ":2"), "the error names the file and line: " + err);
        assertFalse(Files.exists(Path.of("/sys/class/net", iface)), "no interface was created");
        assertFalse(Files.exists(Path.of("/var/run/wireguard", iface + ".sock")), "no daemon was started");
    }

    @Test
    void downOfAnInterfaceThatDoesNotExistFailsClearly() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new DownCommand());
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("jwgdnone" + ProcessHandle.current().pid() % 10000);
        assertEquals(1, code);
        assertTrue(err.toString().contains("is not an interface"), err.toString());
    }
}
