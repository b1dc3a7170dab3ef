package dev.jwgd.uapi;

import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Key;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One peer as {@code get} reports it.
 *
 * @param publicKey               the peer's public key
 * @param presharedKey            the preshared key, or {@code null} for none (reported as zeros)
 * @param protocolVersion         1
 * @param endpoint                the endpoint in use (the candidate that answered, or the roamed address), or null
 * @param lastHandshakeSeconds    wall-clock time of the last handshake, seconds since the Unix epoch, 0 if never
 * @param lastHandshakeNanos      its nanoseconds part, 0 to 999 999 999
 * @param rxBytes                 UDP payload bytes received, handshakes included (unsigned 64-bit)
 * @param txBytes                 UDP payload bytes sent, handshakes included (unsigned 64-bit)
 * @param persistentKeepalive     seconds, 0 if off
 * @param allowedIps              the peer's prefixes, host bits cleared
 */
public record PeerSnapshot(Key publicKey, Key presharedKey, int protocolVersion, InetSocketAddress endpoint,
                           long lastHandshakeSeconds, int lastHandshakeNanos, long rxBytes, long txBytes,
                           int persistentKeepalive, List<IpPrefix> allowedIps) {
    public PeerSnapshot {
        allowedIps = List.copyOf(allowedIps);
    }

    @Override
    public String toString() {
        return "PeerSnapshot[endpoint=" + endpoint + ", allowedIps=" + allowedIps.size() + "]";
    }
}
