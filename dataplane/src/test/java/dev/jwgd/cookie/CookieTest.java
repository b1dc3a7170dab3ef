package dev.jwgd.cookie;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.keys.Curve25519;
import dev.jwgd.message.CookieReply;
import dev.jwgd.message.HandshakeInitiation;
import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CookieTest {
    private static final long SECOND = 1_000_000_000L;
    private final byte[] responderPublic = Curve25519.publicKey(Curve25519.generatePrivateKey()).bytes();
    private final CookieChecker checker = new CookieChecker(new SecureRandom());
    private final CookieGenerator generator = new CookieGenerator(responderPublic);
    private final byte[] source = {(byte) 192, 0, 2, 1, (byte) 0xca, 0x6c};
    private MemorySegment msg;

    @BeforeEach
    void setUp() {
        checker.init(responderPublic);
        msg = MemorySegment.ofArray(new byte[HandshakeInitiation.LENGTH]);
        new HandshakeInitiation().wrapForWrite(msg, 0).senderIndex(42);
        msg.asSlice(8, 100).fill((byte) 7);
    }

    private MemorySegment replyTo(MemorySegment m, long now) {
        MemorySegment reply = MemorySegment.ofArray(new byte[CookieReply.LENGTH]);
        checker.createReply(m, 0, HandshakeInitiation.LENGTH, 42, source, now, reply, 0);
        return reply;
    }

    private CookieReply view(MemorySegment reply) {
        CookieReply r = new CookieReply();
        r.wrap(reply, 0, CookieReply.LENGTH);
        return r;
    }

    @Test
    void mac1ChecksWithTheReceiversPublicKeyAndCatchesAnyChange() {
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, 0);
        assertTrue(checker.checkMac1(msg, 0, HandshakeInitiation.LENGTH));
        msg.set(ValueLayout.JAVA_BYTE, 50, (byte) 8);
        assertFalse(checker.checkMac1(msg, 0, HandshakeInitiation.LENGTH));
        CookieChecker other = new CookieChecker(new SecureRandom());
        other.init(Curve25519.publicKey(Curve25519.generatePrivateKey()).bytes());
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, 0);
        assertFalse(other.checkMac1(msg, 0, HandshakeInitiation.LENGTH), "MAC1 is bound to the receiver's key");
    }

    @Test
    void withoutACookieMac2IsZeroAndFailsTheCheck() {
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, 0);
        assertTrue(isZero(msg.asSlice(HandshakeInitiation.MAC2_OFFSET, 16)));
        replyTo(msg, 0); // the checker now has a secret
        assertFalse(checker.checkMac2(msg, 0, HandshakeInitiation.LENGTH, source, 0));
    }

    @Test
    void aCookieReplyGivesAMac2ThatTheResponderAccepts() {
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, 0);
        assertTrue(generator.consumeReply(view(replyTo(msg, 0)), 0));
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, SECOND);
        assertTrue(checker.checkMac1(msg, 0, HandshakeInitiation.LENGTH));
        assertTrue(checker.checkMac2(msg, 0, HandshakeInitiation.LENGTH, source, SECOND));
        byte[] otherPort = source.clone();
        otherPort[5] ^= 1;
        assertFalse(checker.checkMac2(msg, 0, HandshakeInitiation.LENGTH, otherPort, SECOND), "the cookie is per source address and port");
    }

    @Test
    void anUnsolicitedOrTamperedCookieReplyIsIgnored() {
        assertFalse(generator.consumeReply(view(replyTo(msg, 0)), 0), "nothing was sent yet");
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, 0);
        MemorySegment reply = replyTo(msg, 0);
        reply.set(ValueLayout.JAVA_BYTE, 40, (byte) (reply.get(ValueLayout.JAVA_BYTE, 40) ^ 1));
        assertFalse(generator.consumeReply(view(reply), 0));
        MemorySegment good = replyTo(msg, 0);
        assertTrue(generator.consumeReply(view(good), 0));
        assertFalse(generator.consumeReply(view(good), 0), "one reply per MAC1 sent");
    }

    @Test
    void theInitiatorStopsUsingACookieAfter115Seconds() {
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, 0);
        assertTrue(generator.consumeReply(view(replyTo(msg, 0)), 0));
        assertTrue(generator.hasFreshCookie(114 * SECOND));
        assertFalse(generator.hasFreshCookie(115 * SECOND));
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, 116 * SECOND);
        assertTrue(isZero(msg.asSlice(HandshakeInitiation.MAC2_OFFSET, 16)));
    }

    @Test
    void theResponderSecretIsReplacedAfterCookieRefreshTime() {
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, 0);
        assertTrue(generator.consumeReply(view(replyTo(msg, 0)), 0));
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, 100 * SECOND);
        assertTrue(checker.checkMac2(msg, 0, HandshakeInitiation.LENGTH, source, 100 * SECOND));
        assertFalse(checker.checkMac2(msg, 0, HandshakeInitiation.LENGTH, source, Protocol.COOKIE_REFRESH_TIME + 1),
                "an expired secret validates nothing");
        MemorySegment fresh = replyTo(msg, Protocol.COOKIE_REFRESH_TIME + 1); // rotates the secret
        assertFalse(checker.checkMac2(msg, 0, HandshakeInitiation.LENGTH, source, Protocol.COOKIE_REFRESH_TIME + 2),
                "the old cookie does not match the new secret");
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, Protocol.COOKIE_REFRESH_TIME + 2);
        assertTrue(generator.consumeReply(view(replyTo(msg, Protocol.COOKIE_REFRESH_TIME + 2)), Protocol.COOKIE_REFRESH_TIME + 2));
        assertTrue(fresh.byteSize() == CookieReply.LENGTH);
        generator.addMacs(msg, 0, HandshakeInitiation.LENGTH, Protocol.COOKIE_REFRESH_TIME + 3);
        assertTrue(checker.checkMac2(msg, 0, HandshakeInitiation.LENGTH, source, Protocol.COOKIE_REFRESH_TIME + 3));
    }

    @Test
    void underLoadIsStickyForOneSecondAfterTheBacklogWasLong() {
        UnderLoadDetector d = new UnderLoadDetector(4096);
        assertFalse(d.update(511, 0));
        assertTrue(d.update(512, 0));
        assertTrue(d.update(0, SECOND - 1));
        assertFalse(d.update(0, SECOND));
    }

    private static boolean isZero(MemorySegment s) {
        for (long i = 0; i < s.byteSize(); i++) if (s.get(ValueLayout.JAVA_BYTE, i) != 0) return false;
        return true;
    }
}
