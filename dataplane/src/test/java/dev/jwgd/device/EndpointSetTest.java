package dev.jwgd.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.pipeline.Endpoint;
import dev.jwgd.uapi.EndpointCandidate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class EndpointSetTest {
    /** A resolver whose answers the test changes, counting lookups. */
    static final class FakeResolver implements EndpointSet.Resolver {
        final Map<String, String> answers = new ConcurrentHashMap<>();
        final List<String> lookups = new ArrayList<>();

        @Override
        public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
            lookups.add(host);
            String a = answers.get(host);
            if (a == null) throw new UnknownHostException(host);
            return List.of(InetAddress.getByName(a));
        }
    }

    private static List<EndpointCandidate> candidates(String... s) {
        List<EndpointCandidate> l = new ArrayList<>();
        for (String e : s) l.add(EndpointCandidate.parse(e, true));
        return l;
    }

    private static Endpoint ep(String s) {
        return Endpoint.of(EndpointCandidate.parse(s, false).toSocketAddress());
    }

    @Test
    void startsAtTheFirstCandidateAndMovesOnWhenHandshakesTimeOut() {
        FakeResolver r = new FakeResolver();
        r.answers.put("b.com", "192.0.2.2");
        EndpointSet set = new EndpointSet(r);
        set.set(candidates("b.com:51820", "192.168.1.2/32:51820"));
        assertEquals(ep("192.0.2.2:51820"), set.current(), "the name resolves to the first endpoint");
        assertTrue(set.handshakeTimedOut(), "a timeout moves to the next candidate");
        assertEquals(ep("192.168.1.2:51820"), set.current(), "the /32 host prefix is tolerated");
        assertTrue(set.handshakeTimedOut(), "after the last candidate it starts over");
        assertEquals(ep("192.0.2.2:51820"), set.current());
    }

    @Test
    void namesAreResolvedAgainEachTimeTheListWasTriedThrough() {
        FakeResolver r = new FakeResolver();
        r.answers.put("b.com", "192.0.2.2");
        EndpointSet set = new EndpointSet(r);
        set.set(candidates("b.com:51820", "192.0.2.9:51820"));
        set.handshakeTimedOut();
        r.answers.put("b.com", "192.0.2.22");
        set.handshakeTimedOut();
        assertEquals(ep("192.0.2.22:51820"), set.current(), "the new address of b.com is used on the next round");
        assertEquals(2, r.lookups.size(), "one lookup when set, one when the list wrapped");
    }

    @Test
    void anUnresolvableNameIsSkippedAndRetriedLater() {
        FakeResolver r = new FakeResolver();
        EndpointSet set = new EndpointSet(r);
        set.set(candidates("down.example:1", "192.0.2.5:2"));
        assertEquals(ep("192.0.2.5:2"), set.current(), "the literal is used while the name does not resolve");
        r.answers.put("down.example", "192.0.2.6");
        set.handshakeTimedOut();
        assertEquals(ep("192.0.2.6:1"), set.current(), "the name is used once it resolves");
    }

    @Test
    void aSingleCandidateKeepsARoamedEndpointUnlessItsNameNowResolvesElsewhere() {
        FakeResolver r = new FakeResolver();
        r.answers.put("b.com", "192.0.2.2");
        EndpointSet literal = new EndpointSet(r);
        literal.set(candidates("192.0.2.7:51820"));
        literal.roamTo(ep("192.0.2.8:40000"));
        assertFalse(literal.handshakeTimedOut(), "a single literal endpoint never fails over, as in wireguard-go");
        assertEquals(ep("192.0.2.8:40000"), literal.current());

        EndpointSet named = new EndpointSet(r);
        named.set(candidates("b.com:51820"));
        named.roamTo(ep("192.0.2.8:40000"));
        assertFalse(named.handshakeTimedOut(), "same DNS answer: the roamed address stays");
        assertEquals(ep("192.0.2.8:40000"), named.current());
        r.answers.put("b.com", "192.0.2.3");
        assertTrue(named.handshakeTimedOut(), "a new DNS answer is tried");
        assertEquals(ep("192.0.2.3:51820"), named.current());
    }

    @Test
    void roamingReplacesTheEndpointAndNoCandidatesMeansNoEndpoint() {
        EndpointSet set = new EndpointSet(new FakeResolver());
        assertNull(set.current());
        assertFalse(set.handshakeTimedOut(), "nothing to fail over to");
        set.roamTo(ep("[2001:db8::7]:4000"));
        assertEquals("[2001:db8::7]:4000", set.current().toString());
        assertTrue(set.confirmed());
    }
}
