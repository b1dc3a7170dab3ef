package dev.jwgd.daemon;

import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.device.Device;
import dev.jwgd.device.EndpointSet;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.netlink.Rtnetlink;
import dev.jwgd.ffm.netns.NetNamespace;
import dev.jwgd.ffm.libc.ReadablePoll;
import dev.jwgd.offload.InternetChecksum;
import dev.jwgd.ffm.tun.TunDevice;
import dev.jwgd.pipeline.IoUringTunEnd;
import dev.jwgd.pipeline.Pipeline;
import dev.jwgd.pipeline.TunDeviceEnd;
import dev.jwgd.pipeline.TunEnd;
import dev.jwgd.pipeline.UdpSocketEnd;
import dev.jwgd.pipeline.VnetTunEnd;
import dev.jwgd.protocol.Protocol;
import dev.jwgd.timers.Clock;
import dev.jwgd.uapi.UapiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The jwgd process for one interface (wireguard-go's {@code main.go}): creates the TUN device
 * (MTU 1420), the UDP socket (dual stack, in the namespace jwgd started in), the device and its
 * pipeline, and the UAPI socket {@code /var/run/wireguard/IFACE.sock}; with {@code --netns NAME} it
 * then moves the interface into NAME. It runs until SIGTERM/SIGINT (a shutdown hook), the interface
 * is deleted (a TUN read fails, or its ifindex disappears), or the socket file is deleted; then it
 * removes the socket and the interface and exits 0.
 */
public final class Daemon {
    /** Test-only speed-up of the protocol clock (e.g. 20 makes REKEY_AFTER_TIME 6 s); the constants stay. */
    public static final String CLOCK_SCALE_PROPERTY = "jwgd.test.clockScale";
    /**
     * Which ChaCha20-Poly1305 the data path uses: {@code best} (the default: traffic starts on the
     * scalar implementation and moves to the vector one once AeadProvider.best() has proven it, in the
     * background), {@code scalar}, or {@code jdk}.
     */
    public static final String AEAD_PROPERTY = "jwgd.aead";
    /** {@code -Djwgd.tun.offload=false}: a plain TUN (no IFF_VNET_HDR, no TSO/USO), as before the offloads. */
    public static final String TUN_OFFLOAD_PROPERTY = "jwgd.tun.offload";
    /** Room per packet slot: the largest IP packet the data path carries is this minus 48. */
    public static final int SLOT_SIZE = 4096;

    private final String iface;
    private final String netns;
    private final Log log;
    private final CountDownLatch stop = new CountDownLatch(1);
    private boolean cleaned;
    private TunDevice tun;
    /** With TUN offloads (the default): super-packets split on read and TCP segments coalesced on write. */
    private VnetTunEnd vnetEnd;
    /** Without them (refused by the kernel, or -Djwgd.tun.offload=false): one packet per read and write. */
    private TunDeviceEnd plainEnd;
    /** What the pipeline reads and writes: vnetEnd, or plainEnd itself or io_uring over it (IoUringTunEnd.choose). */
    private TunEnd dataTun;
    private UdpSocketEnd udp;
    private Device device;
    private Pipeline pipeline;
    /** Creates the handshake initiations the data path asks for, off the send and receive threads. */
    private ExecutorService initiator;
    private UapiServer uapi;
    private int ifindex;

    public Daemon(String iface, String netns, Log log) {
        this.iface = iface;
        this.netns = netns;
        this.log = log;
    }

    /** The clock the protocol runs on: the system's, or a faster one for tests (see {@link #CLOCK_SCALE_PROPERTY}). */
    static Clock clock() {
        String s = System.getProperty(CLOCK_SCALE_PROPERTY);
        if (s == null) return Clock.SYSTEM;
        long scale = Long.parseLong(s);
        long origin = System.nanoTime();
        return new Clock() {
            @Override
            public long nanos() {
                return origin + (System.nanoTime() - origin) * scale;
            }

            @Override
            public long wallClockNanos() {
                return Clock.SYSTEM.wallClockNanos();
            }
        };
    }

    /** Brings everything up; throws with a message for the user when something cannot be created. */
    public void start() throws IOException {
        UapiServer.checkInterfaceName(iface);
        if (!"false".equals(System.getProperty(TUN_OFFLOAD_PROPERTY))) {
            try {
                vnetEnd = VnetTunEnd.open(iface, Protocol.DEFAULT_MTU);
                tun = vnetEnd.device();
                dataTun = vnetEnd;
                log.verbose(vnetEnd.describe());
            } catch (ErrnoException e) {
                log.verbose("TUN offloads unavailable (" + e.getMessage() + "): one packet per read and write");
            }
        }
        if (dataTun == null) {
            try {
                tun = TunDevice.create(iface);
            } catch (ErrnoException e) {
                throw new IOException("cannot create TUN device " + iface + ": " + e.getMessage(), e);
            }
            plainEnd = new TunDeviceEnd(tun, Protocol.DEFAULT_MTU);
            dataTun = IoUringTunEnd.choose(plainEnd);   // io_uring where the kernel offers it; off: -Djwgd.io_uring=false
            log.verbose(IoUringTunEnd.describe(dataTun));
        }
        ifindex = tun.ifindex();
        try (Rtnetlink nl = Rtnetlink.open()) {
            nl.setMtu(ifindex, Protocol.DEFAULT_MTU);
        }
        udp = new UdpSocketEnd(0, Pipeline.BATCH, SLOT_SIZE);
        log.verbose(udp.describeOffload());
        device = new Device(iface, "jdk".equals(System.getProperty(AEAD_PROPERTY)) ? AeadProvider.jdk() : AeadProvider.scalar(), clock(), udp, dataTun::mtu, log, EndpointSet.SYSTEM_RESOLVER);
        initiator = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("jwgd-initiate-" + iface).factory());
        device.engine().initiateOn(initiator);
        pipeline = new Pipeline(device, dataTun, udp, SLOT_SIZE, () -> {
            log.verbose("interface " + iface + " is gone (TUN errno " + closedErrno() + "), shutting down");
            requestStop();
        });
        uapi = UapiServer.start(iface, device, () -> {
            log.verbose("UAPI socket was removed, shutting down");
            requestStop();
        });
        if (netns != null) {
            try (NetNamespace ns = NetNamespace.open(netns); Rtnetlink nl = Rtnetlink.open()) {
                nl.moveToNamespace(ifindex, ns.fd());
            } catch (ErrnoException e) {
                throw new IOException("cannot move " + iface + " into network namespace " + netns + ": " + e.getMessage(), e);
            }
        }
        pipeline.start();
        log.verbose("crypto workers per direction: " + pipeline.cryptoParallelism()
                + " (-D" + dev.jwgd.pipeline.CryptoWorkers.PROPERTY + "=N; 1 = on the send and receive threads)");
        log.verbose("device " + iface + " started (port " + udp.port()
                + (netns == null ? "" : ", interface in namespace " + netns) + ", crypto " + device.aead().name() + ")");
        boolean selectAead = "best".equals(System.getProperty(AEAD_PROPERTY, "best"));
        // One background thread for the start-up warm-ups; the data path runs meanwhile on code that needs none.
        Thread.ofPlatform().daemon().name("jwgd-warm-up").start(() -> {
            ReadablePoll.warmUp(tun.fd(), 20_000);   // the send and receive threads' waits, before pings need them
            if (vnetEnd != null) InternetChecksum.warmUp();   // the checksum is scalar until its vector code compiled
            if (!selectAead) return;
            // The default. The vector AEAD proves itself with a warm-up that can take many seconds on a
            // busy machine; the scalar implementation carries the traffic until then, and keeps it if the
            // vector kernels fail their proof (best() then names the JDK cipher, which allocates per packet).
            var choice = AeadProvider.bestChoice();
            if (choice.aead().name().startsWith("vector")) {
                device.setAead(choice.aead());
            }
            log.verbose("crypto: " + device.aead().name() + " (" + choice.reason() + ")");
        });
    }

    /** Blocks until something asks the daemon to stop, watching the interface and its MTU meanwhile. */
    public void awaitStop() throws InterruptedException {
        Path sys = Path.of("/sys/class/net", iface);
        while (!stop.await(1, TimeUnit.SECONDS)) {
            if (netns != null) continue; // the interface lives in another namespace: the TUN read watches it
            try {
                String idx = Files.readString(sys.resolve("ifindex")).strip();
                if (Integer.parseInt(idx) != ifindex) {
                    log.verbose("interface " + iface + " was replaced, shutting down");
                    return;
                }
                int mtu = Integer.parseInt(Files.readString(sys.resolve("mtu")).strip());
                if (mtu != dataTun.mtu()) {
                    setTunMtu(mtu);
                    device.engine().mtu(mtu); // staged packets and keepalives pad within it too
                }
            } catch (java.nio.file.NoSuchFileException e) {
                log.verbose("interface " + iface + " is gone, shutting down");
                return;
            } catch (IOException | NumberFormatException e) {
                // transient: try again next second
            }
        }
    }

    private void setTunMtu(int mtu) {
        if (vnetEnd != null) vnetEnd.mtu(mtu);
        else plainEnd.mtu(mtu);
    }

    private int closedErrno() {
        return vnetEnd != null ? vnetEnd.closedErrno : plainEnd.closedErrno;
    }

    public void requestStop() {
        stop.countDown();
    }

    /**
     * Removes the socket and the interface; idempotent. Synchronized so that the shutdown hook waits
     * for a cleanup the main thread already started: the JVM halts when the hooks return.
     */
    public synchronized void cleanup() {
        if (cleaned) return;
        cleaned = true;
        if (device != null) device.setUp(false);
        if (uapi != null) uapi.close();
        if (pipeline != null) pipeline.close();
        if (initiator != null) initiator.shutdownNow();
        if (udp != null) udp.close();
        if (tun != null) {
            // Closing the last queue of a non-persistent TUN deletes the interface.
            if (dataTun != null) dataTun.close();   // closes the io_uring rings, if any, then the TUN
            else tun.close();
        }
        if (device != null) device.close();
        log.verbose("shut down");
    }

    public Device device() {
        return device;
    }

    /**
     * Runs the daemon in this process: start, signal readiness ({@code detachedChild}), wait, clean
     * up. Returns the exit code.
     */
    public static int runForeground(String iface, String netns, boolean detachedChild) {
        Log log = new Log(iface, Log.levelFromEnvironment(System.getenv("LOG_LEVEL")), System.err);
        Daemon d = new Daemon(iface, netns, log);
        java.util.concurrent.atomic.AtomicBoolean exiting = new java.util.concurrent.atomic.AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (exiting.get()) return; // the main thread chose the exit code and already cleaned up
            d.requestStop();
            d.cleanup();
            // SIGTERM/SIGINT: a clean shutdown exits 0, as wireguard-go does, not the JVM's 128+signal.
            Runtime.getRuntime().halt(0);
        }, "jwgd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            d.start();
        } catch (IOException | RuntimeException e) {
            System.err.println("jwgd: " + e.getMessage());
            d.cleanup();
            exiting.set(true);
            return 1;
        }
        if (detachedChild) Detacher.signalReady(log);
        try {
            d.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        d.cleanup();
        exiting.set(true);
        return 0;
    }
}
