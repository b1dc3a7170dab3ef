package dev.jwgd.ffm.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.libc.Libc;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * rtnetlink against the real kernel, each test in a namespace of its own: what {@link Rtnetlink}
 * configures, {@code ip -j} (iproute2) must read back exactly, and every failure must come back as an
 * {@link ErrnoException} that names the request and carries the kernel's errno.
 */
class RtnetlinkTest {
    private static final InetAddress V4 = addr("192.0.2.1");
    private static final InetAddress V6 = addr("2001:db8:1::1");

    /** A veth pair urnl0/urnl1 created through Rtnetlink, both ends up. */
    private static Link vethUp(ScratchNamespace ns) throws Exception {
        Link a = ns.rtnl.createVethPair("urnl0", "urnl1");
        ns.rtnl.setUp(a.index(), true);
        ns.rtnl.setUp(ns.rtnl.link("urnl1").index(), true);
        return a;
    }

    @Test
    void configuredMtuStateAddressesAndRoutesAreExactlyWhatIpReadsBack() throws Exception {
        try (var ns = ScratchNamespace.create("cfg")) {
            Link link = vethUp(ns);
            int dev = link.index();
            ns.rtnl.setMtu(dev, 1380);
            ns.rtnl.addAddress(dev, V4, 28);
            ns.rtnl.addAddress(dev, V6, 64);
            ns.rtnl.addRoute(Route.viaDevice(addr("192.0.2.64"), 26, dev).inTable(100).withMetric(50));
            ns.rtnl.addRoute(Route.viaDevice(addr("192.0.2.128"), 26, dev).via(addr("192.0.2.2")).inTable(100).withMetric(60));
            ns.rtnl.addRoute(Route.viaDevice(addr("2001:db8:2::"), 48, dev).inTable(100).withMetric(50));
            ns.rtnl.addRoute(Route.viaDevice(addr("2001:db8:3::"), 48, dev).inTable(51820).withMetric(7));

            String linkJson = ns.ip("-j", "link", "show", "dev", "urnl0");
            assertEquals("1380", field(linkJson, "mtu"), linkJson);
            assertTrue(linkJson.contains("\"UP\""), linkJson);
            assertEquals(Set.of("192.0.2.1/28", "2001:db8:1::1/64"), globalAddresses(ns, "urnl0"));
            assertEquals(Set.of("192.0.2.64/26 dev urnl0 metric 50", "192.0.2.128/26 via 192.0.2.2 dev urnl0 metric 60"),
                    routes(ns, "-4", "100"));
            assertEquals(Set.of("2001:db8:2::/48 dev urnl0 metric 50"), routes(ns, "-6", "100"));
            assertEquals(Set.of("2001:db8:3::/48 dev urnl0 metric 7"), routes(ns, "-6", "51820"));

            Link reread = ns.rtnl.link(dev);
            assertEquals(new Link(dev, "urnl0", reread.flags(), 1380), reread);
            assertTrue(reread.isUp());
        }
    }

    @Test
    void removedAddressesAndRoutesAndTheDownStateAreWhatIpReadsBack() throws Exception {
        try (var ns = ScratchNamespace.create("rm")) {
            int dev = vethUp(ns).index();
            Route r4 = Route.viaDevice(addr("192.0.2.64"), 26, dev).inTable(100).withMetric(50);
            Route r6 = Route.viaDevice(addr("2001:db8:2::"), 48, dev).inTable(100).withMetric(50);
            ns.rtnl.addAddress(dev, V4, 28);
            ns.rtnl.addAddress(dev, V6, 64);
            ns.rtnl.addAddress(dev, addr("192.0.2.33"), 28);   // another subnet: not a secondary of V4
            ns.rtnl.addRoute(r4);
            ns.rtnl.addRoute(r6);

            ns.rtnl.removeRoute(r4);
            ns.rtnl.removeRoute(r6);
            ns.rtnl.removeAddress(dev, V4, 28);
            ns.rtnl.removeAddress(dev, V6, 64);
            ns.rtnl.setUp(dev, false);

            assertEquals(Set.of("192.0.2.33/28"), globalAddresses(ns, "urnl0"));
            assertEquals(Set.of(), routes(ns, "-4", "100"));
            assertEquals(Set.of(), routes(ns, "-6", "100"));
            String linkJson = ns.ip("-j", "link", "show", "dev", "urnl0");
            assertFalse(linkJson.contains("\"UP\""), linkJson);
            assertFalse(ns.rtnl.link("urnl0").isUp());
        }
    }

