package dev.jwgd.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/** The line protocol on one connection, over in-memory streams. */
class UapiSessionTest {
    final InMemoryDevice dev = new InMemoryDevice();
    final Key peer = Curve25519.publicKey(Curve25519.generatePrivateKey());

    String session(String input) throws Exception {
        var out = new ByteArrayOutputStream();
        new UapiSession(dev, new ReentrantReadWriteLock(), new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), out).serve();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void setSuccessIsErrnoZeroAndFailureIsNegative() throws Exception {
        assertEquals("errno=0\n\n", session("set=1\nlisten_port=1\n\n"));
        assertEquals("errno=-22\n\n", session("set=1\nbogus=1\n\n"));
        assertEquals("errno=-71\n\n", session("set=1\nnoequals\n\n"));
        dev.busyPorts.add(7);
        assertEquals("errno=-98\n\n", session("set=1\nlisten_port=7\n\n"));
    }

    @Test
    void severalOperationsOnOneConnectionAreAnsweredInOrder() throws Exception {
        String out = session("set=1\nlisten_port=51820\n\nget=1\n\nset=1\nfwmark=x\n\nget=1\n\n");
        assertEquals("errno=0\n\nlisten_port=51820\nerrno=0\n\nerrno=-22\n\nlisten_port=51820\nerrno=0\n\n", out);
    }

    @Test
    void aFailedSetIsDrainedToItsBlankLineSoTheNextRequestIsInStep() throws Exception {
        String out = session("set=1\nbad\nlisten_port=2\npublic_key=zz\n\nset=1\nlisten_port=3\n\n");
        assertEquals("errno=-71\n\nerrno=0\n\n", out);
        assertEquals(3, dev.listenPort, "lines after the error in the first request were not applied, the second request was");
    }

    @Test
    void getWithTrailingGarbageIsInvalidWithPositiveErrnoAndUnknownOperationsAreAnswered() throws Exception {
        assertEquals("errno=22\n\n", session("get=1\nx=1\n\n"));
        assertEquals("errno=-22\n\nerrno=0\n\n", session("hello=1\nmore\n\nset=1\n\n"));
        assertEquals("errno=-22\n\n", session("\n"));
    }

    @Test
    void aSetEndedByEofIsStillAppliedAndAnswered() throws Exception {
        assertEquals("errno=0\n\n", session("set=1\nlisten_port=9"));
        assertEquals(9, dev.listenPort);
    }

    @Test
    void anOverlongLineFailsItsRequestWithEmsgsizeAndTheConnectionContinues() throws Exception {
        String longLine = "allowed_ip=" + "1".repeat(UapiSession.MAX_LINE + 10);
        String out = session("set=1\nlisten_port=4\n" + longLine + "\nlisten_port=5\n\nget=1\n\n");
        assertEquals("errno=-90\n\nlisten_port=4\nerrno=0\n\n", out);
    }

    @Test
    void aPeerWithThousandsOfAllowedIpsIsParsedAppliedAndListed() throws Exception {
        StringBuilder sb = new StringBuilder("set=1\npublic_key=" + peer.toHex() + "\nreplace_allowed_ips=true\n");
        for (int i = 0; i < 20000; i++) sb.append("allowed_ip=10.").append(i >> 8).append('.').append(i & 255).append(".0/24\n");
        sb.append("\nget=1\n\n");
        String out = session(sb.toString());
        assertTrue(out.startsWith("errno=0\n\n"), out.substring(0, 40));
        assertEquals(20000, out.split("allowed_ip=", -1).length - 1);
        assertTrue(out.endsWith("allowed_ip=10.78.31.0/24\nerrno=0\n\n"));
    }
}
