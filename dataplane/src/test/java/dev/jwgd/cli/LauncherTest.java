package dev.jwgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/jwgd}, the launcher wg-quick runs: started through a symlink from another directory it finds the
 * JDK, runs the jar with jwgd's flags, and leaves stdout to the program alone. The test lays out a copy of the
 * scripts next to a jar whose manifest points at this test's class path, so nothing is built.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {}

    Run run(Path cwd, String stdin, String... cmd) throws Exception {
        Path out = tmp.resolve("out.txt"), err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launcher did not finish within 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void throughASymlinkFromAnotherDirectoryStdoutCarriesOnlyTheKey() throws Exception {
        Path scripts = Path.of(System.getProperty("user.dir")).resolve("../scripts").normalize();
        assumeTrue(Files.isRegularFile(scripts.resolve("jwgd")) && Files.isRegularFile(scripts.resolve("lib.sh")), "needs scripts/jwgd and scripts/lib.sh");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("scripts"));
        Files.createDirectories(root.resolve("dataplane/target"));
        for (String f : new String[] {"jwgd", "lib.sh", "jwgd-c2.json"}) Files.copy(scripts.resolve(f), root.resolve("scripts").resolve(f));
        root.resolve("scripts/jwgd").toFile().setExecutable(true);

        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        StringJoiner cp = new StringJoiner(" ");
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator))
            cp.add(Path.of(e).toAbsolutePath().toUri().toString());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, cp.toString());
        try (OutputStream o = Files.newOutputStream(root.resolve("dataplane/target/jwgd.jar")); JarOutputStream j = new JarOutputStream(o, m)) {
            j.flush();
        }

        Path bin = Files.createDirectories(tmp.resolve("elsewhere/bin"));
        Files.createSymbolicLink(bin.resolve("jwgd"), root.resolve("scripts/jwgd"));
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));

        Run genkey = run(cwd, "", bin.resolve("jwgd").toString(), "genkey");
        assertEquals(0, genkey.exit(), genkey.err());
        assertTrue(genkey.out().matches("[A-Za-z0-9+/]{43}=\n"), "stdout is exactly one key line: [" + genkey.out() + "]");

        Run pubkey = run(cwd, genkey.out(), bin.resolve("jwgd").toString(), "pubkey");
        assertEquals(0, pubkey.exit(), pubkey.err());
        assertEquals(Curve25519.publicKey(Key.fromBase64(genkey.out().strip())).toBase64() + "\n", pubkey.out());

        // An unknown word is an interface name (`jwgd IFACE`), so an unknown option is the error case.
        Run bad = run(cwd, "", bin.resolve("jwgd").toString(), "--no-such-option");
        assertEquals(1, bad.exit(), bad.err());
        assertEquals("", bad.out());
        assertTrue(bad.err().lines().anyMatch(l -> l.startsWith("jwgd")), bad.err());
    }
}
