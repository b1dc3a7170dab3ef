package dev.jwgd.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fallbacks, each proven in a child JVM started with other flags: narrower vectors (-XX:MaxVectorSize=32, and
 * -XX:UseAVX=0 for 128 bits) still give the known answers, and without the incubator module the provider falls back
 * to the JDK's Cipher.
 */
class AeadProviderFallbackTest {
    private static List<String> run(boolean withModule, String... vmFlags) throws IOException, InterruptedException {
        return run(withModule, true, vmFlags);
    }

    private static List<String> run(boolean withModule, boolean directive, String... vmFlags)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (withModule) {
            cmd.add("--add-modules=jdk.incubator.vector");
        }
        // Keep the parent's compiler directive (kernels straight to C2), so the child's warm-up check can pass.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (directive && (arg.startsWith("-XX:CompilerDirectivesFile=")
                    || arg.equals("-XX:+UnlockDiagnosticVMOptions"))) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of(vmFlags));
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FallbackProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(150, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM did not finish in 150 s: " + cmd);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "child JVM failed: " + cmd + "\n" + out);
            return out.lines().toList();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void with256BitVectorsTheVectorImplementationIs256BitsWideAndPassesKnownAnswers() throws Exception {
        List<String> out = run(true, "-XX:MaxVectorSize=32");
        assertTrue(out.contains("preferred=256"), String.join("\n", out));
        assertTrue(out.contains("kat vector-256 ok"), String.join("\n", out));
        assertTrue(out.contains("kat best ok"), String.join("\n", out));
    }

    @Test
    void with128BitVectorsTheKernelsStillGiveKnownAnswersButTheJdkCipherIsChosen() throws Exception {
        List<String> out = run(true, "-XX:UseAVX=0");
        assertTrue(out.contains("preferred=128"), String.join("\n", out));
        assertTrue(out.contains("kat vector-128 ok"), String.join("\n", out));
        assertTrue(out.contains("best=jdk"), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("reason=") && l.contains("128 bits")),
                String.join("\n", out));
    }

    @Test
    void withoutC2TheTimedSelfCheckRejectsTheVectorKernelsAndChoosesTheJdkCipher() throws Exception {
        // C1 only: the kernels run correctly but tens of times slower, with no error; only the timing shows it.
        List<String> out = run(true, false, "-XX:TieredStopAtLevel=1", "-Djwgd.crypto.warmupMillis=2000");
        assertTrue(out.contains("kat vector-256 ok") || out.contains("kat vector-512 ok"), String.join("\n", out));
        assertTrue(out.contains("best=jdk"), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("reason=") && l.contains("did not reach C2")),
                String.join("\n", out));
    }

    @Test
    void withoutTheIncubatorModuleTheJdkCipherIsChosenWithAWarning() throws Exception {
        List<String> out = run(false);
        assertTrue(out.contains("module=absent"), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("vector unavailable: ")), String.join("\n", out));
        assertTrue(out.contains("kat scalar ok"), String.join("\n", out));
        assertTrue(out.contains("best=jdk"), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("WARNING: ChaCha20-Poly1305: using jdk")),
                String.join("\n", out));
    }
}
