package dev.jwgd.ffm.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link NetlinkReply} decodes the kernel's acks, errors and link replies, and answers any corrupt,
 * truncated or random reply with an {@link ErrnoException} (EPROTO) instead of a crash.
 */
class NetlinkReplyProperties {
    private static final int SEQ = 4242;

    /** Builds reply buffers the way the kernel lays them out. */
    private static final class Reply {
        final MemorySegment buf = Arena.ofAuto().allocate(4096, 8);
        int len;

        int header(int type, int flags, int seq) {
            int at = len;
            buf.set(JAVA_SHORT, at + 4, (short) type);
            buf.set(JAVA_SHORT, at + 6, (short) flags);
            buf.set(JAVA_INT, at + 8, seq);
            len += 16;
            return at;
        }

        void end(int at) {
            buf.set(JAVA_INT, at, len - at);
            len = netlink_h.NLMSG_ALIGN(len);
        }

        void i32(int v) {
            buf.set(JAVA_INT, len, v);
            len += 4;
        }

        void attr(int type, byte[] payload) {
            buf.set(JAVA_SHORT, len, (short) (4 + payload.length));
            buf.set(JAVA_SHORT, len + 2, (short) type);
            MemorySegment.copy(payload, 0, buf, JAVA_BYTE, len + 4, payload.length);
            len += rtnetlink_h.RTA_ALIGN(4 + payload.length);
        }

        /** NLMSG_ERROR with the request header echoed (CAPPED), optionally an NLMSGERR_ATTR_MSG. */
        Reply ack(int seq, int error, String text) {
            int at = header(netlink_h.NLMSG_ERROR, netlink_h.NLM_F_CAPPED | (text != null ? netlink_h.NLM_F_ACK_TLVS : 0), seq);
            i32(error);
            int echo = len;
            len += 16;
            buf.set(JAVA_INT, echo, 40);   // the request was 40 bytes
            buf.set(JAVA_INT, echo + 8, seq);
            if (text != null) attr(netlink_h.NLMSGERR_ATTR_MSG, (text + "\0").getBytes(StandardCharsets.UTF_8));
            end(at);
            return this;
        }

        Reply link(int seq, int index, String name, int mtu) {
            int at = header(rtnetlink_h.RTM_NEWLINK, 0, seq);
            buf.set(JAVA_INT, len + 4, index);
            buf.set(JAVA_INT, len + 8, rtnetlink_h.IFF_UP);
            len += 16;
            attr(rtnetlink_h.IFLA_IFNAME, (name + "\0").getBytes(StandardCharsets.UTF_8));
            attr(rtnetlink_h.IFLA_MTU, new byte[] {(byte) mtu, (byte) (mtu >> 8), 0, 0});
            end(at);
            return this;
        }
    }

    @Test
    void anAckWithErrorZeroCompletesTheRequest() throws Exception {
        Reply r = new Reply().ack(SEQ, 0, null);
        assertTrue(NetlinkReply.scan(r.buf, r.len, SEQ, "RTM_NEWLINK dev 2 up", null));
    }

    @Test
    void anErrorAckBecomesErrnoExceptionWithTheKernelsTextAndTheRequestName() {
        Reply r = new Reply().ack(SEQ, -Errno.EEXIST, "ipv4: Address already assigned");
        var e = assertThrows(ErrnoException.class, () -> NetlinkReply.scan(r.buf, r.len, SEQ, "RTM_NEWADDR 192.0.2.1/24 dev 3", null));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("RTM_NEWADDR 192.0.2.1/24 dev 3 [kernel: ipv4: Address already assigned]", e.call());
    }

    @Test
    void linkRepliesAreDecodedAndAnswersToOtherRequestsAreSkipped() throws Exception {
        Reply r = new Reply().ack(SEQ - 1, -Errno.ENODEV, null).link(SEQ - 1, 9, "stale0", 1280).link(SEQ, 7, "urnl0", 1420).ack(SEQ, 0, null);
        List<Link> links = new ArrayList<>();
        assertTrue(NetlinkReply.scan(r.buf, r.len, SEQ, "RTM_GETLINK urnl0", links));
        assertEquals(List.of(new Link(7, "urnl0", rtnetlink_h.IFF_UP, 1420)), links);
    }

