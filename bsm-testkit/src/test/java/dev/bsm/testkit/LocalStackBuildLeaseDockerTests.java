package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's shared LocalStack with a real container: two child JVMs of one build attach to one container that
 * the supervisor started through Testcontainers, and it is gone once they have exited (normally, or killed with
 * {@code kill -9}), or once its supervisor is killed (Testcontainers' Ryuk). Skipped with bsm's own reason where
 * there is no Docker, as {@link LocalStackEmulatorDockerTests} is; the sharing itself is proven without Docker by
 * {@link LocalStackBuildLeaseTests}.
 */
@ExtendWith(LocalStackEmulatorDockerTests.DockerAvailable.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LocalStackBuildLeaseDockerTests {

    /** A container stops in seconds; Ryuk removes one whose supervisor died within its own timeout (10 s). */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(45);

    private Path dir;
    private Path temporary;
    private Path go;
    private List<String> options;

    @BeforeEach
    void privateBuild(@TempDir Path dir) throws IOException {
        assumeTrue(BuildLease.supported(), "needs a POSIX shell and a POSIX temporary directory");
        this.dir = dir;
        temporary = Files.createDirectory(dir.resolve("tmp"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        go = dir.resolve("go");
        options = List.of("-D" + TestkitSettings.EMULATOR_BUILD_ID_PROPERTY + "=localstack-docker-" + UUID.randomUUID(),
                "-D" + LeaseJvms.User.EMULATOR_PROPERTY + "=localstack");
    }

    @Test
    void twoJvmsShareOneContainerThatIsGoneOnceTheyHaveExited() throws Exception {
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 2, go, options)) {
            users.awaitWaiting();
            Files.createFile(go);
            List<LeaseJvms.Report> reports = users.reports();
            assertThat(reports).as("both attached").allMatch(LeaseJvms.Report::attached);
            assertThat(reports).extracting(r -> r.get("endpoint")).containsOnly(reports.get(0).get("endpoint"));
            assertThat(reports).extracting(r -> r.get("sharing")).containsOnly("BUILD");
            assertThat(reports).extracting(r -> r.get("used")).containsOnly("true");
            assertThat(reports).extracting(r -> r.get("reset")).allMatch(reset -> reset.startsWith("refused:"));
            List<ProcessHandle> supervisors = LeaseJvms.supervisors(temporary);
            assertThat(supervisors).as("one supervisor, so one container").hasSize(1);
            URI endpoint = URI.create(reports.get(0).get("endpoint"));
            assertThat(answers(endpoint)).isTrue();

            users.exit(0);
            Thread.sleep(1000);
            assertThat(answers(endpoint)).as("while one JVM still uses it").isTrue();
            users.exit(1);
            long exited = System.nanoTime();
            awaitGone(supervisors, endpoint, "after both JVMs exited");
            System.out.printf(Locale.ROOT, "last exit to container gone: %.2f s%n",
                    (System.nanoTime() - exited) / 1e9);
        }
    }

    @Test
    void killingTheJvmsOrTheSupervisorWithSigkillLeavesNoContainer() throws Exception {
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 2, go, options)) {
            users.awaitWaiting();
            Files.createFile(go);
            List<LeaseJvms.Report> reports = users.reports();
            assertThat(reports).allMatch(LeaseJvms.Report::attached);
            URI endpoint = URI.create(reports.get(0).get("endpoint"));
            List<ProcessHandle> supervisors = LeaseJvms.supervisors(temporary);
            assertThat(supervisors).hasSize(1);

            users.kill(0);
            users.kill(1);
            awaitGone(supervisors, endpoint, "after kill -9 of both JVMs");
        }
        Path again = dir.resolve("go-again");
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 1, again, options)) {
            users.awaitWaiting();
            Files.createFile(again);
            LeaseJvms.Report report = users.report(0);
            assertThat(report.attached()).as(report.line()).isTrue();
            URI endpoint = URI.create(report.get("endpoint"));
            List<ProcessHandle> supervisors = LeaseJvms.supervisors(temporary);
            assertThat(supervisors).hasSize(1);

            supervisors.get(0).destroyForcibly(); // Ryuk, not the supervisor, removes the container now
            awaitGone(supervisors, endpoint, "after kill -9 of the supervisor");
        }
    }

    private void awaitGone(List<ProcessHandle> supervisors, URI endpoint, String when) throws Exception {
        LeaseJvms.awaitGone(temporary, supervisors, Set.of(), when, GONE_WITHIN);
        LeaseJvms.awaitTrue(() -> !answers(endpoint), GONE_WITHIN, () -> endpoint + " still answers " + when);
    }

    private static boolean answers(URI endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
