package dev.jwgd.uapi;

import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import java.util.List;

/**
 * One line of a UAPI {@code set=1} request, parsed and validated (the cross-platform configuration protocol,
 * https://www.wireguard.com/xplatform/). Device operations come first; {@link SelectPeer} ({@code public_key=})
 * starts a peer section and every {@link PeerOperation} after it acts on that peer. {@link SetRequest} keeps them in
 * request order; {@link SetRequest#applyTo} gives them their meaning.
 */
public sealed interface SetOperation {

    /** {@code private_key}, {@code listen_port}, {@code fwmark}, {@code replace_peers}: only before the first peer. */
    sealed interface DeviceOperation extends SetOperation {}

    /** Keys of a peer section; they act on the peer named by the last {@link SelectPeer}. */
    sealed interface PeerOperation extends SetOperation {}

    /**
     * {@code private_key=HEX}: the interface's static private key, clamped here as the kernel and wireguard-go do, so
     * {@code get} reports the clamped key; all zeros removes the key. The device also removes every peer whose public
     * key equals the new public key.
     */
    record SetPrivateKey(Key key) implements DeviceOperation {
        public SetPrivateKey {
            if (!key.isZero()) {
                byte[] b = key.bytes();
                Curve25519.clamp(b);
                key = Key.of(b);
                java.util.Arrays.fill(b, (byte) 0);
            }
        }

        public boolean removes() {
            return key.isZero();
        }

        @Override
        public String toString() {
            return "SetPrivateKey[redacted]";
        }
    }

    /** {@code listen_port=N}: 0 lets the device pick a port; a bind failure is EADDRINUSE. */
    record SetListenPort(int port) implements DeviceOperation {
        public SetListenPort {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("listen port " + port + " is out of range");
        }
    }

    /** {@code fwmark=N}: SO_MARK of the UDP sockets, an unsigned 32-bit value; 0 removes it. */
    record SetFwmark(long mark) implements DeviceOperation {
        public SetFwmark {
            if (mark < 0 || mark > 0xffff_ffffL) throw new IllegalArgumentException("fwmark " + mark + " is out of range");
        }
    }

    /** {@code replace_peers=true}: remove every peer before the peers that follow are configured. */
    record ReplacePeers() implements DeviceOperation {}

    /**
     * {@code public_key=HEX}: starts a peer section, creating the peer if it does not exist. A key equal to the
     * interface's own public key selects a throw-away peer that absorbs the section (the kernel and wireguard-go
     * ignore such a peer).
     */
    record SelectPeer(Key publicKey) implements SetOperation {}

    /** {@code remove=true}: remove this peer; the rest of its section is ignored. */
    record RemovePeer() implements PeerOperation {}

    /** {@code update_only=true}: if this section just created the peer, remove it again and ignore the section. */
    record UpdateOnly() implements PeerOperation {}

    /** {@code preshared_key=HEX}; all zeros removes the preshared key. */
    record SetPresharedKey(Key key) implements PeerOperation {
        @Override
        public String toString() {
            return "SetPresharedKey[redacted]";
        }
    }

    /**
     * {@code endpoint=IP:PORT} (one literal address, what {@code wg} sends) or the jwgd extension
     * {@code endpoint_candidates=A,B,...} (literals or names, tried in turn). Replaces the peer's candidates.
     */
    record SetEndpoints(List<EndpointCandidate> candidates) implements PeerOperation {
        public SetEndpoints {
            candidates = List.copyOf(candidates);
            if (candidates.isEmpty()) throw new IllegalArgumentException("an endpoint list is not empty");
        }
    }

    /** {@code persistent_keepalive_interval=N} seconds, 0 turns it off; turning it on sends a keepalive at once. */
    record SetPersistentKeepalive(int seconds) implements PeerOperation {
        public SetPersistentKeepalive {
            if (seconds < 0 || seconds > 65535) throw new IllegalArgumentException("keepalive interval " + seconds + " is out of range");
        }
    }

    /** {@code replace_allowed_ips=true}: remove the peer's allowed IPs before the ones that follow are added. */
    record ReplaceAllowedIps() implements PeerOperation {}

    /** {@code allowed_ip=PREFIX}: add it to this peer, moving it away from any other peer that had it. */
    record AddAllowedIp(IpPrefix prefix) implements PeerOperation {}

    /** {@code allowed_ip=-PREFIX} (wireguard-tools 2025): remove it from this peer if this peer has it. */
    record RemoveAllowedIp(IpPrefix prefix) implements PeerOperation {}
}
