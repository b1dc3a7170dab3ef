package dev.jwgd.config;

import dev.jwgd.keys.Key;
import dev.jwgd.uapi.EndpointCandidate;
import dev.jwgd.ip.IpPrefix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one config parser of jwgd (every command uses it), with wg's grammar ({@code wireguard-tools src/config.c}) and
 * wg-quick's ({@code parse_options} in {@code wg-quick/linux.bash}):
 * <ul>
 * <li>{@code #} starts a comment anywhere; sections are {@code [Interface]} and {@code [Peer]}, keys and section
 *     names are case-insensitive; a line outside a section, an unknown key or an empty value is an error.</li>
 * <li>wg keys lose all their whitespace before parsing, as in wg ({@code Allowed IPs = a, b} is {@code
 *     AllowedIPs=a,b}). wg-quick keys (only in {@code [Interface]}) keep inner spaces: {@code PostUp} is a command.</li>
 * <li>Values: keys are canonical base64 (44 characters ending in {@code =}); ListenPort 0 to 65535; FwMark
 *     {@code off}, decimal or {@code 0x} hex up to 0xffffffff; PersistentKeepalive {@code off} or 0 to 65535;
 *     AllowedIPs a comma-separated list of {@code [+|-]ADDRESS[/CIDR]} (no length: a single host; {@code -} removes,
 *     and {@code +} or {@code -} anywhere in a section makes its AllowedIPs incremental, as in wg 2025); Endpoint a
 *     comma-separated list of candidates, {@code host:port} or {@code [v6]:port}, where a host may be a name (kept
 *     unresolved) or an address with a {@code /32} or {@code /128} host prefix.</li>
 * </ul>
 * The whole file is parsed before anything is applied; the first problem is a {@link ConfigException} naming the
 * file and line. Messages never repeat a key's value.
 */
public final class ConfigParser {
    /** Larger files are refused rather than read into memory. */
    public static final long MAX_FILE_BYTES = 64L << 20;

    private final String source;
    private final List<String> warnings = new ArrayList<>();
    private int lineNo;
    private Section section = Section.NONE;

    // [Interface]
    private Key privateKey;
    private Integer listenPort, mtu;
    private Long fwmark;
    private String table;
    private Boolean saveConfig;
    private final List<IpPrefix> addresses = new ArrayList<>();
    private final List<String> dns = new ArrayList<>(), preUp = new ArrayList<>(), postUp = new ArrayList<>(),
            preDown = new ArrayList<>(), postDown = new ArrayList<>();

    // the [Peer] being read
    private final List<WgConfig.Peer> peers = new ArrayList<>();
    private int peerLine;
    private Key peerKey, peerPsk;
    private List<EndpointCandidate> peerEndpoints;
    private Integer peerKeepalive;
    private List<WgConfig.AllowedIp> peerIps;
    private boolean peerReplace;

    private enum Section { NONE, INTERFACE, PEER }

    private ConfigParser(String source) {
        this.source = source;
    }

    /** Reads and parses a file; the message of an error starts with the file name as given. */
    public static WgConfig parse(Path file) throws ConfigException {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) throw new ConfigException(name, 0, "file is larger than " + MAX_FILE_BYTES + " bytes");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(name, 0, "cannot read: " + describe(e));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(name, 0, "is not UTF-8 text");
        }
        return parse(name, text);
    }

    /** Parses config text; {@code source} names it in messages. */
    public static WgConfig parse(String source, String text) throws ConfigException {
        ConfigParser p = new ConfigParser(source);
        int start = 0;
        while (start <= text.length()) {
            int nl = text.indexOf('\n', start);
            String line = nl < 0 ? text.substring(start) : text.substring(start, nl);
            p.lineNo++;
            p.line(line);
            if (nl < 0) break;
            start = nl + 1;
        }
        return p.finish();
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
    }

    private ConfigException error(String message) {
        return new ConfigException(source, lineNo, message);
    }

    private void line(String raw) throws ConfigException {
        int hash = raw.indexOf('#');
        String stripped = hash >= 0 ? raw.substring(0, hash) : raw;
        if (section == Section.INTERFACE && wgQuickLine(stripped)) return;
        StringBuilder sb = new StringBuilder(stripped.length());
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (!isSpace(c)) sb.append(c);
        }
        String line = sb.toString();
        if (line.isEmpty()) return;
        if (line.equalsIgnoreCase("[Interface]")) {
            endPeer();
            section = Section.INTERFACE;
            return;
        }
        if (line.equalsIgnoreCase("[Peer]")) {
            endPeer();
            section = Section.PEER;
            peerLine = lineNo;
            peerKey = null;
            peerPsk = null;
            peerEndpoints = List.of();
            peerKeepalive = null;
            peerIps = new ArrayList<>();
            peerReplace = true;
            return;
        }
        int eq = line.indexOf('=');
        String key = eq < 0 ? line : line.substring(0, eq);
        String value = eq < 0 ? "" : line.substring(eq + 1);
        if (line.startsWith("[")) throw error("unknown section " + (line.matches("\\[[A-Za-z]{1,32}]") ? "`" + line + "'" : "header") + " (sections are [Interface] and [Peer])");
        if (section == Section.NONE) throw error(keyName(key) + " is outside any section; start with [Interface] or [Peer]");
        if (eq < 0) throw error("line unrecognized: " + keyName(key) + " is not KEY = VALUE");
        if (value.isEmpty()) throw error(keyName(key) + " has no value");
        switch (section) {
            case INTERFACE -> interfaceKey(key.toLowerCase(Locale.ROOT), key, value);
            case PEER -> peerKey(key.toLowerCase(Locale.ROOT), key, value);
            default -> throw new AssertionError();
        }
    }

    /** wg's char_is_space: space, \t, \n, \v, \f, \r. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** wg-quick's [Interface] keys; true when the line was one. */
    private boolean wgQuickLine(String stripped) throws ConfigException {
        int eq = stripped.indexOf('=');
        if (eq < 0) return false;
        String key = stripped.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String value = stripped.substring(eq + 1).strip();
        switch (key) {
            case "address" -> {
                for (String a : splitList(value)) {
                    try {
                        addresses.add(IpPrefix.parseOptionalLength(a));
                    } catch (IllegalArgumentException e) {
                        throw error("Address: " + e.getMessage());
                    }
                }
            }
            case "dns" -> dns.addAll(splitList(value));
            case "mtu" -> mtu = (int) number("MTU", value, 68, 65535);
            case "table" -> {
                if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ')) throw error("Table is not off, auto, a number or a table name");
                table = value;
            }
            case "preup" -> preUp.add(value);
            case "postup" -> postUp.add(value);
            case "predown" -> preDown.add(value);
            case "postdown" -> postDown.add(value);
            case "saveconfig" -> {
                if (value.equalsIgnoreCase("true")) saveConfig = true;
                else if (value.equalsIgnoreCase("false")) saveConfig = false;
                else throw error("SaveConfig `" + printable(value) + "' is neither true nor false");
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split("[,\\s]+")) if (!s.isEmpty()) out.add(s);
        return out;
    }

    private void interfaceKey(String key, String original, String value) throws ConfigException {
        switch (key) {
            case "privatekey" -> privateKey = base64Key("PrivateKey", value);
            case "listenport" -> listenPort = (int) number("ListenPort", value, 0, 65535);
            case "fwmark" -> fwmark = value.equalsIgnoreCase("off") ? 0L : fwmarkValue(value);
            default -> throw error("line unrecognized: " + keyName(original) + " is not a key of [Interface]");
        }
    }

    private long fwmarkValue(String value) throws ConfigException {
        if (value.length() > 2 && value.startsWith("0x")) {
            String hex = value.substring(2);
            if (hex.length() > 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128))
                throw error("FwMark is neither 0/off nor 0-0xffffffff: `" + printable(value) + "'");
            return Long.parseLong(hex, 16);
        }
        return number("FwMark", value, 0, 0xffff_ffffL);
    }

    private void peerKey(String key, String original, String value) throws ConfigException {
        switch (key) {
            case "publickey" -> peerKey = base64Key("PublicKey", value);
            case "presharedkey" -> peerPsk = base64Key("PresharedKey", value);
            case "persistentkeepalive" -> peerKeepalive = value.equalsIgnoreCase("off") ? 0 : (int) number("PersistentKeepalive", value, 0, 65535);
            case "endpoint" -> {
                String[] parts = value.split(",", -1);
                if (parts.length > dev.jwgd.uapi.SetRequestParser.MAX_CANDIDATES)
                    throw error("Endpoint has more than " + dev.jwgd.uapi.SetRequestParser.MAX_CANDIDATES + " candidates");
                List<EndpointCandidate> list = new ArrayList<>();
                for (String part : parts) {
                    if (part.isEmpty()) throw error("Endpoint has an empty entry in `" + printable(value) + "'");
                    try {
                        list.add(EndpointCandidate.parse(part, true));
                    } catch (IllegalArgumentException e) {
                        throw error("Endpoint: " + e.getMessage());
                    }
                }
                peerEndpoints = list;
            }
            case "allowedips" -> {
                peerReplace = true;
                for (String entry : value.split(",", -1)) {
                    String e = entry;
                    boolean remove = false;
                    if (e.startsWith("+") || e.startsWith("-")) {
                        remove = e.charAt(0) == '-';
                        peerReplace = false;
                        e = e.substring(1);
                    }
                    if (e.isEmpty()) throw error("AllowedIPs has an empty entry in `" + printable(value) + "'");
                    IpPrefix p;
                    try {
                        p = IpPrefix.parseOptionalLength(e);
                    } catch (IllegalArgumentException ex) {
                        throw error("AllowedIPs: " + ex.getMessage());
                    }
                    if (!p.isMasked()) warnings.add(source + ":" + lineNo + ": AllowedIP has nonzero host part: " + p);
                    peerIps.add(new WgConfig.AllowedIp(p, remove));
                }
            }
            default -> throw error("line unrecognized: " + keyName(original) + " is not a key of [Peer]");
        }
    }

    private Key base64Key(String what, String value) throws ConfigException {
        Key k = parseKey(value);
        if (k == null) throw error(what + " is not a key: 44 base64 characters ending in = (as wg genkey prints)");
        return k;
    }

    /**
     * wg's {@code key_from_base64}: exactly 44 characters, the last {@code =}, and canonical (the JDK decoder alone
     * would accept unused low bits in the last character, which wg rejects). Null when it is not a key.
     */
    public static Key parseKey(String value) {
        if (value.length() != 44 || value.charAt(43) != '=') return null;
        try {
            Key k = Key.fromBase64(value);
            if (!k.toBase64().equals(value)) return null;
            return k;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private long number(String what, String value, long min, long max) throws ConfigException {
        boolean digits = !value.isEmpty() && value.length() <= 12 && value.chars().allMatch(c -> c >= '0' && c <= '9');
        long v = digits ? Long.parseLong(value) : -1;
        if (!digits || v < min || v > max) throw error(what + " is not a number from " + min + " to " + max + ": `" + printable(value) + "'");
        return v;
    }

    private void endPeer() throws ConfigException {
        if (section != Section.PEER) return;
        if (peerKey == null) throw new ConfigException(source, peerLine, "this [Peer] has no PublicKey");
        peers.add(new WgConfig.Peer(peerLine, peerKey, peerPsk, peerEndpoints, peerKeepalive, peerIps, peerReplace));
    }

    private WgConfig finish() throws ConfigException {
        endPeer();
        section = Section.NONE;
        var iface = new WgConfig.Interface(privateKey, listenPort, fwmark, addresses, dns, mtu, table, preUp, postUp, preDown, postDown, saveConfig);
        return new WgConfig(source, iface, peers, warnings);
    }

    /**
     * A key name quoted for a message, or {@code this line} when the text does not look like a key name: a line that
     * is a stray base64 key must not be echoed.
     */
    static String keyName(String key) {
        return key.matches("[A-Za-z]{1,32}") ? "`" + key + "'" : "this line";
    }

    /** Client text for a message: printable ASCII, at most 60 characters. Never used for key values. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 60; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > 60) sb.append("...");
        return sb.toString();
    }
}