    @Test
    void findsALinkByNameAndByIndexWithTheIndexAndMtuIpReports() throws Exception {
        try (var ns = ScratchNamespace.create("find")) {
            ns.rtnl.createVethPair("urnl0", "urnl1");
            String json = ns.ip("-j", "link", "show", "dev", "urnl1");
            int index = Integer.parseInt(field(json, "ifindex"));
            Link byName = ns.rtnl.link("urnl1");
            assertEquals(index, byName.index());
            assertEquals(Integer.parseInt(field(json, "mtu")), byName.mtu());
            assertEquals(byName, ns.rtnl.link(index));
            Link lo = ns.rtnl.link("lo");
            assertEquals(1, lo.index());
        }
    }

    @Test
    void unknownLinkFailsWithEnodevNamingTheRequest() throws Exception {
        try (var ns = ScratchNamespace.create("nodev")) {
            var byName = assertThrows(ErrnoException.class, () -> ns.rtnl.link("urnl-missing"));
            assertEquals(Errno.ENODEV, byName.errno());
            assertTrue(byName.getMessage().startsWith("RTM_GETLINK urnl-missing"), byName.getMessage());
            var mtu = assertThrows(ErrnoException.class, () -> ns.rtnl.setMtu(99_999, 1400));
            assertEquals(Errno.ENODEV, mtu.errno());
            assertTrue(mtu.getMessage().contains("RTM_NEWLINK dev 99999 mtu 1400"), mtu.getMessage());
            var addr = assertThrows(ErrnoException.class, () -> ns.rtnl.addAddress(99_999, V4, 24));
            assertEquals(Errno.ENODEV, addr.errno());
            var name = assertThrows(ErrnoException.class, () -> ns.rtnl.link("a-name-far-too-long"));
            assertEquals(Errno.EINVAL, name.errno());
        }
    }

    @Test
    void badAddressPrefixFailsWithEinvalNamingTheAddress() throws Exception {
        try (var ns = ScratchNamespace.create("badaddr")) {
            int dev = vethUp(ns).index();
            var v4 = assertThrows(ErrnoException.class, () -> ns.rtnl.addAddress(dev, addr("192.0.2.9"), 33));
            assertEquals(Errno.EINVAL, v4.errno());
            assertTrue(v4.getMessage().startsWith("RTM_NEWADDR 192.0.2.9/33 dev " + dev), v4.getMessage());
            var v6 = assertThrows(ErrnoException.class, () -> ns.rtnl.addAddress(dev, addr("2001:db8::9"), 129));
            assertEquals(Errno.EINVAL, v6.errno());
            var route = assertThrows(ErrnoException.class, () -> ns.rtnl.addRoute(Route.viaDevice(addr("192.0.2.64"), 33, dev)));
            assertEquals(Errno.EINVAL, route.errno());
            assertTrue(route.getMessage().startsWith("RTM_NEWROUTE 192.0.2.64/33"), route.getMessage());
            assertEquals(Set.of(), globalAddresses(ns, "urnl0"));
        }
    }

    @Test
    void duplicateAddressFailsWithEexistAndTheKernelsOwnExplanation() throws Exception {
        try (var ns = ScratchNamespace.create("dup")) {
            int dev = vethUp(ns).index();
            ns.rtnl.addAddress(dev, V4, 28);
            var e = assertThrows(ErrnoException.class, () -> ns.rtnl.addAddress(dev, V4, 28));
            assertEquals(Errno.EEXIST, e.errno());
            assertTrue(e.getMessage().startsWith("RTM_NEWADDR 192.0.2.1/28 dev " + dev), e.getMessage());
            assertTrue(e.getMessage().contains("[kernel: "), "extended ack text expected: " + e.getMessage());
            Route r = Route.viaDevice(addr("192.0.2.64"), 26, dev).inTable(100);
            ns.rtnl.addRoute(r);
            assertEquals(Errno.EEXIST, assertThrows(ErrnoException.class, () -> ns.rtnl.addRoute(r)).errno());
            // and the request after an error still works: the socket is not left out of step
            ns.rtnl.removeRoute(r);
            assertEquals(Errno.ESRCH, assertThrows(ErrnoException.class, () -> ns.rtnl.removeRoute(r)).errno());
            assertEquals(Errno.EADDRNOTAVAIL,
                    assertThrows(ErrnoException.class, () -> ns.rtnl.removeAddress(dev, addr("192.0.2.5"), 28)).errno());
        }
    }

