package dev.jwgd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.uapi.DeviceSnapshot;
import dev.jwgd.uapi.SetRequest;
import dev.jwgd.uapi.UapiDevice;
import dev.jwgd.uapi.UapiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * wg's own format keeps its meaning: for generated configs (literal endpoints, since wg resolves names itself) the
 * request the real {@code wg setconf}/{@code wg addconf} sends equals {@link WgConfig#toSetRequest}. Needs root and wg.
 */
class WgConfigFidelityTest {
    @TempDir
    Path tmp;

    static LongStream seeds() {
        return LongStream.range(0, 12).map(i -> 0xf1de_0000L + i);
    }

    /** Records what a client sent. */
    static final class RecordingDevice implements UapiDevice {
        volatile SetRequest last;

        @Override
        public DeviceSnapshot snapshot() {
            return new DeviceSnapshot(null, 0, 0, List.of());
        }

        @Override
        public void apply(SetRequest request) {
            last = request;
        }
    }

    static int wg(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void wgSendsExactlyWhatOurTranslationSends(long seed) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to use /var/run/wireguard");
        String text = ConfigParserProperties.generate(new SplittableRandom(seed)).text()
                .replaceAll("(?m)^Endpoint = .*$", "Endpoint = 192.0.2.9:51820")
                .replaceAll("(?m)^(Address|PostUp) = .*$", "");
        Path conf = tmp.resolve("f" + seed + ".conf");
        Files.writeString(conf, text);
        WgConfig parsed = ConfigParser.parse(conf);
        RecordingDevice dev = new RecordingDevice();
        String iface = "jwgdf" + ProcessHandle.current().pid() % 100000;
        try (UapiServer s = UapiServer.start(iface, dev, () -> { })) {
            int rc;
            try {
                rc = wg("wg", "setconf", s.interfaceName(), conf.toString());
            } catch (IOException e) {
                assumeTrue(false, "needs the wg tool: " + e.getMessage());
                return;
            }
            assertEquals(0, rc, "seed " + seed);
            assertEquals(parsed.toSetRequest(true), dev.last, "seed " + seed + " setconf\n" + text);
            assertEquals(0, wg("wg", "addconf", iface, conf.toString()), "seed " + seed);
            assertEquals(parsed.toSetRequest(false), dev.last, "seed " + seed + " addconf\n" + text);
        }
    }
}
