package dev.jwgd.uapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The UAPI socket of one interface: {@code /var/run/wireguard/IFACE.sock}, a SOCK_STREAM unix socket that {@code wg}
 * finds by listing that directory (the cross-platform userspace contract, https://www.wireguard.com/xplatform/).
 *
 * <ul>
 * <li><b>Permissions.</b> The directory is created with mode 0755 if missing (an existing one is left as it is). The
 *     socket is bound inside a fresh private 0700 directory next to it, set to mode 0600 there, and then renamed
 *     into place, so it is never reachable with a wider mode, and the rename atomically replaces a stale socket.</li>
 * <li><b>Stale or live.</b> If the path exists and is a socket that accepts a connection, another daemon serves the
 *     interface and {@link #start} fails with {@link FileAlreadyExistsException}; a socket that refuses is stale and
 *     is replaced; anything that is not a socket is left alone and is an error.</li>
 * <li><b>Connections.</b> One virtual thread per connection, at most {@link #MAX_CONNECTIONS} at once (more are
 *     closed at once); each connection may carry several operations ({@link UapiSession}). {@code set} requests are
 *     serialized; {@code get} requests run concurrently with each other.</li>
 * <li><b>Stalled clients.</b> A connection whose client has kept the server waiting for bytes longer than
 *     {@link #IDLE_TIMEOUT} is closed, so that stalled clients cannot hold every connection slot. Time the server
 *     spends applying a request does not count.</li>
 * <li><b>Socket removed.</b> A watcher (inotify through {@link WatchService}, plus a check every second) notices when
 *     the socket file is deleted or replaced by another file and calls {@code onSocketGone} once; the daemon must
 *     then exit (XPLAT: deleting the socket stops a userspace implementation).</li>
 * <li><b>Close.</b> {@link #close} stops accepting, closes the open connections and deletes the socket file if it
 *     is still ours (a successor's socket at the same path is left alone).</li>
 * </ul>
 */
public final class UapiServer implements AutoCloseable {
    public static final Path DEFAULT_DIRECTORY = Path.of("/var/run/wireguard");
    public static final int MAX_CONNECTIONS = 64;
    /** How long a client may keep the server waiting for the next bytes. */
    public static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofSeconds(60);

    private static final System.Logger LOG = System.getLogger("dev.jwgd.uapi");
    private static final int S_IFMT = 0170000, S_IFSOCK = 0140000;

    private final String iface;
    private final Path socketPath;
    private final UapiDevice device;
    private final Runnable onSocketGone;
    private final ServerSocketChannel server;
    private final Object socketKey;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Semaphore connectionSlots = new Semaphore(MAX_CONNECTIONS);
    /** Open connections, each with the System.nanoTime() at which its session started waiting to read, or 0. */
    private final java.util.Map<SocketChannel, java.util.concurrent.atomic.AtomicLong> connections = new ConcurrentHashMap<>();
    private final long idleTimeoutNanos;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean goneReported = new AtomicBoolean();
    private final WatchService watcher;
    private final Thread acceptThread;
    private final Thread watchThread;

    private UapiServer(String iface, Path socketPath, UapiDevice device, Runnable onSocketGone, ServerSocketChannel server,
                       Object socketKey, WatchService watcher, java.time.Duration idleTimeout) {
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.iface = iface;
        this.socketPath = socketPath;
        this.device = device;
        this.onSocketGone = onSocketGone;
        this.server = server;
        this.socketKey = socketKey;
        this.watcher = watcher;
        this.acceptThread = Thread.ofPlatform().daemon().name("uapi-accept-" + iface).unstarted(this::acceptLoop);
        this.watchThread = Thread.ofPlatform().daemon().name("uapi-watch-" + iface).unstarted(this::watchLoop);
    }

    /** Serves {@code device} on {@code /var/run/wireguard/IFACE.sock}. */
    public static UapiServer start(String iface, UapiDevice device, Runnable onSocketGone) throws IOException {
        return start(DEFAULT_DIRECTORY, iface, device, onSocketGone);
    }

    /** Serves {@code device} on {@code directory/IFACE.sock}; {@code onSocketGone} runs once if the file disappears. */
    public static UapiServer start(Path directory, String iface, UapiDevice device, Runnable onSocketGone) throws IOException {
        return start(directory, iface, device, onSocketGone, IDLE_TIMEOUT);
    }

    static UapiServer start(Path directory, String iface, UapiDevice device, Runnable onSocketGone,
                            java.time.Duration idleTimeout) throws IOException {
        checkInterfaceName(iface);
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(onSocketGone, "onSocketGone");
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path path = directory.resolve(iface + ".sock");
        refuseIfLive(path);

        Path privateDir = Files.createTempDirectory(directory, ".jwgd-" + iface + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = privateDir.resolve("uapi.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        WatchService watcher = null;
        try {
            server.bind(UnixDomainSocketAddress.of(tmp), 128);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            watcher = directory.getFileSystem().newWatchService();
            directory.register(watcher, StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_CREATE);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            UapiServer s = new UapiServer(iface, path, device, onSocketGone, server, key, watcher, idleTimeout);
            s.acceptThread.start();
            s.watchThread.start();
            return s;
        } catch (IOException | RuntimeException e) {
            server.close();
            if (watcher != null) watcher.close();
            Files.deleteIfExists(tmp);
            throw e;
        } finally {
            Files.deleteIfExists(privateDir);
        }
    }

    /**
     * Linux's rule for interface names ({@code dev_valid_name}): 1 to 15 bytes, not {@code .} or {@code ..}, no
     * {@code /}, {@code :} or whitespace. The name becomes a file name, so this also keeps the socket in its directory.
     */
    public static void checkInterfaceName(String iface) {
        boolean ok = iface != null && !iface.isEmpty() && iface.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 15
                && !iface.equals(".") && !iface.equals("..");
        if (ok) {
            for (int i = 0; i < iface.length(); i++) {
                char c = iface.charAt(i);
                if (c == '/' || c == ':' || c <= ' ' || c == 0x7f) ok = false;
            }
        }
        if (!ok) throw new IllegalArgumentException("`" + iface + "' is not a valid interface name (1 to 15 characters, no /, : or spaces)");
    }

    private static void refuseIfLive(Path path) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK)
            throw new FileAlreadyExistsException(path.toString(), null, "exists and is not a socket; remove it if it is not needed");
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(path)).close();
            throw new FileAlreadyExistsException(path.toString(), null,
                    "another process serves this interface on its UAPI socket (stop it first)");
        } catch (java.net.ConnectException e) {
            LOG.log(System.Logger.Level.INFO, "UAPI: replacing stale socket {0}", path);
        }
    }

    public Path socketPath() {
        return socketPath;
    }

    public String interfaceName() {
        return iface;
    }

    private void acceptLoop() {
        while (!closed.get()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed.get()) return;
                LOG.log(System.Logger.Level.WARNING, "UAPI: accept failed on " + socketPath, e);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (!connectionSlots.tryAcquire()) {
                LOG.log(System.Logger.Level.WARNING, "UAPI: more than {0} connections, closing a new one", MAX_CONNECTIONS);
                closeQuietly(c);
                continue;
            }
            var waitingSince = new java.util.concurrent.atomic.AtomicLong();
            connections.put(c, waitingSince);
            if (closed.get()) closeQuietly(c);
            Thread.ofVirtual().name("uapi-" + iface).start(() -> serve(c, waitingSince));
        }
    }

    private void serve(SocketChannel c, java.util.concurrent.atomic.AtomicLong waitingSince) {
        try (c; InputStream in = new TimedInput(Channels.newInputStream(c), waitingSince); OutputStream out = Channels.newOutputStream(c)) {
            new UapiSession(device, lock, in, out).serve();
        } catch (IOException e) {
            if (!closed.get()) LOG.log(System.Logger.Level.DEBUG, "UAPI: connection ended: {0}", e.toString());
        } finally {
            connections.remove(c);
            connectionSlots.release();
        }
    }

    /** Records when a read starts waiting, for {@link #closeStalled}. */
    private static final class TimedInput extends java.io.FilterInputStream {
        private final java.util.concurrent.atomic.AtomicLong waitingSince;

        TimedInput(InputStream in, java.util.concurrent.atomic.AtomicLong waitingSince) {
            super(in);
            this.waitingSince = waitingSince;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            waitingSince.set(System.nanoTime() | 1); // never 0 while waiting
            try {
                return super.read(b, off, len);
            } finally {
                waitingSince.set(0);
            }
        }
    }

    private void closeStalled() {
        long now = System.nanoTime();
        connections.forEach((c, since) -> {
            long t = since.get();
            if (t != 0 && now - t > idleTimeoutNanos) {
                LOG.log(System.Logger.Level.DEBUG, "UAPI: closing a connection idle for more than {0}", java.time.Duration.ofNanos(idleTimeoutNanos));
                closeQuietly(c);
            }
        });
    }

    private void watchLoop() {
        while (!closed.get()) {
            closeStalled();
            try {
                var key = watcher.poll(1, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            if (!closed.get() && !socketStillOurs() && goneReported.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.INFO, "UAPI: socket {0} was removed", socketPath);
                try {
                    onSocketGone.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "UAPI: socket-gone callback failed", e);
                }
                return;
            }
        }
    }

    private boolean socketStillOurs() {
        try {
            return socketKey.equals(Files.readAttributes(socketPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops serving, closes the connections and deletes the socket file if it is still this server's. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        closeQuietly(server);
        try {
            watcher.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        for (SocketChannel c : connections.keySet()) closeQuietly(c);
        if (socketStillOurs()) {
            try {
                Files.deleteIfExists(socketPath);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "UAPI: could not remove " + socketPath, e);
            }
        }
        try {
            acceptThread.join(2000);
            watchThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
