package dev.jwgd.timers;

import dev.jwgd.protocol.Protocol;
import java.util.random.RandomGenerator;

/**
 * The per-peer timer state machine of the kernel's {@code timers.c} (wireguard-go {@code timers.go}),
 * as deadlines on an injected clock instead of kernel timers: {@link #poll} fires whatever is due.
 *
 * <table>
 * <caption>Timers</caption>
 * <tr><td>retransmitHandshake</td><td>REKEY_TIMEOUT + jitter after an initiation; retries up to
 * MAX_TIMER_HANDSHAKES + 2 initiations, then gives up and drops staged packets</td></tr>
 * <tr><td>sendKeepalive</td><td>KEEPALIVE_TIMEOUT after data received with nothing sent back</td></tr>
 * <tr><td>newHandshake</td><td>KEEPALIVE + REKEY_TIMEOUT + jitter after data sent with nothing received</td></tr>
 * <tr><td>zeroKeyMaterial</td><td>3 × REJECT_AFTER_TIME after a session was derived</td></tr>
 * <tr><td>persistentKeepalive</td><td>every n s after any authenticated packet, when configured</td></tr>
 * </table>
 *
 * The event methods ({@code onXxx}) are the kernel's {@code wg_timers_*} hooks. The owner calls them
 * and {@link #poll} under one lock (the peer's): this class is not thread-safe by itself.
 */
public final class PeerTimers {
    /** What firing timers ask the owner to do. */
    public interface Actions {
        /** Send a handshake initiation; {@code retry} counts as a retransmission. */
        void sendHandshakeInitiation(boolean retry);

        void sendKeepalive();

        /** The peer gave no answer to MAX_TIMER_HANDSHAKES + 2 initiations: drop staged packets. */
        void handshakeGaveUp();

        /** Wipe every keypair and the handshake state. */
        void zeroKeyMaterial();

        /** The source address used for this peer may be stale (kernel: wg_socket_clear_peer_endpoint_src). */
        void clearEndpointSource();
    }

    static final long NONE = Long.MIN_VALUE;

    private final RandomGenerator jitter;
    private long retransmitHandshake = NONE;
    private long sendKeepalive = NONE;
    private long newHandshake = NONE;
    private long zeroKeyMaterial = NONE;
    private long persistentKeepalive = NONE;
    private int handshakeAttempts;
    private boolean needAnotherKeepalive;
    private int persistentKeepaliveInterval; // seconds, 0 = off
    private boolean enabled = true;

    public PeerTimers(RandomGenerator jitter) {
        this.jitter = jitter;
    }

    private long jitter() {
        return jitter.nextLong(Protocol.REKEY_TIMEOUT_JITTER_MAX);
    }

    /** Turns the timers off (peer removed or device down) and cancels all of them. */
    public void stop() {
        enabled = false;
        retransmitHandshake = sendKeepalive = newHandshake = zeroKeyMaterial = persistentKeepalive = NONE;
    }

    public void start() {
        enabled = true;
    }

    public void persistentKeepaliveInterval(int seconds) {
        persistentKeepaliveInterval = seconds;
    }

    public int persistentKeepaliveInterval() {
        return persistentKeepaliveInterval;
    }

    public int handshakeAttempts() {
        return handshakeAttempts;
    }

    /** A new (not retried) handshake was asked for: the retry count starts again (kernel: !is_retry). */
    public void resetHandshakeAttempts() {
        handshakeAttempts = 0;
    }

    /** Should be called after an initiation is sent (retransmits included). */
    public void onHandshakeInitiated(long now) {
        if (enabled) retransmitHandshake = now + Protocol.REKEY_TIMEOUT + jitter();
    }

    /** A transport packet carrying data was sent. */
    public void onDataSent(long now) {
        if (enabled && newHandshake == NONE) {
            newHandshake = now + Protocol.KEEPALIVE_TIMEOUT + Protocol.REKEY_TIMEOUT + jitter();
        }
    }

