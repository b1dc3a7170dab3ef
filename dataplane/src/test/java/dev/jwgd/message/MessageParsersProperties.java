package dev.jwgd.message;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Random bytes of any length through every message parser: each answers a code, none throws. */
class MessageParsersProperties {
    static LongStream seeds() {
        return new SplittableRandom(0x6e6f697365L).longs(100);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomInputIsClassifiedOrRejectedWithoutAnException(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 50; i++) {
            int len = switch (r.nextInt(6)) {
                case 0 -> 148;
                case 1 -> 92;
                case 2 -> 64;
                case 3 -> 32 + r.nextInt(1500);
                default -> r.nextInt(200);
            };
            byte[] b = new byte[len];
            r.nextBytes(b);
            if (len > 0 && r.nextBoolean()) b[0] = (byte) (1 + r.nextInt(4));
            if (len > 3 && r.nextBoolean()) b[1] = b[2] = b[3] = 0;
            MemorySegment s = MemorySegment.ofArray(b);
            long off = r.nextInt(3) == 0 ? r.nextInt(len + 2) - 1 : 0;
            int claimed = r.nextInt(4) == 0 ? r.nextInt(len + 10) : (int) Math.max(0, len - off);
            try {
                int type = Messages.classify(s, off, claimed);
                assertTrue(type >= -4 && type <= 4 && type != 0, "seed " + seed + ": code " + type);
                int a = new HandshakeInitiation().wrap(s, off, claimed);
                int c = new HandshakeResponse().wrap(s, off, claimed);
                int d = new CookieReply().wrap(s, off, claimed);
                int e = new TransportData().wrap(s, off, claimed);
                int accepted = (a == 0 ? 1 : 0) + (c == 0 ? 1 : 0) + (d == 0 ? 1 : 0) + (e == 0 ? 1 : 0);
                assertTrue(accepted == (type > 0 ? 1 : 0), "seed " + seed + ": exactly the classified view accepts");
            } catch (RuntimeException ex) {
                fail("seed " + seed + ": a parser threw " + ex);
            }
        }
    }
}
