package dev.jwgd.cli;

import dev.jwgd.config.ConfigParser;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code genkey}, {@code genpsk} and {@code pubkey}, with {@code wg}'s output and error messages
 * ({@code wireguard-tools src/genkey.c}, {@code src/pubkey.c}).
 */
final class KeyCommands {
    private KeyCommands() {}

    private static final String WORLD_WARNING =
            "Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again.";

    /** wg warns when stdout is a regular file that others may read. */
    static void warnIfWorldAccessible(PrintWriter err) {
        try {
            Path out = Path.of("/proc/self/fd/1");
            if (!Files.isRegularFile(out)) return;
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(out);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE)
                    || perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                err.println(WORLD_WARNING);
                err.flush();
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // no /proc: no warning
        }
    }

    @Command(name = "genkey", description = "Generate a new private key and write it to stdout in base64.")
    static final class Genkey implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            warnIfWorldAccessible(spec.commandLine().getErr());
            Key k = Curve25519.generatePrivateKey();
            PrintWriter out = spec.commandLine().getOut();
            out.print(k.toBase64() + "\n");
            out.flush();
            k.zero();
            return 0;
        }
    }

    @Command(name = "genpsk", description = "Generate a new preshared key and write it to stdout in base64.")
    static final class Genpsk implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            warnIfWorldAccessible(spec.commandLine().getErr());
            Key k = Curve25519.generatePresharedKey();
            PrintWriter out = spec.commandLine().getOut();
            out.print(k.toBase64() + "\n");
            out.flush();
            k.zero();
            return 0;
        }
    }

    @Command(name = "pubkey", description = "Read a private key from stdin and write its public key to stdout in base64.")
    static final class Pubkey implements Callable<Integer> {
        private final InputStream in;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Pubkey(InputStream in) {
            this.in = in;
        }

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            // as wg: exactly 44 characters, then only whitespace or NUL up to the end
            byte[] b64 = in.readNBytes(44);
            try {
                if (b64.length != 44) {
                    err.println("jwgd: Key is not the correct length or format");
                    err.flush();
                    return 1;
                }
                int c;
                while ((c = in.read()) >= 0) {
                    if (c == 0 || c == ' ' || (c >= '\t' && c <= '\r')) continue;
                    err.println("jwgd: Trailing characters found after key");
                    err.flush();
                    return 1;
                }
                Key priv = ConfigParser.parseKey(new String(b64, java.nio.charset.StandardCharsets.ISO_8859_1));
                if (priv == null) {
                    err.println("jwgd: Key is not the correct length or format");
                    err.flush();
                    return 1;
                }
                Key pub = Curve25519.publicKey(priv);
                priv.zero();
                PrintWriter out = spec.commandLine().getOut();
                out.print(pub.toBase64() + "\n");
                out.flush();
                return 0;
            } finally {
                java.util.Arrays.fill(b64, (byte) 0);
            }
        }
    }
}
