package dev.jwgd.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.protocol.Protocol;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The kernel's replay self-test ({@code drivers/net/wireguard/selftest/counter.c}), every case in
 * its order, with the kernel's test numbers. {@code REJECT_AFTER_MESSAGES} is the limit this window
 * enforces ({@link Protocol#REJECT_AFTER_MESSAGES}); the cases are written relative to it, as in
 * the kernel.
 */
class ReplayWindowTest {
    private static final long WINDOW = ReplayWindow.WINDOW_SIZE;
    private static final long T_LIM = WINDOW + 1;
    private static final long REJECT = Protocol.REJECT_AFTER_MESSAGES;

    private ReplayWindow w = new ReplayWindow();
    private int testNumber;
    private String run;

    private void init(String name) {
        w = new ReplayWindow();
        testNumber = 0;
        run = name;
    }

    private void t(long counter, boolean expected) {
        ++testNumber;
        assertEquals(expected, w.accept(counter),
                () -> run + " test " + testNumber + ": counter " + Long.toUnsignedString(counter));
    }

    @Test
    void windowConstantsMatchTheKernel() {
        assertEquals(8128, ReplayWindow.WINDOW_SIZE);
        assertEquals(8192, ReplayWindow.BITS_TOTAL);
    }

    @Test
    void kernelCounterSelftestFixedCasesOneToThirtyFour() {
        init("fixed");
        /*  1 */ t(0, true);
        /*  2 */ t(1, true);
        /*  3 */ t(1, false);
        /*  4 */ t(9, true);
        /*  5 */ t(8, true);
        /*  6 */ t(7, true);
        /*  7 */ t(7, false);
        /*  8 */ t(T_LIM, true);
        /*  9 */ t(T_LIM - 1, true);
        /* 10 */ t(T_LIM - 1, false);
        /* 11 */ t(T_LIM - 2, true);
        /* 12 */ t(2, true);
        /* 13 */ t(2, false);
        /* 14 */ t(T_LIM + 16, true);
        /* 15 */ t(3, false);
        /* 16 */ t(T_LIM + 16, false);
        /* 17 */ t(T_LIM * 4, true);
        /* 18 */ t(T_LIM * 4 - (T_LIM - 1), true);
        /* 19 */ t(10, false);
        /* 20 */ t(T_LIM * 4 - T_LIM, false);
        /* 21 */ t(T_LIM * 4 - (T_LIM + 1), false);
        /* 22 */ t(T_LIM * 4 - (T_LIM - 2), true);
        /* 23 */ t(T_LIM * 4 + 1 - T_LIM, false);
        /* 24 */ t(0, false);
        /* 25 */ t(REJECT, false);
        /* 26 */ t(REJECT - 1, true);
        /* 27 */ t(REJECT, false);
        /* 28 */ t(REJECT - 1, false);
        /* 29 */ t(REJECT - 2, true);
        /* 30 */ t(REJECT + 1, false);
        /* 31 */ t(REJECT + 2, false);
        /* 32 */ t(REJECT - 2, false);
        /* 33 */ t(REJECT - 3, true);
        /* 34 */ t(0, false);
        assertEquals(34, testNumber);
    }

    @Test
    void kernelBulkOneForwardWholeWindowThenZeroStillFits() {
        init("bulk 1");
        for (long i = 1; i <= WINDOW; ++i) t(i, true);
        t(0, true);
        t(0, false);
    }

    @Test
    void kernelBulkTwoForwardWindowPlusOneThenZeroIsTooOld() {
        init("bulk 2");
        for (long i = 2; i <= WINDOW + 1; ++i) t(i, true);
        t(1, true);
        t(0, false);
    }

    @Test
    void kernelBulkThreeBackwardFromWindowToZeroAllAccepted() {
        init("bulk 3");
        for (long i = WINDOW + 1; i-- > 0; ) t(i, true);
    }

    @Test
    void kernelBulkFourBackwardFromWindowPlusOneThenZeroIsTooOld() {
        init("bulk 4");
        for (long i = WINDOW + 2; i-- > 1; ) t(i, true);
        t(0, false);
    }

    @Test
    void kernelBulkFiveBackwardThenOneAheadPushesZeroOut() {
        init("bulk 5");
        for (long i = WINDOW + 1; i-- > 1; ) t(i, true);
        t(WINDOW + 1, true);
        t(0, false);
    }

    @Test
    void kernelBulkSixBackwardThenZeroThenOneAhead() {
        init("bulk 6");
        for (long i = WINDOW + 1; i-- > 1; ) t(i, true);
        t(0, true);
        t(WINDOW + 1, true);
    }

    @Test
    void resetMakesAcceptedCountersAcceptableAgain() {
        w.accept(0);
        w.accept(5);
        w.accept(100_000);
        assertFalse(w.accept(5));
        w.reset();
        assertTrue(w.accept(5));
        assertTrue(w.accept(0));
        assertTrue(w.accept(100_000));
        assertFalse(w.accept(100_000));
    }

    @Test
    void countersAtOrAbove2To63AreComparedUnsignedNotAsNegative() {
        assertFalse(w.accept(-1L), "2^64 - 1 is above the limit");
        assertTrue(w.accept(Long.MIN_VALUE), "2^63 is below the limit and ahead of 0");
        assertTrue(w.accept(Long.MAX_VALUE), "2^63 - 1 is one behind, inside the window");
        assertFalse(w.accept(Long.MIN_VALUE), "replay of 2^63");
        assertFalse(w.accept(5), "5 is far behind 2^63, not ahead of it");
        assertTrue(w.accept(Long.MIN_VALUE + 5), "2^63 + 5 moves the window forward");
        assertFalse(w.accept(Long.MAX_VALUE - WINDOW), "now more than the window behind");
    }

    @Test
    void aJumpOfManyRingsForgetsEveryOldBit() {
        assertTrue(w.accept(64 * 128 * 3 + 7));
        // Same word positions in the ring as earlier counters, but a new lap: all unseen.
        long base = 64 * 128 * 10;
        assertTrue(w.accept(base));
        for (long c = base - WINDOW; c < base; c += 61) assertTrue(w.accept(c), "counter " + c);
        assertFalse(w.accept(base - WINDOW - 1));
    }

    /**
     * Once compiled, accept allocates nothing: at least one round of a million calls (after warm-up;
     * the JIT may be late on a busy machine) must allocate zero bytes.
     */
    @Test
    void steadyStateAcceptAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        long accepted = 0;
        boolean zeroRound = false;
        long counter = 0;
        for (int round = 0; round < 60 && !zeroRound; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000_000; i++) {
                counter += (i & 7) == 0 ? -3 : 1; // mostly in order, some replays and reordering
                if (w.accept(counter)) accepted++;
            }
            zeroRound = threads.getCurrentThreadAllocatedBytes() == before;
        }
        assertTrue(accepted > 0);
        assertTrue(zeroRound, "every round of accept calls allocated");
    }
}
