package dev.jwgd.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.uapi.SetOperation.AddAllowedIp;
import dev.jwgd.uapi.SetOperation.RemoveAllowedIp;
import dev.jwgd.uapi.SetOperation.RemovePeer;
import dev.jwgd.uapi.SetOperation.ReplaceAllowedIps;
import dev.jwgd.uapi.SetOperation.ReplacePeers;
import dev.jwgd.uapi.SetOperation.SelectPeer;
import dev.jwgd.uapi.SetOperation.SetEndpoints;
import dev.jwgd.uapi.SetOperation.SetFwmark;
import dev.jwgd.uapi.SetOperation.SetListenPort;
import dev.jwgd.uapi.SetOperation.SetPersistentKeepalive;
import dev.jwgd.uapi.SetOperation.SetPresharedKey;
import dev.jwgd.uapi.SetOperation.SetPrivateKey;
import dev.jwgd.uapi.SetOperation.UpdateOnly;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SetRequestParserTest {
    static final String PEER_HEX = "58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376";

    @Test
    void parsesEveryKeyInto_TypedOperationsInRequestOrder() {
        String body = """
                private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a
                listen_port=51820
                fwmark=4294967295
                replace_peers=true
                public_key=%s
                update_only=true
                preshared_key=188515093e952f5f22e865cef3012e72f8b5f0b598ac0309d5dacce3b70fcf52
                protocol_version=1
                endpoint=[2001:db8::1]:51820
                persistent_keepalive_interval=25
                replace_allowed_ips=true
                allowed_ip=192.0.2.0/24
                allowed_ip=-2001:db8::/32
                public_key=%s
                remove=true
                endpoint_candidates=b.com:51820,192.168.1.2/32:51820

                """.formatted(PEER_HEX, PEER_HEX);
        var r = SetRequestParser.parse(body);
        assertNull(r.error());
        List<SetOperation> ops = r.request().operations();
        assertEquals(15, ops.size(), "protocol_version=1 yields no operation");
        assertTrue(ops.get(0) instanceof SetPrivateKey);
        assertEquals(new SetListenPort(51820), ops.get(1));
        assertEquals(new SetFwmark(0xffff_ffffL), ops.get(2));
        assertEquals(new ReplacePeers(), ops.get(3));
        assertEquals(new SelectPeer(Key.fromHex(PEER_HEX)), ops.get(4));
        assertEquals(new UpdateOnly(), ops.get(5));
        assertTrue(ops.get(6) instanceof SetPresharedKey);
        assertEquals(new SetEndpoints(List.of(EndpointCandidate.parse("[2001:db8::1]:51820", false))), ops.get(7));
        assertEquals(new SetPersistentKeepalive(25), ops.get(8));
        assertEquals(new ReplaceAllowedIps(), ops.get(9));
        assertEquals(new AddAllowedIp(IpPrefix.parse("192.0.2.0/24")), ops.get(10));
        assertEquals(new RemoveAllowedIp(IpPrefix.parse("2001:db8::/32")), ops.get(11));
        assertEquals(new RemovePeer(), ops.get(13));
        SetEndpoints cands = (SetEndpoints) ops.get(14);
        assertEquals("b.com:51820", cands.candidates().get(0).toString());
        assertEquals("192.168.1.2:51820", cands.candidates().get(1).toString());
    }

    @Test
    void privateKeyIsClampedAndAllZeroKeyMeansRemove() {
        var r = SetRequestParser.parse("private_key=" + "ff".repeat(32) + "\nprivate_key=" + "00".repeat(32) + "\n");
        byte[] expected = new byte[32];
        java.util.Arrays.fill(expected, (byte) 0xff);
        Curve25519.clamp(expected);
        SetPrivateKey first = (SetPrivateKey) r.request().operations().get(0);
        assertEquals(Key.of(expected), first.key());
        assertTrue(((SetPrivateKey) r.request().operations().get(1)).removes());
    }

    @ParameterizedTest(name = "{0} -> errno {1}")
    @CsvSource(delimiter = '|', value = {
        "no_equals_sign|71",
        "listen_port=65536|22", "listen_port=-1|22", "listen_port=|22", "listen_port=+1|22", "listen_port=0x10|22",
        "fwmark=4294967296|22", "replace_peers=false|22", "replace_peers=TRUE|22",
        "private_key=abc|22", "private_key=" + "zz" + "00000000000000000000000000000000000000000000000000000000000000|22",
        "unknown_key=1|22", "public_key=00|22", "own_public_key=00|22", "Private_key=00|22", "listen_port =1|22"
    })
    void deviceSectionErrorsHaveTheReferenceErrno(String line, int errno) {
        var r = SetRequestParser.parse(line + "\n");
        assertEquals(errno, r.error().errno(), line);
    }

    @ParameterizedTest(name = "{0} -> errno {1}")
    @CsvSource(delimiter = '|', value = {
        "private_key=" + PEER_HEX + "|22", "listen_port=1|22", "remove=false|22", "update_only=1|22",
        "protocol_version=2|22", "endpoint=b.com:51820|22", "endpoint=2001:db8::1:51820|22", "endpoint=1.2.3.4|22",
        "endpoint=1.2.3.4:65536|22", "endpoint=[::1]51820|22", "allowed_ip=10.0.0.0|22", "allowed_ip=10.0.0.0/33|22",
        "allowed_ip=::/129|22", "allowed_ip=+10.0.0.0/8|22", "'allowed_ip=10.0.0.0/8 '|22", "persistent_keepalive_interval=65536|22",
        "replace_allowed_ips=yes|22", "preshared_key=|22", "endpoint_candidates=a.com:1,,b.com:2|22", "x|71"
    })
    void peerSectionErrorsHaveTheReferenceErrno(String line, int errno) {
        var r = SetRequestParser.parse("public_key=" + PEER_HEX + "\n" + line + "\n");
        assertEquals(errno, r.error().errno(), line);
        assertEquals(1, r.request().operations().size(), "the public_key before the bad line is kept");
    }

    @Test
    void parsingStopsAtTheFirstErrorAndKeepsWhatCameBefore() {
        var r = SetRequestParser.parse("listen_port=1\nfwmark=2\nbogus=3\nlisten_port=4\n");
        assertEquals(Errno.EINVAL, r.error().errno());
        assertEquals(List.of(new SetListenPort(1), new SetFwmark(2)), r.request().operations());
    }

    @Test
    void errorMessagesNeverContainKeyMaterial() {
        String secret = "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba5202zz";
        var r = SetRequestParser.parse("private_key=" + secret + "\n");
        assertTrue(!r.error().getMessage().contains("e84b5a6d"), r.error().getMessage());
        var r2 = SetRequestParser.parse(secret + "\n");
        assertTrue(!r2.error().getMessage().contains("e84b5a6d"), r2.error().getMessage());
    }

    @Test
    void wireFormRoundTripsThroughTheParser() {
        SetRequest req = SetRequest.of(new SetPrivateKey(Key.fromHex(PEER_HEX)), new SetListenPort(0), new SetFwmark(7),
                new ReplacePeers(), new SelectPeer(Key.fromHex(PEER_HEX)), new UpdateOnly(),
                new SetEndpoints(List.of(EndpointCandidate.parse("[2001:db8::2]:1", false))),
                new SetEndpoints(List.of(EndpointCandidate.parse("x.example:2", true), EndpointCandidate.parse("192.0.2.1:3", true))),
                new AddAllowedIp(IpPrefix.parse("::ffff:10.0.0.0/104")), new RemoveAllowedIp(IpPrefix.parse("10.0.0.0/8")),
                new SelectPeer(Key.fromHex(PEER_HEX)), new RemovePeer());
        String wire = req.toWire();
        assertTrue(wire.startsWith("set=1\n") && wire.endsWith("\n\n"));
        var r = SetRequestParser.parse(wire.substring("set=1\n".length()));
        assertNull(r.error());
        assertEquals(req, r.request());
    }
}
