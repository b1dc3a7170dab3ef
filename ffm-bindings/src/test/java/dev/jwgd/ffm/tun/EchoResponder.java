package dev.jwgd.ffm.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: a userspace ICMP echo responder on a TUN queue. Every IPv4 ICMP echo request (type 8)
 * and ICMPv6 echo request (128) read from the device goes back as a reply with the addresses
 * swapped and the checksum recomputed; everything else is counted and ignored. Runs on its own
 * platform thread until {@link #close}.
 */
final class EchoResponder implements AutoCloseable {
    static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final TunDevice tun;
    private final Thread thread;
    private final AtomicInteger replies = new AtomicInteger();
    private final AtomicInteger ignored = new AtomicInteger();
    private volatile boolean running = true;
    private volatile Throwable failure;

    EchoResponder(TunDevice tun) {
        this.tun = tun;
        this.thread = Thread.ofPlatform().name("echo " + tun.name()).daemon(true).start(this::loop);
    }

    int replies() { return replies.get(); }

    int ignored() { return ignored.get(); }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(2048);
            while (running) {
                int ready = tun.awaitReadable(50);
                if (ready <= 0) continue;
                int n = tun.read(buf);
                if (n < 0) {
                    if (n == -dev.jwgd.ffm.Errno.EAGAIN) continue;
                    throw new IllegalStateException("read from " + tun.name() + " failed: errno " + -n);
                }
                if (answer(buf, n)) {
                    int w = tun.write(buf, n);
                    if (w != n) throw new IllegalStateException("write to " + tun.name() + " returned " + w);
                    replies.incrementAndGet();
                } else {
                    ignored.incrementAndGet();
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Turns an echo request in {@code p[0..n)} into its reply in place; false if it is not one. */
    static boolean answer(MemorySegment p, int n) {
        if (n < 1) return false;
        int version = Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, 0)) >>> 4;
        if (version == 4 && n >= 28) {
            int ihl = (p.get(ValueLayout.JAVA_BYTE, 0) & 0xf) * 4;
            if (p.get(ValueLayout.JAVA_BYTE, 9) != 1 || n < ihl + 8 || p.get(ValueLayout.JAVA_BYTE, ihl) != 8) return false;
            swap(p, 12, 16, 4);                                // the header checksum is a sum: unchanged by the swap
            p.set(ValueLayout.JAVA_BYTE, ihl, (byte) 0);       // echo reply
            p.set(BE16, ihl + 2, (short) 0);
            p.set(BE16, ihl + 2, (short) ~fold(sum(p, ihl, n - ihl, 0)));
            return true;
        }
        if (version == 6 && n >= 48) {
            if (p.get(ValueLayout.JAVA_BYTE, 6) != 58 || Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, 40)) != 128) return false;
            swap(p, 8, 24, 16);
            p.set(ValueLayout.JAVA_BYTE, 40, (byte) 129);
            p.set(BE16, 42, (short) 0);
            int len = n - 40;
            long pseudo = sum(p, 8, 32, 0) + len + 58;         // src, dst, upper-layer length, next header
            p.set(BE16, 42, (short) ~fold(sum(p, 40, len, pseudo)));
            return true;
        }
        return false;
    }

    static void swap(MemorySegment p, long a, long b, int len) {
        for (int i = 0; i < len; i++) {
            byte x = p.get(ValueLayout.JAVA_BYTE, a + i);
            p.set(ValueLayout.JAVA_BYTE, a + i, p.get(ValueLayout.JAVA_BYTE, b + i));
            p.set(ValueLayout.JAVA_BYTE, b + i, x);
        }
    }

    /** RFC 1071 one's-complement sum of {@code len} bytes at {@code off}, added to {@code initial}. */
    static long sum(MemorySegment p, long off, int len, long initial) {
        long s = initial;
        int i = 0;
        for (; i + 1 < len; i += 2) s += Short.toUnsignedInt(p.get(BE16, off + i));
        if (i < len) s += Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, off + i)) << 8;
        return s;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    /** Stops the thread; rethrows anything it failed with. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) throw new AssertionError("echo responder failed", failure);
    }
}
