package dev.jwgd.ffm.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.C;
import dev.jwgd.ffm.ErrnoException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import dev.jwgd.ffm.libc.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The io_uring core on the running kernel: probe, off switches, submission/completion, single issuer. */
class IoUringTest {
    private static void assumeIoUring() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring not usable here: " + IoUring.support().summary());
    }

    @Test
    void probeFindsTheCoreAndReportsItInOneLine() {
        assumeIoUring();
        IoUringSupport s = IoUring.support();
        assertTrue(s.summary().startsWith("io_uring: available"), s.summary());
        assertFalse(s.summary().contains("\n"), "one line");
        assertTrue(s.lastOp() >= io_uring_h.IORING_OP_WRITE, "last op " + s.lastOp());
        assertTrue((s.features() & io_uring_h.IORING_FEAT_NODROP) != 0);
    }

    @Test
    void theOffSwitchMakesIoUringUnavailableAndCreateFailWithEnosysNamingWhy() {
        IoUringSupport off = IoUringSupport.probe(Map.of("jwgd.io_uring", "false")::get);
        assertFalse(off.available());
        assertTrue(off.unavailableReason().contains("-Djwgd.io_uring=false"), off.unavailableReason());
        assertTrue(off.summary().contains("using plain syscalls"), off.summary());
        var e = assertThrows(ErrnoException.class, () -> IoUring.create(off, 8, 0, 0));
        assertEquals(Errno.ENOSYS, e.errno());
        assertTrue(e.getMessage().startsWith("io_uring_setup: io_uring unavailable (switched off"), e.getMessage());
    }

    @Test
    void eachOptionalFeatureHasItsOwnOffSwitch() {
        assumeIoUring();
        IoUringSupport s = IoUringSupport.probe(Map.of("jwgd.io_uring.recvMultishot", "false", "jwgd.io_uring.singleIssuer", "false")::get);
        assertTrue(s.available());
        assertFalse(s.recvMultishot());
        assertFalse(s.singleIssuer());
        assertTrue(s.notes().contains("recvMultishot switched off"), s.notes());
        assertEquals(IoUring.support().bufferRings(), s.bufferRings(), "other features unaffected");
    }

    @Test
    void everyPreparedSqeCompletesOnceWithItsUserDataAndAFullSqRefusesMore() throws Exception {
        assumeIoUring();
        try (IoUring ring = IoUring.create(8, 32, 0)) {
            assertEquals(8, ring.sqEntries());
            for (int i = 0; i < 8; i++) assertTrue(ring.prepNop(100 + i));
            assertFalse(ring.prepNop(999), "SQ holds 8");
            assertThrows(IllegalStateException.class, () -> ring.setLastFlags(io_uring_h.IOSQE_IO_LINK),
                    "no flag may land on an older SQE after a refused prep");
            assertEquals(8, ring.submitAndWait(8));
            List<Long> seen = new ArrayList<>();
            int n = ring.drain((userData, res, flags) -> {
                assertEquals(0, res);
                seen.add(userData);
            });
            assertEquals(8, n);
            assertEquals(List.of(100L, 101L, 102L, 103L, 104L, 105L, 106L, 107L), seen);
            assertEquals(0, ring.cqReady());
            // the ring keeps going well past one lap of both queues
            for (int lap = 0; lap < 20; lap++) {
                for (int i = 0; i < 5; i++) assertTrue(ring.prepNop(lap * 10 + i));
                assertEquals(5, ring.submitAndWait(5));
                long[] sum = {0};
                assertEquals(5, ring.drain((userData, res, flags) -> sum[0] += userData));
                assertEquals(5L * lap * 10 + 10, sum[0]);
            }
        }
    }

    private static final MethodHandle PIPE = C.downcall("pipe", FunctionDescriptor.of(C.C_INT, C.C_POINTER), C.ERRNO);

    @Test
    void writevGathersFromTwoIovecsAndReadvScattersIntoTwo() throws Throwable {
        assumeIoUring();
        try (IoUring ring = IoUring.create(4, 0, 0); Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(8, 4);
            Libc.check((int) PIPE.invokeExact(C.errnoState(), fds), "pipe");
            int readEnd = fds.get(JAVA_INT, 0), writeEnd = fds.get(JAVA_INT, 4);
            try {
                MemorySegment out = arena.allocate(8, 8);
                out.set(JAVA_LONG, 0, 0x0102030405060708L);
                MemorySegment in = arena.allocate(8, 8);
                MemorySegment iov = arena.allocate(64, 8);   // [0,32): writev's two iovecs, [32,64): readv's
                iov.set(JAVA_LONG, 0, out.address());
                iov.set(JAVA_LONG, 8, 3);
                iov.set(JAVA_LONG, 16, out.address() + 3);
                iov.set(JAVA_LONG, 24, 5);
                iov.set(JAVA_LONG, 32, in.address());
                iov.set(JAVA_LONG, 40, 5);
                iov.set(JAVA_LONG, 48, in.address() + 5);
                iov.set(JAVA_LONG, 56, 3);
                assertTrue(ring.prepWritev(writeEnd, iov, 0, 2, 1));
                ring.setLastFlags(io_uring_h.IOSQE_IO_LINK);   // the read starts only after the write
                assertTrue(ring.prepReadv(readEnd, iov, 32, 2, 2));
                assertEquals(2, ring.submitAndWait(2));
                int[] res = new int[3];
                assertEquals(2, ring.drain((userData, r, flags) -> res[(int) userData] = r));
                assertEquals(8, res[1], "writev result");
                assertEquals(8, res[2], "readv result");
                assertEquals(0x0102030405060708L, in.get(JAVA_LONG, 0));
                assertThrows(IndexOutOfBoundsException.class, () -> ring.prepReadv(readEnd, iov, 48, 2, 3), "iovecs beyond the segment");
            } finally {
                Libc.close(readEnd);
                Libc.close(writeEnd);
            }
        }
    }

    @Test
    void aTimedWaitWithNothingInFlightReturnsEtime() throws Exception {
        assumeIoUring();
        try (IoUring ring = IoUring.create(4, 0, 0)) {
            assertEquals(-IoUring.ETIME, ring.submitAndWait(1, 10_000_000L));
        }
    }

    @Test
    void aSingleIssuerRingRefusesAnotherThreadAndTheOwnerStillSubmitsWhatWasPublished() throws Exception {
        assumeIoUring();
        assumeTrue(IoUring.support().singleIssuer(), "SINGLE_ISSUER not supported");
        try (IoUring ring = IoUring.create(4, 0, IoUring.recommendedFlags())) {
            assertTrue(ring.prepNop(7));
            int[] other = new int[1];
            Thread t = Thread.ofPlatform().start(() -> other[0] = ring.submit());
            t.join();
            assertEquals(-Errno.EEXIST, other[0], "the kernel refuses a second issuer");
            assertEquals(1, ring.submitAndWait(1), "the SQE the other thread published is still submitted");
            long[] got = {0};
            assertEquals(1, ring.drain((userData, res, flags) -> got[0] = userData));
            assertEquals(7, got[0]);
        }
    }

    @Test
    void registeringAnInvalidDescriptorFailsNamingTheCall() throws Exception {
        assumeIoUring();
        try (IoUring ring = IoUring.create(4, 0, 0)) {
            var e = assertThrows(ErrnoException.class, () -> ring.registerFiles(1_000_000));
            assertEquals(Errno.EBADF, e.errno());
            assertTrue(e.getMessage().startsWith("io_uring_register(IORING_REGISTER_FILES"), e.getMessage());
        }
    }
}
