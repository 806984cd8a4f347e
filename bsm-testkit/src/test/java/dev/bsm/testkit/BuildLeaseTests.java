package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bsm.testkit.internal.UserTempDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's shared moto_server ({@code bsm.emulator.share=build}) with real JVMs: child JVMs of one build (one
 * build id, one temporary directory of the test's own) start at once, attach, use the server, and exit or are
 * killed; the processes bsm started for them are found by that temporary directory and checked by pid and start
 * time. Linux with moto_server and a POSIX shell; skipped elsewhere (failing with {@code bsm.requireEmulator}).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BuildLeaseTests {

    private static final int USERS = 5;
    /** Within what the users' ends must take the server, its watchdog and its supervisor with them. */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);

    private Path dir;
    private Path temporary;
    private Path go;
    private List<String> options;

    @BeforeEach
    void privateBuild(@TempDir Path dir) throws IOException {
        MotoServerTests.assumeMotoAvailable();
        assumeTrue(BuildLease.supported() && Files.isDirectory(Path.of("/proc/self/fd")),
                "needs Linux's /proc, a POSIX shell and a POSIX temporary directory");
        this.dir = dir;
        temporary = Files.createDirectory(dir.resolve("tmp"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        go = dir.resolve("go");
        options = List.of("-D" + TestkitSettings.EMULATOR_BUILD_ID_PROPERTY + "=lease-test-" + UUID.randomUUID());
    }

    @Test
    void jvmsStartingAtOnceStartOneServerThatEachUsesAndItStopsOnceTheyHaveExited() throws Exception {
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, USERS, go, options);
                ServerWatch watch = ServerWatch.start(temporary)) {
            users.awaitWaiting();
            Files.createFile(go); // all at once

            List<LeaseJvms.Report> reports = users.reports();

            assertThat(reports).as("every JVM attached").allMatch(LeaseJvms.Report::attached);
            Set<String> servers = reports.stream().map(r -> r.get("server")).collect(Collectors.toSet());
            assertThat(servers).as("the servers the JVMs were given").hasSize(1);
            assertThat(reports).extracting(r -> r.get("endpoint")).as("their endpoints").containsOnly(
                    reports.get(0).get("endpoint"));
            assertThat(reports).extracting(r -> r.get("sharing")).containsOnly("BUILD");
            assertThat(reports).extracting(r -> r.get("used")).as("each created and listed a bucket of its own")
                    .containsOnly("true");
            assertThat(watch.seen()).as("moto_servers that ran for the build (pid@start)").isEqualTo(servers);
            assertThat(watch.mostAtOnce()).isEqualTo(1);
            assertThat(LeaseJvms.supervisors(temporary)).as("supervisors").hasSize(1);
            List<ProcessHandle> started = LeaseJvms.everything(temporary);

            for (int i = 0; i < USERS - 1; i++) {
                users.exit(i);
            }
            Thread.sleep(500);
            assertThat(started).as("while one JVM still uses it").allMatch(ProcessTrees::isRunning);

            users.exit(USERS - 1);
            long exited = System.nanoTime();
            awaitGone(started, servers, "after every JVM exited normally");
            System.out.printf(Locale.ROOT, "last normal exit to server and supervisor gone: %.2f s%n",
                    (System.nanoTime() - exited) / 1e9);
            assertThat(recordFile()).as("the lease's record").doesNotExist();
        }
    }

    @Test
    void killingEveryJvmWithSigkillTakesTheServerItsWatchdogAndItsSupervisorWithinSeconds() throws Exception {
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 3, go, options)) {
            users.awaitWaiting();
            Files.createFile(go);
            List<LeaseJvms.Report> reports = users.reports();
            assertThat(reports).allMatch(LeaseJvms.Report::attached);
            Set<String> servers = reports.stream().map(r -> r.get("server")).collect(Collectors.toSet());
            assertThat(servers).hasSize(1);
            List<ProcessHandle> started = LeaseJvms.everything(temporary);
            assertThat(started).as("supervisor, watchdog and server").hasSizeGreaterThanOrEqualTo(3);

            for (int i = 0; i < users.size(); i++) {
                users.jvm(i).destroyForcibly(); // SIGKILL: no shutdown hook runs
            }
            long killed = System.nanoTime();
            for (int i = 0; i < users.size(); i++) {
                users.kill(i);
            }
            awaitGone(started, servers, "after kill -9 of every JVM");
            System.out.printf(Locale.ROOT, "kill -9 of every JVM to server and supervisor gone: %.2f s%n",
                    (System.nanoTime() - killed) / 1e9);
        }
    }

    @Test
    void theJvmThatStartedTheServerMayDieFirstTheOthersKeepUsingIt() throws Exception {
        try (LeaseJvms users = oneUser()) {
            LeaseJvms.Report starter = users.report(0);
            assertThat(starter.attached()).as(starter.line()).isTrue();
            String server = starter.get("server");
            LeaseJvms.Report second = users.report(users.addAndAwaitWaiting(dir, go, options));
            assertThat(second.get("server")).isEqualTo(server);
            List<ProcessHandle> started = LeaseJvms.everything(temporary);

            users.kill(0); // the supervisor's parent

            Thread.sleep(1000);
            assertThat(started).as("a second after kill -9 of the JVM that started them").allMatch(
                    ProcessTrees::isRunning);
            LeaseJvms.Report third = users.report(users.addAndAwaitWaiting(dir, go, options));
            assertThat(third.get("server")).as("the server a JVM coming later is given").isEqualTo(server);
            assertThat(third.get("used")).isEqualTo("true");

            users.exit(1);
            users.exit(2);
            awaitGone(started, Set.of(server), "after the last two JVMs exited");
        }
    }

    @Test
    void aSupervisorKilledWithSigkillTakesItsServerAlongAndTheNextJvmStartsAnother() throws Exception {
        try (LeaseJvms users = oneUser()) {
            String first = users.report(0).get("server");
            List<ProcessHandle> started = LeaseJvms.everything(temporary);
            List<ProcessHandle> supervisors = LeaseJvms.supervisors(temporary);
            assertThat(supervisors).hasSize(1);

            supervisors.get(0).destroyForcibly();

            awaitGone(started, Set.of(first), "after kill -9 of the supervisor (its watchdog stops moto_server)");
            LeaseJvms.Report next = users.report(users.addAndAwaitWaiting(dir, go, options));
            assertThat(next.attached()).as(next.line()).isTrue();
            assertThat(next.get("server")).as("a new server, the record of the killed one being stale")
                    .isNotEqualTo(first);
            assertThat(next.get("used")).isEqualTo("true");
        }
    }

    @Test
    void theBuildsServerIsNeverReset() throws Exception {
        try (LeaseJvms users = oneUser()) {
            LeaseJvms.Report report = users.report(0);
            assertThat(report.get("reset")).as("reset() on the build's server").startsWith("refused:")
                    .contains("every_test_JVM_of_this_build_uses_it").contains("bsm.emulator.share=jvm");
            assertThat(report.get("used")).as("the JVM's bucket, after the refused reset").isEqualTo("true");
        }
    }

    @Test
    void shareJvmKeepsAServerPerJvmThatMayBeReset() throws Exception {
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 3, go,
                with(options, "-D" + TestkitSettings.EMULATOR_SHARE_PROPERTY + "=JVM"))) {
            users.awaitWaiting();
            Files.createFile(go);
            List<LeaseJvms.Report> reports = users.reports();
            assertThat(reports).extracting(r -> r.get("sharing")).containsOnly("JVM");
            assertThat(reports).extracting(r -> r.get("server")).as("a server each").doesNotHaveDuplicates();
            assertThat(reports).extracting(r -> r.get("reset")).containsOnly("done");
            assertThat(LeaseJvms.supervisors(temporary)).as("supervisors").isEmpty();
            assertThat(UserTempDirectory.of(temporary).path()).as("the user's directory: no lease in it")
                    .isDirectoryNotContaining(path -> path.getFileName().toString().startsWith(BuildKey.PREFIX));
        }
    }

    @Test
    void aJvmComingJustAsTheLastOneLeftGetsARunningServer() throws Exception {
        Set<String> servers = new java.util.LinkedHashSet<>();
        for (int round = 0; round < 3; round++) {
            Path roundGo = dir.resolve("go-" + round);
            try (LeaseJvms users = LeaseJvms.start(dir, temporary, 1, roundGo, options)) {
                users.awaitWaiting();
                Files.createFile(roundGo);
                LeaseJvms.Report report = users.report(0);
                assertThat(report.attached()).as("round %d: %s", round, report.line()).isTrue();
                servers.add(report.get("server"));
                users.exit(0); // the next round's JVM comes while this server may still be stopping
            }
        }
        assertThat(servers).as("one server per round: each started after the last user of the one before left")
                .hasSize(3);
        List<String> left = servers.stream().filter(LeaseJvms::running).toList();
        LeaseJvms.awaitTrue(() -> servers.stream().noneMatch(LeaseJvms::running), GONE_WITHIN,
                () -> "servers still running: " + left);
    }

    /** {@return one JVM of the build, asking for the server now; more may be added, which ask at once} */
    private LeaseJvms oneUser() throws Exception {
        LeaseJvms users = LeaseJvms.start(dir, temporary, 1, go, options);
        try {
            users.awaitWaiting();
            Files.createFile(go);
        } catch (Exception | Error e) {
            users.close();
            throw e;
        }
        return users;
    }

    private void awaitGone(List<ProcessHandle> started, Set<String> servers, String when) throws Exception {
        LeaseJvms.awaitGone(temporary, started, servers, when, GONE_WITHIN);
    }

    private Path recordFile() throws IOException {
        return UserTempDirectory.of(temporary).path()
                .resolve(BuildKey.of("moto_server " + MotoExecutable.resolve().toRealPath(),
                        "build " + options.get(0).substring(options.get(0).indexOf('=') + 1)).directoryName())
                .resolve(LeaseDirectory.RECORD);
    }

    /** Looks every 20 ms for the moto_servers of the build: which ran, and how many at once. */
    static final class ServerWatch implements AutoCloseable {
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final AtomicInteger mostAtOnce = new AtomicInteger();
        private final Thread thread;
        private volatile boolean stopped;

        private ServerWatch(Path temporary) {
            thread = new Thread(() -> {
                while (!stopped) {
                    List<ProcessHandle> now = LeaseJvms.servers(temporary);
                    now.forEach(server -> seen.add(LeaseJvms.stamp(server)));
                    mostAtOnce.accumulateAndGet(now.size(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "server-watch");
            thread.setDaemon(true);
        }

        static ServerWatch start(Path temporary) {
            ServerWatch watch = new ServerWatch(temporary);
            watch.thread.start();
            return watch;
        }

        Set<String> seen() {
            return Set.copyOf(seen);
        }

        int mostAtOnce() {
            return mostAtOnce.get();
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join();
        }
    }

    static List<String> with(List<String> options, String... more) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(more));
        return all;
    }
}
