package dev.jwgd.uapi;

import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Key;
import java.util.List;

/**
 * The primitive changes a device offers so that {@link SetRequest#applyTo} can give a {@code set} request its exact
 * meaning (the state machine of wireguard-go's {@code IpcSetOperation}: dummy peers, {@code update_only},
 * {@code remove}, the keepalive sent when persistent keepalive is turned on). A device implements these and gets the
 * protocol's semantics from one place; each method does one plain thing and never interprets the request itself.
 *
 * <p>Calls come from one thread at a time ({@link UapiServer} serializes {@code set} requests), but the device's own
 * data-path threads may run concurrently, so each change must be safe against them.
 *
 * @param <P> the device's peer type
 */
public interface ConfigurableDevice<P> {

    /** The interface's public key, or {@code null} while it has no private key. */
    Key publicKey();

    /**
     * Sets the (already clamped) private key; a zero key removes it. Peers whose key equals the new public key are
     * removed by the caller. Setting the key the device already has must change nothing (wireguard-go returns early):
     * {@code wg setconf} and {@code syncconf} always send the private key, and sessions must survive that.
     */
    void setPrivateKey(Key key);

    /** Rebinds the UDP socket(s) to {@code port} (0: any free port); throws EADDRINUSE if that fails. */
    void setListenPort(int port) throws UapiException;

    /** Sets SO_MARK on the UDP socket(s) (0 removes it); throws EADDRINUSE if that fails, as wireguard-go does. */
    void setFwmark(long mark) throws UapiException;

    void removeAllPeers();

    /** The peer with this public key, or {@code null}. */
    P lookupPeer(Key publicKey);

    /** Creates a peer with no allowed IPs, no endpoint and no preshared key; throws (e.g. ENOMEM) if it cannot. */
    P createPeer(Key publicKey) throws UapiException;

    /** Removes the peer, its allowed IPs and its sessions. */
    void removePeer(P peer);

    /** Sets the preshared key; a zero key removes it. */
    void setPresharedKey(P peer, Key key);

    /** Replaces the peer's endpoint candidates (names are resolved by the device, not here). */
    void setEndpoints(P peer, List<EndpointCandidate> candidates);

    /** Sets the persistent keepalive interval in seconds (0: off) and returns the previous one. */
    int setPersistentKeepalive(P peer, int seconds);

    /** Removes all of the peer's allowed IPs. */
    void removeAllowedIps(P peer);

    /** Adds the prefix to the peer (host bits cleared), taking it away from any other peer that had it. */
    void addAllowedIp(P peer, IpPrefix prefix);

    /** Removes the prefix (host bits cleared) if this peer has it; a prefix of another peer stays. */
    void removeAllowedIp(P peer, IpPrefix prefix);

    /**
     * The end of a peer's section (also after a failed operation in it): the device starts the peer if the interface
     * is up, sends one keepalive at once if {@code keepaliveTurnedOn} (the interval went from 0 to non-zero in this
     * section), and sends the packets staged for it. Not called for ignored peers (own key, removed, update_only).
     */
    void peerSectionDone(P peer, boolean created, boolean keepaliveTurnedOn);
}
