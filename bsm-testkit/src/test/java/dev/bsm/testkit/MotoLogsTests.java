package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MotoLogs#sweep}: made-up leftovers in a temporary directory of the test's own, never the real one. The
 * real-server case (a JVM and its watchdogs killed) is in {@link MotoServerTests}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MotoLogsTests {

    @Test
    void theSweepRemovesOnlyWhatADeadJvmOfThisUserLeft(@TempDir Path temporary) throws Exception {
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        Path ours = Files.createDirectory(temporary.resolve(MotoLogs.DIRECTORY_PREFIX + dead + "-ours"));
        Path log = Files.writeString(ours.resolve("moto-server-1.log"), "log of a dead JVM");
        Path victim = Files.writeString(temporary.resolve("victim"), "not a log");
        Files.createSymbolicLink(ours.resolve("moto-server-2.log"), victim);
        Path living = Files.createDirectory(temporary.resolve(MotoLogs.DIRECTORY_PREFIX + alive + "-living"));
        Files.writeString(living.resolve("moto-server-3.log"), "log of a running JVM");
        Path elsewhere = Files.createDirectory(temporary.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("kept"), "behind a link");
        Path linked = Files.createSymbolicLink(temporary.resolve(MotoLogs.DIRECTORY_PREFIX + dead + "-link"),
                elsewhere);
        Path unrelated = Files.createDirectory(temporary.resolve(MotoLogs.DIRECTORY_PREFIX + "x-unrelated"));
        // A process that still writes to a log of the dead JVM, as a server whose watchdog was killed would.
        Process writer = null;
        if (Files.isDirectory(Path.of("/proc/self/fd"))) {
            writer = new ProcessBuilder("sleep", "60")
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(ours.resolve("moto-server-4.log").toFile()))
                    .start();
        }
        try {
            MotoLogs.Sweep sweep = MotoLogs.sweep(temporary, Files.getOwner(temporary), null);

            assertThat(sweep.removed()).containsExactly(ours);
            assertThat(ours).doesNotExist();
            assertThat(log).doesNotExist();
            assertThat(victim).as("the target of a link in a swept directory").hasContent("not a log");
            assertThat(living.resolve("moto-server-3.log")).as("a running JVM's log").exists();
            assertThat(linked).as("a link named like a log directory").isSymbolicLink();
            assertThat(elsewhere.resolve("kept")).exists();
            assertThat(unrelated).exists();
            if (writer != null) {
                assertThat(sweep.stopped()).containsExactly(writer.pid());
                assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            if (writer != null) {
                writer.destroyForcibly();
            }
        }
    }

    @Test
    void theSweepLeavesAnotherUsersDirectoryAndFiles(@TempDir Path temporary) throws Exception {
        UserPrincipal nobody;
        try {
            nobody = temporary.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        } catch (IOException e) {
            nobody = null;
        }
        assumeTrue(nobody != null && "root".equals(System.getProperty("user.name")),
                "needs root to give files to user nobody");
        long dead = deadPid();
        Path theirs = Files.createDirectory(temporary.resolve(MotoLogs.DIRECTORY_PREFIX + dead + "-theirs"));
        Files.writeString(theirs.resolve("moto-server-1.log"), "theirs");
        Files.setOwner(theirs, nobody);
        Path mixed = Files.createDirectory(temporary.resolve(MotoLogs.DIRECTORY_PREFIX + dead + "-mixed"));
        Path mine = Files.writeString(mixed.resolve("moto-server-2.log"), "mine");
        Path planted = Files.writeString(mixed.resolve("planted"), "theirs");
        Files.setOwner(planted, nobody);

        MotoLogs.Sweep sweep = MotoLogs.sweep(temporary, Files.getOwner(temporary), null);

        assertThat(sweep.removed()).isEmpty();
        assertThat(theirs.resolve("moto-server-1.log")).as("in another user's directory").exists();
        assertThat(mine).as("ours, beside another user's file").doesNotExist();
        assertThat(planted).as("another user's file").exists();
        assertThat(mixed).exists();
    }

    /** @return the pid of a process that ran and is gone; skips the test where there is no POSIX system */
    private static long deadPid() throws Exception {
        assumeTrue(OwnerWatchdog.available(), "needs a POSIX system (file owners, symbolic links, sleep, true)");
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(gone.pid())).isEmpty();
        return gone.pid();
    }
}
