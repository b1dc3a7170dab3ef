package dev.jwgd.offload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Test helper: builds IPv4/IPv6 TCP and UDP packets (and super-packets) with correct lengths and
 * checksums, computed only with {@link InternetChecksum#sumReference}, and checks them the same way.
 */
final class Packets {
    private Packets() {}

    static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final int ACK = 0x10;
    static final int PSH = 0x08;
    static final int FIN = 0x01;
    static final int CWR = 0x80;

    /** A description of a TCP or UDP packet; fields are public for tests to vary. */
    static final class Spec {
        int version = 4;
        boolean udp;
        byte[] src4 = {10, 0, 0, 1};
        byte[] dst4 = {10, 0, 0, 2};
        byte[] src6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        byte[] dst6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
        int srcPort = 40000;
        int dstPort = 5201;
        int seq = 1000;
        int ack = 77;
        int flags = ACK;
        int window = 512;
        byte[] options = new byte[0];   // TCP options, a multiple of 4
        int ipId = 100;
        int tos = 0;
        int ttl = 64;
        int flowLabel = 0x12345;
        byte[] ipOptions = new byte[0]; // IPv4 options, a multiple of 4
        boolean dontFragment = true;

        Spec copy() {
            Spec s = new Spec();
            s.version = version; s.udp = udp; s.src4 = src4.clone(); s.dst4 = dst4.clone(); s.src6 = src6.clone(); s.dst6 = dst6.clone();
            s.srcPort = srcPort; s.dstPort = dstPort; s.seq = seq; s.ack = ack; s.flags = flags; s.window = window;
            s.options = options.clone(); s.ipId = ipId; s.tos = tos; s.ttl = ttl; s.flowLabel = flowLabel;
            s.ipOptions = ipOptions.clone(); s.dontFragment = dontFragment;
            return s;
        }

        int ipHeaderLength() { return version == 4 ? 20 + ipOptions.length : 40; }

        int l4HeaderLength() { return udp ? 8 : 20 + options.length; }
    }

    /**
     * Writes the packet with {@code payload} at {@code at}; returns its length. When {@code partial}, the
     * L4 checksum field holds the folded pseudo-header sum (CHECKSUM_PARTIAL) instead of the checksum.
     */
    static int write(Spec s, byte[] payload, MemorySegment m, long at, boolean partial) {
        int iph = s.ipHeaderLength();
        int l4h = s.l4HeaderLength();
        int len = iph + l4h + payload.length;
        m.asSlice(at, len).fill((byte) 0);
        if (s.version == 4) {
            m.set(ValueLayout.JAVA_BYTE, at, (byte) (0x40 | (iph / 4)));
            m.set(ValueLayout.JAVA_BYTE, at + 1, (byte) s.tos);
            m.set(BE16, at + 2, (short) len);
            m.set(BE16, at + 4, (short) s.ipId);
            m.set(BE16, at + 6, (short) (s.dontFragment ? 0x4000 : 0));
            m.set(ValueLayout.JAVA_BYTE, at + 8, (byte) s.ttl);
            m.set(ValueLayout.JAVA_BYTE, at + 9, (byte) (s.udp ? 17 : 6));
            MemorySegment.copy(MemorySegment.ofArray(s.src4), 0, m, at + 12, 4);
            MemorySegment.copy(MemorySegment.ofArray(s.dst4), 0, m, at + 16, 4);
            MemorySegment.copy(MemorySegment.ofArray(s.ipOptions), 0, m, at + 20, s.ipOptions.length);
            m.set(BE16, at + 10, (short) (~InternetChecksum.sumReference(m, at, iph, 0) & 0xffff));
        } else {
            m.set(BE32, at, (6 << 28) | (s.tos << 20) | (s.flowLabel & 0xfffff));
            m.set(BE16, at + 4, (short) (len - 40));
            m.set(ValueLayout.JAVA_BYTE, at + 6, (byte) (s.udp ? 17 : 6));
            m.set(ValueLayout.JAVA_BYTE, at + 7, (byte) s.ttl);
            MemorySegment.copy(MemorySegment.ofArray(s.src6), 0, m, at + 8, 16);
            MemorySegment.copy(MemorySegment.ofArray(s.dst6), 0, m, at + 24, 16);
        }
        long l4 = at + iph;
        m.set(BE16, l4, (short) s.srcPort);
        m.set(BE16, l4 + 2, (short) s.dstPort);
        if (s.udp) {
            m.set(BE16, l4 + 4, (short) (len - iph));
        } else {
            m.set(BE32, l4 + 4, s.seq);
            m.set(BE32, l4 + 8, s.ack);
            m.set(ValueLayout.JAVA_BYTE, l4 + 12, (byte) ((l4h / 4) << 4));
            m.set(ValueLayout.JAVA_BYTE, l4 + 13, (byte) s.flags);
            m.set(BE16, l4 + 14, (short) s.window);
            MemorySegment.copy(MemorySegment.ofArray(s.options), 0, m, l4 + 20, s.options.length);
        }
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, m, at + iph + l4h, payload.length);
        int field = s.udp ? 6 : 16;
        int pseudo = pseudo(m, at, s.version, s.udp ? 17 : 6, len - iph);
        if (partial) {
            m.set(BE16, l4 + field, (short) pseudo);
        } else {
            int c = ~InternetChecksum.sumReference(m, l4, len - iph, pseudo) & 0xffff;
            m.set(BE16, l4 + field, (short) (c == 0 && s.udp ? 0xffff : c));
        }
        return len;
    }

    /** The pseudo-header sum built byte by byte into a scratch array and summed with the reference. */
    static int pseudo(MemorySegment m, long ip, int version, int protocol, int l4Length) {
        byte[] p;
        if (version == 4) {
            p = new byte[12];
            MemorySegment.copy(m, ValueLayout.JAVA_BYTE, ip + 12, p, 0, 8);
            p[9] = (byte) protocol;
            p[10] = (byte) (l4Length >>> 8);
            p[11] = (byte) l4Length;
        } else {
            p = new byte[40];
            MemorySegment.copy(m, ValueLayout.JAVA_BYTE, ip + 8, p, 0, 32);
            p[32] = (byte) (l4Length >>> 24);
            p[33] = (byte) (l4Length >>> 16);
            p[34] = (byte) (l4Length >>> 8);
            p[35] = (byte) l4Length;
            p[39] = (byte) protocol;
        }
        return InternetChecksum.sumReference(MemorySegment.ofArray(p), 0, p.length, 0);
    }

    /** Whether the IPv4 header checksum (if v4) and the TCP/UDP checksum of the packet at {@code at} verify. */
    static boolean checksumsValid(MemorySegment m, long at, int len) {
        int version = (m.get(ValueLayout.JAVA_BYTE, at) >>> 4) & 0xf;
        int iph;
        int proto;
        if (version == 4) {
            iph = (m.get(ValueLayout.JAVA_BYTE, at) & 0xf) * 4;
            if (InternetChecksum.sumReference(m, at, iph, 0) != 0xffff) return false;
            proto = m.get(ValueLayout.JAVA_BYTE, at + 9);
        } else {
            iph = 40;
            proto = m.get(ValueLayout.JAVA_BYTE, at + 6);
        }
        if (proto == 17 && m.get(BE16, at + iph + 6) == 0) return false;   // we always fill UDP checksums
        return InternetChecksum.sumReference(m, at + iph, len - iph, pseudo(m, at, version, proto, len - iph)) == 0xffff;
    }

    /** Recomputes the TCP/UDP checksum of the packet at the start of {@code p} after a test changed it. */
    static void refreshTcpChecksum(MemorySegment p) {
        int version = (p.get(ValueLayout.JAVA_BYTE, 0) >>> 4) & 0xf;
        int iph = version == 4 ? (p.get(ValueLayout.JAVA_BYTE, 0) & 0xf) * 4 : 40;
        int len = (int) p.byteSize();
        p.set(BE16, iph + 16, (short) 0);
        int c = ~InternetChecksum.sumReference(p, iph, len - iph, pseudo(p, 0, version, 6, len - iph)) & 0xffff;
        p.set(BE16, iph + 16, (short) c);
    }

    static byte[] bytes(MemorySegment m, long at, int len) {
        return m.asSlice(at, len).toArray(ValueLayout.JAVA_BYTE);
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed * 7 + (i >>> 8));
        return b;
    }
}
