package dev.bsm.testkit;

import static dev.bsm.testkit.MotoServerTests.assumeMotoAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bsm.core.AwsCliEnvironment;
import dev.bsm.core.BotoSesManager;
import dev.bsm.core.NoCredentialsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * {@link ForkedJvm}: real child JVMs on this JVM's class path; the session tests run against the real
 * {@code moto_server} (skipped without it, or failing with {@code -Dbsm.requireEmulator=true}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForkedJvmTests {

    // ------------------------------------------------------------------------------------------ session handoff

    @Test
    void theChildSeesTheParentsAssumedRoleAndTheSnapshotIsGoneAfterwards() {
        assumeMotoAvailable();
        BotoSesManager bsm = MotoServer.shared().session();
        try (BotoSesManager deployer = bsm.assumeRole("arn:aws:iam::" + bsm.awsAccountId() + ":role/deployer",
                o -> o.roleSessionName("forked-jvm"))) {
            ForkedJvm.Result result = ForkedJvm.mainClass(PrintCallerArn.class)
                    .session(deployer)
                    .timeout(Duration.ofSeconds(90))
                    .run();

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.succeeded()).isTrue();
            assertThat(result.timedOut()).isFalse();
            List<String> lines = result.stdout().lines().collect(Collectors.toList());
            assertThat(lines).as(result.stdout()).hasSize(2);
            assertThat(lines.get(1))
                    .isEqualTo(deployer.principalArn())
                    .endsWith(":assumed-role/deployer/forked-jvm")
                    .isNotEqualTo(bsm.principalArn());
            Path snapshot = Path.of(lines.get(0));
            assertThat(snapshot.getFileName()).hasToString(ForkedJvm.SNAPSHOT_FILE_NAME);
            assertThat(snapshot).doesNotExist();
            assertThat(snapshot.getParent()).as("the run's private directory").doesNotExist();
            assertThat(result.toString())
                    .contains(PrintCallerArn.class.getName(), "exited with code 0")
                    .doesNotContain(deployer.toSnapshot().get("aws_secret_access_key"))
                    .doesNotContain(deployer.toSnapshot().get("aws_session_token"));
        }
    }

    @Test
    void theChildsSnapshotFileIsOwnerOnlyInAnOwnerOnlyDirectoryAndTheEndpointIsSet() {
        assumeMotoAvailable();
        assumePosix();
        MotoServer moto = MotoServer.shared();
        try (BotoSesManager deployer = moto.session().assumeRole(
                "arn:aws:iam::" + moto.accountId() + ":role/deployer")) {
            ForkedJvm.Result result = ForkedJvm.run(PrintSnapshotFile.class, jvm -> jvm.session(deployer));

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout().lines()).containsExactly(
                    "file rw-------",
                    "directory rwx------",
                    "endpoint " + moto.endpoint(),
                    "cbor false", // moto does not speak CBOR: the child's Kinesis clients must not either
                    "key " + deployer.toSnapshot().get("aws_access_key_id"),
                    "region " + moto.region());
        }
    }

    @Test
    @ResourceLock("java.lang.System.environment")
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void aSessionWithoutAnEndpointRemovesTheInheritedEndpointVariable() {
        assumeMotoAvailable();
        BotoSesManager plain = BotoSesManager.builder()
                .credentials("AKIDFORKEDJVMTEST", "forked-jvm-secret")
                .region("eu-west-1")
                .build();
        // This JVM's environment has AWS_ENDPOINT_URL (the emulator's); the child must not inherit it with keys
        // that were meant for another endpoint.
        try (plain; AwsCliEnvironment parent = MotoServer.shared().session().awscli()) {
            assertThat(System.getenv("AWS_ENDPOINT_URL"))
                    .isNotNull()
                    .isEqualTo(parent.variables().get("AWS_ENDPOINT_URL").orElseThrow());

            ForkedJvm.Result result = ForkedJvm.run(PrintSnapshotFile.class, jvm -> jvm.session(plain));

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout().lines()).contains("endpoint null", "key AKIDFORKEDJVMTEST",
                    "region eu-west-1");
            assertThat(result.stdout() + result.stderr() + result).doesNotContain("forked-jvm-secret");
        }
    }

    @Test
    void aSessionWithoutCredentialsFailsBeforeAnythingStartsAndLeavesNoDirectory() throws IOException {
        Set<Path> before = runDirectories();
        try (BotoSesManager broken = BotoSesManager.builder()
                .credentialsProvider(() -> {
                    throw new IllegalStateException("no credentials here");
                })
                .region("us-east-1")
                .build()) {
            assertThatThrownBy(() -> ForkedJvm.mainClass(PrintArgs.class).session(broken).run())
                    .isInstanceOf(NoCredentialsException.class);
        }
        assertThat(runDirectories()).isSubsetOf(before);
    }

    // ------------------------------------------------------------------------------------------ exit and output

    @Test
    void aFailingChildReportsItsExitCodeAndStderr() {
        ForkedJvm.Result result = ForkedJvm.mainClass(Fail.class).args("3", "disk full").run();

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.timedOut()).isFalse();
        assertThat(result.stdout()).isEqualTo("working\n");
        assertThat(result.stderr()).isEqualTo("error: disk full\n");
        assertThat(result.toString()).contains("exited with code 3").doesNotContain("disk full");
    }

    @Test
    void anUncaughtExceptionGivesExitCodeOneAndTheStackTrace() {
        ForkedJvm.Result result = ForkedJvm.mainClass(Fail.class).args("throw", "bad input").run();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr())
                .contains("java.lang.IllegalArgumentException: bad input")
                .contains("at " + Fail.class.getName() + ".main");
    }

    @Test
    void bothStreamsAreReadConcurrentlySoAChattyChildNeverBlocks() {
        // Far more than a pipe buffer on each stream, written alternately: reading one stream after the other
        // would deadlock.
        ForkedJvm.Result result = ForkedJvm.mainClass(Chatty.class).args("4096").timeout(Duration.ofSeconds(60))
                .run();

        assertThat(result.exitCode()).as(result.stderr().lines().findFirst().orElse("")).isZero();
        assertThat(result.stdout()).hasSize(4096 * 1025).startsWith("o".repeat(1024) + "\n");
        assertThat(result.stderr()).hasSize(4096 * 1025).startsWith("é".repeat(1024) + "\n");
    }

    @Test
    void argumentsEnvironmentAndJvmOptionsReachTheChild() {
        ForkedJvm.Result result = ForkedJvm.mainClass(PrintArgs.class)
                .args("ignored")
                .args("two words", "quote\"d", "back\\slash", "", "ünïcode")
                .jvmArgs("-Dbsm.forked.test=from parent", "-Xmx128m")
                .environment("BSM_FORKED_TEST", "value with = sign")
                .run();

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines()).containsExactly(
                "arg [two words]", "arg [quote\"d]", "arg [back\\slash]", "arg []", "arg [ünïcode]",
                "property from parent",
                "env value with = sign",
                "snapshot variable " + System.getenv(BotoSesManager.SNAPSHOT_FILE_VARIABLE));
    }

    // ------------------------------------------------------------------------------------------ timeout

    @Test
    void aTimeoutStopsTheChildAndItsDescendantsWithinBounds() {
        assumePosix();
        assumeTrue(Files.isExecutable(Path.of("/bin/sleep")) || Files.isExecutable(Path.of("/usr/bin/sleep")),
                "needs sleep");
        Duration timeout = Duration.ofSeconds(5);
        long startedAt = System.nanoTime();

        ForkedJvm.Result result = ForkedJvm.mainClass(SleepWithGrandchild.class).timeout(timeout).run();

        Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.duration()).isGreaterThanOrEqualTo(timeout);
        // timeout + the grace period of the polite stop (5 s) + the forced kill (2 s) + the readers' grace
        assertThat(took).isLessThan(timeout.plusSeconds(15));
        assertThat(result.toString()).contains("timed out after PT5S", "stopped with its descendants");

        List<String> lines = result.stdout().lines().collect(Collectors.toList());
        assertThat(lines).as("output printed before the timeout is kept").hasSize(2);
        long childPid = Long.parseLong(lines.get(0).replace("child ", ""));
        long grandchildPid = Long.parseLong(lines.get(1).replace("grandchild ", ""));
        assertThat(ProcessHandle.of(childPid).filter(ProcessTrees::isRunning)).as("child").isEmpty();
        assertThat(ProcessHandle.of(grandchildPid).filter(ProcessTrees::isRunning)).as("grandchild").isEmpty();
    }

    // ------------------------------------------------------------------------------------------ misuse

    @Test
    void misuseFailsBeforeAnythingStarts() {
        assertThatThrownBy(() -> ForkedJvm.mainClass(ForkedJvmTests.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ForkedJvmTests.class.getName())
                .hasMessageContaining("public static void main(String[] args)");
        assertThatThrownBy(() -> ForkedJvm.mainClass(InstanceMain.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ForkedJvm.mainClass(null)).isInstanceOf(NullPointerException.class);

        ForkedJvm.Builder builder = ForkedJvm.mainClass(PrintArgs.class);
        assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> builder.timeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.environment("A=B", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.environment("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.environment("A", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.args((String) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.jvmArgs((String) null)).isInstanceOf(NullPointerException.class);

        try (BotoSesManager plain = BotoSesManager.builder().credentials("AKID", "secret").region("us-east-1")
                .build()) {
            assertThatThrownBy(() -> ForkedJvm.mainClass(PrintArgs.class)
                    .session(plain)
                    .environment(BotoSesManager.SNAPSHOT_FILE_VARIABLE, "/tmp/elsewhere.json")
                    .run())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(BotoSesManager.SNAPSHOT_FILE_VARIABLE);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void assumePosix() {
        assumeTrue(Path.of(System.getProperty("java.io.tmpdir")).getFileSystem().supportedFileAttributeViews()
                .contains("posix"), "needs POSIX file permissions");
    }

    private static Set<Path> runDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("bsm-forked-jvm-"))
                    .collect(Collectors.toSet());
        }
    }

    // ------------------------------------------------------------------------------------------ the children

    /** Prints the snapshot file's path, then the caller ARN of the session it holds. */
    static final class PrintCallerArn {
        public static void main(String[] args) {
            System.out.println(System.getenv(BotoSesManager.SNAPSHOT_FILE_VARIABLE));
            try (BotoSesManager bsm = BotoSesManager.fromSnapshotFile()) {
                System.out.println(bsm.principalArn());
            }
        }
    }

    /** Prints the permissions of the snapshot file and its directory, the endpoint, and what the file holds. */
    static final class PrintSnapshotFile {
        public static void main(String[] args) throws IOException {
            Path file = Path.of(System.getenv(BotoSesManager.SNAPSHOT_FILE_VARIABLE));
            System.out.println("file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            System.out.println("directory "
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            System.out.println("endpoint " + System.getenv("AWS_ENDPOINT_URL"));
            System.out.println("cbor " + System.getenv("CBOR_ENABLED"));
            try (BotoSesManager bsm = BotoSesManager.fromSnapshotFile()) {
                Map<String, String> snapshot = bsm.toSnapshot();
                System.out.println("key " + snapshot.get("aws_access_key_id"));
                System.out.println("region " + snapshot.get("region_name"));
            }
        }
    }

    /** {@code <code> <message>}: prints, writes the message to stderr and exits; {@code throw <message>} throws. */
    static final class Fail {
        public static void main(String[] args) {
            if (args[0].equals("throw")) {
                throw new IllegalArgumentException(args[1]);
            }
            System.out.println("working");
            System.err.println("error: " + args[1]);
            System.exit(Integer.parseInt(args[0]));
        }
    }

    /** Writes {@code args[0]} lines of 1024 characters to stdout and stderr alternately. */
    static final class Chatty {
        public static void main(String[] args) {
            int lines = Integer.parseInt(args[0]);
            String out = "o".repeat(1024);
            String err = "é".repeat(1024);
            for (int i = 0; i < lines; i++) {
                System.out.println(out);
                System.err.println(err);
            }
        }
    }

    /** Prints its arguments, a system property and environment variables. */
    static final class PrintArgs {
        public static void main(String[] args) {
            for (String arg : args) {
                System.out.println("arg [" + arg + "]");
            }
            System.out.println("property " + System.getProperty("bsm.forked.test"));
            System.out.println("env " + System.getenv("BSM_FORKED_TEST"));
            System.out.println("snapshot variable " + System.getenv(BotoSesManager.SNAPSHOT_FILE_VARIABLE));
        }
    }

    /** Starts a {@code sleep} grandchild, prints both pids, then sleeps far longer than any timeout. */
    static final class SleepWithGrandchild {
        public static void main(String[] args) throws Exception {
            Process grandchild = new ProcessBuilder("sleep", "600").inheritIO().start();
            System.out.println("child " + ProcessHandle.current().pid());
            System.out.println("grandchild " + grandchild.pid());
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    /** Not a valid main class: {@code main} is not static. */
    static final class InstanceMain {
        public void main(String[] args) {
        }
    }
}
