package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The second local user of the cross-user tests, {@value #NAME}, as whom a test runs commands with {@code runuser}:
 * Linux and root only; the calling test is skipped, saying why, elsewhere.
 */
final class AnotherUser {
    static final String NAME = "bsm-attacker";

    private AnotherUser() {
    }

    /** Skips the calling test unless it runs as root on Linux, with {@code /proc}. */
    static void assumeRoot() {
        assumeTrue(OwnerWatchdog.available() && Files.isDirectory(Path.of("/proc/self/fd"))
                && "root".equals(System.getProperty("user.name")), "needs Linux and root");
    }

    /** Skips the calling test unless it runs as root and the other user exists; {@return that user} */
    static UserPrincipal require() throws Exception {
        assumeRoot();
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")),
                "needs runuser");
        assumeTrue(run(List.of("id", NAME)).contains("exit=0"), "needs the user " + NAME);
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(NAME);
    }

    /** Runs a shell command as the other user; {@return its output and exit code} */
    static String runAs(String script) throws Exception {
        return run(List.of("runuser", "-u", NAME, "--", "sh", "-c", script));
    }

    /** Runs a command; {@return its output and {@code exit=N}} */
    static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output + " exit=" + process.exitValue();
    }

    /** {@return the text quoted for a POSIX shell} */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** {@return the pid of a process that ran and is gone} */
    static long deadPid() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(gone.pid())).isEmpty();
        return gone.pid();
    }
}
