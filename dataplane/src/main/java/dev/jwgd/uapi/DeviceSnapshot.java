package dev.jwgd.uapi;

import dev.jwgd.keys.Key;
import java.util.List;

/**
 * Everything a UAPI {@code get} reports about an interface, taken at one moment.
 *
 * @param privateKey the static private key, or {@code null} when none is set
 * @param listenPort the UDP port actually bound (after {@code listen_port=0} the one the kernel picked), 0 if none
 * @param fwmark     SO_MARK, an unsigned 32-bit value, 0 if none
 * @param peers      in the order {@code get} lists them
 */
public record DeviceSnapshot(Key privateKey, int listenPort, long fwmark, List<PeerSnapshot> peers) {
    public DeviceSnapshot {
        peers = List.copyOf(peers);
    }

    @Override
    public String toString() {
        return "DeviceSnapshot[listenPort=" + listenPort + ", fwmark=" + fwmark + ", peers=" + peers.size() + "]";
    }
}
