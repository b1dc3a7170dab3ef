package dev.jwgd.uapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A UAPI client, as {@code wg} is one: connects to an interface's socket, sends one operation, reads the reply.
 * Used by {@code jwgd setconf/addconf} and by tests.
 */
public final class UapiClient {
    private UapiClient() {}

    /** {@code directory/IFACE.sock}. */
    public static Path socketPath(Path directory, String iface) {
        UapiServer.checkInterfaceName(iface);
        return directory.resolve(iface + ".sock");
    }

    /** Sends a set request; returns the reply's errno as sent (0, or negative for a failure). */
    public static int set(Path socket, SetRequest request) throws IOException {
        String reply = exchange(socket, request.toWire());
        return parseErrno(reply);
    }

    /** Sends {@code get=1} and returns the whole reply text, {@code errno=} line included. */
    public static String get(Path socket) throws IOException {
        return exchange(socket, "get=1\n\n");
    }

    /** Sends raw text and reads until the reply's terminating blank line after an {@code errno=} line, or EOF. */
    public static String exchange(Path socket, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer b = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
            while (b.hasRemaining()) c.write(b);
            InputStream in = Channels.newInputStream(c);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int lineStart = 0;
            boolean sawErrno = false;
            int ch;
            while ((ch = in.read()) >= 0) {
                out.write(ch);
                if (ch != '\n') continue;
                byte[] all = out.toByteArray();
                String line = new String(all, lineStart, all.length - lineStart - 1, StandardCharsets.ISO_8859_1);
                if (sawErrno && line.isEmpty()) break;
                if (line.startsWith("errno=")) sawErrno = true;
                lineStart = all.length;
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Sends raw text (any number of operations), half-closes the connection and reads every reply until the server
     * closes it.
     */
    public static String exchangeAll(Path socket, String requests) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer b = ByteBuffer.wrap(requests.getBytes(StandardCharsets.ISO_8859_1));
            while (b.hasRemaining()) c.write(b);
            c.shutdownOutput();
            return new String(Channels.newInputStream(c).readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The integer of the last {@code errno=} line of a reply; EPROTO-negative when there is none. */
    public static int parseErrno(String reply) {
        int i = reply.lastIndexOf("errno=");
        if (i < 0) return -UapiException.EPROTO;
        int end = reply.indexOf('\n', i);
        try {
            return Integer.parseInt(reply.substring(i + 6, end < 0 ? reply.length() : end));
        } catch (NumberFormatException e) {
            return -UapiException.EPROTO;
        }
    }
}
