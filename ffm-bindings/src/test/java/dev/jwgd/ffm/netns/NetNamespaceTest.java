package dev.jwgd.ffm.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Sockets;
import dev.jwgd.ffm.udp.UdpBatch;
import dev.jwgd.ffm.udp.UdpSocket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NetNamespaceTest {

    @Test
    void taskRunsInsideTheNamespaceWhileTheCallerStaysWhereItWas() throws Exception {
        try (TestNet net = TestNet.create()) {
            String name = net.addNamespace();
            String callerBefore = NetNamespace.currentThreadId();
            String expected = TestNet.run("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net").trim();
            try (NetNamespace ns = NetNamespace.open(name)) {
                String inside = ns.call(NetNamespace::currentThreadId);
                assertEquals(expected, inside);
                assertNotEquals(callerBefore, inside);
                // the same handle can be used again: each call gets its own fresh thread
                assertEquals(expected, ns.call(NetNamespace::currentThreadId));
            }
            assertEquals(callerBefore, NetNamespace.currentThreadId(), "the calling thread never moves");
        }
    }

    @Test
    void socketCreatedInNamespaceAKeepsSendingFromAWhileTheCallerIsElsewhere() throws Exception {
        try (TestNet net = TestNet.create(); Arena arena = Arena.ofConfined()) {
            String a = net.addNamespace();
            String b = net.addNamespace();
            net.addVeth(a, "192.0.2.1/24", b, "192.0.2.2/24");
            try (NetNamespace nsA = NetNamespace.open(a); NetNamespace nsB = NetNamespace.open(b)) {
                UdpSocket tx = nsA.call(() -> UdpSocket.open(UdpSocket.Family.IPV4));
                UdpSocket rx = nsB.call(() -> {
                    UdpSocket s = UdpSocket.open(UdpSocket.Family.IPV4);
                    s.bind(InetAddress.getByName("192.0.2.2"), 0);
                    return s;
                });
                try (tx; rx) {
                    // this thread is in the test's own namespace, which has no 192.0.2.0/24 at all
                    assertNotEquals(nsA.call(NetNamespace::currentThreadId), NetNamespace.currentThreadId());
                    UdpBatch out = new UdpBatch(3, 64, arena);
                    for (int i = 0; i < 3; i++) {
                        out.setLength(i, 20);
                        out.setAddressIPv4(i, 0xc0000202, rx.localAddress().getPort());
                    }
                    assertEquals(3, tx.send(out, 0, 3, 0));
                    UdpBatch in = new UdpBatch(3, 64, arena);
                    int got = 0;
                    for (int polls = 0; got < 3 && polls < 40; polls++) {
                        if (rx.awaitReadable(100) <= 0) continue;
                        int n = rx.receive(in, got, 3 - got, Sockets.MSG_DONTWAIT);
                        if (n > 0) got += n;
                    }
                    assertEquals(3, got);
                    for (int i = 0; i < 3; i++) assertEquals(0xc0000201, in.addressIPv4(i), "source is A's veth address");
                }
            }
        }
    }

    @Test
    void unshareMovesOnlyTheCallingThreadAndItsNamespaceCanBeReenteredByHandle() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestNet.isRoot(), "needs root: unshare(CLONE_NEWNET)");
        String caller = NetNamespace.currentThreadId();
        Object[] seen = new Object[2];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                if (dev.jwgd.ffm.libc.Libc.unshare(sched_h.CLONE_NEWNET) != 0) throw new ErrnoException("unshare", dev.jwgd.ffm.C.errno());
                seen[0] = NetNamespace.currentThreadId();
                seen[1] = NetNamespace.ofCurrentThread();      // keeps the fresh namespace alive after the thread ends
            } catch (Exception e) {
                seen[0] = e;
            }
        });
        t.join(10_000);
        assertTrue(seen[0] instanceof String, String.valueOf(seen[0]));
        assertNotEquals(caller, seen[0]);
        assertEquals(caller, NetNamespace.currentThreadId());
        try (NetNamespace fresh = (NetNamespace) seen[1]) {
            assertEquals(seen[0], fresh.call(NetNamespace::currentThreadId));
        }
    }

    @Test
    void unknownNamespaceNameThrowsNamingOpenAndEnoent() throws Exception {
        String missing = "ffmio-missing-" + ProcessHandle.current().pid();
        ErrnoException e = assertThrows(ErrnoException.class, () -> NetNamespace.open(missing));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open(/var/run/netns/" + missing + ")", e.call());
        assertThrows(IllegalArgumentException.class, () -> NetNamespace.open("../etc"));
    }

    @Test
    void enteringSomethingThatIsNotANamespaceThrowsNamingSetns() throws Exception {
        try (NetNamespace notNs = NetNamespace.openPath("/dev/null")) {
            ErrnoException e = assertThrows(ErrnoException.class, () -> notNs.call(() -> "unreachable"));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.call().startsWith("setns(CLONE_NEWNET"), e.call());
        }
    }

    @Test
    void taskFailureReachesTheCallerUnchanged() throws Exception {
        try (TestNet net = TestNet.create(); NetNamespace ns = NetNamespace.open(net.addNamespace())) {
            IOException thrown = new IOException("from the task");
            assertSame(thrown, assertThrows(IOException.class, () -> ns.call(() -> { throw thrown; })));
            IllegalStateException runtime = new IllegalStateException("runtime");
            assertSame(runtime, assertThrows(IllegalStateException.class, () -> ns.call(() -> { throw runtime; })));
        }
    }
}
