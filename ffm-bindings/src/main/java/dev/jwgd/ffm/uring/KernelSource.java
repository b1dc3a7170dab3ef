package dev.jwgd.ffm.uring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a constant that is newer than the installed uAPI headers (Debian 12's linux-libc-dev 6.1): its
 * value was taken from the kernel source (liburing's synced {@code io_uring.h}) rather than from a
 * header gcc can see, so the layout test cannot check it against gcc and accepts it only with this mark.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface KernelSource {
    /** The kernel version that introduced the constant, e.g. {@code "6.7"}. */
    String value();
}
