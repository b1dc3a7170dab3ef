package dev.jwgd.config;

import dev.jwgd.keys.Key;
import dev.jwgd.uapi.EndpointCandidate;
import dev.jwgd.ip.IpPrefix;
import dev.jwgd.uapi.SetOperation;
import dev.jwgd.uapi.SetRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed WireGuard config file: wg's keys ({@code [Interface]} PrivateKey, ListenPort, FwMark; {@code [Peer]}
 * PublicKey, PresharedKey, AllowedIPs, Endpoint, PersistentKeepalive) and wg-quick's interface keys (Address, DNS,
 * MTU, Table, PreUp, PostUp, PreDown, PostDown, SaveConfig), which only {@code jwgd up} uses. A value the file does not
 * give is {@code null} (or an empty list).
 *
 * @param source   the file name, for messages
 * @param iface    the {@code [Interface]} keys (all sections merged, as wg does)
 * @param peers    the {@code [Peer]} sections in file order
 * @param warnings things wg also only warns about (an AllowedIPs entry with host bits set)
 */
public record WgConfig(String source, Interface iface, List<Peer> peers, List<String> warnings) {

    public WgConfig {
        peers = List.copyOf(peers);
        warnings = List.copyOf(warnings);
    }

    /**
     * @param privateKey  null if absent
     * @param listenPort  null if absent
     * @param fwmark      null if absent; 0 for {@code off}
     * @param addresses   wg-quick Address entries, host bits kept
     * @param dns         wg-quick DNS entries (servers and search domains, as written)
     * @param mtu         wg-quick MTU, null if absent
     * @param table       wg-quick Table ({@code off}, {@code auto}, a number or a name), null if absent
     * @param saveConfig  wg-quick SaveConfig, null if absent
     */
    public record Interface(Key privateKey, Integer listenPort, Long fwmark, List<IpPrefix> addresses, List<String> dns,
                            Integer mtu, String table, List<String> preUp, List<String> postUp, List<String> preDown,
                            List<String> postDown, Boolean saveConfig) {
        public Interface {
            addresses = List.copyOf(addresses);
            dns = List.copyOf(dns);
            preUp = List.copyOf(preUp);
            postUp = List.copyOf(postUp);
            preDown = List.copyOf(preDown);
            postDown = List.copyOf(postDown);
        }

        @Override
        public String toString() {
            return "Interface[listenPort=" + listenPort + ", fwmark=" + fwmark + ", addresses=" + addresses + ", mtu=" + mtu + "]";
        }
    }

    /** One AllowedIPs entry; {@code remove} for wg's {@code -prefix} form (incremental removal). */
    public record AllowedIp(IpPrefix prefix, boolean remove) {}

    /**
     * @param line              the line of the {@code [Peer]} header
     * @param presharedKey      null if absent
     * @param endpoints         the candidates in order (literal addresses or names, unresolved); empty if absent
     * @param keepalive         seconds, 0 for {@code off}; null if absent
     * @param replaceAllowedIps true unless the section's AllowedIPs used the incremental {@code +}/{@code -} forms
     */
    public record Peer(int line, Key publicKey, Key presharedKey, List<EndpointCandidate> endpoints, Integer keepalive,
                       List<AllowedIp> allowedIps, boolean replaceAllowedIps) {
        public Peer {
            endpoints = List.copyOf(endpoints);
            allowedIps = List.copyOf(allowedIps);
        }

        @Override
        public String toString() {
            return "Peer[line=" + line + ", endpoints=" + endpoints + ", allowedIps=" + allowedIps.size() + "]";
        }
    }

    /**
     * The UAPI request that applies this config. {@code replace} gives {@code setconf}'s meaning (as wg: the private
     * key, listen port and fwmark are always sent, zero when absent, and {@code replace_peers=true} removes the peers
     * the file does not list); otherwise {@code addconf}'s (only what the file gives; existing peers stay).
     * Endpoints that are one literal address are sent as wg sends them ({@code endpoint=}); names and several
     * candidates use jwgd's {@code endpoint_candidates=}.
     */
    public SetRequest toSetRequest(boolean replace) {
        List<SetOperation> ops = new ArrayList<>();
        if (iface.privateKey() != null || replace)
            ops.add(new SetOperation.SetPrivateKey(iface.privateKey() != null ? iface.privateKey() : Key.of(new byte[Key.LENGTH])));
        if (iface.listenPort() != null || replace) ops.add(new SetOperation.SetListenPort(iface.listenPort() != null ? iface.listenPort() : 0));
        if (iface.fwmark() != null || replace) ops.add(new SetOperation.SetFwmark(iface.fwmark() != null ? iface.fwmark() : 0));
        if (replace) ops.add(new SetOperation.ReplacePeers());
        for (Peer p : peers) {
            ops.add(new SetOperation.SelectPeer(p.publicKey()));
            if (p.presharedKey() != null) ops.add(new SetOperation.SetPresharedKey(p.presharedKey()));
            if (!p.endpoints().isEmpty()) ops.add(new SetOperation.SetEndpoints(p.endpoints()));
            if (p.keepalive() != null) ops.add(new SetOperation.SetPersistentKeepalive(p.keepalive()));
            if (p.replaceAllowedIps()) ops.add(new SetOperation.ReplaceAllowedIps());
            for (AllowedIp a : p.allowedIps())
                ops.add(a.remove() ? new SetOperation.RemoveAllowedIp(a.prefix()) : new SetOperation.AddAllowedIp(a.prefix()));
        }
        return new SetRequest(ops);
    }
}
