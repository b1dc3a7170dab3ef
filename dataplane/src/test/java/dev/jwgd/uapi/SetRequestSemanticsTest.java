package dev.jwgd.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meaning of set requests, through {@link SetRequest#applyTo} on the in-memory device. */
class SetRequestSemanticsTest {
    final InMemoryDevice dev = new InMemoryDevice();
    final Key a = Curve25519.publicKey(Curve25519.generatePrivateKey());
    final Key b = Curve25519.publicKey(Curve25519.generatePrivateKey());

    void set(String body) throws UapiException {
        var r = SetRequestParser.parse(body);
        dev.apply(r.request());
        if (r.error() != null) throw r.error();
    }

    List<IpPrefix> ips(Key k) {
        return dev.snapshot().peers().stream().filter(p -> p.publicKey().equals(k)).findFirst().orElseThrow().allowedIps();
    }

    @Test
    void allowedIpMovesFromAnotherPeerAndIsStoredMasked() throws Exception {
        set("public_key=" + a.toHex() + "\nallowed_ip=10.0.0.1/24\npublic_key=" + b.toHex() + "\nallowed_ip=10.1.0.0/16\n");
        set("public_key=" + b.toHex() + "\nallowed_ip=10.0.0.0/24\n");
        assertEquals(List.of(), ips(a));
        assertEquals(List.of(IpPrefix.parse("10.1.0.0/16"), IpPrefix.parse("10.0.0.0/24")), ips(b));
    }

    @Test
    void replaceAllowedIpsClearsOnlyThisPeer() throws Exception {
        set("public_key=" + a.toHex() + "\nallowed_ip=10.0.0.0/24\nallowed_ip=10.0.1.0/24\npublic_key=" + b.toHex() + "\nallowed_ip=10.9.0.0/16\n");
        set("public_key=" + a.toHex() + "\nreplace_allowed_ips=true\nallowed_ip=10.0.2.0/24\n");
        assertEquals(List.of(IpPrefix.parse("10.0.2.0/24")), ips(a));
        assertEquals(List.of(IpPrefix.parse("10.9.0.0/16")), ips(b));
    }

    @Test
    void minusPrefixRemovesOnlyFromThisPeer() throws Exception {
        set("public_key=" + a.toHex() + "\nallowed_ip=10.0.0.0/24\nallowed_ip=10.0.1.0/24\npublic_key=" + b.toHex() + "\nallowed_ip=10.9.0.0/16\n");
        set("public_key=" + a.toHex() + "\nallowed_ip=-10.0.0.0/24\nallowed_ip=-10.9.0.0/16\n");
        assertEquals(List.of(IpPrefix.parse("10.0.1.0/24")), ips(a));
        assertEquals(List.of(IpPrefix.parse("10.9.0.0/16")), ips(b), "a prefix of another peer stays");
    }

    @Test
    void replacePeersRemovesEveryPeerBeforeTheNewOnes() throws Exception {
        set("public_key=" + a.toHex() + "\nallowed_ip=10.0.0.0/24\n");
        set("replace_peers=true\npublic_key=" + b.toHex() + "\n");
        assertEquals(1, dev.peers.size());
        assertNotNull(dev.peer(b));
        assertEquals(0, dev.allowedIps.size());
    }

    @Test
    void removeDeletesThePeerAndIgnoresTheRestOfItsSection() throws Exception {
        set("public_key=" + a.toHex() + "\nallowed_ip=10.0.0.0/24\n");
        set("public_key=" + a.toHex() + "\nremove=true\nallowed_ip=10.0.1.0/24\npersistent_keepalive_interval=5\n");
        assertNull(dev.peer(a));
        assertEquals(0, dev.allowedIps.size());
    }

    @Test
    void updateOnlyDoesNotCreateButUpdatesAnExistingPeer() throws Exception {
        set("public_key=" + a.toHex() + "\nupdate_only=true\nallowed_ip=10.0.0.0/24\n");
        assertNull(dev.peer(a));
        assertEquals(0, dev.allowedIps.size());
        set("public_key=" + a.toHex() + "\n");
        set("public_key=" + a.toHex() + "\nupdate_only=true\nallowed_ip=10.0.0.0/24\n");
        assertEquals(List.of(IpPrefix.parse("10.0.0.0/24")), ips(a));
    }

    @Test
    void aPeerEqualToOurOwnPublicKeyIsIgnored() throws Exception {
        Key priv = Curve25519.generatePrivateKey();
        Key own = Curve25519.publicKey(priv);
        set("private_key=" + priv.toHex() + "\npublic_key=" + own.toHex() + "\nallowed_ip=10.0.0.0/24\n");
        assertEquals(0, dev.peers.size());
        assertEquals(0, dev.allowedIps.size());
    }

    @Test
    void settingAPrivateKeyRemovesThePeerWithTheMatchingPublicKey() throws Exception {
        Key priv = Curve25519.generatePrivateKey();
        Key own = Curve25519.publicKey(priv);
        set("public_key=" + own.toHex() + "\nallowed_ip=10.0.0.0/24\n");
        assertNotNull(dev.peer(own));
        set("private_key=" + priv.toHex() + "\n");
        assertNull(dev.peer(own));
    }

    @Test
    void snapshotReportsTheClampedPrivateKey() throws Exception {
        set("private_key=" + "ff".repeat(32) + "\n");
        byte[] clamped = new byte[32];
        java.util.Arrays.fill(clamped, (byte) 0xff);
        Curve25519.clamp(clamped);
        assertEquals(Key.of(clamped), dev.snapshot().privateKey());
        set("private_key=" + "00".repeat(32) + "\n");
        assertNull(dev.snapshot().privateKey());
    }

    @Test
    void keepaliveIsSentOnceWhenPersistentKeepaliveGoesFromZeroToNonZero() throws Exception {
        set("public_key=" + a.toHex() + "\npersistent_keepalive_interval=25\n");
        assertEquals(1, dev.peer(a).keepalivesSent);
        set("public_key=" + a.toHex() + "\npersistent_keepalive_interval=30\n");
        assertEquals(1, dev.peer(a).keepalivesSent, "already on: no new immediate keepalive");
        set("public_key=" + a.toHex() + "\npersistent_keepalive_interval=0\n");
        set("public_key=" + a.toHex() + "\npersistent_keepalive_interval=10\n");
        assertEquals(2, dev.peer(a).keepalivesSent);
    }

    @Test
    void noRollbackOperationsBeforeAFailureStayApplied() {
        dev.busyPorts.add(4000);
        var e = assertThrows(UapiException.class, () -> set("fwmark=9\nlisten_port=4000\npublic_key=" + a.toHex() + "\n"));
        assertEquals(Errno.EADDRINUSE, e.errno());
        assertEquals(9, dev.fwmark, "the line before the failure stays applied");
        assertNull(dev.peer(a), "the lines after it are not applied");
        var e2 = assertThrows(UapiException.class,
                () -> set("public_key=" + a.toHex() + "\nallowed_ip=10.0.0.0/8\nallowed_ip=bad\nallowed_ip=10.1.0.0/16\n"));
        assertEquals(Errno.EINVAL, e2.errno());
        assertEquals(List.of(IpPrefix.parse("10.0.0.0/8")), ips(a), "parse errors do not roll back either");
        assertEquals(1, dev.peer(a).sectionsDone, "the peer section is still finished after the failure");
    }
}
