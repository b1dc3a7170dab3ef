package dev.jwgd.ffm.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jwgd.ffm.GccProbe;
import dev.jwgd.ffm.HeaderCheck;
import dev.jwgd.ffm.libc.Sockets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UdpLayoutsTest {
    private static Map<String, Long> c;

    @BeforeAll
    static void compileProbe() throws Exception {
        c = GccProbe.run("/dev/jwgd/ffm/udp/udp_layouts.c");
    }

    @ParameterizedTest(name = "struct {0}")
    @ValueSource(classes = {sockaddr_in.class, sockaddr_in6.class, iovec.class, msghdr.class, mmsghdr.class,
            cmsghdr.class, in_pktinfo.class, in6_pktinfo.class})
    void structMatchesTheCLayout(Class<?> struct) throws Exception {
        HeaderCheck.assertStruct(struct, c);
    }

    @Test
    void ipAndUdpConstantsEqualTheCHeaders() throws Exception {
        HeaderCheck.assertConstants(in_h.class, c);
    }

    @Test
    void socketConstantsEqualTheCHeaders() throws Exception {
        HeaderCheck.assertConstants(Sockets.class, c);
    }

    @Test
    void cmsgMacrosEqualTheCMacros() {
        for (int n = 0; n <= 24; n++) {
            assertEquals(c.get("CMSG_LEN." + n), (Long) cmsghdr.CMSG_LEN(n), "CMSG_LEN(" + n + ")");
            assertEquals(c.get("CMSG_SPACE." + n), (Long) cmsghdr.CMSG_SPACE(n), "CMSG_SPACE(" + n + ")");
        }
        assertEquals(c.get("CMSG_DATA.offset"), (Long) cmsghdr.CMSG_DATA_OFFSET());
    }

    @Test
    void batchStridesHoldTheirStructs() {
        assertEquals(mmsghdr.sizeof(), UdpBatch.MSG_STRIDE);
        assertEquals(iovec.sizeof(), UdpBatch.IOV_STRIDE);
        assertEquals(sockaddr_in6.sizeof(), (long) UdpBatch.SOCKADDR_IN6_SIZE);
        assertEquals(sockaddr_in.sizeof(), (long) UdpBatch.SOCKADDR_IN_SIZE);
        // dual-stack receive: IPV6_PKTINFO + IP_PKTINFO + UDP_GRO must fit the per-slot control space
        long need = cmsghdr.CMSG_SPACE(in6_pktinfo.sizeof()) + cmsghdr.CMSG_SPACE(in_pktinfo.sizeof()) + cmsghdr.CMSG_SPACE(4);
        assertEquals(true, need <= UdpBatch.CONTROL_SPACE, "control space " + UdpBatch.CONTROL_SPACE + " < " + need);
    }
}
