package dev.jwgd.cookie;

import dev.jwgd.message.CookieReply;
import dev.jwgd.noise.Blake2s;
import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The sender's side of MAC1/MAC2 for one peer (wireguard-go {@code CookieGenerator}): MAC1 keyed with
 * the peer's public key on every handshake message we send, MAC2 with the last cookie the peer gave
 * us while it is younger than COOKIE_REFRESH_TIME - COOKIE_SECRET_LATENCY (the kernel's 115 s), and
 * the consumption of cookie replies, accepted only right after we sent a MAC1 they answer. Thread-safe.
 */
public final class CookieGenerator {
    private final byte[] mac1Key;
    private final byte[] decryptionKey;
    private final byte[] cookie = new byte[Protocol.COOKIE_LENGTH];
    private long cookieSetAt;
    private boolean haveCookie;
    private final byte[] lastMac1 = new byte[Protocol.MAC_LENGTH];
    private boolean haveSentMac1;

    public CookieGenerator(byte[] peerPublicKey) {
        mac1Key = Blake2s.labelHash(Protocol.LABEL_MAC1, peerPublicKey);
        decryptionKey = Blake2s.labelHash(Protocol.LABEL_COOKIE, peerPublicKey);
    }

    /** Fills mac1 and mac2, the last 32 bytes of the handshake message {@code message[offset, offset+length)}. */
    public synchronized void addMacs(MemorySegment message, long offset, int length, long now) {
        int mac1Offset = length - 2 * Protocol.MAC_LENGTH;
        byte[] msg = message.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        Blake2s.mac(mac1Key, msg, 0, mac1Offset, msg, mac1Offset);
        System.arraycopy(msg, mac1Offset, lastMac1, 0, Protocol.MAC_LENGTH);
        haveSentMac1 = true;
        int mac2Offset = mac1Offset + Protocol.MAC_LENGTH;
        if (haveCookie && now - cookieSetAt < Protocol.COOKIE_REFRESH_TIME - Protocol.COOKIE_SECRET_LATENCY) {
            Blake2s.mac(cookie, msg, 0, mac2Offset, msg, mac2Offset);
        } else {
            Arrays.fill(msg, mac2Offset, length, (byte) 0);
        }
        MemorySegment.copy(msg, mac1Offset, message, ValueLayout.JAVA_BYTE, offset + mac1Offset, 2 * Protocol.MAC_LENGTH);
    }

    /** Takes the cookie from a reply to our last MAC1; false if unsolicited or not authentic. */
    public synchronized boolean consumeReply(CookieReply reply, long now) {
        if (!haveSentMac1) return false;
        byte[] plain = Xaead.open(decryptionKey, reply.nonce().toArray(ValueLayout.JAVA_BYTE),
                reply.encryptedCookie().toArray(ValueLayout.JAVA_BYTE), lastMac1);
        if (plain == null) return false;
        System.arraycopy(plain, 0, cookie, 0, Protocol.COOKIE_LENGTH);
        Arrays.fill(plain, (byte) 0);
        cookieSetAt = now;
        haveCookie = true;
        haveSentMac1 = false;
        return true;
    }

    public synchronized boolean hasFreshCookie(long now) {
        return haveCookie && now - cookieSetAt < Protocol.COOKIE_REFRESH_TIME - Protocol.COOKIE_SECRET_LATENCY;
    }

    public synchronized void zero() {
        Arrays.fill(cookie, (byte) 0);
        haveCookie = false;
    }
}
