package dev.jwgd.replay;

import dev.jwgd.protocol.Protocol;
import java.util.Arrays;

/**
 * The receive-side replay filter of one keypair: RFC 6479's ring of 8192 bits in 128 words of 64, of
 * which 8128 (one word less) form the usable window, exactly as the kernel's {@code counter_validate}
 * ({@code receive.c}) and wireguard-go's {@code replay/replay.go}. Whitepaper section 5.4.6; the
 * reference's §2.8.
 *
 * <p>Counters are unsigned 64-bit values held in a {@code long}; every comparison is unsigned. A
 * counter is refused when it is at or above {@link Protocol#REJECT_AFTER_MESSAGES}, when it was
 * already accepted, or when it is more than {@link #WINDOW_SIZE} behind the highest counter accepted
 * so far. It must be checked only after the packet authenticated: otherwise anyone could move the
 * window forward with forged counters.
 *
 * <p><b>Threading: per-keypair serialized, no lock.</b> At most one thread calls {@link #accept} or
 * {@link #reset} on a given window at a time, and consecutive calls from different threads must be
 * ordered by a happens-before edge (a queue hand-off, a lock, a volatile write and read). This is
 * wireguard-go's model: packets of one keypair may be decrypted by parallel workers, but the replay
 * check runs in the peer's in-order receive stage. A window shared by racing threads without such
 * an edge may accept a replay; it never throws.
 *
 * <p>Allocation: the ring is allocated once in the constructor; {@link #accept} allocates nothing.
 */
public final class ReplayWindow {
    private static final int WORD_BITS_LOG = 6;
    private static final int WORD_BITS = 1 << WORD_BITS_LOG;
    /** Bits in the ring. */
    public static final int BITS_TOTAL = 8192;
    private static final int WORDS = BITS_TOTAL / WORD_BITS;
    /** How far behind the highest accepted counter a counter may still be accepted: 8192 - 64. */
    public static final long WINDOW_SIZE = BITS_TOTAL - WORD_BITS;

    private final long[] ring = new long[WORDS];
    /** Highest counter accepted so far (unsigned); 0 also before any, which leaves 0 acceptable. */
    private long last;

    /** Clears the window, so that every counter below the limit is acceptable again (a new keypair). */
    public void reset() {
        last = 0;
        // The kernel clears the whole ring on init; wireguard-go clears one word and relies on the
        // window's own zeroing. Clearing everything costs 128 stores per keypair and needs no argument.
        Arrays.fill(ring, 0L);
    }

    /**
     * Checks an authenticated packet's counter and records it.
     *
     * @param counter the packet's 64-bit counter, unsigned
     * @return true when the counter is new and within the window (now recorded); false when it is
     *     a replay, too old, or at or above {@link Protocol#REJECT_AFTER_MESSAGES}
     */
    public boolean accept(long counter) {
        if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
            return false;
        }
        long wordIndex = counter >>> WORD_BITS_LOG;
        if (Long.compareUnsigned(counter, last) > 0) {
            // Move the window forward, zeroing the words passed over (at most the whole ring).
            long current = last >>> WORD_BITS_LOG;
            long advance = wordIndex - current; // >= 0 because counter > last
            int zero = Long.compareUnsigned(advance, WORDS) < 0 ? (int) advance : WORDS;
            for (int i = 1; i <= zero; i++) {
                ring[(int) ((current + i) & (WORDS - 1))] = 0L;
            }
            last = counter;
        } else if (Long.compareUnsigned(last - counter, WINDOW_SIZE) > 0) {
            return false;
        }
        int word = (int) (wordIndex & (WORDS - 1));
        long bit = 1L << (counter & (WORD_BITS - 1));
        long old = ring[word];
        ring[word] = old | bit;
        return (old & bit) == 0;
    }
}
