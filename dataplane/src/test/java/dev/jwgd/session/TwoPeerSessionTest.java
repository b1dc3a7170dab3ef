package dev.jwgd.session;

import static dev.jwgd.protocol.Protocol.MESSAGE_HANDSHAKE_COOKIE;
import static dev.jwgd.protocol.Protocol.MESSAGE_HANDSHAKE_INITIATION;
import static dev.jwgd.protocol.Protocol.MESSAGE_HANDSHAKE_RESPONSE;
import static dev.jwgd.protocol.Protocol.MESSAGE_TRANSPORT_DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two engines over an in-memory wire with a virtual clock: the protocol's behaviour end to end. */
class TwoPeerSessionTest {
    private static final long SECOND = InMemoryPeers.SECOND;

    @Test
    void handshakeThenDataFlowsBothWays() {
        InMemoryPeers n = new InMemoryPeers(1);
        n.a.send("ping from A.....");
        assertEquals(1, n.a.peer.stagedCount(), "no session yet: the packet waits and a handshake starts");
        n.runSeconds(0.1);
        assertEquals(List.of("ping from A....."), n.b.received());
        n.b.send("pong from B.....");
        n.runSeconds(0.1);
        assertEquals(List.of("pong from B....."), n.a.received());
        assertEquals(1, n.a.sent(MESSAGE_HANDSHAKE_INITIATION));
        assertEquals(1, n.b.sent(MESSAGE_HANDSHAKE_RESPONSE));
        assertEquals(1, n.a.engine.counters().handshakesCompleted.get());
        assertEquals(1, n.b.engine.counters().handshakesCompleted.get());
        assertTrue(n.a.peer.lastHandshakeWallClockNanos() > 0);
        assertEquals(0, n.a.peer.stagedCount());
    }

    @Test
    void byteCountersIncludeHandshakeMessages() {
        InMemoryPeers n = new InMemoryPeers(2);
        n.a.send("0123456789abcdef");
        n.runSeconds(0.1);
        // A: initiation 148 + one 16-byte data message (16 + 16 + 16 = 48) sent; response 92 received.
        assertEquals(148 + 48, n.a.peer.txBytes());
        assertEquals(92, n.a.peer.rxBytes());
        assertEquals(148 + 48, n.b.peer.rxBytes());
        assertEquals(92, n.b.peer.txBytes());
    }

    @Test
    void responderUsesTheNewKeypairOnlyAfterTheInitiatorsFirstPacketConfirmsIt() {
        InMemoryPeers n = new InMemoryPeers(3);
        n.filter = p -> p.type() == MESSAGE_TRANSPORT_DATA ? List.of() : List.of(p);
        n.a.peer.initiateHandshake();
        n.deliver();
        assertNotNull(n.a.peer.currentKeypair(), "the initiator can send at once");
        assertNull(n.b.peer.currentKeypair(), "the responder waits for confirmation");
        Keypair next = n.b.peer.nextKeypair();
        assertNotNull(next);
        assertNull(n.b.peer.sendingKeypair());
        n.filter = List::of;
        n.a.send("confirm.........");
        n.deliver();
        assertSame(next, n.b.peer.currentKeypair());
        assertNull(n.b.peer.nextKeypair());
    }

    @Test
    void initiatorSendsAKeepaliveToConfirmWhenItHasNothingStaged() {
        InMemoryPeers n = new InMemoryPeers(4);
        n.a.peer.initiateHandshake();
        n.deliver();
        assertEquals(1, n.b.keepalivesReceived);
        assertNotNull(n.b.peer.currentKeypair());
    }

    @Test
    void rekeysAfterRekeyAfterTimeWhileTrafficFlows() {
        InMemoryPeers n = new InMemoryPeers(5);
        n.establish();
        Keypair first = n.a.peer.currentKeypair();
        for (int s = 0; s < 130; s++) {
            n.a.send("tick from A.....");
            n.b.send("tock from B.....");
            n.runSeconds(1);
        }
        Keypair now = n.a.peer.currentKeypair();
        assertNotSame(first, now, "a new session after REKEY_AFTER_TIME");
        assertTrue(n.a.sent(MESSAGE_HANDSHAKE_INITIATION) >= 2);
        assertTrue(n.a.engine.counters().handshakesCompleted.get() >= 2);
        long birth = now.birthdate();
        assertTrue(birth - first.birthdate() >= Protocol.REKEY_AFTER_TIME, "rekey not before 120 s");
        assertTrue(birth - first.birthdate() < Protocol.REKEY_AFTER_TIME + 5 * SECOND, "rekey soon after 120 s");
        assertEquals(0, n.a.openRejected + n.b.openRejected, "no packet lost across the rekey");
        assertEquals(131, n.b.received().size(), "every packet arrived");
        assertEquals(131, n.a.received().size());
    }

