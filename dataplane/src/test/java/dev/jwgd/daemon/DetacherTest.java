package dev.jwgd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wireguard-go's start-up contract as {@link Detacher} implements it with a child JVM: the parent
 * returns 0 once the child says it is ready and the child keeps running; a child that fails before
 * that makes the parent fail with its exit code and its error message.
 */
class DetacherTest {
    /** The child: writes its pid to args[0], then either becomes ready and waits, or fails. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Files.writeString(Path.of(args[0]), Long.toString(ProcessHandle.current().pid()));
            if (args[1].equals("fail")) {
                System.err.println("child: cannot create TUN device x: Operation not permitted");
                System.exit(3);
            }
            Detacher.signalReady(new Log("t", Log.Level.SILENT, System.err));
            Thread.sleep(60_000);
        }
    }

    private static Optional<ProcessHandle> child(Path pidFile) throws Exception {
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
    }

    @Test
    void returnsZeroOnceTheChildIsReadyAndLeavesItRunning(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("pid");
        var err = new ByteArrayOutputStream();
        int code = Detacher.launch(Child.class.getName(), List.of(pid.toString(), "ready"), new PrintStream(err, true, StandardCharsets.UTF_8));
        Optional<ProcessHandle> c = child(pid);
        try {
            assertEquals(0, code, "ready child: the parent succeeds; stderr was: " + err);
            assertTrue(c.isPresent() && c.get().isAlive(), "the daemon goes on running after the parent returned");
        } finally {
            c.ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void failsWithTheChildsExitCodeAndMessageWhenItDiesBeforeReady(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("pid");
        var err = new ByteArrayOutputStream();
        int code = Detacher.launch(Child.class.getName(), List.of(pid.toString(), "fail"), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(3, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot create TUN device x"), "the child's error reaches the user: " + err);
    }
}
