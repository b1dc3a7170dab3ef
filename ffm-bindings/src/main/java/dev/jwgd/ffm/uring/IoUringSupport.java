package dev.jwgd.ffm.uring;

import static dev.jwgd.ffm.uring.io_uring_h.IORING_FEAT_EXT_ARG;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_FEAT_NODROP;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_FEAT_SUBMIT_STABLE;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_ASYNC_CANCEL;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_NOP;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_READ;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_READV;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_READ_FIXED;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_RECVMSG;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_SENDMSG;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_WRITE;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_WRITEV;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_OP_WRITE_FIXED;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_SETUP_DEFER_TASKRUN;
import static dev.jwgd.ffm.uring.io_uring_h.IORING_SETUP_SINGLE_ISSUER;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Libc;
import dev.jwgd.ffm.libc.Sockets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.UnaryOperator;

/**
 * What io_uring can do on this kernel, probed once at start by trying each feature on a scratch ring
 * (as Netty's io_uring transport does), with the reason when something is missing. Every optional
 * feature has an off switch: {@code -Djwgd.io_uring=false} (everything), {@code .singleIssuer},
 * {@code .registeredBuffers}, {@code .registeredFiles}, {@code .bufferRing}, {@code .recvMultishot}
 * (each {@code =false}).
 *
 * @param available          the core (setup, rings, READ/WRITE/READV/WRITEV/SENDMSG/RECVMSG/*_FIXED) works
 * @param unavailableReason  why not, or null
 * @param features           {@code io_uring_params.features} ({@code IORING_FEAT_*})
 * @param lastOp             the highest opcode the kernel knows
 * @param singleIssuer       {@code SINGLE_ISSUER | DEFER_TASKRUN} rings can be set up (6.1)
 * @param registeredBuffers  {@code IORING_REGISTER_BUFFERS} works (needs memlock or CAP_IPC_LOCK)
 * @param registeredFiles    {@code IORING_REGISTER_FILES} works
 * @param bufferRings        provided buffer rings can be registered (5.19)
 * @param recvMultishot      multishot RECVMSG with buffer selection is accepted (6.0)
 * @param notes              why optional features are off, or ""
 */
