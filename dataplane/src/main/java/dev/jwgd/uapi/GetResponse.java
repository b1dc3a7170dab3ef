package dev.jwgd.uapi;

import dev.jwgd.ip.IpAddressText;
import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Key;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Formats the body of a {@code get=1} reply in wireguard-go's key order ({@code IpcGetOperation}): {@code private_key}
 * (if set), {@code listen_port} (if non-zero), {@code fwmark} (if non-zero), then per peer {@code public_key},
 * {@code preshared_key} (zeros for none), {@code protocol_version=1}, {@code endpoint} (if known),
 * {@code last_handshake_time_sec}, {@code last_handshake_time_nsec}, {@code tx_bytes}, {@code rx_bytes},
 * {@code persistent_keepalive_interval}, one {@code allowed_ip} per prefix. The {@code errno=} line and the blank
 * line are the session's.
 */
public final class GetResponse {
    private GetResponse() {}

    private static final String ZERO_KEY_HEX = "0".repeat(64);

    public static String format(DeviceSnapshot d) {
        StringBuilder sb = new StringBuilder(256 + d.peers().size() * 512);
        if (d.privateKey() != null && !d.privateKey().isZero()) sb.append("private_key=").append(d.privateKey().toHex()).append('\n');
        if (d.listenPort() != 0) sb.append("listen_port=").append(d.listenPort()).append('\n');
        if (d.fwmark() != 0) sb.append("fwmark=").append(d.fwmark()).append('\n');
        for (PeerSnapshot p : d.peers()) {
            sb.append("public_key=").append(p.publicKey().toHex()).append('\n');
            Key psk = p.presharedKey();
            sb.append("preshared_key=").append(psk == null ? ZERO_KEY_HEX : psk.toHex()).append('\n');
            sb.append("protocol_version=").append(p.protocolVersion()).append('\n');
            if (p.endpoint() != null) sb.append("endpoint=").append(endpoint(p.endpoint())).append('\n');
            sb.append("last_handshake_time_sec=").append(p.lastHandshakeSeconds()).append('\n');
            sb.append("last_handshake_time_nsec=").append(p.lastHandshakeNanos()).append('\n');
            sb.append("tx_bytes=").append(Long.toUnsignedString(p.txBytes())).append('\n');
            sb.append("rx_bytes=").append(Long.toUnsignedString(p.rxBytes())).append('\n');
            sb.append("persistent_keepalive_interval=").append(p.persistentKeepalive()).append('\n');
            for (IpPrefix ip : p.allowedIps()) sb.append("allowed_ip=").append(ip).append('\n');
        }
        return sb.toString();
    }

    /** Numeric, IPv6 in brackets, no zone: what {@code wg} splits at {@code ]:} or the last {@code :}. */
    static String endpoint(InetSocketAddress a) {
        if (a.isUnresolved()) throw new IllegalArgumentException("endpoint in use must be an address, not " + a.getHostString());
        byte[] b = a.getAddress().getAddress();
        String host = IpAddressText.format(b);
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
