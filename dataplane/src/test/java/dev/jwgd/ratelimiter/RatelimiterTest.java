package dev.jwgd.ratelimiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RatelimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private static final byte[] IP = {(byte) 192, 0, 2, 7};

    @Test
    void aBurstOfFiveIsAllowedThenTwentyPerSecond() {
        Ratelimiter r = new Ratelimiter();
        long now = 10 * SECOND;
        for (int i = 0; i < 5; i++) assertTrue(r.allow(IP, now), "burst packet " + i);
        assertFalse(r.allow(IP, now), "the sixth at the same instant");
        assertFalse(r.allow(IP, now + SECOND / 20 - 1));
        assertTrue(r.allow(IP, now + SECOND / 20), "one more every 50 ms");
        assertFalse(r.allow(IP, now + SECOND / 20));
        int allowed = 0;
        for (long t = now + SECOND / 20 + SECOND / 100; t <= now + SECOND / 20 + SECOND; t += SECOND / 100) {
            if (r.allow(IP, t)) allowed++;
        }
        assertEquals(20, allowed, "20 per second sustained");
    }

    @Test
    void addressesAreLimitedIndependently() {
        Ratelimiter r = new Ratelimiter();
        for (int i = 0; i < 5; i++) r.allow(IP, 0);
        assertFalse(r.allow(IP, 0));
        assertTrue(r.allow(new byte[] {(byte) 192, 0, 2, 8}, 0));
    }

    @Test
    void ipv6SourcesShareTheirSlash64() {
        Ratelimiter r = new Ratelimiter();
        byte[] a = new byte[16], b = new byte[16];
        a[0] = b[0] = 0x20;
        a[1] = b[1] = 0x01;
        a[2] = b[2] = 0x0d;
        a[3] = b[3] = (byte) 0xb8;
        a[15] = 1;
        b[15] = 2;
        for (int i = 0; i < 5; i++) assertTrue(r.allow(a, 0));
        assertFalse(r.allow(b, 0), "same /64");
        byte[] c = b.clone();
        c[7] = 1;
        assertTrue(r.allow(c, 0), "another /64");
    }

    @Test
    void memoryStaysBoundedWhateverTheNumberOfSourcesAndIdleEntriesExpire() {
        Ratelimiter r = new Ratelimiter(1024);
        int refused = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] ip = {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
            if (!r.allow(ip, 0)) refused++;
            assertTrue(r.size() <= r.maxEntries());
        }
        assertEquals(100_000 - r.maxEntries(), refused, "new sources are refused once the table is full");
        assertTrue(r.allow(IP, 2 * SECOND), "after the sweep there is room again");
        assertEquals(1, r.size());
    }

    @Test
    void theSweepForgetsSourcesIdleForMoreThanASecondAndKeepsActiveOnes() {
        Ratelimiter r = new Ratelimiter(64);
        byte[] other = {10, 0, 0, 1}, third = {10, 0, 0, 2};
        r.allow(IP, 0);
        r.allow(other, 0);
        r.allow(IP, SECOND * 9 / 10);
        assertEquals(2, r.size());
        r.allow(third, SECOND * 11 / 10);
        assertEquals(2, r.size(), "the idle source was swept, the active one kept, the new one added");
        for (int i = 0; i < 4; i++) assertTrue(r.allow(other, SECOND * 11 / 10), "a swept source starts a fresh bucket");
    }
}
