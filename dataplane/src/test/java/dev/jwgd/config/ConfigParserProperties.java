package dev.jwgd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jwgd.keys.Key;
import dev.jwgd.ip.IpAddressText;
import dev.jwgd.ip.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random config files parse to what they say, whatever the spelling (case, whitespace, comments); random and mutated
 * files only ever give a parsed config or a {@link ConfigException} that names the file.
 */
class ConfigParserProperties {
    static LongStream seeds() {
        return LongStream.range(0, 300).map(i -> 0xc0f1_0000L + i);
    }

    /** What a generated file means. */
    record Model(Key priv, Integer port, List<Key> peerKeys, List<List<IpPrefix>> peerIps, List<Integer> keepalives, String text) {}

    static Key key(SplittableRandom r) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) b[i] = (byte) r.nextInt(256);
        return Key.of(b);
    }

    static String spell(SplittableRandom r, String key) {
        StringBuilder sb = new StringBuilder();
        for (char c : key.toCharArray()) {
            sb.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
            if (r.nextInt(10) == 0) sb.append(r.nextBoolean() ? ' ' : '\t');
        }
        return sb.toString();
    }

    static String sep(SplittableRandom r) {
        return switch (r.nextInt(3)) { case 0 -> "="; case 1 -> " = "; default -> "\t=  "; };
    }

    static String end(SplittableRandom r) {
        return switch (r.nextInt(4)) { case 0 -> " # note\n"; case 1 -> "\r\n"; default -> "\n"; };
    }

    static IpPrefix prefix(SplittableRandom r) {
        byte[] a = new byte[r.nextBoolean() ? 4 : 16];
        for (int i = 0; i < a.length; i++) a[i] = (byte) r.nextInt(256);
        return IpPrefix.of(a, r.nextInt(a.length * 8 + 1)).masked();
    }

    static Model generate(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        if (r.nextBoolean()) sb.append("# generated\n\n");
        Key priv = r.nextBoolean() ? key(r) : null;
        Integer port = r.nextBoolean() ? r.nextInt(65536) : null;
        sb.append(spell(r, "[Interface]")).append(end(r));
        if (priv != null) sb.append(spell(r, "PrivateKey")).append(sep(r)).append(priv.toBase64()).append(end(r));
        if (port != null) sb.append(spell(r, "ListenPort")).append(sep(r)).append(port).append(end(r));
        if (r.nextBoolean()) sb.append("Address = 10.0.0.1/24, fd00::1/64").append(end(r));
        if (r.nextBoolean()) sb.append("PostUp = echo up; true").append(end(r));
        List<Key> keys = new ArrayList<>();
        List<List<IpPrefix>> ips = new ArrayList<>();
        List<Integer> kas = new ArrayList<>();
        int peers = r.nextInt(4);
        for (int p = 0; p < peers; p++) {
            sb.append(end(r)).append(spell(r, "[Peer]")).append(end(r));
            Key k = key(r);
            keys.add(k);
            sb.append(spell(r, "PublicKey")).append(sep(r)).append(k.toBase64()).append(end(r));
            List<IpPrefix> list = new ArrayList<>();
            int lines = r.nextInt(3);
            for (int l = 0; l < lines; l++) {
                sb.append(spell(r, "AllowedIPs")).append(sep(r));
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    IpPrefix x = prefix(r);
                    list.add(x);
                    sb.append(i == 0 ? "" : r.nextBoolean() ? ", " : ",").append(IpAddressText.format(x.address())).append('/').append(x.cidr());
                }
                sb.append(end(r));
            }
            ips.add(list);
            Integer ka = r.nextBoolean() ? r.nextInt(65536) : null;
            kas.add(ka);
            if (ka != null) sb.append(spell(r, "PersistentKeepalive")).append(sep(r)).append(ka).append(end(r));
            if (r.nextBoolean()) sb.append("Endpoint = h").append(p).append(".example:51820, 192.0.2.").append(p + 1).append("/32:51820").append(end(r));
        }
        return new Model(priv, port, keys, ips, kas, sb.toString());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aGeneratedConfigParsesToWhatItSays(long seed) {
        Model m = generate(new SplittableRandom(seed));
        WgConfig c;
        try {
            c = ConfigParser.parse("gen.conf", m.text());
        } catch (ConfigException e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage() + "\n" + m.text());
        }
        assertEquals(m.priv(), c.iface().privateKey(), "seed " + seed);
        assertEquals(m.port(), c.iface().listenPort(), "seed " + seed);
        assertEquals(m.peerKeys().size(), c.peers().size(), "seed " + seed);
        for (int i = 0; i < c.peers().size(); i++) {
            WgConfig.Peer p = c.peers().get(i);
            assertEquals(m.peerKeys().get(i), p.publicKey(), "seed " + seed);
            assertEquals(m.peerIps().get(i), p.allowedIps().stream().map(WgConfig.AllowedIp::prefix).toList(), "seed " + seed);
            assertEquals(m.keepalives().get(i), p.keepalive(), "seed " + seed);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomAndMutatedFilesGiveAConfigOrAClearError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String text;
        if (r.nextInt(4) == 0) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(500);
            for (int i = 0; i < n; i++) sb.append(r.nextInt(6) == 0 ? '\n' : (char) r.nextInt(0x250));
            text = sb.toString();
        } else {
            StringBuilder sb = new StringBuilder(generate(r).text());
            int edits = 1 + r.nextInt(5);
            for (int e = 0; e < edits && sb.length() > 0; e++) {
                int at = r.nextInt(sb.length());
                switch (r.nextInt(5)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, "=[]#,:/-+\n x0".charAt(r.nextInt(13)));
                    case 2 -> sb.setCharAt(at, (char) r.nextInt(128));
                    case 3 -> sb.insert(at, "\n[Peer]\n");
                    default -> sb.delete(at, Math.min(sb.length(), at + r.nextInt(30)));
                }
            }
            text = sb.toString();
        }
        try {
            WgConfig c = ConfigParser.parse("m.conf", text);
            c.toSetRequest(true).toWire(); // a parsed config always translates
            c.toSetRequest(false).toWire();
        } catch (ConfigException e) {
            assertTrue(e.getMessage().startsWith("m.conf:"), "seed " + seed + ": " + e.getMessage());
            assertTrue(e.line() >= 1, "seed " + seed + ": a line number for " + e.getMessage());
        } catch (RuntimeException e) {
            fail("seed " + seed + ": " + e + "\n" + text, e);
        }
    }
}
