package dev.jwgd.timers;

/**
 * Time for the protocol: a monotonic clock for every timer and age, and the wall clock for TAI64N
 * timestamps and "latest handshake". Tests inject a virtual clock and move it by hand.
 */
public interface Clock {
    /** Monotonic nanoseconds, arbitrary origin. */
    long nanos();

    /** Nanoseconds since the Unix epoch. */
    long wallClockNanos();

    Clock SYSTEM = new Clock() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public long wallClockNanos() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    };
}
