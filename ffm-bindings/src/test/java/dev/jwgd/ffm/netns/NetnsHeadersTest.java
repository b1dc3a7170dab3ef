package dev.jwgd.ffm.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jwgd.ffm.GccProbe;
import dev.jwgd.ffm.HeaderCheck;
import org.junit.jupiter.api.Test;

class NetnsHeadersTest {
    @Test
    void schedConstantsEqualTheCHeaders() throws Exception {
        var c = GccProbe.run("/dev/jwgd/ffm/netns/sched_consts.c");
        HeaderCheck.assertConstants(sched_h.class, c);
        // the glibc wrappers Libc binds must be these syscalls on x86_64 (linux-ffm.md appendix)
        assertEquals(308L, c.get("SYS_setns"));
        assertEquals(272L, c.get("SYS_unshare"));
    }
}
