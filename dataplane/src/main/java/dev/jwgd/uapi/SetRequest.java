package dev.jwgd.uapi;

import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.uapi.SetOperation.AddAllowedIp;
import dev.jwgd.uapi.SetOperation.DeviceOperation;
import dev.jwgd.uapi.SetOperation.PeerOperation;
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

/**
 * A parsed {@code set=1} request: its operations in request order, device operations first. Built by
 * {@link SetRequestParser} from the wire or from a config file by {@code dev.jwgd.config}; {@link #toWire()} gives
 * the text a client sends.
 *
 * <p><b>No rollback.</b> {@link #applyTo} applies the operations one by one and stops at the first failure; the
 * operations before it stay applied, exactly as wireguard-go and the kernel behave. A request whose line N is
 * malformed is handled the same way: the parser keeps operations 1..N-1, they are applied, then the error is
 * answered.
 */
public record SetRequest(List<SetOperation> operations) {

    public SetRequest {
        operations = List.copyOf(operations);
        boolean inPeer = false;
        for (SetOperation op : operations) {
            if (op instanceof SelectPeer) inPeer = true;
            else if (op instanceof DeviceOperation && inPeer)
                throw new IllegalArgumentException(op.getClass().getSimpleName() + " after the first peer");
            else if (op instanceof PeerOperation && !inPeer)
                throw new IllegalArgumentException(op.getClass().getSimpleName() + " before any public_key");
        }
    }

    public static SetRequest of(SetOperation... ops) {
        return new SetRequest(List.of(ops));
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }

    /**
     * Applies the operations to {@code device} in order with the protocol's semantics:
     * <ul>
     * <li>a new private key removes any peer whose public key equals the new public key;</li>
     * <li>{@code public_key} equal to the interface's own public key selects nothing: the section is ignored;</li>
     * <li>{@code remove} removes the peer and ignores the rest of its section; {@code update_only} does the same for
     *     a peer that this section created;</li>
     * <li>{@code allowed_ip} moves a prefix from another peer; {@code -prefix} removes it from this peer only;</li>
     * <li>at the end of each peer section {@link ConfigurableDevice#peerSectionDone} is called, with whether the
     *     keepalive interval went from 0 to non-zero.</li>
     * </ul>
     * Throws the first failure; earlier operations stay applied.
     */
    public <P> void applyTo(ConfigurableDevice<P> device) throws UapiException {
        P peer = null;          // the real peer of the current section, or null when ignored
        boolean created = false, keepaliveOn = false;
        try {
            for (SetOperation op : operations) {
                switch (op) {
                    case SetPrivateKey(Key key) -> {
                        device.setPrivateKey(key);
                        if (!key.isZero()) {
                            Key pub = Curve25519.publicKey(key);
                            P same = device.lookupPeer(pub);
                            if (same != null) device.removePeer(same);
                        }
                    }
                    case SetListenPort(int port) -> device.setListenPort(port);
                    case SetFwmark(long mark) -> device.setFwmark(mark);
                    case ReplacePeers() -> device.removeAllPeers();
                    case SelectPeer(Key pub) -> {
                        if (peer != null) device.peerSectionDone(peer, created, keepaliveOn);
                        peer = null;
                        created = false;
                        keepaliveOn = false;
                        Key own = device.publicKey();
                        if (own == null || !own.equals(pub)) {
                            peer = device.lookupPeer(pub);
                            if (peer == null) {
                                peer = device.createPeer(pub);
                                created = true;
                            }
                        }
                    }
                    case RemovePeer() -> {
                        if (peer != null) device.removePeer(peer);
                        peer = null;
                    }
                    case UpdateOnly() -> {
                        if (peer != null && created) {
                            device.removePeer(peer);
                            peer = null;
                        }
                    }
                    case SetPresharedKey(Key key) -> {
                        if (peer != null) device.setPresharedKey(peer, key);
                    }
                    case SetEndpoints(List<EndpointCandidate> c) -> {
                        if (peer != null) device.setEndpoints(peer, c);
                    }
                    case SetPersistentKeepalive(int seconds) -> {
                        if (peer != null) {
                            int old = device.setPersistentKeepalive(peer, seconds);
                            keepaliveOn = old == 0 && seconds != 0;
                        }
                    }
                    case ReplaceAllowedIps() -> {
                        if (peer != null) device.removeAllowedIps(peer);
                    }
                    case AddAllowedIp(IpPrefix p) -> {
                        if (peer != null) device.addAllowedIp(peer, p.masked());
                    }
                    case RemoveAllowedIp(IpPrefix p) -> {
                        if (peer != null) device.removeAllowedIp(peer, p.masked());
                    }
                }
            }
        } finally {
            if (peer != null) device.peerSectionDone(peer, created, keepaliveOn);
        }
    }

    /** The request as a client sends it: {@code set=1}, one {@code key=value} line per operation, a blank line. */
    public String toWire() {
        StringBuilder sb = new StringBuilder("set=1\n");
        for (SetOperation op : operations) {
            switch (op) {
                case SetPrivateKey(Key key) -> sb.append("private_key=").append(key.toHex());
                case SetListenPort(int port) -> sb.append("listen_port=").append(port);
                case SetFwmark(long mark) -> sb.append("fwmark=").append(mark);
                case ReplacePeers() -> sb.append("replace_peers=true");
                case SelectPeer(Key pub) -> sb.append("public_key=").append(pub.toHex());
                case RemovePeer() -> sb.append("remove=true");
                case UpdateOnly() -> sb.append("update_only=true");
                case SetPresharedKey(Key key) -> sb.append("preshared_key=").append(key.toHex());
                case SetEndpoints(List<EndpointCandidate> c) -> {
                    if (c.size() == 1 && c.getFirst().isLiteral()) {
                        sb.append("endpoint=").append(c.getFirst());
                    } else {
                        sb.append(SetRequestParser.ENDPOINT_CANDIDATES).append('=');
                        for (int i = 0; i < c.size(); i++) sb.append(i == 0 ? "" : ",").append(c.get(i));
                    }
                }
                case SetPersistentKeepalive(int s) -> sb.append("persistent_keepalive_interval=").append(s);
                case ReplaceAllowedIps() -> sb.append("replace_allowed_ips=true");
                case AddAllowedIp(IpPrefix p) -> sb.append("allowed_ip=").append(p);
                case RemoveAllowedIp(IpPrefix p) -> sb.append("allowed_ip=-").append(p);
            }
            sb.append('\n');
        }
        return sb.append('\n').toString();
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "SetRequest[" + operations.size() + " operations]";
    }
}
