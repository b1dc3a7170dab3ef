package dev.jwgd.pipeline;

import dev.jwgd.allowedips.AllowedIpsTrie;
import dev.jwgd.crypto.AeadBatch;
import dev.jwgd.device.Device;
import dev.jwgd.device.Peer;
import dev.jwgd.session.Keypair;
import dev.jwgd.session.SessionEngine;
import dev.jwgd.message.Messages;
import dev.jwgd.message.TransportData;
import dev.jwgd.protocol.Protocol;
import java.lang.foreign.MemorySegment;

/**
 * The receive half of the data path (whitepaper 5.4.6 and 6, kernel {@code receive.c}): a batch of
 * datagrams from UDP → by type: handshake messages to their own bounded queue and worker; transport
 * data → receiver index → keypair (not expired, from the {@link SessionEngine}) → one batch open → replay check (only after
 * authentication) → key confirmation, roaming, counters, timers → keepalives end here → the inner
 * packet's length from its IP header (padding dropped) → its source must map back to the sending
 * peer in AllowedIPs → one TUN write batch.
 *
 * <p>The batch open may run on several cores ({@link CryptoWorkers}); it returns only when every packet is done, and
 * the replay check, the counters and the TUN write then go through the batch in its order, one thread.
 *
 * <p>One instance on the receiving thread; it owns its batch, allocates nothing per packet, and
 * counts every drop instead of throwing.
 */
public final class ReceivePath {
    private final Device device;
    private final SessionEngine engine;
    private final AllowedIpsTrie<Peer> allowedIps;
    private final HandshakeQueue handshakes;
    private final PacketBatch batch;
    private final AeadBatch aeadBatch;
    private final CryptoWorkers crypto;
    private final int[] openIndex;
    private final int[] writeIndex;

    public long droppedMalformed;
    public long droppedUnknownIndex;
    public long droppedAuthentication;
    public long droppedReplay;
    public long droppedBadInnerPacket;
    public long droppedSourceFilter;
    public long keepalivesReceived;
    public long packetsDelivered;

    /** A receive path that opens on its own thread. */
    public ReceivePath(Device device, HandshakeQueue handshakes, int batchSize, int slotSize) {
        this(device, handshakes, batchSize, slotSize, CryptoWorkers.inline(batchSize));
    }

    /** A receive path that opens each batch through {@code crypto} (owned and closed by the caller). */
    public ReceivePath(Device device, HandshakeQueue handshakes, int batchSize, int slotSize, CryptoWorkers crypto) {
        this.device = device;
        this.crypto = crypto;
        this.engine = device.engine();
        this.allowedIps = device.allowedIps();
        this.handshakes = handshakes;
        this.batch = new PacketBatch(batchSize, slotSize);
        this.aeadBatch = new AeadBatch(batchSize);
        this.openIndex = new int[batchSize];
        this.writeIndex = new int[batchSize];
    }

    public PacketBatch batch() {
        return batch;
    }

    /** Receives one batch from {@code udp} and delivers it to {@code tun}: the count, 0, or CLOSED. */
    public int runOnce(UdpEnd udp, TunEnd tun, int timeoutMillis) {
        int n = udp.receive(batch, timeoutMillis);
        if (n > 0) {
            if (process(tun) == TunEnd.CLOSED) return TunEnd.CLOSED;
        }
        return n;
    }

    /** Handles the datagrams now in {@link #batch()}; returns what the TUN write returned. */
    public int process(TunEnd tun) {
        PacketBatch b = batch;
        long now = device.clock().nanos();
        aeadBatch.clear();
        int m = 0;
        boolean queuedHandshake = false;
        for (int i = 0; i < b.count; i++) {
            MemorySegment slot = b.slot(i);
            int len = b.length[i];
            int type = Messages.classify(slot, 0, len);
            if (type == Protocol.MESSAGE_TRANSPORT_DATA) {
                Keypair kp = engine.receivingKeypair(TransportData.receiverIndex(slot, 0), now);
                if (kp == null) {
                    droppedUnknownIndex++;
                    continue;
                }
                long counter = TransportData.counter(slot, 0);
                aeadBatch.add(kp.receiveKey(), counter, slot, PacketBatch.HEADROOM, len - PacketBatch.HEADROOM);
                b.tag[i] = kp;
                b.counter[i] = counter;
                openIndex[m++] = i;
            } else if (type > 0) {
                handshakes.offer(b, i);
                queuedHandshake = true;
            } else {
                droppedMalformed++;
            }
        }
        if (queuedHandshake) engine.underLoad().update(handshakes.size(), now);
        int w = 0;
        Keypair run = null;          // consecutive messages of one keypair are reported to the engine together
        int runBytes = 0;
        boolean runData = false;
        if (m > 0) {
            crypto.openBatch(device.aead(), aeadBatch);
            for (int k = 0; k < m; k++) {
                int i = openIndex[k];
                if (!aeadBatch.ok(k)) {
                    droppedAuthentication++;
                    continue;
                }
                Keypair kp = (Keypair) b.tag[i];
                if (!kp.acceptCounter(b.counter[i])) {
                    droppedReplay++;
                    continue;
                }
                int datagram = b.length[i];
                int plain = datagram - Protocol.MESSAGE_TRANSPORT_OVERHEAD;
                Peer peer = (Peer) kp.peer().attachment();
                if (peer == null) continue;
                device.roam(peer, b.sourceV6[i], b.sourceHigh[i], b.sourceLow[i], b.sourcePort[i]);
                if (kp != run) {
                    if (run != null) run.peer().authenticatedReceive(run, runBytes, runData);
                    run = kp;
                    runBytes = 0;
                    runData = false;
                }
                runBytes += datagram;
                runData |= plain > 0;
                if (plain == 0) {
                    keepalivesReceived++;
                    continue;
                }
                MemorySegment slot = b.slot(i);
                int claimed = IpPacket.claimedLength(slot, PacketBatch.HEADROOM, plain);
                if (claimed < 0) {
                    droppedBadInnerPacket++;
                    continue;
                }
                Peer source = IpPacket.version(slot, PacketBatch.HEADROOM, plain) == 4
                        ? allowedIps.lookupV4(IpPacket.v4Source(slot, PacketBatch.HEADROOM))
                        : allowedIps.lookupV6(IpPacket.v6SourceHigh(slot, PacketBatch.HEADROOM),
                                IpPacket.v6SourceLow(slot, PacketBatch.HEADROOM));
                if (source != peer) {
                    droppedSourceFilter++;
                    continue;
                }
                b.offset[i] = PacketBatch.HEADROOM;
                b.length[i] = claimed;
                writeIndex[w++] = i;
            }
        }
        // Key confirmation, counters and timers (also for keepalives and for packets dropped by the
        // source filter below, which did authenticate).
        if (run != null) run.peer().authenticatedReceive(run, runBytes, runData);
        aeadBatch.clear();
        int r = 0;
        if (w > 0) {
            r = tun.write(b, writeIndex, w);
            if (r > 0) packetsDelivered += r;
        }
        b.clear();
        return r;
    }
}
