package dev.jwgd.pipeline;

import dev.jwgd.ffm.ErrnoException;
import dev.jwgd.ffm.Errno;
import dev.jwgd.ffm.tun.TunDevice;

/**
 * {@link TunEnd} over a real TUN queue ({@code IFF_TUN | IFF_NO_PI}, non-blocking): waits with
 * poll(2) for the first packet, then drains up to a batch with read(2). A read that fails with
 * EBADFD (or any error but EAGAIN/EINTR) means the interface is gone: {@link #CLOSED}, which is how
 * the daemon notices {@code ip link del} (and so {@code wg-quick down}).
 */
public final class TunDeviceEnd implements TunEnd {
    private final TunDevice tun;
    private volatile int mtu;
    /** The errno that made the last read or write report {@link #CLOSED}, for the log. */
    public volatile int closedErrno;

    public TunDeviceEnd(TunDevice tun, int mtu) throws ErrnoException {
        this.tun = tun;
        this.mtu = mtu;
        tun.setNonBlocking(true);
    }

    public TunDevice device() {
        return tun;
    }

    public void mtu(int mtu) {
        this.mtu = mtu;
    }

    @Override
    public int read(PacketBatch batch, int timeoutMillis) {
        batch.count = 0;
        int n = 0;
        while (n < batch.capacity()) {
            int r = tun.read(batch.payload(n));
            if (r >= 0) {
                batch.offset[n] = PacketBatch.HEADROOM;
                batch.length[n] = r;
                n++;
                continue;
            }
            if (r == -Errno.EAGAIN) {
                if (n > 0) break;
                int p = tun.awaitReadable(timeoutMillis);
                if (p == 0) break;
                if (p < 0 && p != -Errno.EINTR) {
                    closedErrno = -p;
                    return CLOSED;
                }
                continue;
            }
            if (r == -Errno.EINTR) continue;
            if (r == -Errno.EMSGSIZE || r == -Errno.EINVAL) continue; // a packet larger than a slot: dropped
            if (n > 0) break;
            closedErrno = -r;
            return CLOSED;
        }
        batch.count = n;
        return n;
    }

    @Override
    public int write(PacketBatch batch, int[] indexes, int n) {
        int written = 0;
        for (int k = 0; k < n; k++) {
            int i = indexes[k];
            // Received plaintext always sits at HEADROOM, where payload(i) starts.
            int r = tun.write(batch.payload(i), batch.length[i]);
            if (r >= 0) {
                written++;
            } else if (r == -TunDevice.EBADFD || r == -Errno.ENODEV) {
                closedErrno = -r;
                return CLOSED;
            }
        }
        return written;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public void close() {
        tun.close();
    }
}
