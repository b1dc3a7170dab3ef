package dev.jwgd.ffm.netlink;

import dev.jwgd.ffm.Errno;

import static dev.jwgd.ffm.netlink.netlink_h.NLMSGERR_ATTR_MSG;
import static dev.jwgd.ffm.netlink.netlink_h.NLMSG_ALIGN;
import static dev.jwgd.ffm.netlink.netlink_h.NLMSG_DONE;
import static dev.jwgd.ffm.netlink.netlink_h.NLMSG_ERROR;
import static dev.jwgd.ffm.netlink.netlink_h.NLMSG_HDRLEN;
import static dev.jwgd.ffm.netlink.netlink_h.NLM_F_ACK_TLVS;
import static dev.jwgd.ffm.netlink.netlink_h.NLM_F_CAPPED;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFLA_IFNAME;
import static dev.jwgd.ffm.netlink.rtnetlink_h.IFLA_MTU;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTA_ALIGN;
import static dev.jwgd.ffm.netlink.rtnetlink_h.RTM_NEWLINK;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.jwgd.ffm.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads what the kernel sends back on an rtnetlink socket: walks the messages of one receive buffer,
 * turns the {@code NLMSG_ERROR} acknowledgement into success or an {@link ErrnoException} carrying the
 * kernel's errno and its extended-ack text, and decodes {@code RTM_NEWLINK} replies into {@link Link}s.
 *
 * <p>Every length is checked against the bytes actually received before it is used, so a truncated
 * or corrupt reply ends in an {@link ErrnoException} with {@code EPROTO} naming the request, never in an
 * out-of-bounds access.
 */
final class NetlinkReply {
    private NetlinkReply() {}

    /** errno for a reply that does not parse (EPROTO, "Protocol error"). */
    static final int EPROTO = Errno.EPROTO;

    /**
     * Scans {@code len} received bytes for the answer to request {@code seq}. Messages with another
     * sequence number (late answers to earlier requests) are skipped; link replies are added to
     * {@code links} (which may be null when none are expected).
     *
     * @return true once the request is complete (its ack, or NLMSG_DONE of a dump, was seen)
     * @throws ErrnoException the kernel's error for the request, or EPROTO for a malformed reply
     */
    static boolean scan(MemorySegment buf, int len, int seq, String call, List<Link> links) throws ErrnoException {
        if (len < 0 || len > buf.byteSize()) throw malformed(call, "length " + len + " outside the buffer");
        long off = 0;
        while (off + NLMSG_HDRLEN <= len) {
            int msgLen = buf.get(JAVA_INT_UNALIGNED, off + nlmsghdr.nlmsg_len$OFFSET);
            if (msgLen < NLMSG_HDRLEN || msgLen > len - off) {
                throw malformed(call, "message length " + Integer.toUnsignedString(msgLen) + " at offset " + off + " of " + len);
            }
            int type = Short.toUnsignedInt(buf.get(JAVA_SHORT_UNALIGNED, off + nlmsghdr.nlmsg_type$OFFSET));
            int flags = Short.toUnsignedInt(buf.get(JAVA_SHORT_UNALIGNED, off + nlmsghdr.nlmsg_flags$OFFSET));
            int msgSeq = buf.get(JAVA_INT_UNALIGNED, off + nlmsghdr.nlmsg_seq$OFFSET);
            if (msgSeq == seq) {
                if (type == NLMSG_ERROR) {
                    ack(buf, off, msgLen, flags, call);
                    return true;
                }
                if (type == NLMSG_DONE) return true;
                if (type == RTM_NEWLINK && links != null) links.add(link(buf, off, msgLen, call));
            }
            off += NLMSG_ALIGN(msgLen);
        }
        if (off < len) throw malformed(call, (len - off) + " trailing bytes");
        return false;
    }