    @Test
    void keysAreRefusedAtRejectAfterTime() {
        InMemoryPeers n = new InMemoryPeers(6);
        n.establish();
        Keypair kp = n.a.peer.currentKeypair();
        n.filter = p -> List.of(); // the network goes away: no rekey can happen
        n.runSeconds(179);
        assertTrue(kp.nextSendCounter(n.clock.nanos()) >= 0, "still usable just before 180 s");
        MemorySegment late = n.a.engine.sealTransport(kp, 1000, MemorySegment.ofArray(new byte[16]), 0, 16);
        n.runSeconds(1.5);
        assertEquals(-1, kp.nextSendCounter(n.clock.nanos()), "no sending at 180 s");
        assertNull(n.a.peer.sendingKeypair());
        SessionEngine.Opened o = n.b.engine.openTransport(late, 0, (int) late.byteSize());
        assertEquals(SessionEngine.OPEN_UNKNOWN_INDEX, o.status(), "no receiving at 180 s either");
        n.a.send("after expiry....");
        assertEquals(1, n.a.peer.stagedCount(), "data now waits for a new handshake");
    }

    @Test
    void keyMaterialIsZeroedAfterThreeTimesRejectAfterTime() {
        InMemoryPeers n = new InMemoryPeers(7);
        n.establish();
        Keypair a = n.a.peer.currentKeypair(), b = n.b.peer.currentKeypair();
        n.runSeconds(530);
        assertFalse(a.isZeroed());
        assertNotNull(n.a.peer.currentKeypair());
        n.runSeconds(12);
        assertTrue(a.isZeroed(), "A's keys wiped by 540 s");
        assertTrue(b.isZeroed(), "B's keys wiped by 540 s");
        assertNull(n.a.peer.currentKeypair());
        assertNull(n.b.peer.currentKeypair());
        assertNull(n.a.engine.indexTable().lookup(a.localIndex()), "its index is free again");
    }

    @Test
    void aPresharedKeyMismatchNeverCompletesAndGivesUpAfterTwentyInitiations() {
        InMemoryPeers n = new InMemoryPeers(8, Curve25519.generatePresharedKey(), Curve25519.generatePresharedKey());
        n.a.send("never arrives...");
        n.runSeconds(200);
        assertEquals(0, n.a.engine.counters().handshakesCompleted.get());
        assertEquals(0, n.b.engine.counters().handshakesCompleted.get());
        assertTrue(n.b.received().isEmpty());
        assertEquals(Protocol.MAX_TIMER_HANDSHAKES + 2, n.a.sent(MESSAGE_HANDSHAKE_INITIATION));
        assertEquals(0, n.a.peer.stagedCount(), "staged packets dropped on giving up");
        assertNull(n.b.peer.currentKeypair());
    }

    @Test
    void givesUpAfterTwentyInitiationsToASilentPeerAndSpacesThemByRekeyTimeout() {
        InMemoryPeers n = new InMemoryPeers(9);
        n.filter = p -> List.of();
        n.a.send("into the void...");
        n.runSeconds(300);
        List<InMemoryPeers.Packet> inits = n.log.stream().filter(p -> p.type() == MESSAGE_HANDSHAKE_INITIATION).toList();
        assertEquals(20, inits.size());
        for (int i = 1; i < inits.size(); i++) {
            long gap = inits.get(i).sentAt() - inits.get(i - 1).sentAt();
            assertTrue(gap >= Protocol.REKEY_TIMEOUT && gap <= Protocol.REKEY_TIMEOUT + Protocol.REKEY_TIMEOUT_JITTER_MAX + SECOND / 10,
                    "gap " + gap);
        }
        n.a.send("try again.......");
        n.runSeconds(0.1);
        assertEquals(21, n.a.sent(MESSAGE_HANDSHAKE_INITIATION), "new data starts a new round");
    }

