package dev.jwgd.session;

import java.lang.foreign.MemorySegment;

/**
 * What the protocol engine asks its owner to put on the wire; the engine does no I/O itself. The
 * daemon implements it over its UDP sockets, tests over in-memory queues. The message segment is
 * valid only during the call: copy it to keep it. Calls may come while the engine holds a peer's
 * monitor, so an implementation must not call back into the engine synchronously (queue instead).
 */
public interface Transmit {
    /** Send to the peer's current endpoint: initiations, responses, keepalives, staged data. */
    void sendToPeer(PeerSession peer, MemorySegment message);

    /** Send back to where a received message came from ({@code source} as given to the engine): cookie replies. */
    void sendToSource(Object source, MemorySegment message);

    /** An authenticated handshake message from {@code peer} arrived from {@code source}: roam there. */
    void endpointSeen(PeerSession peer, Object source);
}
