package dev.jwgd.ffm.libc;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.GccProbe;
import dev.jwgd.ffm.HeaderCheck;
import org.junit.jupiter.api.Test;

class LibcHeadersTest {
    @Test
    void libcConstantsEqualTheCHeaders() throws Exception {
        HeaderCheck.assertConstants(Libc.class, GccProbe.run("/dev/jwgd/ffm/libc/libc_consts.c"));
    }

    @Test
    void errnoValuesEqualTheCHeaders() throws Exception {
        HeaderCheck.assertConstants(Errno.class, GccProbe.run("/dev/jwgd/ffm/libc/errno_consts.c"));
    }
}
