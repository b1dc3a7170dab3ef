package dev.jwgd.uapi;

import dev.jwgd.ffm.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Serves the UAPI line protocol on one connection: any number of operations, each {@code get=1} + blank line or
 * {@code set=1} + {@code key=value} lines + blank line, each answered with {@code errno=N} and a blank line
 * (after the {@code get} body).
 *
 * <h2>errno signs</h2>
 * A {@code set} failure is answered with a <b>negative</b> errno ({@code errno=-22}): {@code wg set} parses it with
 * {@code strtoll} and prints {@code strerror(-ret)}, as wireguard-go answers. A {@code get} failure is answered with a
 * <b>positive</b> errno: {@code wg show} reads the value with a digits-only parser and negates it, so a negative value
 * would be misread as a protocol error. An unknown operation is answered {@code errno=-22} (EINVAL); wireguard-go
 * closes the connection instead, but keeping it lets a client recover.
 *
 * <h2>Bounds and malformed input</h2>
 * Lines longer than {@link #MAX_LINE} bytes are a failure of their request (EMSGSIZE) and are skipped to their
 * newline; a request body larger than {@link #MAX_REQUEST} bytes is answered with EMSGSIZE and the connection is
 * closed, since the rest of the stream cannot be trusted. After a failed {@code set} the rest of its body is read
 * and discarded up to the blank line, so the next operation on the connection starts in step. Bytes are read as
 * ISO-8859-1, so no input can fail decoding.
 */
public final class UapiSession {
    /** Longest accepted line, in bytes, without its newline. */
    public static final int MAX_LINE = 8192;
    /** Largest accepted {@code set} body, in bytes: about 600 000 allowed IPs. */
    public static final long MAX_REQUEST = 32L << 20;

    private static final System.Logger LOG = System.getLogger("dev.jwgd.uapi");

    /** Marks a line that exceeded {@link #MAX_LINE}; compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String TOO_LONG = new String("<too long>");

    private final UapiDevice device;
    private final ReadWriteLock lock;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] lineBuffer = new byte[MAX_LINE];
    private final byte[] readBuffer = new byte[16384];
    private int readPos, readEnd;
    private long lineBytes;   // bytes of the last line read, newline included

    public UapiSession(UapiDevice device, ReadWriteLock lock, InputStream in, OutputStream out) {
        this.device = device;
        this.lock = lock;
        this.in = in;
        this.out = out;
    }

    /** Serves operations until the client closes the connection or sends an unrecoverable request. */
    public void serve() throws IOException {
        try {
            serveOperations();
        } finally {
            // the buffers held key lines: do not leave them for the heap to keep
            java.util.Arrays.fill(lineBuffer, (byte) 0);
            java.util.Arrays.fill(readBuffer, (byte) 0);
        }
    }

    private void serveOperations() throws IOException {
        while (true) {
            String op = readLine();
            if (op == null) return;
            if (op.equals("set=1")) {
                if (!handleSet()) return;
            } else if (op.equals("get=1")) {
                String next = readLine();
                if (next == null) return;
                if (!next.isEmpty()) {
                    if (!drain(next)) return;
                    reply(Errno.EINVAL);
                } else {
                    handleGet();
                }
            } else {
                LOG.log(System.Logger.Level.DEBUG, "UAPI: invalid operation `{0}'", SetRequestParser.printable(op));
                if (!op.isEmpty() && !drain(op)) return;
                reply(-Errno.EINVAL);
            }
        }
    }

    /** Reads, applies and answers a set body; false when the connection must be closed. */
    private boolean handleSet() throws IOException {
        SetRequestParser parser = new SetRequestParser();
        long total = 0;
        boolean keepOpen = true;
        while (true) {
            String line = readLine();
            if (line == null) {
                keepOpen = false; // a body ended by EOF is still applied and answered, as wireguard-go does
                break;
            }
            total += lineBytes;
            if (total > MAX_REQUEST) {
                parser.fail(new UapiException(Errno.EMSGSIZE, "set request larger than " + MAX_REQUEST + " bytes"));
                keepOpen = false;
                break;
            }
            if (line == TOO_LONG) {
                parser.fail(new UapiException(Errno.EMSGSIZE, "line longer than " + MAX_LINE + " bytes"));
                continue;
            }
            if (line.isEmpty()) break;
            parser.accept(line);
        }
        SetRequestParser.Result parsed = parser.finish();
        int errno = 0;
        lock.writeLock().lock();
        try {
            device.apply(parsed.request());
            if (parsed.error() != null) errno = parsed.error().errno();
            if (parsed.error() != null) LOG.log(System.Logger.Level.DEBUG, "UAPI: set failed: {0}", parsed.error().getMessage());
        } catch (UapiException e) {
            errno = e.errno();
            LOG.log(System.Logger.Level.DEBUG, "UAPI: set failed: {0}", e.getMessage());
        } catch (RuntimeException e) {
            errno = Errno.EIO;
            LOG.log(System.Logger.Level.WARNING, "UAPI: the device failed to apply a set request", e);
        } finally {
            lock.writeLock().unlock();
        }
        reply(-errno);
        return keepOpen;
    }

    private void handleGet() throws IOException {
        String body;
        lock.readLock().lock();
        try {
            body = GetResponse.format(device.snapshot());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "UAPI: the device failed to give a snapshot", e);
            reply(Errno.EIO);
            return;
        } finally {
            lock.readLock().unlock();
        }
        out.write(body.getBytes(StandardCharsets.ISO_8859_1));
        reply(0);
    }

    private void reply(int errno) throws IOException {
        out.write(("errno=" + errno + "\n\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Discards lines up to and including the next blank line (bounded); false at EOF or when the bound is hit. */
    private boolean drain(String first) throws IOException {
        long total = lineBytes;
        if (total > MAX_REQUEST) return false;
        String line = first;
        while (!line.isEmpty()) {
            line = readLine();
            if (line == null) return false;
            total += lineBytes;
            if (total > MAX_REQUEST) return false;
        }
        return true;
    }

    /**
     * The next line without its newline; {@code null} at EOF before any byte (a final line without newline is
     * returned as a line); {@link #TOO_LONG} for a line over {@link #MAX_LINE}, whose remainder is skipped.
     */
    private String readLine() throws IOException {
        int len = 0;
        long count = 0;
        boolean tooLong = false;
        while (true) {
            if (readPos == readEnd) {
                int n = in.read(readBuffer);
                if (n <= 0) {
                    lineBytes = count;
                    if (count == 0) return null;
                    return tooLong ? TOO_LONG : new String(lineBuffer, 0, len, StandardCharsets.ISO_8859_1);
                }
                readPos = 0;
                readEnd = n;
            }
            byte b = readBuffer[readPos++];
            count++;
            if (b == '\n') break;
            if (len < MAX_LINE) {
                lineBuffer[len++] = b;
            } else {
                tooLong = true;
                if (count > MAX_REQUEST) break; // a "line" this long cannot be skipped: the caller closes
            }
        }
        lineBytes = count;
        return tooLong ? TOO_LONG : new String(lineBuffer, 0, len, StandardCharsets.ISO_8859_1);
    }
}
