package dev.jwgd.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.GroupLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * Compares hand-written bindings with what gcc says (values from {@link GccProbe}): every public
 * integral constant of a header class, and size, alignment and every {@code field$offset()} of a
 * struct class. Names are discovered by reflection, so a constant or field added later is checked too.
 */
public final class HeaderCheck {
    private HeaderCheck() {}

    /** Every public static final byte/short/int/long field of {@code header} must equal C's value of that name. */
    public static int assertConstants(Class<?> header, Map<String, Long> c) throws IllegalAccessException {
        int checked = 0;
        for (var f : header.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !Modifier.isFinal(f.getModifiers())) continue;
            long java;
            Class<?> t = f.getType();
            if (t == byte.class) java = Byte.toUnsignedLong(f.getByte(null));
            else if (t == short.class) java = Short.toUnsignedLong(f.getShort(null));
            else if (t == int.class) java = Integer.toUnsignedLong(f.getInt(null));
            else if (t == long.class) java = f.getLong(null);
            else continue;
            String name = f.getName();
            assertTrue(c.containsKey(name), header.getSimpleName() + "." + name + " is not printed by the C probe");
            assertEquals(c.get(name).longValue(), java, header.getSimpleName() + "." + name + " differs from the C header");
            checked++;
        }
        assertTrue(checked > 0, "no constants found in " + header);
        return checked;
    }

    /** sizeof, alignof and every {@code x$offset()} of the struct class against C's {@code struct.x} lines. */
    public static int assertStruct(Class<?> struct, Map<String, Long> c) throws ReflectiveOperationException {
        String s = struct.getSimpleName();
        GroupLayout layout = (GroupLayout) struct.getMethod("layout").invoke(null);
        assertEquals(c.get("sizeof." + s), (Long) layout.byteSize(), "sizeof(struct " + s + ")");
        if (c.containsKey("alignof." + s)) {
            assertEquals(c.get("alignof." + s), (Long) layout.byteAlignment(), "alignof(struct " + s + ")");
        }
        int checked = 0;
        for (Method m : struct.getMethods()) {
            if (!m.getName().endsWith("$offset") || m.getParameterCount() != 0) continue;
            String field = m.getName().substring(0, m.getName().length() - "$offset".length());
            String key = s + "." + field;
            assertTrue(c.containsKey(key), "offsetof(struct " + s + ", " + field + ") is not printed by the C probe");
            assertEquals(c.get(key), (Long) m.invoke(null), "offsetof(struct " + s + ", " + field + ")");
            checked++;
        }
        assertTrue(checked > 0, "no fields found in " + struct);
        return checked;
    }
}