    @Test
    void movesALinkIntoAnotherNamespaceByDescriptorAndByPid() throws Exception {
        try (var a = ScratchNamespace.create("mva"); var b = ScratchNamespace.create("mvb")) {
            Link end0 = a.rtnl.createVethPair("urnl0", "urnl1");
            Link end1 = a.rtnl.link("urnl1");

            a.rtnl.moveToNamespace(end0.index(), b.netns.fd());
            assertEquals(Errno.ENODEV, assertThrows(ErrnoException.class, () -> a.rtnl.link("urnl0")).errno());
            assertEquals("urnl0", b.rtnl.link("urnl0").name());
            assertTrue(b.ip("-j", "link", "show", "dev", "urnl0").contains("\"ifname\":\"urnl0\""));

            Process sleeper = new ProcessBuilder("ip", "netns", "exec", b.name, "sleep", "30").start();
            try {
                awaitNamespace(sleeper.pid(), b.name);
                a.rtnl.moveToNamespaceOfPid(end1.index(), (int) sleeper.pid());
            } finally {
                sleeper.destroyForcibly().waitFor();
            }
            assertEquals(Errno.ENODEV, assertThrows(ErrnoException.class, () -> a.rtnl.link("urnl1")).errno());
            assertEquals("urnl1", b.rtnl.link("urnl1").name());
            assertTrue(b.ip("-j", "link", "show", "dev", "urnl1").contains("\"ifname\":\"urnl1\""));
        }
    }

    @Test
    void movingIntoANamespaceThatDoesNotExistFailsNamingTheCall() throws Exception {
        try (var ns = ScratchNamespace.create("nons")) {
            int dev = ns.rtnl.createVethPair("urnl0", "urnl1").index();
            var noPid = assertThrows(ErrnoException.class, () -> ns.rtnl.moveToNamespaceOfPid(dev, 0x3ffffff0));
            assertEquals(Errno.ESRCH, noPid.errno());
            assertTrue(noPid.getMessage().startsWith("RTM_NEWLINK dev " + dev + " netns pid"), noPid.getMessage());
            int devNull = Libc.openOrThrow("/dev/null", Libc.O_RDONLY, 0);
            try {
                var notNs = assertThrows(ErrnoException.class, () -> ns.rtnl.moveToNamespace(dev, devNull));
                assertEquals(Errno.EINVAL, notNs.errno());
                assertTrue(notNs.getMessage().startsWith("RTM_NEWLINK dev " + dev + " netns fd " + devNull), notNs.getMessage());
            } finally {
                Libc.close(devNull);
            }
            var noName = assertThrows(ErrnoException.class, () -> Libc.openOrThrow("/var/run/netns/uringnl-no-such-ns", Libc.O_RDONLY, 0));
            assertEquals(Errno.ENOENT, noName.errno());
            assertTrue(noName.getMessage().contains("/var/run/netns/uringnl-no-such-ns"), noName.getMessage());
            assertEquals(dev, ns.rtnl.link("urnl0").index(), "the link stays where it was");
        }
    }

    @Test
    void deletedLinkIsGoneForIpAndForLookups() throws Exception {
        try (var ns = ScratchNamespace.create("del")) {
            int dev = ns.rtnl.createVethPair("urnl0", "urnl1").index();
            ns.rtnl.deleteLink(dev);
            assertEquals(Errno.ENODEV, assertThrows(ErrnoException.class, () -> ns.rtnl.link(dev)).errno());
            assertFalse(ns.ip("-j", "link", "show").contains("urnl"), "both veth ends are gone");
            assertEquals(Errno.ENODEV, assertThrows(ErrnoException.class, () -> ns.rtnl.deleteLink(dev)).errno());
        }
    }

