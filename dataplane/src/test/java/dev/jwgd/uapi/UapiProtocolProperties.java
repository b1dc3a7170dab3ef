package dev.jwgd.uapi;

import dev.jwgd.ip.IpAddressText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Key;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the set parser and the session over random and mutated input: valid requests survive the wire form
 * unchanged; any byte sequence gets only well-formed replies and never an exception.
 */
class UapiProtocolProperties {
    static LongStream seeds() {
        return LongStream.range(0, 300).map(i -> 0x5eed_0000L + i);
    }

    static final Pattern REPLY = Pattern.compile("(([a-z_]+=[^\\n]*\\n)*errno=-?[0-9]+\\n\\n)*");

    static Key randomKey(SplittableRandom r) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) b[i] = (byte) r.nextInt(256);
        return Key.of(b);
    }

    static IpPrefix randomPrefix(SplittableRandom r) {
        byte[] a = new byte[r.nextBoolean() ? 4 : 16];
        for (int i = 0; i < a.length; i++) a[i] = (byte) r.nextInt(256);
        return IpPrefix.of(a, r.nextInt(a.length * 8 + 1));
    }

    static EndpointCandidate randomEndpoint(SplittableRandom r, boolean literal) {
        if (!literal && r.nextInt(3) == 0) return EndpointCandidate.parse("h" + r.nextInt(1000) + ".example:" + r.nextInt(65536), true);
        byte[] a = new byte[r.nextBoolean() ? 4 : 16];
        for (int i = 0; i < a.length; i++) a[i] = (byte) r.nextInt(256);
        if (a.length == 16 && a[10] == (byte) 0xff && a[11] == (byte) 0xff) a[0] = 1; // keep mapped addresses out: the JDK folds them
        return new EndpointCandidate(IpAddressText.format(a), a, r.nextInt(65536));
    }

    static SetRequest randomRequest(SplittableRandom r) {
        List<SetOperation> ops = new ArrayList<>();
        if (r.nextBoolean()) ops.add(new SetOperation.SetPrivateKey(randomKey(r)));
        if (r.nextBoolean()) ops.add(new SetOperation.SetListenPort(r.nextInt(65536)));
        if (r.nextBoolean()) ops.add(new SetOperation.SetFwmark(r.nextLong(0x1_0000_0000L)));
        if (r.nextBoolean()) ops.add(new SetOperation.ReplacePeers());
        int peers = r.nextInt(4);
        for (int p = 0; p < peers; p++) {
            ops.add(new SetOperation.SelectPeer(randomKey(r)));
            int n = r.nextInt(8);
            for (int i = 0; i < n; i++) {
                ops.add(switch (r.nextInt(9)) {
                    case 0 -> new SetOperation.RemovePeer();
                    case 1 -> new SetOperation.UpdateOnly();
                    case 2 -> new SetOperation.SetPresharedKey(randomKey(r));
                    case 3 -> new SetOperation.SetEndpoints(List.of(randomEndpoint(r, true)));
                    case 4 -> new SetOperation.SetEndpoints(List.of(randomEndpoint(r, false), randomEndpoint(r, false)));
                    case 5 -> new SetOperation.SetPersistentKeepalive(r.nextInt(65536));
                    case 6 -> new SetOperation.ReplaceAllowedIps();
                    case 7 -> new SetOperation.RemoveAllowedIp(randomPrefix(r));
                    default -> new SetOperation.AddAllowedIp(randomPrefix(r));
                });
            }
        }
        return new SetRequest(ops);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aValidRequestParsesBackFromItsWireFormUnchanged(long seed) {
        SetRequest req = randomRequest(new SplittableRandom(seed));
        String wire = req.toWire();
        var parsed = SetRequestParser.parse(wire.substring("set=1\n".length()));
        assertNull(parsed.error(), "seed " + seed + ": " + (parsed.error() == null ? "" : parsed.error().getMessage()));
        assertEquals(req, parsed.request(), "seed " + seed);
    }

    static String mutate(String s, SplittableRandom r) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + r.nextInt(6);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(5)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, (char) r.nextInt(256));
                case 2 -> sb.setCharAt(at, "=\n-:/[],x0".charAt(r.nextInt(10)));
                case 3 -> sb.insert(at, "\n");
                default -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + r.nextInt(40))));
            }
        }
        return sb.toString();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void mutatedAndRandomInputGetsOnlyWellFormedRepliesAndTheDeviceStaysUsable(long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        String input;
        if (r.nextInt(4) == 0) {
            byte[] junk = new byte[r.nextInt(2000)];
            for (int i = 0; i < junk.length; i++) junk[i] = (byte) (r.nextInt(8) == 0 ? '\n' : r.nextInt(256));
            input = new String(junk, StandardCharsets.ISO_8859_1);
        } else {
            input = mutate(randomRequest(r).toWire() + "get=1\n\n", r);
        }
        InMemoryDevice dev = new InMemoryDevice();
        var out = new ByteArrayOutputStream();
        new UapiSession(dev, new ReentrantReadWriteLock(), new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), out).serve();
        String reply = out.toString(StandardCharsets.ISO_8859_1);
        assertTrue(REPLY.matcher(reply).matches(), "seed " + seed + ": malformed reply " + reply);
        // the device still answers a clean request afterwards
        var out2 = new ByteArrayOutputStream();
        new UapiSession(dev, new ReentrantReadWriteLock(), new ByteArrayInputStream("set=1\nlisten_port=1234\n\nget=1\n\n".getBytes(StandardCharsets.ISO_8859_1)), out2).serve();
        assertTrue(out2.toString(StandardCharsets.ISO_8859_1).startsWith("errno=0\n\n"), "seed " + seed);
        assertTrue(out2.toString(StandardCharsets.ISO_8859_1).contains("listen_port=1234\n"), "seed " + seed);
    }
}
