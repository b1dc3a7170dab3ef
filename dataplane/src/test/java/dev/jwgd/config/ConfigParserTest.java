package dev.jwgd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.uapi.EndpointCandidate;
import dev.jwgd.ip.IpPrefix;
import dev.jwgd.uapi.SetOperation;
import dev.jwgd.uapi.SetRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigParserTest {
    static final Key PRIV = Curve25519.generatePrivateKey();
    static final Key PUB1 = Curve25519.publicKey(Curve25519.generatePrivateKey());
    static final Key PUB2 = Curve25519.publicKey(Curve25519.generatePrivateKey());
    static final Key PSK = Curve25519.generatePresharedKey();

    @TempDir
    Path tmp;

    static final String SEED = """
            # the seed's host a
            [Interface]
            Address = 10.0.0.1/24, fd00::1/64
            ListenPort = 51820
            PrivateKey = %s
            MTU = 1420
            DNS = 10.0.0.53, example.internal
            Table = off
            PostUp = iptables -A FORWARD -i %%i -j ACCEPT   # a comment
            PreDown = echo down
            SaveConfig = false

            [Peer]   # b
            PublicKey = %s
            PresharedKey = %s
            AllowedIPs = 10.0.0.2/32
            Endpoint = b.com:51820, 192.168.1.2/32:51820
            PersistentKeepalive = 25

            [Peer]
            PublicKey = %s
            AllowedIPs = 10.0.0.3/32, 2001:db8::3
            Endpoint = [2001:db8::3/128]:51820
            """.formatted(PRIV.toBase64(), PUB1.toBase64(), PSK.toBase64(), PUB2.toBase64());

    @Test
    void parsesWgAndWgQuickKeysAndSeveralEndpointsPerPeer() throws Exception {
        WgConfig c = ConfigParser.parse("a.conf", SEED);
        WgConfig.Interface i = c.iface();
        assertEquals(PRIV, i.privateKey());
        assertEquals(51820, i.listenPort());
        assertNull(i.fwmark());
        assertEquals(List.of(IpPrefix.parse("10.0.0.1/24"), IpPrefix.parse("fd00::1/64")), i.addresses(), "host bits kept");
        assertEquals(List.of("10.0.0.53", "example.internal"), i.dns());
        assertEquals(1420, i.mtu());
        assertEquals("off", i.table());
        assertEquals(List.of("iptables -A FORWARD -i %i -j ACCEPT"), i.postUp());
        assertEquals(List.of("echo down"), i.preDown());
        assertEquals(false, i.saveConfig());
        assertEquals(2, c.peers().size());
        WgConfig.Peer b = c.peers().get(0);
        assertEquals(13, b.line());
        assertEquals(PUB1, b.publicKey());
        assertEquals(PSK, b.presharedKey());
        assertEquals(List.of(EndpointCandidate.parse("b.com:51820", true), EndpointCandidate.parse("192.168.1.2:51820", true)), b.endpoints());
        assertFalse(b.endpoints().get(0).isLiteral(), "names stay unresolved for the daemon");
        assertEquals(25, b.keepalive());
        WgConfig.Peer c2 = c.peers().get(1);
        assertEquals(List.of(new WgConfig.AllowedIp(IpPrefix.parse("10.0.0.3/32"), false), new WgConfig.AllowedIp(IpPrefix.parse("2001:db8::3/128"), false)),
                c2.allowedIps(), "an address without /length is a single host");
        assertEquals("[2001:db8::3]:51820", c2.endpoints().getFirst().toString());
        assertTrue(c2.replaceAllowedIps());
        assertNull(c2.keepalive());
    }

    @Test
    void setconfRequestIsWhatWgSendsAndAddconfOnlyWhatTheFileGives() throws Exception {
        String text = "[Interface]\nPrivateKey=" + PRIV.toBase64() + "\n[Peer]\nPublicKey=" + PUB1.toBase64()
                + "\nEndpoint=192.0.2.2:51820\nAllowedIPs=10.0.0.2/32\n";
        WgConfig c = ConfigParser.parse("x.conf", text);
        assertEquals(SetRequest.of(new SetOperation.SetPrivateKey(PRIV), new SetOperation.SetListenPort(0), new SetOperation.SetFwmark(0),
                new SetOperation.ReplacePeers(), new SetOperation.SelectPeer(PUB1),
                new SetOperation.SetEndpoints(List.of(EndpointCandidate.parse("192.0.2.2:51820", false))),
                new SetOperation.ReplaceAllowedIps(), new SetOperation.AddAllowedIp(IpPrefix.parse("10.0.0.2/32"))), c.toSetRequest(true));
        assertEquals(SetRequest.of(new SetOperation.SetPrivateKey(PRIV), new SetOperation.SelectPeer(PUB1),
                new SetOperation.SetEndpoints(List.of(EndpointCandidate.parse("192.0.2.2:51820", false))),
                new SetOperation.ReplaceAllowedIps(), new SetOperation.AddAllowedIp(IpPrefix.parse("10.0.0.2/32"))), c.toSetRequest(false));
        String wire = ConfigParser.parse("s.conf", SEED).toSetRequest(true).toWire();
        assertTrue(wire.contains("\nendpoint_candidates=b.com:51820,192.168.1.2:51820\n"), wire);
        assertTrue(wire.contains("\nendpoint=[2001:db8::3]:51820\n"), wire);
    }

    @Test
    void whitespaceCaseAndCommentsFollowWg() throws Exception {
        WgConfig c = ConfigParser.parse("w.conf", "  [ interface ]\r\n\tlisten port = 5 1820 # comment\nFWMARK = 0x10\n[PEER]\npublic key = "
                + PUB1.toBase64() + "\nallowed ips = 10.0.0.0/8 , 10.1.0.0/16\npersistentkeepalive = off\n");
        assertEquals(51820, c.iface().listenPort());
        assertEquals(16L, c.iface().fwmark());
        assertEquals(2, c.peers().getFirst().allowedIps().size());
        assertEquals(0, c.peers().getFirst().keepalive());
        assertEquals(0L, ConfigParser.parse("o.conf", "[Interface]\nFwMark = off\n").iface().fwmark());
    }

    @Test
    void incrementalAllowedIpsClearReplaceAndMinusRemoves() throws Exception {
        WgConfig c = ConfigParser.parse("i.conf", "[Peer]\nPublicKey=" + PUB1.toBase64() + "\nAllowedIPs = +10.0.0.0/8, -10.1.0.0/16\n");
        WgConfig.Peer p = c.peers().getFirst();
        assertFalse(p.replaceAllowedIps());
        assertEquals(List.of(new WgConfig.AllowedIp(IpPrefix.parse("10.0.0.0/8"), false), new WgConfig.AllowedIp(IpPrefix.parse("10.1.0.0/16"), true)), p.allowedIps());
        assertTrue(c.toSetRequest(false).toWire().contains("allowed_ip=-10.1.0.0/16\n"));
    }

    @Test
    void hostBitsInAllowedIpsAreAWarningAsInWg() throws Exception {
        WgConfig c = ConfigParser.parse("h.conf", "[Peer]\nPublicKey=" + PUB1.toBase64() + "\nAllowedIPs=10.0.0.1/24\n");
        assertEquals(List.of("h.conf:3: AllowedIP has nonzero host part: 10.0.0.1/24"), c.warnings());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "1|ListenPort = 1|`ListenPort' is outside any section",
        "3|[Interface]\\n\\nListenPort = 65536|ListenPort is not a number from 0 to 65535",
        "2|[Interface]\\nListenPort =|`ListenPort' has no value",
        "2|[Interface]\\nFwMark = 0x1ffffffff|FwMark is neither 0/off nor 0-0xffffffff",
        "2|[Interface]\\nPrivateKey = abc|PrivateKey is not a key",
        "2|[Interface]\\nPrivateKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=|PrivateKey is not a key",
        "2|[Interface]\\nPublicKey = x|`PublicKey' is not a key of [Interface]",
        "1|[Peer]\\nAllowedIPs = 10.0.0.0/8|this [Peer] has no PublicKey",
        "2|[Peer]\\nAllowedIPs = 10.0.0.0/33|AllowedIPs: prefix length",
        "2|[Peer]\\nAllowedIPs = 10.0.0.0/8,,10.1.0.0/16|AllowedIPs has an empty entry",
        "2|[Peer]\\nEndpoint = b.com|Endpoint: endpoint `b.com' has no port",
        "2|[Peer]\\nEndpoint = 192.0.2.1/24:51820|only a single-host prefix",
        "2|[Peer]\\nEndpoint = 2001:db8::1:51820|needs brackets",
        "2|[Peer]\\nEndpoint = b.com:51820,|Endpoint has an empty entry",
        "2|[Peer]\\nPersistentKeepalive = 65536|PersistentKeepalive is not a number",
        "2|[Peer]\\nAddress = 10.0.0.1/24|`Address' is not a key of [Peer]",
        "2|[Interface]\\nMTU = 20|MTU is not a number from 68",
        "2|[Interface]\\nSaveConfig = maybe|neither true nor false",
        "2|[Interface]\\nAddress = 10.0.0.300/24|Address:",
        "1|[Foo]|unknown section `[Foo]'",
        "2|[Interface]\\nListenPort 51820|line unrecognized: this line is not KEY = VALUE"
    })
    void errorsNameTheFileAndLine(int line, String text, String message) {
        var e = assertThrows(ConfigException.class, () -> ConfigParser.parse("wg0.conf", text.replace("\\n", "\n")));
        assertTrue(e.getMessage().startsWith("wg0.conf:" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(line, e.line());
    }

    @Test
    void aStrayKeyLineIsNotEchoedInTheError() {
        String secret = PRIV.toBase64();
        var e = assertThrows(ConfigException.class, () -> ConfigParser.parse("k.conf", "[Interface]\n" + secret + "\n"));
        assertFalse(e.getMessage().contains(secret.substring(0, 10)), e.getMessage());
        var e2 = assertThrows(ConfigException.class, () -> ConfigParser.parse("k.conf", "[Interface]\nPrivateKey = " + secret.substring(1) + "A\n"));
        assertFalse(e2.getMessage().contains(secret.substring(1, 11)), e2.getMessage());
    }

    @Test
    void filesAreReadWithTheirNameInMessages() throws Exception {
        Path f = tmp.resolve("wg9.conf");
        Files.writeString(f, "[Interface]\nListenPort = 7\n");
        assertEquals(7, ConfigParser.parse(f).iface().listenPort());
        var missing = assertThrows(ConfigException.class, () -> ConfigParser.parse(tmp.resolve("nope.conf")));
        assertEquals(tmp.resolve("nope.conf") + ": cannot read: no such file", missing.getMessage());
        Path bin = tmp.resolve("bin.conf");
        Files.write(bin, new byte[] {'[', (byte) 0xff, (byte) 0xfe});
        assertTrue(assertThrows(ConfigException.class, () -> ConfigParser.parse(bin)).getMessage().endsWith("is not UTF-8 text"));
    }
}
