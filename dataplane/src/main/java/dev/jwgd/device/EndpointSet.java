package dev.jwgd.device;

import dev.jwgd.pipeline.Endpoint;
import dev.jwgd.uapi.EndpointCandidate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer's endpoint candidates (jwgd's multi-endpoint peers: {@code Endpoint = b.com:51820,
 * 192.168.1.2/32:51820}) and the one in use. Names are resolved when the candidates are set and
 * again each time the list has been tried through; the peer moves to the next candidate whenever a
 * handshake times out on the current one ({@link #handshakeTimedOut}), stays with whichever one
 * answers, and afterwards follows authenticated packets like any WireGuard peer ({@link #roamTo}).
 *
 * <p>Writers (UAPI thread, timers, receive path) synchronize on this object; the data path reads
 * {@link #current()} through a volatile field without locking.
 */
public final class EndpointSet {
    /** Resolves a host name; replaced in tests. */
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    public static final Resolver SYSTEM_RESOLVER = host -> List.of(InetAddress.getAllByName(host));

    private final Resolver resolver;
    private List<EndpointCandidate> candidates = List.of();
    private List<Endpoint> resolved = List.of();
    private int index;
    private volatile Endpoint current;
    /** True once a handshake completed with the current endpoint (no more failing over until it stops). */
    private boolean confirmed;

    public EndpointSet(Resolver resolver) {
        this.resolver = resolver;
    }

    /** The endpoint packets go to now, or null when none is known. Lock-free. */
    public Endpoint current() {
        return current;
    }

    public synchronized List<EndpointCandidate> candidates() {
        return candidates;
    }

    /** Replaces the candidates and moves to the first one that resolves. */
    public synchronized void set(List<EndpointCandidate> list) {
        candidates = List.copyOf(list);
        confirmed = false;
        resolved = resolveAll(candidates);
        index = 0;
        current = resolved.isEmpty() ? null : resolved.getFirst();
    }

    /**
     * A handshake to the current endpoint went unanswered: move to the next candidate, re-resolving
     * every name once the list has been tried through. A peer with a single candidate keeps its
     * endpoint (it may have roamed, as WireGuard allows) unless its name now resolves to a different
     * address. Returns true when the endpoint changed.
     */
    public synchronized boolean handshakeTimedOut() {
        if (candidates.isEmpty()) return false;
        confirmed = false;
        Endpoint before = current;
        if (candidates.size() == 1) {
            if (candidates.getFirst().isLiteral()) return false;
            List<Endpoint> again = resolveAll(candidates);
            if (again.isEmpty() || again.equals(resolved)) return false;
            resolved = again;
            index = 0;
            current = again.getFirst();
            return !current.equals(before);
        }
        int next = index + 1;
        if (next >= resolved.size() || resolved.isEmpty()) {
            resolved = resolveAll(candidates);
            next = 0;
        }
        index = next;
        if (!resolved.isEmpty()) current = resolved.get(index);
        return current != null && !current.equals(before);
    }

    /** A handshake completed: stay with the endpoint that answered. */
    public synchronized void handshakeCompleted() {
        confirmed = true;
    }

    public synchronized boolean confirmed() {
        return confirmed;
    }

    /**
     * An authenticated packet came from {@code source} (whitepaper 6.5: roaming). The data path calls
     * this only when the source differs from {@link #current()}, so it runs rarely.
     */
    public synchronized void roamTo(Endpoint source) {
        current = source;
        confirmed = true;
    }

    private List<Endpoint> resolveAll(List<EndpointCandidate> list) {
        List<Endpoint> out = new ArrayList<>(list.size());
        for (EndpointCandidate c : list) {
            if (c.isLiteral()) {
                out.add(Endpoint.of(c.toSocketAddress()));
                continue;
            }
            try {
                List<InetAddress> addrs = resolver.resolve(c.host());
                // Prefer IPv4 like wg(8)'s getaddrinfo with AI_ADDRCONFIG usually does; keep one per candidate.
                InetAddress pick = null;
                for (InetAddress a : addrs) if (a.getAddress().length == 4) { pick = a; break; }
                if (pick == null && !addrs.isEmpty()) pick = addrs.getFirst();
                if (pick != null) out.add(Endpoint.of(pick, c.port()));
            } catch (UnknownHostException e) {
                // An unresolvable name is skipped this round and tried again on the next.
            }
        }
        return out;
    }
}
