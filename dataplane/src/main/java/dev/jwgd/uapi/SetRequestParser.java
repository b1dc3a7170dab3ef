package dev.jwgd.uapi;

import dev.jwgd.ip.IpPrefix;
import dev.jwgd.keys.Key;
import dev.jwgd.uapi.SetOperation.AddAllowedIp;
import dev.jwgd.uapi.SetOperation.RemoveAllowedIp;
import dev.jwgd.uapi.SetOperation.RemovePeer;
import dev.jwgd.uapi.SetOperation.ReplaceAllowedIps;
import dev.jwgd.uapi.SetOperation.ReplacePeers;
import dev.jwgd.uapi.SetOperation.SelectPeer;
import dev.jwgd.uapi.SetOperation.SetEndpoints;
import dev.jwgd.uapi.SetOperation.SetFwmark;
import dev.jwgd.uapi.SetOperation.SetListenPort;
import dev.jwgd.uapi.SetOperation.SetPersistentKeepalive;
import dev.jwgd.uapi.SetOperation.SetPresharedKey;
import dev.jwgd.uapi.SetOperation.SetPrivateKey;
import dev.jwgd.uapi.SetOperation.UpdateOnly;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the body of a {@code set=1} request line by line, with wireguard-go's rules ({@code device/uapi.go}): a line
 * is split at its first {@code =} (no {@code =}: EPROTO); {@code public_key} starts a peer section; device keys are
 * {@code private_key}, {@code listen_port}, {@code fwmark}, {@code replace_peers}; peer keys are {@code update_only},
 * {@code remove}, {@code preshared_key}, {@code endpoint}, {@code persistent_keepalive_interval},
 * {@code replace_allowed_ips}, {@code allowed_ip} (a leading {@code -} removes), {@code protocol_version} (must be
 * {@code 1}; it produces no operation) and jwgd's {@code endpoint_candidates}. An unknown key, a device key inside a
 * peer section, or a bad value is EINVAL. Numbers are plain decimal digits; keys are 64 hex digits (either case);
 * boolean keys accept only {@code true}.
 *
 * <p>Parsing stops at the first error; the operations before it are kept (see {@link SetRequest}: no rollback).
 */
public final class SetRequestParser {
    /** jwgd's extension key: comma-separated endpoint candidates, literal addresses or DNS names, tried in turn. */
    public static final String ENDPOINT_CANDIDATES = "endpoint_candidates";

    /** At most this many candidates in one {@code endpoint_candidates} line. */
    public static final int MAX_CANDIDATES = 16;

    private final List<SetOperation> ops = new ArrayList<>();
    private boolean inPeer;
    private UapiException error;

    /** A parsed request and the error that stopped parsing, if any. */
    public record Result(SetRequest request, UapiException error) {
        public boolean ok() {
            return error == null;
        }
    }

    /** Parses one line (without its newline). Lines after the first error are ignored. */
    public void accept(String line) {
        if (error != null) return;
        try {
            parseLine(line);
        } catch (UapiException e) {
            error = e;
        }
    }

    /** Records an error found outside the parser (a line too long, a request too large); later lines are ignored. */
    public void fail(UapiException e) {
        if (error == null) error = e;
    }

    public Result finish() {
        return new Result(new SetRequest(ops), error);
    }

