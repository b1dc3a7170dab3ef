package dev.jwgd.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Tai64nTest {
    @Test
    void epochIsTheKernelBaseWithZeroNanoseconds() {
        assertEquals("400000000000000a00000000", HexFormat.of().formatHex(Tai64n.of(0)));
    }

    @Test
    void secondsAreBigEndianAfterTheBase() {
        assertEquals("400000000000000b00000000", HexFormat.of().formatHex(Tai64n.of(1_000_000_000L)));
    }

    @Test
    void nanosecondsAreRoundedDownToMultiplesOfTwoToTheTwentyFour() {
        byte[] t = Tai64n.of(16_777_215L);
        assertEquals("400000000000000a00000000", HexFormat.of().formatHex(t));
        byte[] u = Tai64n.of(16_777_216L + 5);
        assertEquals("400000000000000a01000000", HexFormat.of().formatHex(u));
    }

    @Test
    void afterIsStrictAndBytewiseUnsigned() {
        byte[] a = Tai64n.of(5_000_000_000L);
        byte[] b = Tai64n.of(5_000_000_000L + 20_000_000L);
        assertTrue(Tai64n.after(b, a));
        assertFalse(Tai64n.after(a, b));
        assertFalse(Tai64n.after(a, a.clone()), "equal is not after");
        byte[] hi = a.clone();
        hi[11] = (byte) 0xff;
        assertTrue(Tai64n.after(hi, a), "bytes compare unsigned");
    }

    @Test
    void timestampsWithinOneWhitenedStepAreEqualSoTheSecondIsARejectedReplay() {
        byte[] a = Tai64n.of(7_000_000_000L);
        byte[] b = Tai64n.of(7_000_000_000L + 1_000_000L);
        assertFalse(Tai64n.after(b, a));
    }
}
