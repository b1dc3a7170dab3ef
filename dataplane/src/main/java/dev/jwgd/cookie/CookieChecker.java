package dev.jwgd.cookie;

import dev.jwgd.message.CookieReply;
import dev.jwgd.noise.Blake2s;
import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The responder's side of the DoS defence (whitepaper 5.3, 5.4.4, 5.4.7; wireguard-go
 * {@code CookieChecker}, kernel {@code cookie_checker}): checks MAC1 of every handshake message with
 * our own public key, checks MAC2 against the cookie for the packet's source address, and writes
 * cookie replies. The random secret behind cookies is replaced every COOKIE_REFRESH_TIME. All MAC
 * comparisons are constant-time. Thread-safe.
 */
public final class CookieChecker {
    private final SecureRandom random;
    private byte[] mac1Key;
    private byte[] encryptionKey;
    private final byte[] secret = new byte[32];
    private long secretSetAt;
    private boolean secretSet;

    public CookieChecker(SecureRandom random) {
        this.random = random;
    }

    /** (Re)keys for our static public key; null disables checking (every message fails MAC1). */
    public synchronized void init(byte[] localPublicKey) {
        if (localPublicKey == null) {
            mac1Key = null;
            encryptionKey = null;
            return;
        }
        mac1Key = Blake2s.labelHash(Protocol.LABEL_MAC1, localPublicKey);
        encryptionKey = Blake2s.labelHash(Protocol.LABEL_COOKIE, localPublicKey);
    }

    /** MAC1 over the message up to the mac1 field, compared in constant time. */
    public boolean checkMac1(MemorySegment message, long offset, int length) {
        byte[] key;
        synchronized (this) {
            key = mac1Key;
        }
        if (key == null) return false;
        int macOffset = length - 2 * Protocol.MAC_LENGTH;
        byte[] msg = message.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        byte[] mac = new byte[Protocol.MAC_LENGTH];
        Blake2s.mac(key, msg, 0, macOffset, mac, 0);
        return MessageDigest.isEqual(mac, Arrays.copyOfRange(msg, macOffset, macOffset + Protocol.MAC_LENGTH));
    }

    /**
     * MAC2 with the cookie for {@code source} (IP ‖ port as the caller encodes it), compared in
     * constant time. False when the secret is older than COOKIE_REFRESH_TIME: that sender's cookie
     * is stale anyway.
     */
    public boolean checkMac2(MemorySegment message, long offset, int length, byte[] source, long now) {
        byte[] cookie = new byte[Protocol.COOKIE_LENGTH];
        synchronized (this) {
            if (!secretSet || now - secretSetAt > Protocol.COOKIE_REFRESH_TIME) return false;
            Blake2s.mac(secret, source, 0, source.length, cookie, 0);
        }
        int macOffset = length - Protocol.MAC_LENGTH;
        byte[] msg = message.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        byte[] mac = new byte[Protocol.MAC_LENGTH];
        Blake2s.mac(cookie, msg, 0, macOffset, mac, 0);
        return MessageDigest.isEqual(mac, Arrays.copyOfRange(msg, macOffset, macOffset + Protocol.MAC_LENGTH));
    }

    /**
     * Writes a cookie reply to the handshake message {@code message[offset, offset+length)} that came
     * from {@code source}: {@code XAEAD(HASH("cookie--" ‖ Spub), nonce, MAC(secret, source), mac1)}.
     */
    public void createReply(MemorySegment message, long offset, int length, int receiverIndex, byte[] source,
                            long now, MemorySegment out, long outOffset) {
        byte[] cookie = new byte[Protocol.COOKIE_LENGTH];
        byte[] key;
        synchronized (this) {
            if (!secretSet || now - secretSetAt > Protocol.COOKIE_REFRESH_TIME) {
                random.nextBytes(secret);
                secretSetAt = now;
                secretSet = true;
            }
            Blake2s.mac(secret, source, 0, source.length, cookie, 0);
            key = encryptionKey;
        }
        byte[] nonce = new byte[Protocol.COOKIE_NONCE_LENGTH];
        random.nextBytes(nonce);
        int macOffset = length - 2 * Protocol.MAC_LENGTH;
        byte[] mac1 = message.asSlice(offset + macOffset, Protocol.MAC_LENGTH).toArray(ValueLayout.JAVA_BYTE);
        byte[] sealed = Xaead.seal(key, nonce, cookie, mac1);
        Arrays.fill(cookie, (byte) 0);
        CookieReply reply = new CookieReply().wrapForWrite(out, outOffset);
        reply.receiverIndex(receiverIndex);
        MemorySegment.copy(nonce, 0, out, ValueLayout.JAVA_BYTE, outOffset + CookieReply.NONCE_OFFSET, nonce.length);
        MemorySegment.copy(sealed, 0, out, ValueLayout.JAVA_BYTE, outOffset + CookieReply.ENCRYPTED_COOKIE_OFFSET, sealed.length);
    }

    /** Wipes the secret. */
    public synchronized void zero() {
        Arrays.fill(secret, (byte) 0);
        secretSet = false;
    }
}
