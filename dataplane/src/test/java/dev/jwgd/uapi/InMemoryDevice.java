package dev.jwgd.uapi;

import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration-only {@link UapiDevice} for tests: no sockets, no sessions, just the state a UAPI client can see,
 * changed through {@link SetRequest#applyTo} so that it has exactly the protocol's semantics (clamped private key,
 * own key ignored, replace_peers, remove, update_only, allowed IPs moving between peers). Peers are listed in
 * creation order, allowed IPs in insertion order. A listen port in {@link #busyPorts} fails with EADDRINUSE.
 */
final class InMemoryDevice implements UapiDevice, ConfigurableDevice<InMemoryDevice.Peer> {

    static final class Peer {
        final Key publicKey;
        Key presharedKey;
        List<EndpointCandidate> endpoints = List.of();
        int keepalive;
        long rx, tx, handshakeSec;
        int handshakeNsec;
        int sectionsDone, keepalivesSent;

        Peer(Key publicKey) {
            this.publicKey = publicKey;
        }
    }

    Key privateKey;
    int listenPort;
    long fwmark;
    final List<Integer> busyPorts = new ArrayList<>();
    final Map<Key, Peer> peers = new LinkedHashMap<>();
    final Map<IpPrefix, Peer> allowedIps = new LinkedHashMap<>();

    @Override
    public synchronized DeviceSnapshot snapshot() {
        List<PeerSnapshot> ps = new ArrayList<>();
        for (Peer p : peers.values()) {
            List<IpPrefix> ips = new ArrayList<>();
            allowedIps.forEach((ip, owner) -> {
                if (owner == p) ips.add(ip);
            });
            InetSocketAddress ep = p.endpoints.isEmpty() || !p.endpoints.getFirst().isLiteral() ? null : p.endpoints.getFirst().toSocketAddress();
            ps.add(new PeerSnapshot(p.publicKey, p.presharedKey, 1, ep, p.handshakeSec, p.handshakeNsec, p.rx, p.tx, p.keepalive, ips));
        }
        return new DeviceSnapshot(privateKey, listenPort, fwmark, ps);
    }

    @Override
    public synchronized void apply(SetRequest request) throws UapiException {
        request.applyTo(this);
    }

    Peer peer(Key k) {
        return peers.get(k);
    }

    @Override
    public Key publicKey() {
        return privateKey == null ? null : Curve25519.publicKey(privateKey);
    }

    @Override
    public void setPrivateKey(Key key) {
        privateKey = key.isZero() ? null : key;
    }

    @Override
    public void setListenPort(int port) throws UapiException {
        if (busyPorts.contains(port)) throw UapiException.portInUse("port " + port + " is in use");
        listenPort = port == 0 ? 40000 : port;
    }

    @Override
    public void setFwmark(long mark) {
        fwmark = mark;
    }

    @Override
    public void removeAllPeers() {
        peers.clear();
        allowedIps.clear();
    }

    @Override
    public Peer lookupPeer(Key publicKey) {
        return peers.get(publicKey);
    }

    @Override
    public Peer createPeer(Key publicKey) {
        Peer p = new Peer(publicKey);
        peers.put(publicKey, p);
        return p;
    }

    @Override
    public void removePeer(Peer peer) {
        peers.remove(peer.publicKey);
        allowedIps.values().removeIf(owner -> owner == peer);
    }

    @Override
    public void setPresharedKey(Peer peer, Key key) {
        peer.presharedKey = key.isZero() ? null : key;
    }

    @Override
    public void setEndpoints(Peer peer, List<EndpointCandidate> candidates) {
        peer.endpoints = candidates;
    }

    @Override
    public int setPersistentKeepalive(Peer peer, int seconds) {
        int old = peer.keepalive;
        peer.keepalive = seconds;
        return old;
    }

    @Override
    public void removeAllowedIps(Peer peer) {
        allowedIps.values().removeIf(owner -> owner == peer);
    }

    @Override
    public void addAllowedIp(Peer peer, IpPrefix prefix) {
        allowedIps.remove(prefix);   // a move re-inserts at the end, as a fresh insert would
        allowedIps.put(prefix, peer);
    }

    @Override
    public void removeAllowedIp(Peer peer, IpPrefix prefix) {
        allowedIps.remove(prefix, peer);
    }

    @Override
    public void peerSectionDone(Peer peer, boolean created, boolean keepaliveTurnedOn) {
        peer.sectionsDone++;
        if (keepaliveTurnedOn) peer.keepalivesSent++;
    }
}