public record IoUringSupport(boolean available, String unavailableReason, int features, int lastOp,
        boolean singleIssuer, boolean registeredBuffers, boolean registeredFiles, boolean bufferRings,
        boolean recvMultishot, String notes) {

    static IoUringSupport unavailable(String reason) {
        return new IoUringSupport(false, reason, 0, -1, false, false, false, false, false, "");
    }

    /** Probes the running kernel; {@code properties} reads system properties (the off switches). */
    static IoUringSupport probe(UnaryOperator<String> properties) {
        if (off(properties, "")) return unavailable("switched off by -D" + IoUring.PROPERTY + "=false");
        StringBuilder notes = new StringBuilder();
        try (IoUring ring = IoUring.setup(8, 0, 0); Arena a = Arena.ofConfined()) {
            int f = ring.features();
            int required = IORING_FEAT_NODROP | IORING_FEAT_SUBMIT_STABLE | IORING_FEAT_EXT_ARG;
            if ((f & required) != required) {
                return unavailable("kernel lacks IORING_FEAT_NODROP, SUBMIT_STABLE or EXT_ARG (needs 5.11): features 0x" + Integer.toHexString(f));
            }
            MemorySegment probe = a.allocate(io_uring_probe.sizeof() + io_uring_probe_op.sizeof() * 256, 8);
            long r = ring.probeOps(probe);
            if (r < 0) return unavailable("IORING_REGISTER_PROBE failed with errno " + -r + " (needs 5.6)");
            int lastOp = Byte.toUnsignedInt(probe.get(JAVA_BYTE, io_uring_probe.last_op$OFFSET));
            int[] core = {IORING_OP_NOP, IORING_OP_READV, IORING_OP_WRITEV, IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED,
                IORING_OP_SENDMSG, IORING_OP_RECVMSG, IORING_OP_ASYNC_CANCEL, IORING_OP_READ, IORING_OP_WRITE};
            for (int op : core) {
                if (!ring.opSupported(probe, op)) return unavailable("kernel lacks io_uring opcode " + op + " (last op " + lastOp + ")");
            }

            boolean singleIssuer = feature(properties, "singleIssuer", notes, () -> {
                IoUring.setup(2, 0, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN).close();
                return true;
            });
            boolean buffers = feature(properties, "registeredBuffers", notes, () -> {
                MemorySegment page = a.allocate(4096, 4096);
                ring.registerBuffers(page);
                ring.unregisterBuffers();
                return true;
            });
            boolean files = feature(properties, "registeredFiles", notes, () -> {
                int efd = (int) Libc.check(Libc.eventfd(0, Libc.EFD_CLOEXEC), "eventfd");
                try {
                    ring.registerFiles(efd);
                    ring.unregisterFiles();
                } finally {
                    Libc.close(efd);
                }
                return true;
            });
            boolean bufferRings = feature(properties, "bufferRing", notes, () -> {
                ring.registerBufferRing(1, 2, 64).close();
                return true;
            });
            boolean multishot = bufferRings && feature(properties, "recvMultishot", notes, () -> multishotAccepted(ring, a));
            return new IoUringSupport(true, null, f, lastOp, singleIssuer, buffers, files, bufferRings, multishot, notes.toString().strip());
        } catch (ErrnoException e) {
            // EPERM: io_uring switched off system-wide (kernel.io_uring_disabled) or by a seccomp filter
            return unavailable(e.getMessage() + (e.errno() == Errno.EPERM ? "; see sysctl kernel.io_uring_disabled" : ""));
        } catch (RuntimeException | LinkageError e) {
            return unavailable("probe failed: " + e);
        }
    }

    @FunctionalInterface
    private interface Trial {
        boolean run() throws ErrnoException;
    }

    private static boolean off(UnaryOperator<String> properties, String suffix) {
        String key = suffix.isEmpty() ? IoUring.PROPERTY : IoUring.PROPERTY + "." + suffix;
        return "false".equalsIgnoreCase(properties.apply(key));
    }

    private static boolean feature(UnaryOperator<String> properties, String name, StringBuilder notes, Trial trial) {
        if (off(properties, name)) {
            notes.append(' ').append(name).append(" switched off;");
            return false;
        }
        try {
            if (trial.run()) return true;
            notes.append(' ').append(name).append(" not accepted by the kernel;");
        } catch (ErrnoException e) {
            notes.append(' ').append(name).append(": ").append(e.getMessage()).append(';');
        }
        return false;
    }

    /**
     * Submits a multishot RECVMSG on an idle UDP socket: a kernel without it fails the SQE at once with
     * -EINVAL; one with it leaves the request waiting, which closing the ring cancels.
     */
    private static boolean multishotAccepted(IoUring ring, Arena a) throws ErrnoException {
        int fd = (int) Libc.check(Sockets.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0), "socket(AF_INET, SOCK_DGRAM)");
        try (BufferRing group = ring.registerBufferRing(2, 2, 256)) {
            MemorySegment template = a.allocate(56, 8);
            template.set(JAVA_INT, 8, 16);   // msg_namelen
            ring.prepRecvmsgMultishot(fd, template, group.group(), 0, 1L);
            ring.submitAndWait(1, 20_000_000L);
            int[] res = {0};
            ring.drain((userData, r, flags) -> res[0] = r);
            return res[0] == 0;
        } finally {
            Libc.close(fd);
        }
    }

    /** One line for the log: what is available, and why not where something is missing. */
    public String summary() {
        if (!available) return "io_uring: unavailable (" + unavailableReason + "); using plain syscalls";
        return "io_uring: available (features 0x" + Integer.toHexString(features) + ", last op " + lastOp + "): single-issuer "
                + yes(singleIssuer) + ", registered buffers " + yes(registeredBuffers) + ", registered files " + yes(registeredFiles)
                + ", buffer rings " + yes(bufferRings) + ", multishot recvmsg " + yes(recvMultishot)
                + (notes.isEmpty() ? "" : " (" + notes + ")");
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