    @Test
    void aBufferWithoutTheAckAsksForMore() throws Exception {
        Reply r = new Reply().link(SEQ, 7, "urnl0", 1420);
        List<Link> links = new ArrayList<>();
        assertFalse(NetlinkReply.scan(r.buf, r.len, SEQ, "RTM_GETLINK urnl0", links));
        assertEquals(1, links.size());
    }

    @Test
    void aTruncatedMessageIsEprotoNamingTheRequest() {
        Reply r = new Reply().link(SEQ, 7, "urnl0", 1420).ack(SEQ, 0, null);
        var e = assertThrows(ErrnoException.class, () -> NetlinkReply.scan(r.buf.asSlice(0, r.len - 30), r.len - 30, SEQ, "RTM_GETLINK urnl0", new ArrayList<>()));
        assertEquals(NetlinkReply.EPROTO, e.errno());
        assertTrue(e.getMessage().startsWith("RTM_GETLINK urnl0: malformed netlink reply"), e.getMessage());
    }

    @Test
    void anAttributeRunningPastItsMessageIsEproto() {
        Reply r = new Reply().link(SEQ, 7, "urnl0", 1420).ack(SEQ, 0, null);
        r.buf.set(JAVA_SHORT, 32, (short) 200);   // IFLA_IFNAME, the first attribute after nlmsghdr + ifinfomsg
        var e = assertThrows(ErrnoException.class, () -> NetlinkReply.scan(r.buf.asSlice(0, r.len), r.len, SEQ, "RTM_GETLINK urnl0", new ArrayList<>()));
        assertEquals(NetlinkReply.EPROTO, e.errno());
        assertTrue(e.getMessage().contains("attribute length 200"), e.getMessage());
    }

    @Test
    void aMessageLengthBeyondTheReceivedBytesIsEproto() {
        Reply r = new Reply().ack(SEQ, 0, null);
        r.buf.set(JAVA_INT, 0, 4000);
        var e = assertThrows(ErrnoException.class, () -> NetlinkReply.scan(r.buf.asSlice(0, r.len), r.len, SEQ, "RTM_NEWLINK dev 2 up", null));
        assertEquals(NetlinkReply.EPROTO, e.errno());
        assertTrue(e.getMessage().contains("message length 4000"), e.getMessage());
    }

    static LongStream seeds() {
        return new SplittableRandom(0x5eed_4e4cL).longs(200);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void mutatedTruncatedOrRandomRepliesNeverCrashTheParser(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Reply r = new Reply();
        switch (rnd.nextInt(3)) {
            case 0 -> r.link(SEQ, rnd.nextInt(), "urnl" + rnd.nextInt(100), rnd.nextInt(65536)).ack(SEQ, 0, null);
            case 1 -> r.ack(SEQ, -rnd.nextInt(1, 200), rnd.nextBoolean() ? "kernel says no" : null);
            default -> {
                r.len = rnd.nextInt(0, 600);
                for (int i = 0; i < r.len; i++) r.buf.set(JAVA_BYTE, i, (byte) rnd.nextInt());
                if (rnd.nextBoolean() && r.len >= 16) r.buf.set(JAVA_INT, 8, SEQ);   // make it "ours" sometimes
            }
        }
        int mutations = rnd.nextInt(0, 6);
        for (int i = 0; i < mutations && r.len > 0; i++) r.buf.set(JAVA_BYTE, rnd.nextInt(r.len), (byte) rnd.nextInt());
        int len = rnd.nextInt(4) == 0 ? rnd.nextInt(0, r.len + 1) : r.len;
        try {
            // exactly the received bytes: any read past them would throw IndexOutOfBoundsException
            NetlinkReply.scan(r.buf.asSlice(0, len), len, SEQ, "RTM_TEST", new ArrayList<>());
        } catch (ErrnoException e) {
            assertTrue(e.errno() > 0 && e.errno() < 4096, "seed " + seed + ": errno " + e.errno());
            assertTrue(e.getMessage().startsWith("RTM_TEST"), "seed " + seed + ": " + e.getMessage());
        } catch (Throwable t) {
            fail("seed " + seed + ": parser crashed on bad input with " + t, t);
        }
    }
}
