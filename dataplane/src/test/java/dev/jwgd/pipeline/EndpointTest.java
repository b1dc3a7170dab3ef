package dev.jwgd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class EndpointTest {
    @Test
    void printsTheFormsWgParses() throws Exception {
        assertEquals("192.0.2.1:51820", Endpoint.of(new InetSocketAddress("192.0.2.1", 51820)).toString());
        assertEquals("[2001:db8::1]:51820", Endpoint.of(new InetSocketAddress("2001:db8:0:0:0:0:0:1", 51820)).toString());
        assertEquals("[2001:db8:1:0:1::2]:1", Endpoint.of(new InetSocketAddress("2001:db8:1:0:1:0:0:2", 1)).toString(),
                "the longest run of zero groups is the one compressed");
        assertEquals("[fd00::]:65535", Endpoint.of(new InetSocketAddress("fd00::", 65535)).toString());
    }

    @Test
    void anIpv4MappedAddressIsIpv4AndMatchesWithoutAllocatingAnEndpoint() throws Exception {
        Endpoint mapped = Endpoint.of(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7}), 9);
        assertFalse(mapped.isV6());
        assertEquals("192.0.2.7:9", mapped.toString());
        assertTrue(mapped.matches(false, 0, 0xC0000207L, 9));
        assertFalse(mapped.matches(false, 0, 0xC0000207L, 10), "another port is another endpoint");
        assertFalse(mapped.matches(true, 0, 0xC0000207L, 9), "another family is another endpoint");
        assertEquals(mapped, Endpoint.ofV4(0xC0000207, 9));
        assertEquals(new InetSocketAddress("192.0.2.7", 9), mapped.toSocketAddress());
    }
}
