package dev.jwgd.pipeline;

import dev.jwgd.allowedips.AllowedIpsTrie;
import dev.jwgd.crypto.AeadBatch;
import dev.jwgd.device.Device;
import dev.jwgd.device.Peer;
import dev.jwgd.session.Keypair;
import dev.jwgd.session.PeerSession;
import java.lang.foreign.MemorySegment;

/**
 * The send half of the data path (whitepaper 5.4.6, kernel {@code send.c}): a batch of IP packets
 * read from the TUN → AllowedIPs lookup of the destination → per peer, in order: handed to the
 * peer's {@link PeerSession} to be staged (bounded; the engine starts a handshake) when there is no
 * usable session, else a counter from the current keypair → padding to 16 within the MTU and the
 * header in place → one batch seal → one UDP send batch → counters and timers once per peer run.
 *
 * <p>The batch seal may run on several cores ({@link CryptoWorkers}); it returns only when every packet is sealed, so
 * the datagrams leave in the order the TUN gave them and each peer's counters go out in order.
 *
 * <p>One instance per sending thread; it owns its batch and allocates nothing per packet. The peer
 * of each slot is kept in {@link PacketBatch#owner}; consecutive packets of one peer are accounted
 * together.
 */
public final class SendPath {
    private final Device device;
    private final AllowedIpsTrie<Peer> allowedIps;
    private final PacketBatch batch;
    private final AeadBatch aeadBatch;
    private final CryptoWorkers crypto;
    private final int[] sendIndex;
    private final int[] padded;

    /** Packets with no peer for their destination, not IPv4/IPv6, or too short. */
    public long droppedNoPeer;
    public long droppedMalformed;
    public long droppedNoEndpoint;
    public long packetsSent;
    /** Packets handed to the engine to wait for a session. */
    public long staged;
    /** Packets whose seal failed (the AEAD threw for their part of the batch; see {@link CryptoWorkers}). */
    public long droppedCryptoFailure;

    /** A send path that seals on its own thread. */
    public SendPath(Device device, int batchSize, int slotSize) {
        this(device, batchSize, slotSize, CryptoWorkers.inline(batchSize));
    }

    /** A send path that seals each batch through {@code crypto} (owned and closed by the caller). */
    public SendPath(Device device, int batchSize, int slotSize, CryptoWorkers crypto) {
        this.device = device;
        this.allowedIps = device.allowedIps();
        this.batch = new PacketBatch(batchSize, slotSize);
        this.aeadBatch = new AeadBatch(batchSize);
        this.crypto = crypto;
        this.sendIndex = new int[batchSize];
        this.padded = new int[batchSize];
    }

    /** The batch the TUN end reads into. */
    public PacketBatch batch() {
        return batch;
    }

    /**
     * Reads one batch from {@code tun} and sends it through {@code udp}: the number of packets
     * read, 0 on timeout, or {@link TunEnd#CLOSED}.
     */
    public int runOnce(TunEnd tun, UdpEnd udp, int timeoutMillis) {
        int n = tun.read(batch, timeoutMillis);
        if (n > 0) process(udp, tun.mtu());
        return n;
    }

    /** Encrypts and sends the packets now in {@link #batch()}. */
    public void process(UdpEnd udp, int mtu) {
        PacketBatch b = batch;
        long now = device.clock().nanos();
        aeadBatch.clear();
        int m = 0;
        for (int i = 0; i < b.count; i++) {
            MemorySegment slot = b.slot(i);
            int len = b.length[i];
            int v = IpPacket.version(slot, PacketBatch.HEADROOM, len);
            Peer peer;
            if (v == 4) {
                peer = allowedIps.lookupV4(IpPacket.v4Destination(slot, PacketBatch.HEADROOM));
            } else if (v == 6) {
                peer = allowedIps.lookupV6(IpPacket.v6DestinationHigh(slot, PacketBatch.HEADROOM),
                        IpPacket.v6DestinationLow(slot, PacketBatch.HEADROOM));
            } else {
                droppedMalformed++;
                continue;
            }
            if (peer == null) {
                droppedNoPeer++;
                continue;
            }
            Endpoint to = peer.endpoints().current();
            PeerSession session = peer.session();
            Keypair kp = session.sendingKeypair();
            long counter = kp == null || to == null ? -1 : kp.nextSendCounter(now);
            if (counter < 0) {
                // No session (or no endpoint): the engine keeps the packet and starts a handshake.
                session.stage(slot, PacketBatch.HEADROOM, len);
                if (to == null) droppedNoEndpoint++;
                staged++;
                continue;
            }
            int p = Transport.prepare(b, i, kp.remoteIndex(), counter, mtu);
            aeadBatch.add(kp.sendKey(), counter, slot, PacketBatch.HEADROOM, p);
            padded[m] = p;
            b.owner[i] = peer;
            b.tag[i] = kp;
            b.destination[i] = to;
            sendIndex[m++] = i;
        }
        if (m > 0) {
            crypto.sealBatch(device.aead(), aeadBatch);
            int sealed = 0;
            for (int k = 0; k < m; k++) {
                if (!aeadBatch.ok(k)) {
                    droppedCryptoFailure++;
                    continue;
                }
                int i = sendIndex[k];
                Transport.sealed(b, i, padded[k]);
                sendIndex[sealed++] = i;
            }
            if (sealed > 0) {
                // Counters and timers before the send: once a datagram is out, the peer's answer can come back (and a
                // reader check tx_bytes) before this thread runs again.
                account(b, sealed);
                packetsSent += sealed;
                udp.send(b, sendIndex, sealed);
            }
        }
        aeadBatch.clear();
        b.clear();
    }

    private void account(PacketBatch b, int m) {
        Peer last = null;
        long bytes = 0;
        for (int k = 0; k < m; k++) {
            int i = sendIndex[k];
            Peer p = (Peer) b.owner[i];
            if (p != last) {
                if (last != null) last.session().authenticatedSend((int) bytes, true);
                last = p;
                bytes = 0;
            }
            bytes += b.length[i];
        }
        if (last != null) last.session().authenticatedSend((int) bytes, true);
    }
}
