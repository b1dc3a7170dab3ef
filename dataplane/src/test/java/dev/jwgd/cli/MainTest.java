package dev.jwgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.config.ConfigParser;
import dev.jwgd.ffm.Errno;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.uapi.DeviceSnapshot;
import dev.jwgd.uapi.SetOperation;
import dev.jwgd.uapi.SetRequest;
import dev.jwgd.uapi.UapiDevice;
import dev.jwgd.uapi.UapiException;
import dev.jwgd.uapi.UapiServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {
    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {}

    static Result jwgd(String stdin, CommandLine cl, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = Main.run(cl, args);
        return new Result(rc, out.toString(), err.toString());
    }

    static Result jwgd(String stdin, String... args) {
        return jwgd(stdin, Main.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1))), args);
    }

    static String wg(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wg"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            return null;
        }
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.ISO_8859_1));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void genkeyAndGenpskPrintOneBase64KeyAndNothingElse() {
        Result k = jwgd("", "genkey");
        assertEquals(0, k.exit());
        assertEquals("", k.err());
        assertTrue(k.out().matches("[A-Za-z0-9+/]{43}=\n"), k.out());
        byte[] b = Key.fromBase64(k.out()).bytes();
        assertEquals(b[0] & 7, 0, "clamped");
        assertEquals(0x40, b[31] & 0xc0, "clamped");
        Result p = jwgd("", "genpsk");
        assertEquals(0, p.exit());
        assertTrue(p.out().matches("[A-Za-z0-9+/]{43}=\n"), p.out());
        assertTrue(!p.out().equals(k.out()));
    }

    @Test
    void pubkeyMatchesWgForRandomKeysAndWhitespace() throws Exception {
        for (int i = 0; i < 5; i++) {
            String priv = Curve25519.generatePrivateKey().toBase64() + (i % 2 == 0 ? "\n" : "\n\t \n");
            Result r = jwgd(priv, "pubkey");
            assertEquals(0, r.exit(), r.err());
            String expected = wg(priv, "pubkey");
            if (expected == null) expected = Curve25519.publicKey(Key.fromBase64(priv.strip())).toBase64() + "\n";
            assertEquals(expected, r.out());
        }
    }

    @Test
    void pubkeyRejectsWhatWgRejectsWithWgsMessages() throws Exception {
        String k = Curve25519.generatePrivateKey().toBase64();
        String[][] cases = {
            {"short\n", "Key is not the correct length or format"},
            {k + " x", "Trailing characters found after key"},
            {" " + k, "Trailing characters found after key"},
            {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=", "Key is not the correct length or format"},
            {"A".repeat(44), "Key is not the correct length or format"},
        };
        for (String[] c : cases) {
            Result r = jwgd(c[0], "pubkey");
            assertEquals(1, r.exit(), c[0]);
            assertEquals("", r.out());
            assertEquals("jwgd: " + c[1] + "\n", r.err(), c[0]);
            String w = wg(c[0], "pubkey");
            if (w != null) assertEquals("wg: " + c[1] + "\n", w, "same message as wg for " + c[0]);
        }
    }

    /** Records the requests a UAPI client sends; answers {@code errno} if set. */
    static final class Recorder implements UapiDevice {
        final List<SetRequest> got = new ArrayList<>();
        int failWith;

        @Override
        public DeviceSnapshot snapshot() {
            return new DeviceSnapshot(null, 0, 0, List.of());
        }

        @Override
        public synchronized void apply(SetRequest request) throws UapiException {
            got.add(request);
            if (failWith != 0) throw new UapiException(failWith, "test failure");
        }
    }

    @Test
    void setconfAndAddconfSendTheParsedFileAndReportErrno() throws Exception {
        Key peer = Curve25519.publicKey(Curve25519.generatePrivateKey());
        Path conf = tmp.resolve("wg0.conf");
        Files.writeString(conf, "[Interface]\nListenPort = 51820\n[Peer]\nPublicKey = " + peer.toBase64()
                + "\nEndpoint = b.com:51820, 192.168.1.2/32:51820\nAllowedIPs = 10.0.0.2/32\n");
        Recorder dev = new Recorder();
        try (UapiServer s = UapiServer.start(tmp, "jwgc0", dev, () -> { })) {
            String dir = s.socketPath().getParent().toString();
            Result r = jwgd("", "setconf", "--uapi-dir", dir, "jwgc0", conf.toString());
            assertEquals(0, r.exit(), r.err());
            assertEquals("", r.out() + r.err());
            assertEquals(ConfigParser.parse(conf).toSetRequest(true), dev.got.getLast());
            assertTrue(dev.got.getLast().operations().contains(new SetOperation.ReplacePeers()));
            Result a = jwgd("", "addconf", "--uapi-dir", dir, "jwgc0", conf.toString());
            assertEquals(0, a.exit(), a.err());
            assertEquals(ConfigParser.parse(conf).toSetRequest(false), dev.got.getLast());

            dev.failWith = Errno.EADDRINUSE;
            Result f = jwgd("", "setconf", "--uapi-dir", dir, "jwgc0", conf.toString());
            assertEquals(1, f.exit());
            assertEquals("jwgd: setconf jwgc0: Address already in use (errno -98)\n", f.err());
        }
    }

    @Test
    void aBadConfigNamesFileAndLineAndSendsNothing() throws Exception {
        Path conf = tmp.resolve("bad.conf");
        Files.writeString(conf, "[Interface]\nListenPort = 1\n[Peer]\nPublicKey = nope\n");
        Recorder dev = new Recorder();
        try (UapiServer s = UapiServer.start(tmp, "jwgc1", dev, () -> { })) {
            Result r = jwgd("", "setconf", "--uapi-dir", s.socketPath().getParent().toString(), "jwgc1", conf.toString());
            assertEquals(1, r.exit());
            assertEquals("jwgd: " + conf + ":4: PublicKey is not a key: 44 base64 characters ending in = (as wg genkey prints)\n", r.err());
            assertEquals(List.of(), dev.got, "nothing is half applied");
        }
    }

    @Test
    void aMissingInterfaceOrFileIsOneClearLine() throws Exception {
        Path conf = tmp.resolve("ok.conf");
        Files.writeString(conf, "[Interface]\nListenPort = 1\n");
        Result r = jwgd("", "setconf", "--uapi-dir", tmp.toString(), "jwgnone", conf.toString());
        assertEquals(1, r.exit());
        assertEquals("jwgd: setconf jwgnone: no such interface (" + tmp.resolve("jwgnone.sock") + " does not exist; start it with `jwgd jwgnone')\n", r.err());
        Result m = jwgd("", "addconf", "--uapi-dir", tmp.toString(), "jwgnone", tmp.resolve("missing.conf").toString());
        assertEquals("jwgd: " + tmp.resolve("missing.conf") + ": cannot read: no such file\n", m.err());
        Result u = jwgd("", "setconf", "jwg0");
        assertEquals(1, u.exit());
        assertTrue(u.err().startsWith("jwgd setconf: Missing required parameter: 'FILE'"), u.err());
        assertEquals(1, u.err().lines().count());
    }

    @Command(name = Main.DAEMON_COMMAND)
    static final class FakeDaemon implements Callable<Integer> {
        @CommandLine.Option(names = {"-f", "--foreground"})
        boolean foreground;

        @CommandLine.Parameters(index = "0")
        String iface;

        String ran;

        @Override
        public Integer call() {
            ran = iface + (foreground ? " fg" : "");
            return 0;
        }
    }

    /** Swaps the real daemon command for the fake, so the routing can be checked without starting a daemon. */
    private static void withFake(CommandLine cl, FakeDaemon d) {
        cl.getCommandSpec().removeSubcommand(Main.DAEMON_COMMAND);
        cl.addSubcommand(d);
    }

    @Test
    void aFirstArgumentThatIsNotACommandGoesToTheDaemonCommand() {
        FakeDaemon d = new FakeDaemon();
        CommandLine cl = Main.commandLine(new ByteArrayInputStream(new byte[0]));
        withFake(cl, d);
        assertEquals(0, jwgd("", cl, "wg0").exit());
        assertEquals("wg0", d.ran);
        FakeDaemon d2 = new FakeDaemon();
        CommandLine cl2 = Main.commandLine(new ByteArrayInputStream(new byte[0]));
        withFake(cl2, d2);
        assertEquals(0, jwgd("", cl2, "-f", "wg1").exit());
        assertEquals("wg1 fg", d2.ran);
        FakeDaemon d3 = new FakeDaemon();
        CommandLine cl3 = Main.commandLine(new ByteArrayInputStream(new byte[0]));
        withFake(cl3, d3);
        Result v = jwgd("", cl3, "--version");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("jwgd "), v.out());
        assertNull(d3.ran, "--version is the main command's");
    }

    @Test
    void noArgumentsPrintsUsageOnStderrAndFails() {
        Result r = jwgd("", new String[0]);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("Usage: jwgd"), r.err());
        assertTrue(r.err().contains("genkey") && r.err().contains("setconf"), r.err());
        Result h = jwgd("", "--help");
        assertEquals(0, h.exit());
        assertTrue(h.out().contains("addconf"), h.out());
        Result bad = jwgd("", "--bogus");
        assertEquals(1, bad.exit());
        assertEquals(1, bad.err().lines().count(), bad.err());
    }

    @Test
    void genkeyWarnsLikeWgWhenStdoutIsAWorldReadableFile() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc");
        // The warning is about this process's fd 1, so run a child JVM whose stdout is such a file.
        Path out = tmp.resolve("key.txt");
        Files.createFile(out);
        Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "genkey").redirectOutput(out.toFile()).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.startsWith("Warning: writing to world accessible file.\n"), err);
        assertTrue(Files.readString(out).matches("[A-Za-z0-9+/]{43}=\n"));
    }
}
