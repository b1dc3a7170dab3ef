package dev.jwgd.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Key;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class GetResponseTest {
    static final Key K1 = Key.fromHex("e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a");
    static final Key K2 = Key.fromHex("58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376");

    @Test
    void keysComeInWireguardGoOrderWithUnsignedCounters() throws Exception {
        var peer = new PeerSnapshot(K2, null, 1, new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 51820),
                1700000000L, 5, -1L, 1372L, 25, List.of(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("2001:db8::/32")));
        var peer2 = new PeerSnapshot(K1, K2, 1, null, 0, 0, 0, 0, 0, List.of());
        String s = GetResponse.format(new DeviceSnapshot(K1, 51820, 0xffff_ffffL, List.of(peer, peer2)));
        assertEquals("""
                private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a
                listen_port=51820
                fwmark=4294967295
                public_key=58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376
                preshared_key=0000000000000000000000000000000000000000000000000000000000000000
                protocol_version=1
                endpoint=[2001:db8::1]:51820
                last_handshake_time_sec=1700000000
                last_handshake_time_nsec=5
                tx_bytes=1372
                rx_bytes=18446744073709551615
                persistent_keepalive_interval=25
                allowed_ip=10.0.0.0/24
                allowed_ip=2001:db8::/32
                public_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a
                preshared_key=58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376
                protocol_version=1
                last_handshake_time_sec=0
                last_handshake_time_nsec=0
                tx_bytes=0
                rx_bytes=0
                persistent_keepalive_interval=0
                """, s);
    }

    @Test
    void unsetDeviceValuesAreOmitted() {
        assertEquals("", GetResponse.format(new DeviceSnapshot(null, 0, 0, List.of())));
    }
}
