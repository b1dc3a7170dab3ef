package dev.jwgd.device;

import dev.jwgd.keys.Key;
import dev.jwgd.session.PeerSession;

/**
 * A peer as the device runs it: its protocol state ({@link PeerSession}: handshake, keypairs,
 * timers, staged packets, counters) and what only the device knows: the endpoint candidates and the
 * one in use (roaming, fail-over), and the preshared key as {@code get} reports it. The trie maps
 * allowed IPs to this object; {@link PeerSession#attachment()} leads back to it.
 */
public final class Peer {
    final Key publicKey;
    final PeerSession session;
    final EndpointSet endpoints;
    volatile Key presharedKey;

    Peer(Key publicKey, PeerSession session, EndpointSet endpoints) {
        this.publicKey = publicKey;
        this.session = session;
        this.endpoints = endpoints;
    }

    public Key publicKey() { return publicKey; }

    public PeerSession session() { return session; }

    public EndpointSet endpoints() { return endpoints; }

    @Override
    public String toString() {
        String b64 = publicKey.toBase64();
        return "peer(" + b64.substring(0, 4) + "…" + b64.substring(40) + ")";
    }
}