    /** Throws the error an NLMSG_ERROR message carries; returns normally for an ack (error 0). */
    private static void ack(MemorySegment buf, long off, int msgLen, int flags, String call) throws ErrnoException {
        long payload = off + NLMSG_HDRLEN;
        if (msgLen < NLMSG_HDRLEN + nlmsgerr.sizeof()) throw malformed(call, "NLMSG_ERROR of " + msgLen + " bytes");
        int error = buf.get(JAVA_INT_UNALIGNED, payload + nlmsgerr.error$OFFSET);
        if (error == 0) return;
        if (error > 0 || error < -4095) throw malformed(call, "error code " + error);
        String kernelSays = null;
        if ((flags & NLM_F_ACK_TLVS) != 0) {
            // TLVs follow the echoed request: only its header when CAPPED, else the whole request.
            long tlv = payload + nlmsgerr.sizeof();
            if ((flags & NLM_F_CAPPED) == 0) {
                int echoed = buf.get(JAVA_INT_UNALIGNED, payload + nlmsgerr.msg$OFFSET + nlmsghdr.nlmsg_len$OFFSET);
                if (echoed < NLMSG_HDRLEN || echoed > msgLen) throw malformed(call, "echoed request of " + echoed + " bytes");
                tlv += NLMSG_ALIGN(echoed) - NLMSG_HDRLEN;
            }
            kernelSays = string(buf, findAttr(buf, tlv, off + msgLen, NLMSGERR_ATTR_MSG, call));
        }
        throw new ErrnoException(kernelSays == null ? call : call + " [kernel: " + kernelSays + "]", -error);
    }

    /** Decodes one RTM_NEWLINK message. */
    private static Link link(MemorySegment buf, long off, int msgLen, String call) throws ErrnoException {
        long ifi = off + NLMSG_HDRLEN;
        long end = off + msgLen;
        if (ifi + ifinfomsg.sizeof() > end) throw malformed(call, "RTM_NEWLINK of " + msgLen + " bytes");
        int index = buf.get(JAVA_INT_UNALIGNED, ifi + ifinfomsg.ifi_index$OFFSET);
        int flags = buf.get(JAVA_INT_UNALIGNED, ifi + ifinfomsg.ifi_flags$OFFSET);
        long attrs = ifi + ifinfomsg.sizeof();
        String name = string(buf, findAttr(buf, attrs, end, IFLA_IFNAME, call));
        long mtuAttr = findAttr(buf, attrs, end, IFLA_MTU, call);
        int mtu = -1;
        if (mtuAttr >= 0) {
            if (attrLen(buf, mtuAttr) < 8) throw malformed(call, "IFLA_MTU too short");
            mtu = buf.get(JAVA_INT_UNALIGNED, mtuAttr + 4);
        }
        if (name == null) throw malformed(call, "RTM_NEWLINK without IFLA_IFNAME");
        return new Link(index, name, flags, mtu);
    }

    /**
     * Offset of the first attribute of {@code type} among the attributes in {@code [from, end)}, or -1.
     * Checks every attribute's length on the way.
     */
    static long findAttr(MemorySegment buf, long from, long end, int type, String call) throws ErrnoException {
        long a = from;
        while (a + 4 <= end) {
            int rtaLen = attrLen(buf, a);
            if (rtaLen < 4 || rtaLen > end - a) throw malformed(call, "attribute length " + rtaLen + " at offset " + a);
            int rtaType = Short.toUnsignedInt(buf.get(JAVA_SHORT_UNALIGNED, a + rtattr.rta_type$OFFSET)) & 0x3fff;
            if (rtaType == type) return a;
            a += RTA_ALIGN(rtaLen);
        }
        return -1;
    }

    private static int attrLen(MemorySegment buf, long attr) {
        return Short.toUnsignedInt(buf.get(JAVA_SHORT_UNALIGNED, attr + rtattr.rta_len$OFFSET));
    }

    /** The NUL-terminated string payload of the attribute at {@code attr}, or null when attr is -1. */
    private static String string(MemorySegment buf, long attr) {
        if (attr < 0) return null;
        int payload = attrLen(buf, attr) - 4;
        int n = 0;
        while (n < payload && buf.get(JAVA_BYTE, attr + 4 + n) != 0) n++;
        byte[] b = new byte[n];
        MemorySegment.copy(buf, JAVA_BYTE, attr + 4, b, 0, n);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static ErrnoException malformed(String call, String what) {
        return new ErrnoException(call + ": malformed netlink reply (" + what + ")", EPROTO);
    }
}