    /** A transport packet carrying data was received and authenticated. */
    public void onDataReceived(long now) {
        if (!enabled) return;
        if (sendKeepalive == NONE) sendKeepalive = now + Protocol.KEEPALIVE_TIMEOUT;
        else needAnotherKeepalive = true;
    }

    /** Any authenticated packet (handshake, keepalive or data) was sent. */
    public void onAnyAuthenticatedPacketSent() {
        sendKeepalive = NONE;
    }

    /** Any authenticated packet was received. */
    public void onAnyAuthenticatedPacketReceived() {
        newHandshake = NONE;
    }

    /** A handshake completed: the response consumed, or the first packet on the responder's new keypair. */
    public void onHandshakeComplete() {
        retransmitHandshake = NONE;
        handshakeAttempts = 0;
    }

    /** Keys were derived: they are wiped ZERO_KEYS_AFTER from now unless another session follows. */
    public void onSessionDerived(long now) {
        if (enabled) zeroKeyMaterial = now + Protocol.ZERO_KEYS_AFTER;
    }

    /** Any authenticated packet sent or received: re-arm the persistent keepalive. */
    public void onAnyAuthenticatedPacketTraversal(long now) {
        if (enabled && persistentKeepaliveInterval > 0) {
            persistentKeepalive = now + persistentKeepaliveInterval * 1_000_000_000L;
        }
    }

    /** The earliest pending deadline, or Long.MAX_VALUE when none is armed. */
    public long nextDeadline() {
        long d = Long.MAX_VALUE;
        if (retransmitHandshake != NONE) d = Math.min(d, retransmitHandshake);
        if (sendKeepalive != NONE) d = Math.min(d, sendKeepalive);
        if (newHandshake != NONE) d = Math.min(d, newHandshake);
        if (zeroKeyMaterial != NONE) d = Math.min(d, zeroKeyMaterial);
        if (persistentKeepalive != NONE) d = Math.min(d, persistentKeepalive);
        return d;
    }

    /** Fires every timer whose deadline is at or before {@code now}, in a fixed order. */
    public void poll(long now, Actions actions) {
        if (!enabled) return;
        if (retransmitHandshake != NONE && now >= retransmitHandshake) {
            retransmitHandshake = NONE;
            if (handshakeAttempts > Protocol.MAX_TIMER_HANDSHAKES) {
                // Give up: stop trying until new data is sent, and wipe keys later if still idle.
                sendKeepalive = NONE;
                actions.handshakeGaveUp();
                if (zeroKeyMaterial == NONE) zeroKeyMaterial = now + Protocol.ZERO_KEYS_AFTER;
            } else {
                handshakeAttempts++;
                actions.clearEndpointSource();
                actions.sendHandshakeInitiation(true);
            }
        }
        if (sendKeepalive != NONE && now >= sendKeepalive) {
            sendKeepalive = NONE;
            actions.sendKeepalive();
            if (needAnotherKeepalive) {
                needAnotherKeepalive = false;
                sendKeepalive = now + Protocol.KEEPALIVE_TIMEOUT;
            }
        }
        if (newHandshake != NONE && now >= newHandshake) {
            newHandshake = NONE;
            actions.clearEndpointSource();
            actions.sendHandshakeInitiation(false);
        }
        if (zeroKeyMaterial != NONE && now >= zeroKeyMaterial) {
            zeroKeyMaterial = NONE;
            actions.zeroKeyMaterial();
        }
        if (persistentKeepalive != NONE && now >= persistentKeepalive) {
            persistentKeepalive = NONE;
            if (persistentKeepaliveInterval > 0) actions.sendKeepalive();
        }
    }

    public boolean retransmitPending() { return retransmitHandshake != NONE; }
    public boolean sendKeepalivePending() { return sendKeepalive != NONE; }
    public boolean newHandshakePending() { return newHandshake != NONE; }
    public boolean zeroKeyMaterialPending() { return zeroKeyMaterial != NONE; }
    public boolean persistentKeepalivePending() { return persistentKeepalive != NONE; }
}