    @Test
    void aRestartedPeerIsReachedAgainByANewHandshake() {
        InMemoryPeers n = new InMemoryPeers(10);
        n.establish();
        n.b.start(n.a.publicKey, null); // B restarts: all its state is gone
        n.runSeconds(1);
        for (int s = 0; s < 30; s++) {
            n.a.send("still there?....");
            n.runSeconds(1);
        }
        assertFalse(n.b.received().size() <= 1, "B receives again after restarting");
        assertTrue(n.b.engine.counters().handshakesCompleted.get() >= 1);
    }

    @Test
    void aRestartedPeerThatSendsFirstIsAcceptedBecauseItsTimestampMovedOn() {
        InMemoryPeers n = new InMemoryPeers(11);
        n.establish();
        n.runSeconds(2);
        n.b.start(n.a.publicKey, null);
        n.b.send("B is back.......");
        n.runSeconds(0.2);
        assertTrue(n.a.received().contains("B is back......."));
    }

    @Test
    void underLoadTheResponderAsksForACookieAndAcceptsTheRetryCarryingIt() {
        InMemoryPeers n = new InMemoryPeers(12);
        n.b.engine.underLoad().force(true);
        n.a.send("under load......");
        n.runSeconds(0.1);
        assertEquals(1, n.b.sent(MESSAGE_HANDSHAKE_COOKIE), "the first initiation is answered with a cookie");
        assertEquals(0, n.b.sent(MESSAGE_HANDSHAKE_RESPONSE));
        assertTrue(n.b.handshakeResults.contains(SessionEngine.COOKIE_SENT));
        assertTrue(n.a.handshakeResults.contains(SessionEngine.COOKIE_CONSUMED));
        n.runSeconds(6); // the retransmit carries MAC2
        assertEquals(1, n.b.sent(MESSAGE_HANDSHAKE_RESPONSE));
        assertEquals(List.of("under load......"), n.b.received());
    }

    @Test
    void underLoadAnInitiationWithoutValidMac1IsDroppedWithoutACookie() {
        InMemoryPeers n = new InMemoryPeers(13);
        n.b.engine.underLoad().force(true);
        n.filter = p -> {
            if (p.type() == MESSAGE_HANDSHAKE_INITIATION) p.bytes()[120] ^= 1; // corrupt mac1
            return List.of(p);
        };
        n.a.peer.initiateHandshake();
        n.deliver();
        assertEquals(0, n.b.sent(MESSAGE_HANDSHAKE_COOKIE));
        assertTrue(n.b.handshakeResults.contains(SessionEngine.REJECT_MAC1));
    }

    @Test
    void aPeerWithALowOrderPublicKeyNeverGetsAPacket() {
        InMemoryPeers n = new InMemoryPeers(14);
        for (String hex : dev.jwgd.noise.NoiseProtocolTest.LOW_ORDER) {
            PeerSession bad = n.a.engine.addPeer(Key.fromHex(hex));
            assertFalse(bad.usable());
            bad.persistentKeepaliveInterval(1);
            n.a.engine.send(bad, MemorySegment.ofArray(new byte[32]), 0, 32);
            bad.initiateHandshake();
        }
        int before = n.log.size();
        n.runSeconds(3);
        assertEquals(before, n.log.size(), "nothing at all was sent");
    }

    @Test
    void theResponderSendsAKeepaliveTenSecondsAfterDataItDidNotAnswer() {
        InMemoryPeers n = new InMemoryPeers(15);
        n.establish();
        n.a.send("one-way data....");
        int before = n.a.keepalivesReceived;
        n.runSeconds(9);
        assertEquals(before, n.a.keepalivesReceived);
        n.runSeconds(1.5);
        assertEquals(before + 1, n.a.keepalivesReceived);
    }

