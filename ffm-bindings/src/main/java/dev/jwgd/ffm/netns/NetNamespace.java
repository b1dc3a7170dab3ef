package dev.jwgd.ffm.netns;

import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Libc;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A handle on a network namespace (an open nsfs descriptor) and the one safe way to create things in
 * it from Java (linux-ffm.md 5).
 *
 * <p>setns(2) switches only the calling OS thread. {@link #call} therefore starts a fresh, dedicated
 * platform thread, switches it into this namespace, runs the task there (open a TUN, create and bind
 * a socket), switches back, and lets the thread end: the thread is discarded whether or not the
 * switch back worked, so no pooled, virtual or caller thread is ever left in the wrong namespace.
 * Descriptors the task creates keep their namespace and work from any thread afterwards.
 * The task must not start threads (they would inherit the namespace).
 */
public final class NetNamespace implements AutoCloseable {
    /** Work to run inside the namespace. */
    @FunctionalInterface
    public interface Task<T> {
        T run() throws IOException;
    }

    private final int fd;
    private final String description;
    private volatile boolean closed;

    private NetNamespace(int fd, String description) {
        this.fd = fd;
        this.description = description;
    }

    /** Opens {@code /var/run/netns/NAME} (as made by {@code ip netns add NAME}). */
    public static NetNamespace open(String name) throws ErrnoException {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a namespace name: '" + name + "'");
        }
        return openPath(sched_h.NETNS_RUN_DIR + name);
    }

    /** Opens any nsfs path, e.g. {@code /proc/PID/ns/net}. */
    public static NetNamespace openPath(String path) throws ErrnoException {
        return new NetNamespace(Libc.openOrThrow(path, Libc.O_RDONLY, 0), path);
    }

    /** The calling thread's current network namespace. */
    public static NetNamespace ofCurrentThread() throws ErrnoException {
        return openPath(sched_h.THREAD_SELF_NET);
    }

    /**
     * The calling thread's namespace identity, e.g. {@code net:[4026531840]} (the nsfs inode), for logs
     * and checks. Control path.
     */
    public static String currentThreadId() throws IOException {
        return Files.readSymbolicLink(Path.of(sched_h.THREAD_SELF_NET)).toString();
    }

    /** The nsfs descriptor, e.g. for RTM_NEWLINK's IFLA_NET_NS_FD. */
    public int fd() { return fd; }

    /**
     * Runs {@code task} on a new platform thread that has entered this namespace, waits for it, and
     * returns its result or rethrows its exception. Fails with {@link ErrnoException} naming setns when
     * the switch itself fails.
     */
    public <T> T call(Task<T> task) throws IOException {
        if (closed) throw new IllegalStateException("namespace handle closed: " + description);
        var outcome = new Object() {
            T value;
            Throwable failure;
        };
        Thread worker = Thread.ofPlatform().name("netns " + description).daemon(true).unstarted(() -> {
            int original = -1;
            try {
                original = Libc.openOrThrow(sched_h.THREAD_SELF_NET, Libc.O_RDONLY, 0);
                Libc.setnsOrThrow(fd, sched_h.CLONE_NEWNET, "CLONE_NEWNET, " + description);
                outcome.value = task.run();
            } catch (Throwable t) {
                outcome.failure = t;
            } finally {
                if (original >= 0) {
                    // Restore for tidiness; the thread ends right after either way, so a failure here
                    // cannot leak a switched thread into the rest of the JVM.
                    Libc.setns(original, sched_h.CLONE_NEWNET);
                    Libc.close(original);
                }
            }
        });
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a task in " + description);
        }
        Throwable f = outcome.failure;
        if (f == null) return outcome.value;
        if (f instanceof IOException io) throw io;
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error err) throw err;
        throw new IOException("task in " + description + " failed", f);
    }

    /** Closes the descriptor; the namespace itself lives on while anything else references it. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
    }

    @Override
    public String toString() {
        return "NetNamespace[" + description + ", fd " + fd + "]";
    }
}
