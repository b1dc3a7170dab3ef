package dev.jwgd.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTextTest {

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 0.0.0.0", "192.0.2.255, 192.0.2.255",
        "::, ::", "::1, ::1", "2001:db8::1, 2001:db8::1", "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3", "1:0:0:2:0:0:3:4, 1::2:0:0:3:4", "fe80::, fe80::",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1", "::ffff:c000:201, ::ffff:192.0.2.1", "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304", "0:1:0:0:1:0:0:0, 0:1:0:0:1::"
    })
    void parsesLiteralsAndFormatsThemCanonically(String in, String canonical) throws Exception {
        byte[] b = IpAddressText.parse(in);
        byte[] jdk = InetAddress.getByName(in).getAddress(); // a literal: no lookup; mapped addresses come back as IPv4
        assertArrayEquals(jdk, b.length == jdk.length ? b : java.util.Arrays.copyOfRange(b, 12, 16), in);
        assertEquals(canonical, IpAddressText.format(b));
        assertArrayEquals(b, IpAddressText.parse(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d",
        ":", ":::", "1:2", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", ":1::", "1::2:",
        "fe80::1%eth0", "host.example", "١.2.3.4", "::g"})
    void rejectsWhatInetPtonRejects(String in) {
        assertNull(IpAddressText.parse(in), in);
    }
}
