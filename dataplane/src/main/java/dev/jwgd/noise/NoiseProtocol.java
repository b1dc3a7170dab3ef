package dev.jwgd.noise;

import dev.jwgd.crypto.Aead;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.message.HandshakeInitiation;
import dev.jwgd.message.HandshakeResponse;
import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The IKpsk2 handshake of whitepaper 5.4.2-5.4.5 in the order and names of wireguard-go's
 * {@code noise-protocol.go}: {@link #createInitiation}, {@link #consumeInitiation},
 * {@link #createResponse}, {@link #consumeResponse} and {@link #beginSession}.
 *
 * <pre>
 *   <- s
 *   ...
 *   -> e, es, s, ss, {timestamp}
 *   <- e, ee, se, psk, {}
 * </pre>
 *
 * The messages are written without MAC1/MAC2 (the cookie package adds and checks those). Safe for
 * concurrent use: per-peer state is guarded by the {@link Handshake}'s monitor.
 */
public final class NoiseProtocol {
    /** C0 = HASH(CONSTRUCTION). */
    public static final byte[] INITIAL_CHAIN_KEY = Blake2s.hash(Protocol.CONSTRUCTION.getBytes(StandardCharsets.US_ASCII));
    /** H0 = HASH(C0 ‖ IDENTIFIER). */
    public static final byte[] INITIAL_HASH = Blake2s.hash(INITIAL_CHAIN_KEY, Protocol.IDENTIFIER.getBytes(StandardCharsets.US_ASCII));

    /** Outcome codes of consuming a handshake message. */
    public static final int OK = 0;
    public static final int BAD_EPHEMERAL = 1;
    public static final int BAD_STATIC = 2;
    public static final int UNKNOWN_PEER = 3;
    public static final int LOW_ORDER_PEER = 4;
    public static final int BAD_TIMESTAMP = 5;
    public static final int REPLAYED_TIMESTAMP = 6;
    public static final int INITIATION_FLOOD = 7;
    public static final int UNKNOWN_INDEX = 8;
    public static final int WRONG_STATE = 9;
    public static final int BAD_AUTHENTICATION = 10;

    /** Finds the peer's handshake for a decrypted static public key. */
    @FunctionalInterface
    public interface PeerByStaticKey {
        Handshake find(byte[] publicKey);
    }

    /** Finds the handshake that created the initiation a response answers. */
    @FunctionalInterface
    public interface HandshakeByIndex {
        Handshake find(int localIndex);
    }

    /** A consumed message: {@code status == OK} with its peer's handshake, or a failure code. */
    public record Consumed(int status, Handshake handshake) {
        public boolean ok() { return status == OK; }
    }

    private final Aead aead;
    private final EphemeralKeys ephemerals;

    public NoiseProtocol(Aead aead, EphemeralKeys ephemerals) {
        this.aead = aead;
        this.ephemerals = ephemerals;
    }

    public NoiseProtocol(Aead aead) {
        this(aead, EphemeralKeys.RANDOM);
    }

    /**
     * Writes an initiation (MACs left zero) at {@code out[offset]} and moves {@code hs} to
     * INITIATION_CREATED. False, writing nothing, for a low-order remote key.
     */
    public boolean createInitiation(StaticIdentity local, Handshake hs, int localIndex, long wallClockNanos,
                                    MemorySegment out, long offset) {
        synchronized (hs) {
            if (hs.precomputedStaticStatic == null) return false;
            SymmetricState s = new SymmetricState(aead, INITIAL_CHAIN_KEY, INITIAL_HASH, true);
            s.mixHash(hs.remoteStatic);

            byte[] ePriv = ephemerals.newPrivateKey();
            byte[] ePub = publicKeyOf(ePriv);
            s.mixHash(ePub);
            s.mixKey(ePub);
            byte[] es = new byte[32];
            if (!Curve25519.sharedSecret(ePriv, hs.remoteStatic, es)) {
                SymmetricState.wipe(ePriv);
                s.wipe();
                return false;
            }
            s.mixKey(es);
            SymmetricState.wipe(es);
            byte[] encryptedStatic = s.encryptAndHash(local.publicKey);
            s.mixKey(hs.precomputedStaticStatic);
            byte[] encryptedTimestamp = s.encryptAndHash(Tai64n.of(wallClockNanos));

            HandshakeInitiation msg = new HandshakeInitiation().wrapForWrite(out, offset);
            msg.senderIndex(localIndex);
            MemorySegment.copy(ePub, 0, out, ValueLayout.JAVA_BYTE, offset + HandshakeInitiation.EPHEMERAL_OFFSET, 32);
            MemorySegment.copy(encryptedStatic, 0, out, ValueLayout.JAVA_BYTE, offset + HandshakeInitiation.ENCRYPTED_STATIC_OFFSET, encryptedStatic.length);
            MemorySegment.copy(encryptedTimestamp, 0, out, ValueLayout.JAVA_BYTE, offset + HandshakeInitiation.ENCRYPTED_TIMESTAMP_OFFSET, encryptedTimestamp.length);

            SymmetricState.wipe(hs.localEphemeralPrivate);
            SymmetricState.wipe(hs.chainKey);
            hs.localEphemeralPrivate = ePriv;
            hs.chainKey = s.chainKey;
            hs.hash = s.hash;
            hs.localIndex = localIndex;
            hs.state = Handshake.State.INITIATION_CREATED;
            return true;
        }
    }

    /**
     * Consumes a size-checked initiation whose MAC1 was already verified: finds the peer by its
     * static key, refuses replayed timestamps and more than 50 initiations per second per peer, and
     * moves the peer's handshake to INITIATION_CONSUMED.
     */
    public Consumed consumeInitiation(StaticIdentity local, HandshakeInitiation msg, PeerByStaticKey peers, long now) {
        SymmetricState s = new SymmetricState(aead, INITIAL_CHAIN_KEY, INITIAL_HASH, true);
        s.mixHash(local.publicKey);
        byte[] e = msg.ephemeral().toArray(ValueLayout.JAVA_BYTE);
        s.mixHash(e);
        s.mixKey(e);
        byte[] es = new byte[32];
        if (!Curve25519.sharedSecret(local.privateKey, e, es)) return failed(s, BAD_EPHEMERAL, null);
        s.mixKey(es);
        SymmetricState.wipe(es);
        byte[] peerStatic = s.decryptAndHash(msg.encryptedStatic().toArray(ValueLayout.JAVA_BYTE));
        if (peerStatic == null) return failed(s, BAD_STATIC, null);
        Handshake hs = peers.find(peerStatic);
        if (hs == null) return failed(s, UNKNOWN_PEER, null);
        synchronized (hs) {
            if (hs.precomputedStaticStatic == null) return failed(s, LOW_ORDER_PEER, hs);
            s.mixKey(hs.precomputedStaticStatic);
            byte[] timestamp = s.decryptAndHash(msg.encryptedTimestamp().toArray(ValueLayout.JAVA_BYTE));
            if (timestamp == null) return failed(s, BAD_TIMESTAMP, hs);
            if (!Tai64n.after(timestamp, hs.lastTimestamp)) return failed(s, REPLAYED_TIMESTAMP, hs);
            if (now - hs.lastInitiationConsumption <= Protocol.HANDSHAKE_INITIATION_RATE) {
                return failed(s, INITIATION_FLOOD, hs);
            }
            SymmetricState.wipe(hs.chainKey);
            SymmetricState.wipe(hs.localEphemeralPrivate);
            hs.localEphemeralPrivate = null;
            hs.chainKey = s.chainKey;
            hs.hash = s.hash;
            hs.remoteEphemeral = e;
            hs.remoteIndex = msg.senderIndex();
            System.arraycopy(timestamp, 0, hs.lastTimestamp, 0, timestamp.length);
            hs.lastInitiationConsumption = now;
            hs.state = Handshake.State.INITIATION_CONSUMED;
            return new Consumed(OK, hs);
        }
    }

    /** Writes a response (MACs zero) to a consumed initiation; moves {@code hs} to RESPONSE_CREATED. */
    public boolean createResponse(Handshake hs, int localIndex, MemorySegment out, long offset) {
        synchronized (hs) {
            if (hs.state != Handshake.State.INITIATION_CONSUMED) return false;
            SymmetricState s = new SymmetricState(aead, hs.chainKey, hs.hash, true);
            byte[] ePriv = ephemerals.newPrivateKey();
            byte[] ePub = publicKeyOf(ePriv);
            s.mixHash(ePub);
            s.mixKey(ePub);
            byte[] dh = new byte[32];
            boolean ok = Curve25519.sharedSecret(ePriv, hs.remoteEphemeral, dh);
            if (ok) {
                s.mixKey(dh); // ee
                ok = Curve25519.sharedSecret(ePriv, hs.remoteStatic, dh);
            }
            if (!ok) {
                SymmetricState.wipe(ePriv);
                s.wipe();
                return false;
            }
            s.mixKey(dh); // se
            SymmetricState.wipe(dh);
            s.mixKeyAndHash(hs.presharedKey);
            byte[] empty = s.encryptAndHash(new byte[0]);

            HandshakeResponse msg = new HandshakeResponse().wrapForWrite(out, offset);
            msg.senderIndex(localIndex);
            msg.receiverIndex(hs.remoteIndex);
            MemorySegment.copy(ePub, 0, out, ValueLayout.JAVA_BYTE, offset + HandshakeResponse.EPHEMERAL_OFFSET, 32);
            MemorySegment.copy(empty, 0, out, ValueLayout.JAVA_BYTE, offset + HandshakeResponse.ENCRYPTED_NOTHING_OFFSET, empty.length);

            SymmetricState.wipe(ePriv);
            SymmetricState.wipe(hs.chainKey);
            hs.chainKey = s.chainKey;
            hs.hash = s.hash;
            hs.localIndex = localIndex;
            hs.state = Handshake.State.RESPONSE_CREATED;
            return true;
        }
    }

    /** Consumes a size-checked, MAC1-verified response to our initiation; moves to RESPONSE_CONSUMED. */
    public Consumed consumeResponse(StaticIdentity local, HandshakeResponse msg, HandshakeByIndex handshakes) {
        Handshake hs = handshakes.find(msg.receiverIndex());
        if (hs == null) return new Consumed(UNKNOWN_INDEX, null);
        synchronized (hs) {
            if (hs.state != Handshake.State.INITIATION_CREATED || hs.localIndex != msg.receiverIndex()) {
                return new Consumed(WRONG_STATE, hs);
            }
            SymmetricState s = new SymmetricState(aead, hs.chainKey, hs.hash, true);
            byte[] e = msg.ephemeral().toArray(ValueLayout.JAVA_BYTE);
            s.mixHash(e);
            s.mixKey(e);
            byte[] dh = new byte[32];
            boolean ok = Curve25519.sharedSecret(hs.localEphemeralPrivate, e, dh);
            if (ok) {
                s.mixKey(dh); // ee
                ok = Curve25519.sharedSecret(local.privateKey, e, dh);
            }
            if (!ok) {
                SymmetricState.wipe(dh);
                return failed(s, BAD_EPHEMERAL, hs);
            }
            s.mixKey(dh); // se
            SymmetricState.wipe(dh);
            s.mixKeyAndHash(hs.presharedKey);
            if (s.decryptAndHash(msg.encryptedNothing().toArray(ValueLayout.JAVA_BYTE)) == null) {
                return failed(s, BAD_AUTHENTICATION, hs);
            }
            SymmetricState.wipe(hs.chainKey);
            SymmetricState.wipe(hs.localEphemeralPrivate);
            hs.localEphemeralPrivate = null;
            hs.chainKey = s.chainKey;
            hs.hash = s.hash;
            hs.remoteIndex = msg.senderIndex();
            hs.state = Handshake.State.RESPONSE_CONSUMED;
            return new Consumed(OK, hs);
        }
    }

    /**
     * Derives the transport keys from a finished handshake and wipes its state (whitepaper 5.4.5):
     * {@code (T_i→r, T_r→i) = KDF2(C, ε)}. Null unless the handshake is RESPONSE_CREATED (we are the
     * responder) or RESPONSE_CONSUMED (we are the initiator).
     */
    public SessionKeys beginSession(Handshake hs) {
        synchronized (hs) {
            boolean initiator;
            if (hs.state == Handshake.State.RESPONSE_CONSUMED) initiator = true;
            else if (hs.state == Handshake.State.RESPONSE_CREATED) initiator = false;
            else return null;
            byte[][] t = Blake2s.kdf(2, hs.chainKey, new byte[0]);
            SessionKeys keys = initiator
                    ? new SessionKeys(t[0], t[1], true, hs.localIndex, hs.remoteIndex)
                    : new SessionKeys(t[1], t[0], false, hs.localIndex, hs.remoteIndex);
            hs.clear();
            return keys;
        }
    }

    private static Consumed failed(SymmetricState s, int status, Handshake hs) {
        s.wipe();
        return new Consumed(status, hs);
    }

    /** X25519 public key of a private key, computed on the caller's array so no copy of it is left behind. */
    static byte[] publicKeyOf(byte[] privateKey) {
        byte[] pub = new byte[32];
        X25519.scalarMultBase(privateKey, 0, pub, 0);
        return pub;
    }

    /** A readable name for a consume outcome, for counters and debug logs (never secret). */
    public static String describe(int status) {
        return switch (status) {
            case OK -> "ok";
            case BAD_EPHEMERAL -> "ephemeral key gives a zero shared secret";
            case BAD_STATIC -> "static key does not decrypt";
            case UNKNOWN_PEER -> "unknown peer";
            case LOW_ORDER_PEER -> "peer key is low order";
            case BAD_TIMESTAMP -> "timestamp does not decrypt";
            case REPLAYED_TIMESTAMP -> "timestamp not newer than the last one";
            case INITIATION_FLOOD -> "more than 50 initiations per second";
            case UNKNOWN_INDEX -> "unknown receiver index";
            case WRONG_STATE -> "handshake not waiting for this message";
            case BAD_AUTHENTICATION -> "response does not authenticate";
            default -> "unknown";
        };
    }
}
