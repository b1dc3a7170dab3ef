package dev.jwgd.session;

import static dev.jwgd.protocol.Protocol.MESSAGE_HANDSHAKE_INITIATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.jwgd.protocol.Protocol;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * With an initiator executor ({@link SessionEngine#initiateOn}) the data path never creates a
 * handshake initiation itself (three X25519 operations): a staged first packet or a rekey hands one
 * task to the executor, further requests until it runs add nothing, and running it sends exactly one
 * initiation, after which everything proceeds as without an executor.
 */
class InitiatorTest {
    /** Runs nothing by itself: the test decides when queued initiations run. */
    static final class HeldExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            tasks.add(r);
        }

        void runAll() {
            for (Runnable r; (r = tasks.poll()) != null; ) r.run();
        }
    }

    @Test
    void aStagedPacketQueuesOneInitiationThatTheExecutorSends() {
        InMemoryPeers n = new InMemoryPeers(11);
        HeldExecutor initiator = new HeldExecutor();
        n.a.engine.initiateOn(initiator);
        n.a.send("first...........");
        n.a.send("second..........");
        assertEquals(0, n.a.sent(MESSAGE_HANDSHAKE_INITIATION), "not created on the sending thread");
        assertEquals(1, initiator.tasks.size(), "two staged packets, one queued initiation");
        assertEquals(2, n.a.peer.stagedCount());
        initiator.runAll();
        assertEquals(1, n.a.sent(MESSAGE_HANDSHAKE_INITIATION));
        n.runSeconds(0.1);
        assertEquals(List.of("first...........", "second.........."), n.b.received());
    }

    @Test
    void theRekeyAfterRekeyAfterTimeIsQueuedToo() {
        InMemoryPeers n = new InMemoryPeers(12);
        n.establish();
        HeldExecutor initiator = new HeldExecutor();
        n.a.engine.initiateOn(initiator);
        Keypair first = n.a.peer.currentKeypair();
        long initiations = n.a.sent(MESSAGE_HANDSHAKE_INITIATION);
        n.run(Protocol.REKEY_AFTER_TIME + InMemoryPeers.SECOND);
        n.a.send("after 121 s.....");
        assertEquals(initiations, n.a.sent(MESSAGE_HANDSHAKE_INITIATION), "the sending thread did not initiate");
        assertEquals(1, initiator.tasks.size());
        initiator.runAll();
        n.runSeconds(0.2);
        assertEquals(initiations + 1, n.a.sent(MESSAGE_HANDSHAKE_INITIATION));
        assertNotSame(first, n.a.peer.currentKeypair(), "a new session");
    }
}