    @Test
    void persistentKeepaliveKeepsSendingWhileIdle() {
        InMemoryPeers n = new InMemoryPeers(16);
        n.establish();
        n.a.peer.persistentKeepaliveInterval(25);
        n.runSeconds(0.1);
        int k0 = n.b.keepalivesReceived;
        assertTrue(k0 >= 1, "turning it on sends one at once");
        n.runSeconds(101);
        assertTrue(n.b.keepalivesReceived - k0 >= 4, "about one every 25 s: " + (n.b.keepalivesReceived - k0));
    }

    @Test
    void removingAPeerWipesItsKeysAndStopsItsTimers() {
        InMemoryPeers n = new InMemoryPeers(17);
        n.establish();
        Keypair kp = n.a.peer.currentKeypair();
        n.a.engine.removePeer(n.b.publicKey);
        assertTrue(kp.isZeroed());
        assertEquals(Long.MAX_VALUE, n.a.engine.nextDeadline());
        assertEquals(0, n.a.engine.indexTable().size());
    }

    @Test
    void changingThePrivateKeyDropsSessionsAndRemovesAPeerWithThatKey() {
        InMemoryPeers n = new InMemoryPeers(18);
        n.establish();
        Keypair kp = n.a.peer.currentKeypair();
        n.a.engine.setPrivateKey(n.b.privateKey);
        assertTrue(kp.isZeroed());
        assertNull(n.a.engine.peer(n.b.publicKey), "a peer with our own public key is removed");
        assertNull(n.a.engine.addPeer(n.b.publicKey), "and cannot be added");
    }

    @Test
    void passingRekeyAfterMessagesStartsANewHandshakeAndTheOldKeypairKeepsWorkingMeanwhile() {
        InMemoryPeers n = new InMemoryPeers(19);
        n.establish();
        Keypair kp = n.b.peer.currentKeypair();
        assertFalse(kp.initiator(), "B answered; only the message count can make it rekey before 120 s");
        n.runSeconds(6); // past the one-initiation-per-REKEY_TIMEOUT limit that B's response started
        kp.sendCounterForTest(Protocol.REKEY_AFTER_MESSAGES + 1);
        n.b.send("many messages...");
        n.runSeconds(0.1);
        assertEquals(1, n.b.sent(MESSAGE_HANDSHAKE_INITIATION), "B starts a handshake on its own");
        assertTrue(n.a.received().contains("many messages..."));
        assertNotSame(kp, n.b.peer.currentKeypair());
    }

    @Test
    void aKeypairAtRejectAfterMessagesNeverSendsAgainAndDataWaitsForTheNextSession() {
        InMemoryPeers n = new InMemoryPeers(20);
        n.establish();
        Keypair kp = n.a.peer.currentKeypair();
        kp.sendCounterForTest(Protocol.REJECT_AFTER_MESSAGES - 1);
        assertEquals(Protocol.REJECT_AFTER_MESSAGES - 1, kp.nextSendCounter(n.clock.nanos()), "the last usable counter");
        assertEquals(-1, kp.nextSendCounter(n.clock.nanos()));
        assertFalse(kp.sendingValid());
        n.runSeconds(6); // let the per-peer initiation rate limit pass
        n.a.send("after the limit.");
        n.runSeconds(0.1);
        assertTrue(n.b.received().contains("after the limit."), "sent under a new session");
        assertNotSame(kp, n.a.peer.currentKeypair());
    }

    @Test
    void atMost128PacketsWaitForASessionAndTheNewestAreKept() {
        InMemoryPeers n = new InMemoryPeers(21);
        List<InMemoryPeers.Packet> held = new java.util.ArrayList<>();
        n.filter = p -> {
            held.add(p);
            return List.of();
        };
        for (int i = 0; i < 200; i++) n.a.send(String.format("staged %09d", i));
        assertEquals(Protocol.MAX_STAGED_PACKETS, n.a.peer.stagedCount());
        n.filter = List::of;
        for (InMemoryPeers.Packet p : held) p.to().receive(p); // the held initiation arrives after all
        n.deliver();
        List<String> got = n.b.received();
        assertEquals(Protocol.MAX_STAGED_PACKETS, got.size());
        assertEquals(String.format("staged %09d", 200 - Protocol.MAX_STAGED_PACKETS), got.get(0), "the oldest were dropped");
        assertEquals(String.format("staged %09d", 199), got.get(got.size() - 1), "in order");
    }
}
