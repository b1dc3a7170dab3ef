package dev.jwgd.ffm.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ffm.GccProbe;
import dev.jwgd.ffm.HeaderCheck;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every io_uring struct layout and constant against gcc and the installed {@code <linux/io_uring.h>}. */
class IoUringLayoutTest {
    private static Map<String, Long> c;

    @BeforeAll
    static void compileProbe() throws Exception {
        c = GccProbe.run("/dev/jwgd/ffm/uring/uring_layouts.c");
    }

    static List<Class<?>> structs() {
        return List.of(io_sqring_offsets.class, io_cqring_offsets.class, io_uring_params.class, io_uring_sqe.class,
                io_uring_cqe.class, io_uring_buf.class, io_uring_buf_ring.class, io_uring_buf_reg.class,
                io_uring_recvmsg_out.class, io_uring_probe.class, io_uring_probe_op.class,
                io_uring_getevents_arg.class, __kernel_timespec.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structs")
    void structSizeAlignmentAndEveryFieldOffsetMatchGcc(Class<?> struct) throws Exception {
        HeaderCheck.assertStruct(struct, c);
        // and the other way round: every field the C probe prints has a Java accessor
        String prefix = struct.getSimpleName() + ".";
        for (String key : c.keySet()) {
            if (!key.startsWith(prefix)) continue;
            String field = key.substring(prefix.length());
            assertTrue(hasOffset(struct, field), struct.getSimpleName() + " lacks " + field + "$offset()");
        }
    }

    @Test
    void everyConstantMatchesTheHeaderOrIsMarkedAsNewerThanIt() throws Exception {
        assertConstants(io_uring_h.class, c);
    }

    @Test
    void opcodeAndRingOffsetsUsedOnTheHotPathHaveTheKernelsValues() {
        // Spot checks that do not depend on gcc: the ABI is fixed.
        assertEquals(32, io_uring_sqe.user_data$OFFSET);
        assertEquals(40, io_uring_sqe.buf_group$OFFSET);
        assertEquals(14, io_uring_buf_ring.tail$OFFSET);
        assertEquals(64, io_uring_sqe.sizeof());
        assertEquals(16, io_uring_cqe.sizeof());
        assertEquals(120, io_uring_params.sizeof());
    }

    private static boolean hasOffset(Class<?> struct, String field) {
        try {
            struct.getMethod(field + "$offset");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * Each public integral constant equals gcc's value of the same name, unless it carries
     * {@link KernelSource} (taken from the kernel source, newer than the installed headers).
     */
    static void assertConstants(Class<?> header, Map<String, Long> c) throws IllegalAccessException {
        int checked = 0;
        for (var f : header.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !Modifier.isFinal(f.getModifiers())) continue;
            long java;
            if (f.getType() == int.class) java = f.getInt(null);
            else if (f.getType() == long.class) java = f.getLong(null);
            else continue;
            String name = f.getName();
            if (f.isAnnotationPresent(KernelSource.class)) continue;   // newer than the 6.1 headers gcc sees
            assertTrue(c.containsKey(name), header.getSimpleName() + "." + name + " is not printed by the C probe");
            long cv = c.get(name);
            // C prints unsigned 32-bit values (1U << 31, ~0U) as positive longs.
            assertTrue(cv == java || cv == Integer.toUnsignedLong((int) java) && f.getType() == int.class,
                    header.getSimpleName() + "." + name + " is " + java + " in Java, " + cv + " in C");
            checked++;
        }
        assertTrue(checked > 50, "only " + checked + " constants checked in " + header);
    }
}
