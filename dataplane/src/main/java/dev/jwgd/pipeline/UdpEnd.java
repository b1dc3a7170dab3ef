package dev.jwgd.pipeline;

/**
 * The outer end of the data path: encrypted datagrams to and from peers. Real UDP sockets
 * (IPv4 and IPv6) in the daemon, an in-memory network in tests and benchmarks.
 *
 * <p>{@link #receive} is called by one thread; {@link #send} may be called by several (the send
 * path, the handshake worker, the timers), each with its own batch.
 */
public interface UdpEnd extends AutoCloseable {
    int CLOSED = -1;

    /**
     * Receives up to {@code batch.capacity()} datagrams at offset 0 of their slots, setting offset
     * (0), length, the source address arrays and {@code count}. Waits at most about
     * {@code timeoutMillis} for the first; returns the count, 0 on timeout, or {@link #CLOSED}.
     */
    int receive(PacketBatch batch, int timeoutMillis);

    /**
     * Sends slots {@code indexes[0..n)} of {@code batch}, each to its {@code destination}. Returns
     * the number handed to the network; datagrams that fail are dropped (UDP semantics).
     */
    int send(PacketBatch batch, int[] indexes, int n);

    /** The local port, after binding (0 asks for any). */
    int port();

    /**
     * Rebinds to {@code port} (0 = any), keeping the fwmark. Throws a clear exception (with errno
     * EADDRINUSE for a taken port) and keeps the old binding on failure.
     */
    void rebind(int port) throws java.io.IOException;

    /** Sets SO_MARK on the sockets (0 removes it). */
    void setFwmark(int mark) throws java.io.IOException;

    @Override
    void close();
}
