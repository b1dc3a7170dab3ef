package dev.jwgd.protocol;

/**
 * Every WireGuard protocol constant in one place, named as in the whitepaper (section 6 "Timers and
 * messages") and wireguard-go's {@code device/constants.go}. Times are in nanoseconds so that they
 * compare directly with {@link dev.jwgd.timers.Clock#nanos()}.
 */
public final class Protocol {
    private Protocol() {}

    private static final long SECOND = 1_000_000_000L;

    /** After this many messages a keypair is renewed (2^60). */
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /**
     * A keypair never sends or accepts a counter at or above this. wireguard-go's value
     * (2^64 - 2^13 - 1), the smaller of the two reference values, so no peer rejects what we send.
     * Unsigned: compare with {@link Long#compareUnsigned}.
     */
    public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1; // 2^64 - 2^13 - 1 as unsigned
    public static final long REKEY_AFTER_TIME = 120 * SECOND;
    public static final long REJECT_AFTER_TIME = 180 * SECOND;
    public static final long REKEY_ATTEMPT_TIME = 90 * SECOND;
    public static final long REKEY_TIMEOUT = 5 * SECOND;
    /** Jitter added to retransmits and to the new-handshake timer: up to a third of a second. */
    public static final long REKEY_TIMEOUT_JITTER_MAX = 334_000_000L;
    public static final long KEEPALIVE_TIMEOUT = 10 * SECOND;
    public static final long COOKIE_REFRESH_TIME = 120 * SECOND;
    /** The kernel stops using a received cookie 5 s before the responder would have rotated its secret. */
    public static final long COOKIE_SECRET_LATENCY = 5 * SECOND;
    /** Retransmits continue while attempts are at most this: 20 initiations in all. */
    public static final int MAX_TIMER_HANDSHAKES = (int) (REKEY_ATTEMPT_TIME / REKEY_TIMEOUT);
    /** Key material is wiped this long after the last session was derived. */
    public static final long ZERO_KEYS_AFTER = 3 * REJECT_AFTER_TIME;
    /** The initiator sends one last-minute initiation when a received keypair gets this old. */
    public static final long REKEY_ON_RECEIVE_AFTER = REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT;
    /** A responder accepts at most 50 initiations per second from one peer. */
    public static final int INITIATIONS_PER_SECOND = 50;
    public static final long HANDSHAKE_INITIATION_RATE = SECOND / INITIATIONS_PER_SECOND;
    /** Under-load is sticky for this long after the handshake backlog was last found long. */
    public static final long UNDER_LOAD_AFTER_TIME = SECOND;

    public static final int PADDING_MULTIPLE = 16;
    public static final int MAX_STAGED_PACKETS = 128;
    public static final int MAX_QUEUED_INCOMING_HANDSHAKES = 4096;
    public static final int DEFAULT_MTU = 1420;
    public static final int MAX_PEERS = 1 << 16;

    // Message types: u8 type then three reserved zero bytes, read together as a little-endian u32.
    public static final int MESSAGE_HANDSHAKE_INITIATION = 1;
    public static final int MESSAGE_HANDSHAKE_RESPONSE = 2;
    public static final int MESSAGE_HANDSHAKE_COOKIE = 3;
    public static final int MESSAGE_TRANSPORT_DATA = 4;

    public static final int MESSAGE_INITIATION_SIZE = 148;
    public static final int MESSAGE_RESPONSE_SIZE = 92;
    public static final int MESSAGE_COOKIE_REPLY_SIZE = 64;
    public static final int MESSAGE_TRANSPORT_HEADER_SIZE = 16;
    public static final int MESSAGE_KEEPALIVE_SIZE = 32;
    public static final int MESSAGE_TRANSPORT_OVERHEAD = MESSAGE_TRANSPORT_HEADER_SIZE + 16;
    public static final int MAX_MESSAGE_SIZE = 65535;

    public static final int KEY_LENGTH = 32;
    public static final int TAG_LENGTH = 16;
    public static final int MAC_LENGTH = 16;
    public static final int COOKIE_LENGTH = 16;
    public static final int COOKIE_NONCE_LENGTH = 24;
    public static final int TAI64N_LENGTH = 12;

    /** Noise protocol name, 37 bytes: the initial chaining key is its hash. */
    public static final String CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
    /** The prologue mixed into the initial hash, 34 bytes. */
    public static final String IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com";
    public static final String LABEL_MAC1 = "mac1----";
    public static final String LABEL_COOKIE = "cookie--";

    /** Zero-padded plaintext length: the next multiple of 16, never above the MTU (send.go calculatePaddingSize). */
    public static int paddedLength(int length, int mtu) {
        if (mtu == 0) return (length + PADDING_MULTIPLE - 1) & ~(PADDING_MULTIPLE - 1);
        int last = length;
        if (last > mtu) last %= mtu;
        int padded = (last + PADDING_MULTIPLE - 1) & ~(PADDING_MULTIPLE - 1);
        if (padded > mtu) padded = mtu;
        return length - last + padded;
    }
}
