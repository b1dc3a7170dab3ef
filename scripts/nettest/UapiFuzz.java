import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Sends malformed UAPI requests to a jwgd socket (run by malformed.sh with the JDK's source
 * launcher) and checks that each gets an errno reply or a closed connection, and that a well-formed
 * get still answers afterwards. Exits 1 on a hang or a missing answer.
 */
public class UapiFuzz {
    public static void main(String[] args) throws Exception {
        var path = UnixDomainSocketAddress.of(args[0]);
        String longLine = "set=1\nallowed_ip=" + "9".repeat(200_000) + "\n\n";
        List<String> requests = List.of("get=2\n\n", "get=1 \n\n", "set=1\nprivate_key=zz\n\n", "set=1\nlisten_port=99999\n\n",
                "set=1\nfwmark=-1\n\n", "set=1\nbogus_key=1\n\n", "set=1\npublic_key=" + "ab".repeat(32) + "\nallowed_ip=1.2.3.4/33\n\n",
                "set=1\npublic_key=" + "ab".repeat(32) + "\nendpoint=nowhere\n\n", "set=1\npublic_key=" + "ab".repeat(32) + "\nremove=true\n\n",
                "set=1\nreplace_peers=maybe\n\n", "set=1\nno equals sign\n\n", "\n\n", "hello\n", longLine, "set=1\nprivate_key=");
        SplittableRandom random = new SplittableRandom(Long.parseLong(args.length > 1 ? args[1] : "1"));
        int answered = 0;
        for (int round = 0; round < requests.size() + 20; round++) {
            byte[] req;
            if (round < requests.size()) {
                req = requests.get(round).getBytes(StandardCharsets.UTF_8);
            } else {
                req = new byte[1 + random.nextInt(300)];
                random.nextBytes(req);
            }
            String reply = exchange(path, req);
            if (reply == null) {
                System.out.println("request " + round + ": no answer within 5 s");
                System.exit(1);
            }
            if (reply.contains("errno=")) answered++;
        }
        String get = exchange(path, "get=1\n\n".getBytes(StandardCharsets.UTF_8));
        if (get == null || !get.contains("errno=0")) {
            System.out.println("a well-formed get failed after the malformed ones: " + get);
            System.exit(1);
        }
        System.out.println("malformed requests answered with an errno: " + answered + "; get still works");
    }

    /** The reply (possibly empty when the server closed the connection), or null after 5 s. */
    static String exchange(UnixDomainSocketAddress path, byte[] request) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(path);
            var out = new ByteArrayOutputStream();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (InputStream in = java.nio.channels.Channels.newInputStream(ch)) {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (out) { out.write(buf, 0, n); }
                        if (out.toString(StandardCharsets.UTF_8).endsWith("\n\n")) break;
                    }
                } catch (Exception ignored) {
                    // closed by the server: that is an answer too
                }
            });
            try {
                ch.write(ByteBuffer.wrap(request));
                ch.shutdownOutput();
            } catch (Exception ignored) {
                // the server may close early on garbage
            }
            reader.join(5000);
            if (reader.isAlive()) return null;
            synchronized (out) { return out.toString(StandardCharsets.UTF_8); }
        }
    }
}
