package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bsm.testkit.internal.UserTempDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's shared LocalStack ({@link LocalStackEmulator#shared()} with {@code bsm.emulator.share=build}) with
 * real JVMs, where no Docker runs: the supervisor's container start is replaced by {@link MotoAsLocalStack} (a real
 * {@code moto_server} under the supervisor), everything else is the real thing: the child JVMs' {@code shared()},
 * the key, the lease, the LocalStack supervisor with its class path, the record, attaching by endpoint, the refused
 * reset, and the stop once the last user is gone. With a real container: {@link LocalStackBuildLeaseDockerTests}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LocalStackBuildLeaseTests {

    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);
    private static final String IMAGE = "bsm-test/stand-in-localstack:1";

    private Path dir;
    private Path temporary;
    private Path go;
    private String buildId;

    @BeforeEach
    void privateBuild(@TempDir Path dir) throws IOException {
        MotoServerTests.assumeMotoAvailable();
        assumeTrue(BuildLease.supported() && Files.isDirectory(Path.of("/proc/self/fd")),
                "needs Linux's /proc, a POSIX shell and a POSIX temporary directory");
        this.dir = dir;
        temporary = Files.createDirectory(dir.resolve("tmp"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        go = dir.resolve("go");
        buildId = "localstack-lease-test-" + UUID.randomUUID();
    }

    @Test
    void threeJvmsStartingAtOnceShareOneContainerThatStopsSecondsAfterTheLastExits() throws Exception {
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 3, go, options(IMAGE));
                BuildLeaseTests.ServerWatch watch = BuildLeaseTests.ServerWatch.start(temporary)) {
            users.awaitWaiting();
            Files.createFile(go); // all at once

            List<LeaseJvms.Report> reports = users.reports();

            assertThat(reports).as("every JVM attached").allMatch(LeaseJvms.Report::attached);
            assertThat(reports).extracting(r -> r.get("endpoint")).as("one endpoint for all").containsOnly(
                    reports.get(0).get("endpoint"));
            assertThat(reports).extracting(r -> r.get("sharing")).containsOnly("BUILD");
            assertThat(reports).extracting(r -> r.get("description")).allMatch(d -> d.endsWith(",_shared_by_the_build)"));
            assertThat(reports).extracting(r -> r.get("used")).as("each created and listed a bucket of its own")
                    .containsOnly("true");
            assertThat(reports).extracting(r -> r.get("reset")).allSatisfy(reset -> assertThat(reset)
                    .startsWith("refused:").contains("every_test_JVM_of_this_build_uses_it")
                    .contains("bsm.emulator.share=jvm"));
            assertThat(watch.seen()).as("stand-in containers (moto_servers) that ran for the build").hasSize(1);
            assertThat(watch.mostAtOnce()).isEqualTo(1);
            List<ProcessHandle> supervisors = LeaseJvms.supervisors(temporary);
            assertThat(supervisors).as("supervisors").hasSize(1);
            assertThat(supervisors.get(0).info().commandLine().orElse("")).as("the supervisor's command")
                    .contains(" LOCALSTACK").contains("-D" + TestkitSettings.LOCALSTACK_IMAGE_PROPERTY + "=" + IMAGE);
            Path lease = leaseDirectory(IMAGE);
            String record = Files.readString(lease.resolve(LeaseDirectory.RECORD), StandardCharsets.UTF_8);
            assertThat(record).contains("kind=LOCALSTACK").contains("state=READY")
                    .contains("server.pid=" + supervisors.get(0).pid())
                    .contains("endpoint=" + reports.get(0).get("endpoint").replace(":", "\\:"));
            assertThat(Files.readString(lease.resolve(LeaseDirectory.SUPERVISOR_LOG)))
                    .contains(MotoAsLocalStack.STARTED + IMAGE);
            List<ProcessHandle> started = LeaseJvms.everything(temporary);
            Set<String> servers = watch.seen();

            users.exit(0);
            users.exit(1);
            Thread.sleep(500);
            assertThat(started).as("while one JVM still uses it").allMatch(ProcessTrees::isRunning);

            users.exit(2);
            long exited = System.nanoTime();
            LeaseJvms.awaitGone(temporary, started, servers, "after every JVM exited normally", GONE_WITHIN);
            System.out.printf(Locale.ROOT, "last normal exit to container and supervisor gone: %.2f s%n",
                    (System.nanoTime() - exited) / 1e9);
            assertThat(lease.resolve(LeaseDirectory.RECORD)).as("the lease's record").doesNotExist();
        }
    }

    @Test
    void killingEveryJvmWithSigkillStopsTheContainerWithinSeconds() throws Exception {
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 3, go, options(IMAGE));
                BuildLeaseTests.ServerWatch watch = BuildLeaseTests.ServerWatch.start(temporary)) {
            users.awaitWaiting();
            Files.createFile(go);
            List<LeaseJvms.Report> reports = users.reports();
            assertThat(reports).allMatch(LeaseJvms.Report::attached);
            assertThat(reports).extracting(r -> r.get("endpoint")).containsOnly(reports.get(0).get("endpoint"));
            List<ProcessHandle> started = LeaseJvms.everything(temporary);
            assertThat(started).as("supervisor, watchdog and stand-in").hasSizeGreaterThanOrEqualTo(3);
            Set<String> servers = watch.seen();
            assertThat(servers).hasSize(1);

            for (int i = 0; i < users.size(); i++) {
                users.jvm(i).destroyForcibly(); // SIGKILL: no shutdown hook runs
            }
            long killed = System.nanoTime();
            for (int i = 0; i < users.size(); i++) {
                users.kill(i);
            }
            LeaseJvms.awaitGone(temporary, started, servers, "after kill -9 of every JVM", GONE_WITHIN);
            System.out.printf(Locale.ROOT, "kill -9 of every JVM to container and supervisor gone: %.2f s%n",
                    (System.nanoTime() - killed) / 1e9);
        }
    }

    @Test
    void aSupervisorKilledWithSigkillTakesItsContainerAlongAndTheNextJvmStartsAnother() throws Exception {
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 1, go, options(IMAGE));
                BuildLeaseTests.ServerWatch watch = BuildLeaseTests.ServerWatch.start(temporary)) {
            users.awaitWaiting();
            Files.createFile(go);
            LeaseJvms.Report first = users.report(0);
            assertThat(first.attached()).as(first.line()).isTrue();
            List<ProcessHandle> started = LeaseJvms.everything(temporary);
            Set<String> servers = watch.seen();
            List<ProcessHandle> supervisors = LeaseJvms.supervisors(temporary);
            assertThat(supervisors).hasSize(1);

            supervisors.get(0).destroyForcibly(); // the stand-in's watchdog stops it, as Ryuk removes a container

            LeaseJvms.awaitTrue(() -> started.stream().noneMatch(ProcessTrees::isRunning)
                    && servers.stream().noneMatch(LeaseJvms::running), GONE_WITHIN,
                    () -> "still running after kill -9 of the supervisor");
            LeaseJvms.Report next = users.report(users.addAndAwaitWaiting(dir, go, options(IMAGE)));
            assertThat(next.attached()).as(next.line()).isTrue();
            assertThat(next.get("used")).isEqualTo("true");
            assertThat(LeaseJvms.supervisors(temporary)).as("a new supervisor").hasSize(1)
                    .doesNotContain(supervisors.get(0));
        }
    }

    @Test
    void jvmsOnAnotherImageNeverShareTheContainer() throws Exception {
        Path otherGo = dir.resolve("go-other");
        try (LeaseJvms first = LeaseJvms.start(dir, temporary, 1, go, options(IMAGE));
                LeaseJvms other = LeaseJvms.start(dir, temporary, 1, otherGo, options(IMAGE + "-other"))) {
            first.awaitWaiting();
            other.awaitWaiting();
            Files.createFile(go);
            Files.createFile(otherGo);
            LeaseJvms.Report one = first.report(0);
            LeaseJvms.Report two = other.report(0);

            assertThat(List.of(one, two)).allMatch(LeaseJvms.Report::attached);
            assertThat(one.get("endpoint")).isNotEqualTo(two.get("endpoint"));
            assertThat(LeaseJvms.supervisors(temporary)).as("a supervisor per image").hasSize(2);
            assertThat(leaseDirectory(IMAGE)).isNotEqualTo(leaseDirectory(IMAGE + "-other"));
        }
    }

    @Test
    void shareJvmKeepsTodaysContainerPerJvmWithoutALease() throws Exception {
        Optional<String> docker = LocalStackEmulator.unavailableReason();
        assumeTrue(docker.isPresent(), "Docker runs here: a JVM would start a container of its own");
        List<String> perJvm = BuildLeaseTests.with(options(IMAGE), "-D" + TestkitSettings.EMULATOR_SHARE_PROPERTY
                + "=jvm");
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 2, go, perJvm)) {
            users.awaitWaiting();
            Files.createFile(go);

            assertThat(users.reports()).extracting(LeaseJvms.Report::line).allSatisfy(line -> assertThat(line)
                    .startsWith("failed EmulatorUnavailableException: LocalStack cannot start: Docker is not"
                            + " available: "));
            assertThat(LeaseJvms.supervisors(temporary)).as("supervisors").isEmpty();
            assertThat(UserTempDirectory.of(temporary).path()).as("the user's directory: no lease in it")
                    .isDirectoryNotContaining(path -> path.getFileName().toString().startsWith(BuildKey.PREFIX));
        }
    }

    @Test
    void aContainerThatDoesNotStartFailsEveryJvmWithTheSupervisorsReason() throws Exception {
        List<String> broken = List.of("-D" + TestkitSettings.EMULATOR_BUILD_ID_PROPERTY + "=" + buildId,
                "-D" + LeaseJvms.User.EMULATOR_PROPERTY + "=localstack",
                "-D" + TestkitSettings.LOCALSTACK_IMAGE_PROPERTY + "=" + IMAGE,
                "-D" + LeaseContainer.STARTER_PROPERTY + "=dev.bsm.testkit.NoSuchStarter");
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 2, go, broken)) {
            users.awaitWaiting();
            Files.createFile(go);

            assertThat(users.reports()).extracting(LeaseJvms.Report::line).allSatisfy(line -> assertThat(line)
                    .startsWith("failed EmulatorStartException: The build's shared LocalStack container is not"
                            + " available: its supervisor (pid ")
                    .contains("LocalStack did not start from image " + IMAGE)
                    .contains(LeaseContainer.STARTER_PROPERTY + " names no usable starter")
                    .contains("-D" + TestkitSettings.EMULATOR_SHARE_PROPERTY + "=jvm"));
            LeaseJvms.awaitTrue(() -> LeaseJvms.everything(temporary).isEmpty(), GONE_WITHIN,
                    () -> "left running: " + LeaseJvms.everything(temporary).stream().map(ProcessHandle::pid)
                            .collect(Collectors.toList()));
        }
    }

    private List<String> options(String image) {
        return List.of("-D" + TestkitSettings.EMULATOR_BUILD_ID_PROPERTY + "=" + buildId,
                "-D" + LeaseJvms.User.EMULATOR_PROPERTY + "=localstack",
                "-D" + TestkitSettings.LOCALSTACK_IMAGE_PROPERTY + "=" + image,
                "-D" + LeaseContainer.STARTER_PROPERTY + "=" + MotoAsLocalStack.class.getName());
    }

    /** {@return the lease directory of the test's build on {@code image}, with this JVM's token and Docker host} */
    private Path leaseDirectory(String image) throws IOException {
        return UserTempDirectory.of(temporary).path().resolve(BuildKey.forLocalStack(image,
                TestkitSettings.localStackAuthToken(), Optional.ofNullable(System.getenv("DOCKER_HOST"))
                        .filter(host -> !host.isBlank()), "build " + buildId).directoryName());
    }
}
