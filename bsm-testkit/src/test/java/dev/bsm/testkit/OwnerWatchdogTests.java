package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link OwnerWatchdog}'s script with stand-in servers made of {@code sleep}; needs a POSIX {@code /bin/sh}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OwnerWatchdogTests {

    @BeforeEach
    void needsPosixShell() {
        assumeTrue(OwnerWatchdog.available(), "needs a POSIX /bin/sh");
    }

    @Test
    void closingThePipeStopsTheServerAndItsDescendantsAndRemovesTheLog(@TempDir Path temporary) throws Exception {
        Path directory = Files.createDirectory(temporary.resolve("logs"));
        Path log = Files.createFile(directory.resolve("server.log"));
        // A server that forks: its child must die too, though it is not the watchdog's child.
        Watched watched = Watched.start(log, "echo serving; sleep 300 & sleep 301");
        try {
            assertThat(watched.tree).as("the server, its two sleeps, the watcher").hasSizeGreaterThanOrEqualTo(4);
            awaitTrue(() -> readLog(log).contains("serving"), "the server's output in the log: " + readLog(log));

            watched.watchdog.getOutputStream().close(); // what the kernel does when the JVM dies

            assertThat(watched.watchdog.waitFor(10, TimeUnit.SECONDS)).as("the watchdog exits").isTrue();
            awaitTrue(() -> watched.tree.stream().noneMatch(ProcessTrees::isRunning), "processes left: "
                    + watched.tree.stream().filter(ProcessTrees::isRunning).map(ProcessHandle::pid).toList());
            assertThat(log).doesNotExist();
            assertThat(directory).as("the log's directory, once empty").doesNotExist();
        } finally {
            watched.kill();
        }
    }

    @Test
    void aServerThatIgnoresTermIsKilledAfterTheGrace(@TempDir Path temporary) throws Exception {
        Path log = Files.createFile(temporary.resolve("server.log"));
        Watched watched = Watched.start(log, "trap '' TERM; echo stubborn; sleep 300 & wait");
        try {
            awaitTrue(() -> readLog(log).contains("stubborn"), "the server has set its trap");
            long closedAt = System.nanoTime();
            watched.watchdog.getOutputStream().close();

            assertThat(watched.watchdog.waitFor(OwnerWatchdog.GRACE_TENTHS / 10 + 10, TimeUnit.SECONDS)).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - closedAt);
            assertThat(watched.tree).noneMatch(ProcessTrees::isRunning);
            assertThat(took).as("TERM is ignored, so KILL comes after the grace")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(OwnerWatchdog.GRACE_TENTHS / 10 - 1));
        } finally {
            watched.kill();
        }
    }

    @Test
    void aServerThatExitsIsReapedAndTheWatchdogExitsWithItsStatusKeepingTheLog(@TempDir Path temporary)
            throws Exception {
        Path log = Files.createFile(temporary.resolve("server.log"));
        Watched watched = Watched.start(log, "echo failing >&2; exit 7");
        try {
            assertThat(watched.watchdog.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(watched.watchdog.exitValue()).isEqualTo(7);
            assertThat(watched.watchdog.toHandle().descendants()).isEmpty();
            assertThat(readLog(log)).contains("failing");
        } finally {
            watched.kill();
        }
    }

    /** A stand-in server under the watchdog, as MotoServer launches it. */
    private static final class Watched {
        final Process watchdog;
        final List<ProcessHandle> tree = new ArrayList<>();

        private Watched(Process watchdog) {
            this.watchdog = watchdog;
        }

        static Watched start(Path log, String script) throws IOException {
            Process watchdog = new ProcessBuilder(OwnerWatchdog.command(log, List.of("/bin/sh", "-c", script)))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Watched watched = new Watched(watchdog);
            OptionalLong pid = OwnerWatchdog.readServerPid(watchdog);
            assertThat(pid).as("the server's pid, reported by the watchdog").isPresent();
            try {
                Thread.sleep(300); // let the server fork
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watchdog.toHandle().descendants().forEach(watched.tree::add);
            watched.tree.add(watchdog.toHandle());
            return watched;
        }

        void kill() {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                fail(failure + " (waited 10 s)");
            }
            Thread.sleep(50);
        }
    }
}
