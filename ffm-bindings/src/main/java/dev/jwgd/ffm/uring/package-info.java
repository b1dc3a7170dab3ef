/**
 * io_uring through Panama FFM: {@link dev.jwgd.ffm.uring.io_uring_h} (constants of
 * {@code <linux/io_uring.h>}), one class per kernel struct in jextract's shape ({@code io_uring_sqe},
 * {@code io_uring_cqe}, {@code io_uring_params}, ...; written by hand, checked against gcc by
 * {@code IoUringLayoutTest}), the ring itself ({@link dev.jwgd.ffm.uring.IoUring}), provided buffer
 * rings ({@link dev.jwgd.ffm.uring.BufferRing}) and what the running kernel supports
 * ({@link dev.jwgd.ffm.uring.IoUringSupport}). Callers check {@link dev.jwgd.ffm.uring.IoUring#isAvailable()}
 * and fall back to plain syscalls when it is false.
 */
package dev.jwgd.ffm.uring;
