package dev.jwgd.pipeline;

/**
 * The inner end of the data path: where plaintext IP packets come from and go to. A real TUN
 * device in the daemon, in-memory queues in tests and benchmarks.
 *
 * <p>{@link #read} is called by one thread only (the send path), {@link #write} by one thread only
 * (the receive path); the two may run concurrently.
 */
public interface TunEnd extends AutoCloseable {
    /** Returned by read/write when the device is gone (e.g. the interface was deleted). */
    int CLOSED = -1;

    /**
     * Reads up to {@code batch.capacity()} packets, each at {@link PacketBatch#HEADROOM} of its slot,
     * setting {@code offset}, {@code length} and {@code count}. Waits at most about
     * {@code timeoutMillis} for the first packet; returns the count (0 on timeout) or {@link #CLOSED}.
     */
    int read(PacketBatch batch, int timeoutMillis);

    /**
     * Writes the slots {@code indexes[0..n)} of {@code batch} (each from its offset and length).
     * Returns the number written, or {@link #CLOSED}. Packets the device refuses are dropped.
     */
    int write(PacketBatch batch, int[] indexes, int n);

    /** The largest IP packet the device carries; the send path pads within it. */
    int mtu();

    @Override
    void close();
}
