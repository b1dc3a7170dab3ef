package dev.jwgd.noise;

import dev.jwgd.keys.Curve25519;
import dev.jwgd.protocol.Protocol;
import java.util.Arrays;

/**
 * One peer's handshake state (wireguard-go {@code Handshake}, kernel {@code noise_handshake}): the
 * remote static key, the precomputed static-static DH (null for a low-order key: such a peer never
 * gets a packet), the preshared key, the running chainKey/hash, ephemerals, indices and the replay and
 * flood guards. Every field is guarded by {@code this}: {@link NoiseProtocol} synchronizes on it.
 */
public final class Handshake {
    public enum State { ZEROED, INITIATION_CREATED, INITIATION_CONSUMED, RESPONSE_CREATED, RESPONSE_CONSUMED }

    final byte[] remoteStatic;
    byte[] precomputedStaticStatic;
    final byte[] presharedKey = new byte[Protocol.KEY_LENGTH];

    State state = State.ZEROED;
    byte[] chainKey;
    byte[] hash;
    byte[] localEphemeralPrivate;
    byte[] remoteEphemeral;
    int localIndex;
    int remoteIndex;
    /** The newest timestamp accepted from this peer: initiations must carry a strictly later one. */
    final byte[] lastTimestamp = new byte[Protocol.TAI64N_LENGTH];
    /** Monotonic time of the last accepted initiation, for the 50-per-second flood guard. */
    long lastInitiationConsumption = Long.MIN_VALUE / 2;
    /** Monotonic time of the last initiation sent: at most one per REKEY_TIMEOUT. */
    long lastSentHandshake = Long.MIN_VALUE / 2;

    public Handshake(StaticIdentity local, byte[] remoteStatic) {
        this.remoteStatic = remoteStatic.clone();
        recomputeStaticStatic(local);
    }

    /** After a local private key change; null when the remote key is low order. */
    public synchronized void recomputeStaticStatic(StaticIdentity local) {
        byte[] ss = new byte[Protocol.KEY_LENGTH];
        if (local != null && Curve25519.sharedSecret(local.privateKey, remoteStatic, ss)) {
            precomputedStaticStatic = ss;
        } else {
            precomputedStaticStatic = null;
        }
    }

    /** Sets the preshared key; all zeros means none (Q = 0^32 is mixed in either way). */
    public synchronized void presharedKey(byte[] psk) {
        if (psk == null) Arrays.fill(presharedKey, (byte) 0);
        else System.arraycopy(psk, 0, presharedKey, 0, Protocol.KEY_LENGTH);
    }

    public byte[] remoteStatic() { return remoteStatic.clone(); }
    public synchronized long lastSentHandshake() { return lastSentHandshake; }
    public synchronized void lastSentHandshake(long now) { lastSentHandshake = now; }
    public synchronized State state() { return state; }
    public synchronized int localIndex() { return localIndex; }
    /** False for a low-order remote key (or no local key): no handshake is ever created for it. */
    public synchronized boolean usable() { return precomputedStaticStatic != null; }

    /** Wipes everything secret, for a removed peer: also the static-static secret and the preshared key. */
    public synchronized void zeroAll() {
        clear();
        SymmetricState.wipe(precomputedStaticStatic);
        precomputedStaticStatic = null;
        Arrays.fill(presharedKey, (byte) 0);
    }

    /** Wipes the ephemeral and chaining state (timestamps and rate guards stay, as in the kernel). */
    public synchronized void clear() {
        SymmetricState.wipe(chainKey);
        SymmetricState.wipe(hash);
        SymmetricState.wipe(localEphemeralPrivate);
        chainKey = null;
        hash = null;
        localEphemeralPrivate = null;
        remoteEphemeral = null;
        state = State.ZEROED;
        localIndex = 0;
        remoteIndex = 0;
    }
}