    @Test
    void wgQuickStylePolicyRulesAreExactlyWhatIpRuleShowsAndGoAwayAgain() throws Exception {
        try (var ns = ScratchNamespace.create("rule")) {
            Set<String> defaults4 = rules(ns, "-4");
            Set<String> defaults6 = rules(ns, "-6");
            for (boolean v6 : new boolean[] {false, true}) {
                ns.rtnl.addRule(Rule.notFwmark(v6, 0xca6c, 51820));
                ns.rtnl.addRule(Rule.suppressDefaultOfMain(v6));
            }
            ns.rtnl.addRule(Rule.notFwmark(false, 0x1, 100).withPriority(1234));
            Set<String> want4 = new TreeSet<>(defaults4);
            want4.addAll(Set.of("not from all fwmark 0xca6c lookup 51820", "from all lookup main suppress_prefixlength 0",
                    "not from all fwmark 0x1 lookup 100"));
            assertEquals(want4, rules(ns, "-4"));
            assertTrue(ns.ip("-4", "rule", "show").contains("1234:\tnot from all fwmark 0x1 lookup 100"), "priority 1234");
            Set<String> want6 = new TreeSet<>(defaults6);
            want6.addAll(Set.of("not from all fwmark 0xca6c lookup 51820", "from all lookup main suppress_prefixlength 0"));
            assertEquals(want6, rules(ns, "-6"));

            // a rule with an explicit priority exists once; without one the kernel picks a fresh priority
            var dup = assertThrows(ErrnoException.class, () -> ns.rtnl.addRule(Rule.notFwmark(false, 0x1, 100).withPriority(1234)));
            assertEquals(Errno.EEXIST, dup.errno());
            assertTrue(dup.getMessage().startsWith("RTM_NEWRULE -4 pref 1234 not fwmark 0x1 table 100"), dup.getMessage());

            for (boolean v6 : new boolean[] {false, true}) {
                ns.rtnl.removeRule(Rule.notFwmark(v6, 0xca6c, 51820));
                ns.rtnl.removeRule(Rule.suppressDefaultOfMain(v6));
            }
            ns.rtnl.removeRule(Rule.notFwmark(false, 0x1, 100).withPriority(1234));
            assertEquals(defaults4, rules(ns, "-4"));
            assertEquals(defaults6, rules(ns, "-6"));
            assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> ns.rtnl.removeRule(Rule.suppressDefaultOfMain(false))).errno());
        }
    }

    /** {@code ip rule show} lines without their priority. */
    private static Set<String> rules(ScratchNamespace ns, String family) throws Exception {
        Set<String> out = new TreeSet<>();
        for (String line : ns.ip(family, "rule", "show").split("\n")) {
            if (!line.isBlank()) out.add(line.substring(line.indexOf(':') + 1).strip());
        }
        return out;
    }

    // ---- reading ip -j output ----

    private static final Pattern ADDR = Pattern.compile("\"local\":\"([^\"]+)\",\"prefixlen\":(\\d+),(?:\"[a-z_]+\":[^,]*,)*?\"scope\":\"(\\w+)\"");
    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*\\}");

    private static Set<String> globalAddresses(ScratchNamespace ns, String dev) throws Exception {
        Set<String> out = new TreeSet<>();
        Matcher m = ADDR.matcher(ns.ip("-j", "addr", "show", "dev", dev));
        while (m.find()) {
            if (m.group(3).equals("global")) out.add(m.group(1) + "/" + m.group(2));
        }
        return out;
    }

    private static Set<String> routes(ScratchNamespace ns, String family, String table) throws Exception {
        String json;
        try {
            json = ns.ip("-j", family, "route", "show", "table", table);
        } catch (java.io.IOException e) {
            if (e.getMessage().contains("does not exist")) return Set.of();   // empty IPv4 table
            throw e;
        }
        Set<String> out = new TreeSet<>();
        Matcher m = OBJECT.matcher(json);
        while (m.find()) {
            String o = m.group();
            String gw = field(o, "gateway");
            out.add(field(o, "dst") + (gw != null ? " via " + gw : "") + " dev " + field(o, "dev") + " metric " + field(o, "metric"));
        }
        return out;
    }

    /** The first value of {@code "key":value} or {@code "key":"value"} in a JSON text. */
    private static String field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\"([^\"]*)\"|([0-9]+))").matcher(json);
        if (!m.find()) return null;
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    private static void awaitNamespace(long pid, String nsName) throws Exception {
        Object want = Files.readAttributes(Path.of("/var/run/netns/" + nsName), "unix:ino").get("ino");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                Object ino = Files.readAttributes(Path.of("/proc/" + pid + "/ns/net"), "unix:ino").get("ino");
                if (want.equals(ino)) return;
            } catch (java.io.IOException notYet) {
                // process not there yet
            }
            Thread.sleep(10);
        }
        throw new AssertionError("ip netns exec " + nsName + " did not enter the namespace within 5 s");
    }

    private static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);   // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
