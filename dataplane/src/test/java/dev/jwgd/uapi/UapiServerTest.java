package dev.jwgd.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket's life: permissions, stale and live sockets, deletion, close, concurrent clients. */
class UapiServerTest {
    @TempDir
    Path tmp;

    final InMemoryDevice dev = new InMemoryDevice();

    @Test
    void socketIsMode0600InANewDirectoryOfMode0755() throws Exception {
        Path dir = tmp.resolve("wireguard");
        try (UapiServer s = UapiServer.start(dir, "jwgt0", dev, () -> { })) {
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.socketPath())));
            assertEquals(dir.resolve("jwgt0.sock"), s.socketPath());
            try (var files = Files.list(dir)) {
                assertEquals(List.of(s.socketPath()), files.toList(), "the private bind directory is gone");
            }
        }
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        Path stale = tmp.resolve("jwgt1.sock");
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale), "closing a unix server channel leaves its file");
        try (UapiServer s = UapiServer.start(tmp, "jwgt1", dev, () -> { })) {
            assertEquals(0, UapiClient.set(s.socketPath(), SetRequest.of(new SetOperation.SetListenPort(5))));
            assertEquals(5, dev.listenPort);
        }
    }

    @Test
    void aLiveSocketIsRefusedAndKeepsServing() throws Exception {
        try (UapiServer first = UapiServer.start(tmp, "jwgt2", dev, () -> { })) {
            var e = assertThrows(FileAlreadyExistsException.class, () -> UapiServer.start(tmp, "jwgt2", new InMemoryDevice(), () -> { }));
            assertTrue(e.getMessage().contains("another process serves this interface"), e.getMessage());
            assertTrue(UapiClient.get(first.socketPath()).endsWith("errno=0\n\n"));
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAloneAndRefused() throws Exception {
        Path f = tmp.resolve("jwgt3.sock");
        Files.writeString(f, "keep me");
        assertThrows(FileAlreadyExistsException.class, () -> UapiServer.start(tmp, "jwgt3", dev, () -> { }));
        assertEquals("keep me", Files.readString(f));
    }

    @Test
    void deletingTheSocketFileCallsTheCallbackOnce() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (UapiServer s = UapiServer.start(tmp, "jwgt4", dev, () -> {
            calls.incrementAndGet();
            gone.countDown();
        })) {
            Files.delete(s.socketPath());
            assertTrue(gone.await(10, TimeUnit.SECONDS), "callback within the bound");
        }
        assertEquals(1, calls.get());
    }

    @Test
    void closeRemovesTheSocketButNotASuccessorsSocket() throws Exception {
        UapiServer s = UapiServer.start(tmp, "jwgt5", dev, () -> { });
        Path p = s.socketPath();
        s.close();
        assertFalse(Files.exists(p));
        assertThrows(java.io.IOException.class, () -> UapiClient.get(p));

        CountDownLatch gone = new CountDownLatch(1);
        UapiServer a = UapiServer.start(tmp, "jwgt6", dev, gone::countDown);
        Files.delete(a.socketPath());
        try (UapiServer b = UapiServer.start(tmp, "jwgt6", new InMemoryDevice(), () -> { })) {
            assertTrue(gone.await(10, TimeUnit.SECONDS));
            a.close();
            assertTrue(Files.exists(b.socketPath()), "the successor's socket stays");
            assertTrue(UapiClient.get(b.socketPath()).endsWith("errno=0\n\n"));
        }
    }

    @Test
    void malformedRequestsAreAnsweredAndTheServerKeepsAnswering() throws Exception {
        try (UapiServer s = UapiServer.start(tmp, "jwgt7", dev, () -> { })) {
            assertEquals("errno=-22\n\n", UapiClient.exchange(s.socketPath(), "bogus\n\n"));
            assertEquals("errno=-71\n\n", UapiClient.exchange(s.socketPath(), "set=1\nno equals sign\n\n"));
            assertEquals("errno=22\n\n", UapiClient.exchange(s.socketPath(), "get=1\nget=1\n\n"));
            assertEquals("errno=-90\n\n", UapiClient.exchange(s.socketPath(), "set=1\n" + "x".repeat(100_000) + "\n\n"));
            // a client that connects and leaves mid-request does not disturb the others
            try (var c = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(s.socketPath()))) {
                c.write(java.nio.ByteBuffer.wrap("set=1\nlisten_po".getBytes()));
            }
            assertEquals("errno=-22\n\nerrno=0\n\nlisten_port=7\nerrno=0\n\n",
                    UapiClient.exchangeAll(s.socketPath(), "set=1\nlisten_port=x\n\nset=1\nlisten_port=7\n\nget=1\n\n"));
        }
    }

    @Test
    void concurrentClientsAreEachAnsweredCompletely() throws Exception {
        try (UapiServer s = UapiServer.start(tmp, "jwgt8", dev, () -> { });
             var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int port = 1000 + i;
                replies.add(pool.submit(() -> UapiClient.exchangeAll(s.socketPath(), "set=1\nlisten_port=" + port + "\n\nget=1\n\n")));
            }
            for (Future<String> f : replies) {
                String r = f.get(30, TimeUnit.SECONDS);
                assertTrue(r.matches("errno=0\n\nlisten_port=\\d+\nerrno=0\n\n"), r);
            }
        }
    }

    @Test
    void aClientThatStallsMidRequestIsDisconnectedAndOthersAreServed() throws Exception {
        try (UapiServer s = UapiServer.start(tmp, "jwgt9", dev, () -> { }, java.time.Duration.ofMillis(300));
             var stalled = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(s.socketPath()))) {
            stalled.write(java.nio.ByteBuffer.wrap("set=1\nlisten_port=1".getBytes()));
            var buf = java.nio.ByteBuffer.allocate(64);
            // the server closes the stalled connection: the read sees EOF (bounded by the test's own 30 s wait)
            var reader = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
            var eof = reader.submit(() -> stalled.read(buf));
            assertEquals(-1, eof.get(30, TimeUnit.SECONDS));
            reader.close();
            assertEquals(0, dev.listenPort, "the incomplete request was not applied");
            assertEquals("errno=0\n\n", UapiClient.exchange(s.socketPath(), "set=1\nlisten_port=2\n\n"));
        }
    }

    @Test
    void interfaceNamesThatAreNotLinuxNamesAreRejected() {
        for (String bad : new String[] {"", ".", "..", "a/b", "a:b", "a b", "0123456789abcdef"})
            assertThrows(IllegalArgumentException.class, () -> UapiServer.start(tmp, bad, dev, () -> { }), bad);
    }
}
