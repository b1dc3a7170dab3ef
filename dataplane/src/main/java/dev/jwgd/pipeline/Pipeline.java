package dev.jwgd.pipeline;

import dev.jwgd.device.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a {@link Device}'s data path over a {@link TunEnd} and a {@link UdpEnd} on four platform
 * threads, one job each (Agrona's agent style):
 * <ul>
 * <li>{@code send}: TUN read batch → {@link SendPath} → UDP send batch;</li>
 * <li>{@code receive}: UDP receive batch → {@link ReceivePath} → TUN write batch; handshake
 *     messages go to the {@link HandshakeQueue};</li>
 * <li>{@code handshake}: the worker that answers handshake messages (MAC1, cookies, Noise);</li>
 * <li>{@code timers}: fires each peer's protocol timers every {@link #TICK_MILLIS}.</li>
 * </ul>
 * The send and the receive thread each have their own {@link CryptoWorkers}: with a parallelism above 1 the
 * batch's seal or open is shared with helper threads ({@code jwgd-crypto-send-IFACE-k}, {@code ...receive...}),
 * fork-join per batch, so order is kept. When the TUN end reports {@link TunEnd#CLOSED} (the interface was
 * deleted) {@code onTunClosed} runs once, so the daemon can exit as wireguard-go does.
 */
public final class Pipeline implements AutoCloseable {
    /**
     * Packets per TUN read / UDP receive batch. wireguard-go uses 128 ({@code IdealBatchSize}); on the shared 2-core
     * machine PipelineBenchmark (1420 B, vector AEAD, {@code -p batch=64,128}) showed no difference beyond its noise
     * (two runs: 361k vs 673k and 548k vs 450k packets/s at 64 vs 128), so it stays at 64 until a quieter
     * measurement or the offloads' super-packets argue for more.
     */
    public static final int BATCH = 64;
    public static final int TICK_MILLIS = 20;
    private static final int POLL_MILLIS = 200;

    private final Device device;
    private final TunEnd tun;
    private final UdpEnd udp;
    private final SendPath send;
    private final ReceivePath receive;
    private final CryptoWorkers sendCrypto;
    private final CryptoWorkers receiveCrypto;
    private final HandshakeQueue handshakes;
    private final Runnable onTunClosed;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean closedReported = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    /** Handshake messages the engine refused (bad MAC1, unknown peer, replayed timestamp...). */
    public volatile long handshakesRejected;

    /**
     * A pipeline whose crypto parallelism comes from system property {@value CryptoWorkers#PROPERTY} (default
     * {@link CryptoWorkers#defaultParallelism()}).
     *
     * @throws IllegalArgumentException when that property is set to something other than 1 to 16
     */
    public Pipeline(Device device, TunEnd tun, UdpEnd udp, int slotSize, Runnable onTunClosed) {
        this(device, tun, udp, slotSize, CryptoWorkers.parallelismFromProperty(CryptoWorkers.defaultParallelism()),
                onTunClosed);
    }

    /** A pipeline whose send and receive threads each seal or open a batch with {@code cryptoParallelism} threads. */
    public Pipeline(Device device, TunEnd tun, UdpEnd udp, int slotSize, int cryptoParallelism, Runnable onTunClosed) {
        this.device = device;
        this.tun = tun;
        this.udp = udp;
        this.handshakes = new HandshakeQueue(1024);
        this.sendCrypto = new CryptoWorkers(cryptoParallelism, BATCH, CryptoWorkers.DEFAULT_MIN_PART_BYTES,
                "send-" + device.name(), device.log());
        this.receiveCrypto = new CryptoWorkers(cryptoParallelism, BATCH, CryptoWorkers.DEFAULT_MIN_PART_BYTES,
                "receive-" + device.name(), device.log());
        this.send = new SendPath(device, BATCH, slotSize, sendCrypto);
        this.receive = new ReceivePath(device, handshakes, BATCH, slotSize, receiveCrypto);
        this.onTunClosed = onTunClosed;
    }

    /** The slot size for a TUN MTU: headroom, the packet, padding and tag, rounded up. */
    public static int slotSizeFor(int mtu) {
        return Math.max(2048, PacketBatch.HEADROOM + mtu + PacketBatch.TAILROOM);
    }

    public SendPath sendPath() { return send; }
    public ReceivePath receivePath() { return receive; }
    public HandshakeQueue handshakeQueue() { return handshakes; }
    /** Threads that do one batch's crypto on each path (1 = the send/receive thread alone). */
    public int cryptoParallelism() { return sendCrypto.parallelism(); }
    /** Parts of batches whose AEAD threw, on both paths (their packets were dropped). */
    public long cryptoFailures() { return sendCrypto.failures() + receiveCrypto.failures(); }

    public void start() {
        if (!running.compareAndSet(false, true)) return;
        String n = device.name();
        threads.add(Thread.ofPlatform().name("jwgd-send-" + n).daemon().start(this::sendLoop));
        threads.add(Thread.ofPlatform().name("jwgd-receive-" + n).daemon().start(this::receiveLoop));
        threads.add(Thread.ofPlatform().name("jwgd-handshake-" + n).daemon().start(this::handshakeLoop));
        threads.add(Thread.ofPlatform().name("jwgd-timers-" + n).daemon().start(this::timerLoop));
    }

    private void sendLoop() {
        while (running.get()) {
            int r;
            try {
                r = send.runOnce(tun, udp, POLL_MILLIS);
            } catch (RuntimeException e) {
                device.log().error("send path: " + e);
                continue;
            }
            if (r == TunEnd.CLOSED) {
                tunClosed();
                return;
            }
        }
    }

    private void receiveLoop() {
        while (running.get()) {
            int r;
            try {
                r = receive.runOnce(udp, tun, POLL_MILLIS);
            } catch (RuntimeException e) {
                device.log().error("receive path: " + e);
                continue;
            }
            if (r == TunEnd.CLOSED && !running.get()) return;
            if (r == UdpEnd.CLOSED) {
                // The socket is being rebound or closed; wait for the new one.
                sleep(10);
            }
        }
    }

    private void handshakeLoop() {
        PacketBatch slots = handshakes.slots();
        while (running.get()) {
            int s;
            try {
                s = handshakes.take(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (s < 0) continue;
            try {
                long now = device.clock().nanos();
                device.engine().underLoad().update(handshakes.size(), now);
                Endpoint source = Endpoint.of(slots.sourceV6[s], slots.sourceHigh[s], slots.sourceLow[s], slots.sourcePort[s]);
                int r = device.engine().receiveHandshakeMessage(slots.slot(s), 0, slots.length[s],
                        source.address().getAddress(), source.port(), source);
                if (r < 0) handshakesRejected++;
            } catch (RuntimeException e) {
                device.log().error("handshake worker: " + e);
            } finally {
                handshakes.release(s);
            }
        }
    }

    private void timerLoop() {
        while (running.get()) {
            try {
                if (device.engine().nextDeadline() <= device.clock().nanos()) device.engine().tick();
            } catch (RuntimeException e) {
                device.log().error("timers: " + e);
            }
            sleep(TICK_MILLIS);
        }
    }

    private void tunClosed() {
        if (closedReported.compareAndSet(false, true) && running.get() && onTunClosed != null) {
            Thread.ofPlatform().name("jwgd-tun-closed").start(onTunClosed);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the threads (they finish their current batch within the poll interval), then the crypto helpers. A
     * pipeline that never started has only its helpers to stop.
     */
    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            for (Thread t : threads) {
                try {
                    t.join(2 * POLL_MILLIS + 500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        sendCrypto.close();
        receiveCrypto.close();
    }
}
