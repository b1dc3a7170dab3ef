package dev.jwgd.ffm.netlink;

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

/** netlink/rtnetlink struct layouts, constants and alignment macros against gcc and the installed headers. */
class NetlinkLayoutTest {
    private static Map<String, Long> c;

    @BeforeAll
    static void compileProbe() throws Exception {
        c = GccProbe.run("/dev/jwgd/ffm/netlink/netlink_layouts.c");
    }

    static List<Class<?>> structs() {
        return List.of(sockaddr_nl.class, nlmsghdr.class, nlmsgerr.class, rtattr.class, ifinfomsg.class, ifaddrmsg.class, rtmsg.class, fib_rule_hdr.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structs")
    void structSizeAlignmentAndEveryFieldOffsetMatchGcc(Class<?> struct) throws Exception {
        HeaderCheck.assertStruct(struct, c);
        String prefix = struct.getSimpleName() + ".";
        long cFields = c.keySet().stream().filter(k -> k.startsWith(prefix)).count();
        long javaFields = java.util.Arrays.stream(struct.getMethods())
                .filter(m -> m.getName().endsWith("$offset") && m.getParameterCount() == 0).count();
        assertEquals(cFields, javaFields, "fields of " + struct.getSimpleName() + " in C and in Java");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void everyConstantMatchesTheHeader(Class<?> header) throws Exception {
        int checked = 0;
        for (var f : header.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) continue;
            assertTrue(c.containsKey(f.getName()), f.getName() + " is not printed by the C probe");
            assertEquals(c.get(f.getName()).longValue(), f.getInt(null), header.getSimpleName() + "." + f.getName());
            checked++;
        }
        assertTrue(checked >= 7, "only " + checked + " constants in " + header);
    }

    static List<Class<?>> headers() {
        return List.of(netlink_h.class, rtnetlink_h.class, fib_rules_h.class);
    }

    @Test
    void alignmentMacrosComputeWhatTheCMacrosCompute() {
        for (int n = 0; n <= 70; n++) {
            assertEquals(c.get("NLMSG_ALIGN(" + n + ")"), (long) netlink_h.NLMSG_ALIGN(n), "NLMSG_ALIGN(" + n + ")");
            assertEquals(c.get("NLMSG_LENGTH(" + n + ")"), (long) netlink_h.NLMSG_LENGTH(n), "NLMSG_LENGTH(" + n + ")");
            assertEquals(c.get("NLMSG_SPACE(" + n + ")"), (long) netlink_h.NLMSG_SPACE(n), "NLMSG_SPACE(" + n + ")");
            assertEquals(c.get("RTA_ALIGN(" + n + ")"), (long) rtnetlink_h.RTA_ALIGN(n), "RTA_ALIGN(" + n + ")");
            assertEquals(c.get("RTA_LENGTH(" + n + ")"), (long) rtnetlink_h.RTA_LENGTH(n), "RTA_LENGTH(" + n + ")");
            assertEquals(c.get("RTA_SPACE(" + n + ")"), (long) rtnetlink_h.RTA_SPACE(n), "RTA_SPACE(" + n + ")");
        }
    }
}
