package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep of moto's log directories against other users and other JVMs: each case runs real JVMs (this user's
 * next run, a JVM in another PID namespace) on a temporary directory of the test's own. Linux and root only (other
 * users, {@code runuser}, {@code unshare}); skipped elsewhere.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MotoLogsIsolationTests {

    /**
     * Another user who may write to a shared, non-sticky temporary directory (every user: 0777; a group: 0775)
     * renames one of this user's own directories there to a log directory name of a dead pid. This user's next
     * start must neither stop this user's process writing into it nor delete this user's files in it.
     */
    @Test
    void aDirectoryAnotherUserRenamedInAWorldWritableTemporaryDirectoryIsNeitherStoppedNorDeleted(@TempDir Path dir)
            throws Exception {
        renamedByAnotherUser("rwxrwxrwx", dir);
    }

    @Test
    void aDirectoryAnotherUserRenamedInAGroupWritableTemporaryDirectoryIsNeitherStoppedNorDeleted(@TempDir Path dir)
            throws Exception {
        renamedByAnotherUser("rwxrwxr-x", dir);
    }

    private static void renamedByAnotherUser(String mode, Path dir) throws Exception {
        AnotherUser.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // the attacker gets in
        Path shared = Files.createDirectory(dir.resolve("shared"));
        if (mode.charAt(4) == 'w' && mode.charAt(7) != 'w') {
            GroupPrincipal group = shared.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(AnotherUser.NAME);
            Files.getFileAttributeView(shared, PosixFileAttributeView.class).setGroup(group);
        }
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString(mode)); // not sticky
        Path work = Files.createDirectory(shared.resolve("victim-work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(work.resolve("notes.txt"), "the user's notes");
        Process writer = new ProcessBuilder("sleep", "100")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server.log").toFile()))
                .start();
        try {
            Path renamed = shared.resolve(MotoLogs.DIRECTORY_PREFIX + AnotherUser.deadPid() + "-x");
            assertThat(AnotherUser.run(List.of("runuser", "-u", AnotherUser.NAME, "--", "mv", work.toString(),
                    renamed.toString())))
                    .as("the other user's rename").contains("exit=0");

            String next = runJvm(shared, failingMoto(dir), "PT10S");

            assertThat(ProcessTrees.isRunning(writer.toHandle())).as("the user's process writing into %s; %s",
                    renamed, next).isTrue();
            assertThat(renamed.resolve("notes.txt")).as("the user's file; %s", next).hasContent("the user's notes");
            assertThat(renamed.resolve("server.log")).exists();
            if (mode.charAt(7) == 'w') {
                assertThat(next).as("a start with java.io.tmpdir writable by all but not sticky")
                        .contains("EmulatorStartException").contains("sticky").contains("java.io.tmpdir");
            }
        } finally {
            writer.destroyForcibly();
        }
    }

    /**
     * A JVM in another PID namespace (a container sharing the temporary directory and the user) runs a server; its
     * pid there is one that does not run here. A start here must leave its log directory alone.
     */
    @Test
    void aLiveJvmInAnotherPidNamespaceKeepsItsLogDirectory(@TempDir Path dir) throws Exception {
        AnotherUser.assumeRoot();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare");
        Path temporary = Files.createDirectory(dir.resolve("tmp"));
        Path hanging = dir.resolve("hanging-moto");
        Files.writeString(hanging, "#!/bin/sh\nexec sleep 100\n");
        Files.setPosixFilePermissions(hanging, PosixFilePermissions.fromString("rwx------"));
        long pid = AnotherUser.deadPid();
        String java = javaCommand(temporary, hanging, "PT100S").stream().map(AnotherUser::quote)
                .collect(Collectors.joining(" "));
        // The namespace's first process is the shell, so the JVM gets the pid after the one written here.
        Process container = new ProcessBuilder("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "sh",
                "-c", "echo " + (pid - 1) + " > /proc/sys/kernel/ns_last_pid; " + java + "; exit $?")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("container.out").toFile())
                .start();
        try {
            Path log = awaitLog(temporary, container, dir.resolve("container.out"));
            assertThat(log.toString()).as("the namespaced JVM's log directory is named after its pid there")
                    .contains(MotoLogs.DIRECTORY_PREFIX + pid + "-");

            String next = runJvm(temporary, failingMoto(dir), "PT10S");

            assertThat(log).as("the live JVM's log, after a start outside its namespace; %s", next).exists();
            assertThat(log.getParent()).isDirectory();
        } finally {
            List<ProcessHandle> tree = ProcessTrees.tree(container.toHandle());
            container.destroyForcibly(); // --kill-child: the namespace goes with it
            tree.forEach(ProcessHandle::destroyForcibly);
            container.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Child JVM: what a test does first, {@code MotoServer.start()}; prints how it went. */
    static final class StartsMoto {
        public static void main(String[] args) {
            try (MotoServer server = MotoServer.start()) {
                System.out.println("started " + server.description());
            } catch (RuntimeException e) {
                System.out.println("start failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private static Path awaitLog(Path temporary, Process container, Path output) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.walk(temporary)) {
                Optional<Path> log = files.filter(file -> file.getFileName().toString().endsWith(".log")).findFirst();
                if (log.isPresent()) {
                    return log.get();
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // a file went away while listed: look again
            }
            assertThat(container.isAlive()).as("the namespaced JVM: %s", Files.readString(output)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the namespaced JVM made no log in 30 s: " + Files.readString(output));
    }

    private static String runJvm(Path temporary, Path executable, String timeout) throws Exception {
        Process jvm = new ProcessBuilder(javaCommand(temporary, executable, timeout)).redirectErrorStream(true)
                .start();
        jvm.getOutputStream().close();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return "the next run printed: " + output.strip();
    }

    private static List<String> javaCommand(Path temporary, Path executable, String timeout) {
        return List.of(ForkedJvm.javaExecutable().toString(), "-Djava.io.tmpdir=" + temporary,
                "-D" + TestkitSettings.MOTO_EXECUTABLE_PROPERTY + "=" + executable,
                "-D" + TestkitSettings.MOTO_START_TIMEOUT_PROPERTY + "=" + timeout,
                "-cp", System.getProperty("java.class.path"), StartsMoto.class.getName());
    }

    private static Path failingMoto(Path dir) throws IOException {
        Path script = dir.resolve("failing-moto");
        if (!Files.exists(script)) {
            Files.writeString(script, "#!/bin/sh\necho 'fake moto: not started' >&2\nexit 3\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        }
        return script;
    }
}
