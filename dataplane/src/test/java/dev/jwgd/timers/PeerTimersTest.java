package dev.jwgd.timers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.protocol.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The kernel's timers.c rules, one by one, on a recorded list of actions. */
class PeerTimersTest {
    private static final long S = 1_000_000_000L;
    private final List<String> actions = new ArrayList<>();
    private final PeerTimers t = new PeerTimers(new SplittableRandom(1));
    private final PeerTimers.Actions record = new PeerTimers.Actions() {
        @Override public void sendHandshakeInitiation(boolean retry) { actions.add(retry ? "retry" : "initiate"); }
        @Override public void sendKeepalive() { actions.add("keepalive"); t.onAnyAuthenticatedPacketSent(); }
        @Override public void handshakeGaveUp() { actions.add("gave up"); }
        @Override public void zeroKeyMaterial() { actions.add("zero"); }
        @Override public void clearEndpointSource() { actions.add("clear src"); }
    };

    @Test
    void retransmitFiresAfterRekeyTimeoutPlusJitter() {
        t.onHandshakeInitiated(0);
        t.poll(Protocol.REKEY_TIMEOUT - 1, record);
        assertEquals(List.of(), actions);
        t.poll(Protocol.REKEY_TIMEOUT + Protocol.REKEY_TIMEOUT_JITTER_MAX, record);
        assertEquals(List.of("clear src", "retry"), actions);
        assertEquals(1, t.handshakeAttempts());
    }

    @Test
    void retriesStopAfterMaxTimerHandshakesThenKeysAreZeroedLater() {
        long now = 0;
        t.onHandshakeInitiated(now);
        int sent = 1;
        for (int i = 0; i < 30; i++) {
            now += 6 * S;
            int before = actions.size();
            t.poll(now, record);
            if (actions.subList(before, actions.size()).contains("retry")) {
                sent++;
                t.onHandshakeInitiated(now);
            }
        }
        assertEquals(Protocol.MAX_TIMER_HANDSHAKES + 2, sent, "20 initiations in all");
        assertTrue(actions.contains("gave up"));
        assertTrue(t.zeroKeyMaterialPending());
        t.poll(now + Protocol.ZERO_KEYS_AFTER, record);
        assertEquals("zero", actions.getLast());
    }

    @Test
    void completingTheHandshakeCancelsTheRetransmitAndResetsAttempts() {
        t.onHandshakeInitiated(0);
        t.poll(6 * S, record);
        t.onHandshakeInitiated(6 * S);
        t.onHandshakeComplete();
        assertFalse(t.retransmitPending());
        assertEquals(0, t.handshakeAttempts());
        t.poll(60 * S, record);
        assertEquals(1, actions.stream().filter("retry"::equals).count());
    }

    @Test
    void dataReceivedWithoutReplyTriggersAKeepaliveAfterTenSeconds() {
        t.onDataReceived(0);
        t.onDataReceived(S); // another while pending: one more keepalive later
        t.poll(Protocol.KEEPALIVE_TIMEOUT - 1, record);
        assertEquals(List.of(), actions);
        t.poll(Protocol.KEEPALIVE_TIMEOUT, record);
        assertEquals(List.of("keepalive"), actions);
        t.poll(2 * Protocol.KEEPALIVE_TIMEOUT, record);
        assertEquals(List.of("keepalive", "keepalive"), actions);
        t.poll(10 * Protocol.KEEPALIVE_TIMEOUT, record);
        assertEquals(2, actions.size());
    }

    @Test
    void sendingAnythingCancelsThePendingKeepalive() {
        t.onDataReceived(0);
        t.onAnyAuthenticatedPacketSent();
        t.poll(60 * S, record);
        assertEquals(List.of(), actions);
    }

    @Test
    void dataSentWithoutAnyReplyStartsANewHandshakeAfterFifteenSeconds() {
        t.onDataSent(0);
        t.onDataSent(5 * S); // does not push the deadline
        t.poll(Protocol.KEEPALIVE_TIMEOUT + Protocol.REKEY_TIMEOUT - 1, record);
        assertEquals(List.of(), actions);
        t.poll(Protocol.KEEPALIVE_TIMEOUT + Protocol.REKEY_TIMEOUT + Protocol.REKEY_TIMEOUT_JITTER_MAX, record);
        assertEquals(List.of("clear src", "initiate"), actions);
    }

    @Test
    void anyAuthenticatedPacketReceivedCancelsTheNewHandshakeTimer() {
        t.onDataSent(0);
        t.onAnyAuthenticatedPacketReceived();
        t.poll(60 * S, record);
        assertEquals(List.of(), actions);
    }

    @Test
    void sessionDerivedArmsZeroingAfter540Seconds() {
        t.onSessionDerived(0);
        t.onSessionDerived(100 * S); // a newer session pushes it
        t.poll(539 * S, record);
        assertEquals(List.of(), actions);
        t.poll(640 * S, record);
        assertEquals(List.of("zero"), actions);
    }

    @Test
    void persistentKeepaliveFiresIntervalAfterTheLastTraversal() {
        t.persistentKeepaliveInterval(25);
        t.onAnyAuthenticatedPacketTraversal(0);
        t.onAnyAuthenticatedPacketTraversal(10 * S);
        t.poll(34 * S, record);
        assertEquals(List.of(), actions);
        t.poll(35 * S, record);
        assertEquals(List.of("keepalive"), actions);
    }

    @Test
    void stoppedTimersFireNothing() {
        t.onHandshakeInitiated(0);
        t.onDataReceived(0);
        t.onSessionDerived(0);
        t.stop();
        t.poll(1000 * S, record);
        assertEquals(List.of(), actions);
        assertEquals(Long.MAX_VALUE, t.nextDeadline());
    }
}
