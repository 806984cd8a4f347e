package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bsm.testkit.internal.UserTempDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MotoLogSweep}: made-up leftovers in a temporary directory of the test's own, never the real one. The
 * real-server case (a JVM and its watchdogs killed) is in {@link MotoServerTests}, other users and PID namespaces in
 * {@link MotoLogsIsolationTests}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MotoLogsTests {

    private final List<Process> started = new ArrayList<>();
    private UserTempDirectory base;

    @BeforeEach
    void needsPosix(@TempDir Path temporary) throws IOException {
        assumeTrue(OwnerWatchdog.available() && Files.isDirectory(Path.of("/proc/self/ns")),
                "needs Linux (file owners, symbolic links, PID namespaces, sleep)");
        base = UserTempDirectory.of(temporary);
    }

    @AfterEach
    void stopStarted() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void theSweepRemovesADeadRunsDirectoryAndStopsOnlyTheServerItRecorded() throws Exception {
        Path leftover = leftover(deadPid());
        Path log = Files.writeString(leftover.resolve("moto-server-1.log"), "log of a dead JVM");
        Process server = sleeper(leftover.resolve("moto-server-1.log"));
        MotoLogs.recordServer(log, server.toHandle());
        Process bystander = sleeper(leftover.resolve("notes.log")); // writes there too, but bsm did not start it
        Path victim = Files.writeString(base.path().getParent().resolve("victim"), "not a log");
        Files.createSymbolicLink(leftover.resolve("moto-server-2.log"), victim);

        MotoLogSweep.Sweep sweep = MotoLogSweep.sweep(base, null);

        assertThat(sweep.stopped()).containsExactly(server.pid());
        assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessTrees.isRunning(bystander.toHandle())).as("a process bsm did not record").isTrue();
        assertThat(sweep.removed()).containsExactly(leftover);
        assertThat(leftover).doesNotExist();
        assertThat(victim).as("the target of a link in a swept directory").hasContent("not a log");
    }

    @Test
    void theSweepLeavesWhatBsmDidNotStampOrWhatALiveJvmHolds() throws Exception {
        long dead = deadPid();
        Path unstamped = Files.createDirectory(base.path().resolve(MotoLogs.DIRECTORY_PREFIX + dead + "-unstamped"));
        Process writer = sleeper(unstamped.resolve("server.log"));
        Path locked = leftover(dead);
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl, sys\n"
                + "f = open(sys.argv[1], 'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True)\n"
                + "sys.stdin.read()", locked.resolve(MotoLogs.LOCK).toString()).start();
        started.add(holder);
        assumeTrue("locked".equals(new String(holder.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)),
                "needs python3 to hold a lock");
        Process other = sleeper(null);
        Path living = leftover(other.toHandle()); // a JVM of this namespace that runs
        Path self = leftover(ProcessHandle.current());
        Path newerStart = leftover(new ProcessStamp(other.pid(), Instant.EPOCH, ProcessStamp.currentPidNamespace()));

        MotoLogSweep.Sweep sweep = MotoLogSweep.sweep(base, null);

        assertThat(sweep.removed()).containsExactly(newerStart); // its pid runs, but is not the stamped process
        assertThat(sweep.stopped()).isEmpty();
        assertThat(ProcessTrees.isRunning(writer.toHandle())).isTrue();
        assertThat(unstamped.resolve("server.log")).exists();
        assertThat(locked).as("a directory whose lock a process holds").isDirectory();
        assertThat(living).isDirectory();
        assertThat(self).isDirectory();
    }

    @Test
    void theSweepLeavesAnotherUsersDirectoryAndFiles() throws Exception {
        UserPrincipal nobody;
        try {
            nobody = base.path().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        } catch (IOException e) {
            nobody = null;
        }
        assumeTrue(nobody != null && "root".equals(System.getProperty("user.name")),
                "needs root to give files to user nobody");
        long dead = deadPid();
        Path theirs = leftover(dead);
        Files.writeString(theirs.resolve("moto-server-1.log"), "theirs");
        Files.setOwner(theirs, nobody);
        Path mixed = leftover(dead);
        Path mine = Files.writeString(mixed.resolve("moto-server-2.log"), "mine");
        Path planted = Files.writeString(mixed.resolve("planted"), "theirs");
        Files.setOwner(planted, nobody);

        MotoLogSweep.Sweep sweep = MotoLogSweep.sweep(base, null);

        assertThat(sweep.removed()).isEmpty();
        assertThat(theirs.resolve("moto-server-1.log")).as("in another user's directory").exists();
        assertThat(mine).as("ours, beside another user's file").doesNotExist();
        assertThat(planted).as("another user's file").exists();
        assertThat(mixed).exists();
    }

    /** A log directory as a JVM that ran with this pid (and is gone) left it: stamped, its lock file free. */
    private Path leftover(long pid) throws IOException {
        return leftover(new ProcessStamp(pid, Instant.parse("2020-01-01T00:00:00Z"),
                ProcessStamp.currentPidNamespace()));
    }

    private Path leftover(ProcessHandle jvm) throws IOException {
        return leftover(ProcessStamp.of(jvm).orElseThrow());
    }

    private Path leftover(ProcessStamp jvm) throws IOException {
        Path directory = Files.createTempDirectory(base.path(), MotoLogs.DIRECTORY_PREFIX + jvm.pid() + "-");
        Files.writeString(directory.resolve(MotoLogs.OWNER), jvm.text());
        Files.createFile(directory.resolve(MotoLogs.LOCK));
        return directory;
    }

    private Process sleeper(Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("sleep", "60");
        if (output != null) {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        }
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** @return the pid of a process that ran and is gone */
    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(gone.pid())).isEmpty();
        return gone.pid();
    }
}
