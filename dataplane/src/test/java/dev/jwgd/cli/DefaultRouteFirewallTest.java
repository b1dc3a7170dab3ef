package dev.jwgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwgd.ip.IpPrefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultRouteFirewallTest {
    @TempDir
    Path dir;

    private static final List<IpPrefix> ADDRESSES =
            List.of(IpPrefix.parse("10.7.0.1/24"), IpPrefix.parse("fd00:7::1/64"));

    /** A stand-in tool that logs "name args" and its standard input, prints {@code output} and exits with {@code status}. */
    private Path tool(String name, String output, int status) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\necho \"" + name + " $*\" >> " + dir.resolve("log") + "\ncat >> " + dir.resolve("log")
                + "\nprintf '%s' '" + output + "'\nexit " + status + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private String log() throws IOException {
        return Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
    }

    @Test
    void theNftScriptIsWgQuicksLineForLine() {
        assertEquals("""
                add table ip wg-quick-wg0
                add chain ip wg-quick-wg0 preraw { type filter hook prerouting priority -300; }
                add chain ip wg-quick-wg0 premangle { type filter hook prerouting priority -150; }
                add chain ip wg-quick-wg0 postmangle { type filter hook postrouting priority -150; }
                add rule ip wg-quick-wg0 preraw iifname != "wg0" ip daddr 10.7.0.1 fib saddr type != local drop
                add rule ip wg-quick-wg0 postmangle meta l4proto udp mark 51820 ct mark set mark\s
                add rule ip wg-quick-wg0 premangle meta l4proto udp meta mark set ct mark\s
                """, DefaultRouteFirewall.nftScript("wg0", false, ADDRESSES, 51820));
        String v6 = DefaultRouteFirewall.nftScript("wg0", true, ADDRESSES, 51820);
        assertTrue(v6.contains("add rule ip6 wg-quick-wg0 preraw iifname != \"wg0\" ip6 daddr fd00:7::1 fib saddr type != local drop\n"), v6);
        assertFalse(v6.contains("10.7.0.1"), "only the family's own addresses");
    }

    @Test
    void theIptablesScriptCarriesWgQuicksCommentSoEitherToolRemovesIt() {
        assertEquals("""
                *raw
                -I PREROUTING ! -i wg0 -d 10.7.0.1 -m addrtype ! --src-type LOCAL -j DROP -m comment --comment "wg-quick(8) rule for wg0"
                COMMIT
                *mangle
                -I POSTROUTING -m mark --mark 51820 -p udp -j CONNMARK --save-mark -m comment --comment "wg-quick(8) rule for wg0"
                -I PREROUTING -p udp -j CONNMARK --restore-mark -m comment --comment "wg-quick(8) rule for wg0"
                COMMIT
                """, DefaultRouteFirewall.iptablesScript("wg0", false, ADDRESSES, 51820));
    }

    @Test
    void addFeedsTheScriptToNftWhenThereIsNft() throws IOException {
        var fw = new DefaultRouteFirewall(tool("nft", "", 0).toString(), dir.toString());
        fw.add("wg0", false, ADDRESSES, 51820);
        assertEquals("nft -f -\n" + DefaultRouteFirewall.nftScript("wg0", false, ADDRESSES, 51820), log());
    }

    @Test
    void withoutNftIptablesRestoreGetsTheRulesAndWithNeitherTheErrorSaysWhatIsMissing() throws IOException {
        tool("ip6tables-restore", "", 0);
        var fw = new DefaultRouteFirewall(dir.resolve("no-nft").toString(), dir.toString());
        fw.add("wg0", true, ADDRESSES, 51820);
        assertEquals("ip6tables-restore -n\n" + DefaultRouteFirewall.iptablesScript("wg0", true, ADDRESSES, 51820), log());
        var e = assertThrows(IOException.class, () -> fw.add("wg0", false, ADDRESSES, 51820));
        assertTrue(e.getMessage().contains("nftables") && e.getMessage().contains("iptables"), e.getMessage());
    }

    @Test
    void aRefusingNftIsAnErrorWithItsMessage() throws IOException {
        var fw = new DefaultRouteFirewall(tool("nft", "Error: syntax", 1).toString(), dir.toString());
        var e = assertThrows(IOException.class, () -> fw.add("wg0", false, ADDRESSES, 51820));
        assertTrue(e.getMessage().contains("Error: syntax"), e.getMessage());
    }

    @Test
    void removeDeletesOnlyThisInterfacesTablesAndCommentedRules() throws IOException {
        Path nft = dir.resolve("nft");
        Files.writeString(nft, "#!/bin/sh\nif [ \"$1\" = list ]; then printf 'table ip wg-quick-wg0\\ntable ip wg-quick-wg01\\ntable inet filter\\ntable ip6 wg-quick-wg0\\n'; exit 0; fi\n"
                + "echo \"nft $*\" >> " + dir.resolve("log") + "\ncat >> " + dir.resolve("log") + "\n");
        Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwx------"));
        String saved = "*raw\\n-A PREROUTING ! -i wg0 -d 10.7.0.1/32 -m addrtype ! --src-type LOCAL -m comment --comment \"wg-quick(8) rule for wg0\" -j DROP\\n"
                + "-A PREROUTING -j ACCEPT\\nCOMMIT\\n";
        Path save = dir.resolve("iptables-save");
        Files.writeString(save, "#!/bin/sh\nprintf '" + saved + "'\n");
        Files.setPosixFilePermissions(save, PosixFilePermissions.fromString("rwx------"));
        tool("iptables-restore", "", 0);
        new DefaultRouteFirewall(nft.toString(), dir.toString()).remove("wg0");
        assertEquals("nft -f -\ndelete table ip wg-quick-wg0\ndelete table ip6 wg-quick-wg0\n"
                + "iptables-restore -n\n*raw\n-D PREROUTING ! -i wg0 -d 10.7.0.1/32 -m addrtype ! --src-type LOCAL -m comment --comment \"wg-quick(8) rule for wg0\" -j DROP\nCOMMIT\n",
                log());
    }

    @Test
    void removeIsQuietWhenThereIsNothingAndNoTool() throws IOException {
        new DefaultRouteFirewall(dir.resolve("no-nft").toString(), dir.toString()).remove("wg0");
        assertEquals("", log());
    }
}