    /** Parses a whole body: lines until the first blank line or the end of {@code text}. */
    public static Result parse(String text) {
        SetRequestParser p = new SetRequestParser();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            String line = nl < 0 ? text.substring(start) : text.substring(start, nl);
            if (line.isEmpty()) break;
            p.accept(line);
            start = nl < 0 ? text.length() : nl + 1;
        }
        return p.finish();
    }

    private void parseLine(String line) throws UapiException {
        int eq = line.indexOf('=');
        if (eq < 0) throw UapiException.protocol("failed to parse line: no `=' in a line of " + line.length() + " characters");
        String key = line.substring(0, eq), value = line.substring(eq + 1);
        if (key.equals("public_key")) {
            inPeer = true;
            ops.add(new SelectPeer(hexKey(key, value)));
            return;
        }
        SetOperation op = inPeer ? peerLine(key, value) : deviceLine(key, value);
        if (op != null) ops.add(op);
    }

    private SetOperation deviceLine(String key, String value) throws UapiException {
        return switch (key) {
            case "private_key" -> new SetPrivateKey(hexKey(key, value));
            case "listen_port" -> new SetListenPort((int) number(key, value, 0xffff));
            case "fwmark" -> new SetFwmark(number(key, value, 0xffff_ffffL));
            case "replace_peers" -> {
                requireTrue(key, value);
                yield new ReplacePeers();
            }
            default -> throw UapiException.invalid("invalid UAPI device key: " + printable(key));
        };
    }

    private SetOperation peerLine(String key, String value) throws UapiException {
        return switch (key) {
            case "update_only" -> {
                requireTrue(key, value);
                yield new UpdateOnly();
            }
            case "remove" -> {
                requireTrue(key, value);
                yield new RemovePeer();
            }
            case "preshared_key" -> new SetPresharedKey(hexKey(key, value));
            case "endpoint" -> {
                try {
                    yield new SetEndpoints(List.of(EndpointCandidate.parse(value, false)));
                } catch (IllegalArgumentException e) {
                    throw UapiException.invalid("failed to set endpoint: " + e.getMessage());
                }
            }
            case ENDPOINT_CANDIDATES -> {
                String[] parts = value.split(",", -1);
                if (parts.length > MAX_CANDIDATES) throw UapiException.invalid("more than " + MAX_CANDIDATES + " endpoint candidates");
                List<EndpointCandidate> list = new ArrayList<>();
                try {
                    for (String p : parts) list.add(EndpointCandidate.parse(p, true));
                } catch (IllegalArgumentException e) {
                    throw UapiException.invalid("failed to set endpoint candidates: " + e.getMessage());
                }
                yield new SetEndpoints(list);
            }
            case "persistent_keepalive_interval" -> new SetPersistentKeepalive((int) number(key, value, 0xffff));
            case "replace_allowed_ips" -> {
                requireTrue(key, value);
                yield new ReplaceAllowedIps();
            }
            case "allowed_ip" -> {
                boolean remove = value.startsWith("-");
                try {
                    IpPrefix p = IpPrefix.parse(remove ? value.substring(1) : value);
                    yield remove ? new RemoveAllowedIp(p) : new AddAllowedIp(p);
                } catch (IllegalArgumentException e) {
                    throw UapiException.invalid("failed to set allowed ip: " + e.getMessage());
                }
            }
            case "protocol_version" -> {
                if (!value.equals("1")) throw UapiException.invalid("invalid protocol version: " + printable(value));
                yield null;
            }
            default -> throw UapiException.invalid("invalid UAPI peer key: " + printable(key));
        };
    }

    private static Key hexKey(String key, String value) throws UapiException {
        if (value.length() != 64) throw UapiException.invalid(key + " is not 64 hex digits");
        try {
            return Key.fromHex(value);
        } catch (IllegalArgumentException e) {
            throw UapiException.invalid(key + " is not 64 hex digits");
        }
    }

    /** Decimal digits only (Go's ParseUint base 10), at most {@code max}. */
    private static long number(String key, String value, long max) throws UapiException {
        if (value.isEmpty() || value.length() > 20) throw UapiException.invalid("failed to parse " + key + ": not a number from 0 to " + max);
        long v = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') throw UapiException.invalid("failed to parse " + key + ": not a number from 0 to " + max);
            v = v * 10 + (c - '0');
            if (v > max) throw UapiException.invalid("failed to parse " + key + ": not a number from 0 to " + max);
        }
        return v;
    }

    private static void requireTrue(String key, String value) throws UapiException {
        if (!value.equals("true")) throw UapiException.invalid("failed to set " + key + ", invalid value: " + printable(value));
    }

    /** A short, printable rendering of client input for an error message (keys and flags, never key material). */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 40; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > 40) sb.append("...");
        return sb.toString();
    }
}
