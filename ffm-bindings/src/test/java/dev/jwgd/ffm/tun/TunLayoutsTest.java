package dev.jwgd.ffm.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jwgd.ffm.GccProbe;
import dev.jwgd.ffm.HeaderCheck;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TunLayoutsTest {
    private static Map<String, Long> c;

    @BeforeAll
    static void compileProbe() throws Exception {
        c = GccProbe.run("/dev/jwgd/ffm/tun/tun_layouts.c");
    }

    @Test
    void ifreqMatchesTheCLayout() throws Exception {
        HeaderCheck.assertStruct(ifreq.class, c);
    }

    @Test
    void virtioNetHdrMatchesTheCLayout() throws Exception {
        HeaderCheck.assertStruct(virtio_net_hdr.class, c);
    }

    @Test
    void everyIfTunConstantEqualsTheCHeader() throws Exception {
        HeaderCheck.assertConstants(if_tun_h.class, c);
    }

    @Test
    void offloadSetsAreTheWireguardGoValues() {
        assertEquals(0x07, TunDevice.OFFLOAD_TCP);
        assertEquals(0x67, TunDevice.OFFLOAD_TCP_UDP);
    }
}
