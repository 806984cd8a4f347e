package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * Runs the real {@code moto_server}. Without it the emulator tests are skipped, or fail when system property
 * {@code bsm.requireEmulator} is {@code true} (as on CI). Tests that only need a POSIX shell run everywhere else.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MotoServerTests {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    // ------------------------------------------------------------------------------------------- real moto_server

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void startServesAwsApisOnALoopbackEndpoint() throws Exception {
        assumeMotoAvailable();
        try (MotoServer moto = MotoServer.start()) {
            URI endpoint = moto.endpoint();
            assertThat(endpoint.getScheme()).isEqualTo("http");
            assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
            assertThat(endpoint.getPort()).isPositive();
            assertThat(endpoint.getPath()).isEmpty();
            assertThat(get(moto, "/moto-api/").statusCode()).isEqualTo(200);

            String identity = awsQuery(moto, "sts", "Action=GetCallerIdentity&Version=2011-06-15");
            assertThat(identity).contains("<Account>" + moto.accountId() + "</Account>");
            assertThat(moto.accountId()).matches("\\d{12}");
            assertThat(moto.region()).isEqualTo("us-east-1");
            assertThat(moto.accessKeyId()).isNotBlank();
            assertThat(moto.secretAccessKey()).isNotBlank();

            assertThat(moto.toString())
                    .contains(endpoint.toString())
                    .contains("pid=" + moto.processHandle().pid())
                    .doesNotContain(moto.secretAccessKey());
            assertThat(moto.logFile()).exists();
            // werkzeug writes its access log line after sending the response, so give it a moment.
            awaitTrue(() -> moto.logTail().contains("/moto-api/"), Duration.ofSeconds(5));
            assertThat(moto.logTail().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096 + 16);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void resetDeletesAllEmulatedState() throws Exception {
        assumeMotoAvailable();
        try (MotoServer moto = MotoServer.start()) {
            assertThat(send(moto, "PUT", "/bsm-reset-probe").statusCode()).isEqualTo(200);
            awsQuery(moto, "sqs", "Action=CreateQueue&QueueName=bsm-reset-q1&Version=2012-11-05");
            assertThat(get(moto, "/").body()).contains("<Name>bsm-reset-probe</Name>");
            assertThat(awsQuery(moto, "sqs", "Action=ListQueues&Version=2012-11-05"))
                    .contains("/" + moto.accountId() + "/bsm-reset-q1");

            moto.reset();

            assertThat(get(moto, "/").body()).doesNotContain("bsm-reset-probe");
            assertThat(awsQuery(moto, "sqs", "Action=ListQueues&Version=2012-11-05")).doesNotContain("bsm-reset-q1");
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void closeStopsTheProcessFreesThePortAndIsIdempotent() throws Exception {
        assumeMotoAvailable();
        MotoServer moto = MotoServer.start();
        ProcessHandle handle = moto.processHandle();
        ProcessHandle launched = moto.launchedHandle();
        int port = moto.endpoint().getPort();
        Path log = moto.logFile();
        assertThat(acceptsConnections(port)).isTrue();
        Optional<Set<Long>> listeners = PortListeners.listening(port);
        listeners.ifPresent(inodes -> assertThat(inodes).as("moto's listening sockets").isNotEmpty());

        moto.close();

        // Not merely stopped but reaped: isAlive() is true for a zombie.
        assertThat(handle.isAlive()).as("moto_server after close").isFalse();
        assertThat(launched.isAlive()).as("its watchdog after close").isFalse();
        if (listeners.isPresent()) {
            // The socket itself is gone; the port may already serve another program (other builds share it).
            assertThat(PortListeners.listening(port).orElseThrow()).as("listening sockets on port %d", port)
                    .doesNotContainAnyElementsOf(listeners.get());
        } else {
            assertThat(acceptsConnections(port)).isFalse();
        }
        assertThat(log).doesNotExist();
        assertThat(moto.logTail()).as("tail kept after close").contains("Running on");
        assertThat(moto.toString()).contains("closed");
        moto.close(); // idempotent
        assertThatThrownBy(moto::reset).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void closeKillsTheWholeProcessTree(@TempDir Path dir) throws Exception {
        assumeMotoAvailable();
        assumePosixShell();
        Path realMoto = MotoExecutable.resolve();
        // A wrapper that runs moto_server as a child instead of exec-ing it, so the tree has a grandchild.
        Path wrapper = script(dir, "moto-wrapper", quote(realMoto.toString()) + " \"$@\"\n");

        String old = System.getProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY);
        System.setProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, wrapper.toString());
        MotoServer moto;
        try {
            moto = MotoServer.start();
        } finally {
            restore(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, old);
        }
        List<ProcessHandle> tree = new ArrayList<>();
        moto.processHandle().descendants().forEach(tree::add);
        assertThat(tree).as("descendants of the wrapper").isNotEmpty();
        tree.add(moto.processHandle());
        int port = moto.endpoint().getPort();

        moto.close();

        assertThat(tree).noneMatch(ProcessTrees::isRunning);
        assertThat(acceptsConnections(port)).isFalse();
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void sharedIsStartedOnceForSixteenConcurrentCallersAndSurvivesClose(@TempDir Path dir) throws Exception {
        assumeMotoAvailable();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<MotoServer>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit((Callable<MotoServer>) () -> {
                    ready.countDown();
                    go.await();
                    return MotoServer.shared();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            Set<MotoServer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<MotoServer> future : futures) {
                distinct.add(future.get(60, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
            MotoServer shared = distinct.iterator().next();
            boolean build = shared.sharing() == MotoServer.Sharing.BUILD;
            assertThat(MotoServer.SHARED_STARTS.get()).as("servers this JVM launched itself").isEqualTo(build ? 0 : 1);

            // Other tests of this JVM may have asked for the shared server already, so the race above may not have
            // raced: run it again in fresh JVMs, where the sixteen threads are the first callers, in both modes
            // (the build's server on a temporary directory and a build of the race's own).
            ForkedJvm.Result race = ForkedJvm.mainClass(SharedRace.class).args(String.valueOf(threads))
                    .jvmArgs("-D" + TestkitSettings.EMULATOR_SHARE_PROPERTY + "=jvm")
                    .timeout(Duration.ofSeconds(120)).run();
            assertThat(race.succeeded()).as("%s: %s", race, race.stderr()).isTrue();
            assertThat(race.stdout().strip()).isEqualTo("servers=1 starts=1 sharing=JVM");
            Path temporary = Files.createDirectory(dir.resolve("tmp"));
            ForkedJvm.Result buildRace = ForkedJvm.mainClass(SharedRace.class).args(String.valueOf(threads))
                    .jvmArgs("-Djava.io.tmpdir=" + temporary, "-D" + TestkitSettings.EMULATOR_BUILD_ID_PROPERTY
                            + "=race-" + java.util.UUID.randomUUID())
                    .timeout(Duration.ofSeconds(120)).run();
            assertThat(buildRace.succeeded()).as("%s: %s", buildRace, buildRace.stderr()).isTrue();
            assertThat(buildRace.stdout().strip()).isEqualTo("servers=1 starts=0 sharing=BUILD");

            assertThat(shared).isSameAs(MotoServer.shared());
            assertThat(shared.toString()).contains("shared");
            shared.close(); // documented no-op
            assertThat(shared.processHandle().isAlive()).isTrue();
            assertThat(get(shared, "/moto-api/").statusCode()).isEqualTo(200);
            if (build) {
                assertThatThrownBy(shared::reset).isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("every test JVM of this build uses it at the same time");
            } else {
                shared.reset();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void aPortThatIsTakenIsRetriedOnAnotherPort() throws Exception {
        assumeMotoAvailable();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int taken = squatter.getLocalPort();
            AtomicInteger calls = new AtomicInteger();

            try (MotoServer moto = MotoServer.launch(false,
                    () -> calls.getAndIncrement() == 0 ? taken : MotoServer.freePort())) {
                assertThat(calls).hasValue(2);
                assertThat(moto.endpoint().getPort()).isNotEqualTo(taken);
                assertThat(get(moto, "/moto-api/").statusCode()).isEqualTo(200);
            }

            calls.set(0);
            assertThatThrownBy(() -> MotoServer.launch(false, () -> {
                calls.incrementAndGet();
                return taken;
            }))
                    .isInstanceOf(EmulatorStartException.class)
                    .hasMessageContaining("Port " + taken + " was taken by another program");
            assertThat(calls).hasValue(MotoServer.MAX_START_ATTEMPTS);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void anImpostorAnsweringOnTheChosenPortIsNotTakenForMoto() throws Exception {
        assumeMotoAvailable();
        // Another HTTP server holds the port that moto_server is told to use, on the loopback address moto binds
        // or on the wildcard address; it answers 200 to everything, as an unrelated dev server might.
        for (String impostorAddress : List.of("127.0.0.1", "0.0.0.0")) {
            AtomicInteger impostorRequests = new AtomicInteger();
            HttpServer impostor = answering(impostorAddress, 200, "{}", impostorRequests);
            try {
                int taken = impostor.getAddress().getPort();
                AtomicInteger calls = new AtomicInteger();
                try (MotoServer moto = MotoServer.launch(false,
                        () -> calls.getAndIncrement() == 0 ? taken : MotoServer.freePort())) {
                    assertThat(moto.endpoint().getPort()).as("%s with an impostor on %s:%d", moto, impostorAddress,
                            taken).isNotEqualTo(taken);
                    assertThat(calls).as("ports tried").hasValue(2);
                    assertThat(moto.processHandle().isAlive()).isTrue();
                    // What answers is the moto process: state put through its API reads back.
                    String bucket = "bsm-impostor-" + Long.toHexString(System.nanoTime());
                    assertThat(send(moto, "PUT", "/" + bucket).statusCode()).isEqualTo(200);
                    assertThat(get(moto, "/").body()).contains("<Name>" + bucket + "</Name>");
                }
                assertThat(impostorRequests).as("requests sent to the impostor on %s", impostorAddress).hasValue(0);

                assertThatThrownBy(() -> MotoServer.launch(false, () -> taken))
                        .isInstanceOf(EmulatorStartException.class)
                        .hasMessageContaining("Port " + taken + " was taken by another program");
                assertThat(impostorRequests).as("requests sent to the impostor on %s", impostorAddress).hasValue(0);
            } finally {
                impostor.stop(0);
            }
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void anotherProgramListeningOnThePortEndsTheWaitAndAnotherPortIsTriedAtOnce(@TempDir Path dir)
            throws Exception {
        assumePosixShell();
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
        // A server that runs but never listens, on ports where this JVM listens: readiness sees another program.
        Path silent = script(dir, "silent-moto", "exec sleep 100\n");
        List<ServerSocket> squatters = new ArrayList<>();
        String oldExecutable = System.getProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY);
        String oldTimeout = System.getProperty(TestkitSettings.MOTO_START_TIMEOUT_PROPERTY);
        try {
            System.setProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, silent.toString());
            System.setProperty(TestkitSettings.MOTO_START_TIMEOUT_PROPERTY, "PT20S");
            AtomicInteger calls = new AtomicInteger();
            long began = System.nanoTime();

            assertThatThrownBy(() -> MotoServer.launch(false, () -> {
                calls.incrementAndGet();
                try {
                    ServerSocket squatter = new ServerSocket();
                    squatters.add(squatter);
                    squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                    return squatter.getLocalPort();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }))
                    .isInstanceOf(EmulatorStartException.class)
                    .hasMessageContaining("another program listens on 127.0.0.1:"
                            + squatters.get(squatters.size() - 1).getLocalPort())
                    .hasMessageContaining("Port " + squatters.get(squatters.size() - 1).getLocalPort()
                            + " was taken by another program; gave up after " + MotoServer.MAX_START_ATTEMPTS
                            + " ports");
            assertThat(calls).as("ports tried").hasValue(MotoServer.MAX_START_ATTEMPTS);
            assertThat(Duration.ofNanos(System.nanoTime() - began)).as("time to give up, start timeout PT20S")
                    .isLessThan(Duration.ofSeconds(10));
        } finally {
            restore(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, oldExecutable);
            restore(TestkitSettings.MOTO_START_TIMEOUT_PROPERTY, oldTimeout);
            for (ServerSocket squatter : squatters) {
                squatter.close();
            }
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void aV6onlyListenerOfAnotherProgramOnMotosPortDoesNotHoldUpTheStart() throws Exception {
        assumeMotoAvailable();
        String oldTimeout = System.getProperty(TestkitSettings.MOTO_START_TIMEOUT_PROPERTY);
        try (PortListenersTests.PythonListener impostor =
                PortListenersTests.PythonListener.start("socket.AF_INET6", "::", true)) {
            System.setProperty(TestkitSettings.MOTO_START_TIMEOUT_PROPERTY, "PT15S");
            long began = System.nanoTime();
            // [::]:PORT with IPV6_V6ONLY takes no connection to 127.0.0.1:PORT, and moto can bind that.
            try (MotoServer moto = MotoServer.launch(false, () -> impostor.port)) {
                assertThat(Duration.ofNanos(System.nanoTime() - began)).as("time to start")
                        .isLessThan(Duration.ofSeconds(12));
                assertThat(moto.endpoint().getPort()).isEqualTo(impostor.port);
                String bucket = "bsm-v6only-" + Long.toHexString(System.nanoTime());
                assertThat(send(moto, "PUT", "/" + bucket).statusCode()).isEqualTo(200);
                assertThat(get(moto, "/").body()).contains("<Name>" + bucket + "</Name>");
            }
        } finally {
            restore(TestkitSettings.MOTO_START_TIMEOUT_PROPERTY, oldTimeout);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void noEmulatorOutlivesAJvmKilledWithSigkill(@TempDir Path dir) throws Exception {
        assumeMotoAvailable();
        assumePosixShell();
        // The owned server runs through a wrapper that forks moto_server instead of exec-ing it, so the killed
        // JVM leaves a grandchild too; the shared one is moto_server itself.
        Path wrapper = script(dir, "moto-wrapper", quote(MotoExecutable.resolve().toString()) + " \"$@\"\n");
        HeldServers held = HeldServers.start(dir, wrapper.toString());
        try {
            long killedAt = System.nanoTime();
            held.child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(held.child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            awaitTrue(() -> held.processes.stream().noneMatch(ProcessTrees::isRunning) && held.noListenerLeft(),
                    Duration.ofSeconds(10), () -> "processes of the killed JVM still running, 10 s after kill -9: "
                            + held.processes.stream().filter(ProcessTrees::isRunning).map(ProcessHandle::pid)
                                    .collect(Collectors.toList()) + "; a listening socket left: " + !held.noListenerLeft());
            System.out.printf(Locale.ROOT, "kill -9 to emulators gone: %.1f s%n",
                    (System.nanoTime() - killedAt) / 1e9);
            awaitTrue(() -> held.logs.stream().noneMatch(Files::exists), Duration.ofSeconds(10),
                    () -> "log files of the killed JVM's servers left: " + held.logs);
            assertThat(held.logs.get(0).getParent()).as("the killed JVM's log directory").doesNotExist();
        } finally {
            held.kill(); // a failing run must not leak its servers
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void theNextRunStopsAServerWhoseJvmAndWatchdogWereBothKilled(@TempDir Path dir) throws Exception {
        assumeMotoAvailable();
        assumePosixShell();
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "finding a leftover's writers needs Linux's /proc");
        HeldServers held = HeldServers.start(dir, "");
        try {
            // Kill the watchdogs (every process of the child but the servers), then the JVM: nothing is left to
            // stop the servers but the next run.
            List<ProcessHandle> servers = held.servers();
            List<ProcessHandle> watchdogs = held.processes.stream().filter(handle -> !servers.contains(handle))
                    .collect(Collectors.toList());
            watchdogs.forEach(ProcessHandle::destroyForcibly);
            awaitTrue(() -> watchdogs.stream().noneMatch(ProcessTrees::isRunning), Duration.ofSeconds(5),
                    () -> "watchdogs still running");
            held.child.destroyForcibly();
            assertThat(held.child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(500);
            assertThat(servers).as("servers without JVM and watchdog").allMatch(ProcessTrees::isRunning);
            Path leftover = held.logs.get(0).getParent();
            assertThat(leftover.getFileName().toString()).as("the killed JVM's log directory")
                    .startsWith(MotoLogs.DIRECTORY_PREFIX + held.child.pid() + "-");
            assertThat(leftover).isDirectory();
            assertThat(leftover.getParent()).as("the user's directory").isEqualTo(
                    dev.bsm.testkit.internal.UserTempDirectory.of(dir.resolve("tmp")).path());

            MotoLogSweep.Sweep sweep = MotoLogSweep.sweep(
                    dev.bsm.testkit.internal.UserTempDirectory.of(dir.resolve("tmp")), null);

            assertThat(sweep.stopped()).as("pids stopped by the sweep")
                    .containsAll(servers.stream().map(ProcessHandle::pid).collect(Collectors.toList()));
            assertThat(servers).as("servers after the sweep").noneMatch(ProcessTrees::isRunning);
            assertThat(held.noListenerLeft()).as("no listener of the killed servers is left").isTrue();
            assertThat(sweep.removed()).contains(leftover);
            assertThat(leftover).doesNotExist();
        } finally {
            held.kill();
        }
    }

    // ------------------------------------------------------------------------------------- failures to start

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void anExecutableThatExitsImmediatelyGivesAUsefulStartException() {
        Path falseCommand = Path.of("/bin/false");
        assumeTrue(Files.isExecutable(falseCommand), "needs /bin/false");
        String old = System.getProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY);
        try {
            System.setProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, falseCommand.toString());
            assertThat(MotoServer.unavailableReason()).isEmpty();

            assertThatThrownBy(MotoServer::start)
                    .isInstanceOf(EmulatorStartException.class)
                    .hasMessageContaining("exited with code 1")
                    .hasMessageContaining("Command: /bin/false -H 127.0.0.1 -p ")
                    .hasMessageContaining("Log tail")
                    .hasMessageMatching("(?s).*after \\d+\\.\\d s.*");
        } finally {
            restore(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, old);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void aMissingExecutableIsReportedAsUnavailable(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-dir").resolve("moto_server");
        String old = System.getProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY);
        try {
            System.setProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, missing.toString());

            Optional<String> reason = MotoServer.unavailableReason();
            assertThat(reason).hasValueSatisfying(text -> assertThat(text)
                    .contains(TestkitSettings.MOTO_EXECUTABLE_PROPERTY)
                    .contains(missing.toString())
                    .contains("no such file")
                    .contains("moto[server]"));
            assertThatThrownBy(MotoServer::start)
                    .isInstanceOf(EmulatorUnavailableException.class)
                    .hasMessage(reason.orElseThrow());
        } finally {
            restore(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, old);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void theReadinessTimeoutIsHonouredAndTheHangingProcessTreeIsKilled(@TempDir Path dir) throws Exception {
        assumePosixShell();
        Path parentPid = dir.resolve("parent.pid");
        Path childPid = dir.resolve("child.pid");
        Path hanging = script(dir, "hanging-moto",
                "echo \"fake moto $$ will never answer\"\n"
                        + "sleep 300 &\n"
                        + "echo $! > " + quote(childPid.toString()) + "\n"
                        + "echo $$ > " + quote(parentPid.toString()) + "\n"
                        + "wait\n");
        String oldExecutable = System.getProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY);
        String oldTimeout = System.getProperty(TestkitSettings.MOTO_START_TIMEOUT_PROPERTY);
        long began = System.nanoTime();
        try {
            System.setProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, hanging.toString());
            System.setProperty(TestkitSettings.MOTO_START_TIMEOUT_PROPERTY, "PT1S");

            assertThatThrownBy(MotoServer::start)
                    .isInstanceOf(EmulatorStartException.class)
                    .hasMessageContaining("within the start timeout of PT1S")
                    .hasMessageContaining("killed")
                    .hasMessageContaining("Command: " + hanging)
                    .hasMessageContaining("fake moto")
                    .hasMessageContaining(TestkitSettings.MOTO_START_TIMEOUT_PROPERTY);
        } finally {
            restore(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, oldExecutable);
            restore(TestkitSettings.MOTO_START_TIMEOUT_PROPERTY, oldTimeout);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        for (Path pidFile : List.of(parentPid, childPid)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(ProcessHandle.of(pid).filter(ProcessTrees::isRunning))
                    .as("process %d from %s", pid, pidFile.getFileName())
                    .isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------ units

    @Test
    void executableLookupPrefersPropertyThenEnvironmentThenPath(@TempDir Path dir) throws IOException {
        assumePosixShell();
        Path onPath = Files.createDirectories(dir.resolve("bin"));
        Path pathMoto = script(onPath, "moto_server", "exit 0\n");
        Path propertyMoto = script(dir, "from-property", "exit 0\n");
        Path envMoto = script(dir, "from-env", "exit 0\n");
        String path = dir.resolve("empty") + File.pathSeparator + onPath;

        assertThat(MotoExecutable.lookup(null, null, path).executable()).isEqualTo(pathMoto);
        assertThat(MotoExecutable.lookup(" ", "", path).executable()).isEqualTo(pathMoto);
        assertThat(MotoExecutable.lookup(null, envMoto.toString(), path).executable()).isEqualTo(envMoto);
        assertThat(MotoExecutable.lookup(propertyMoto.toString(), envMoto.toString(), path).executable())
                .isEqualTo(propertyMoto);

        MotoExecutable.Lookup badEnv = MotoExecutable.lookup(null, dir.resolve("gone").toString(), path);
        assertThat(badEnv.executable()).as("a wrong setting is reported, not skipped").isNull();
        assertThat(badEnv.problem()).contains(TestkitSettings.MOTO_EXECUTABLE_VARIABLE)
                .contains(dir.resolve("gone").toString());

        Path notExecutable = Files.writeString(dir.resolve("plain-file"), "not a program");
        assertThat(MotoExecutable.lookup(notExecutable.toString(), null, path).problem())
                .contains(TestkitSettings.MOTO_EXECUTABLE_PROPERTY)
                .contains("not an executable file");

        String nothing = MotoExecutable.lookup(null, null, dir.resolve("a") + File.pathSeparator + dir.resolve("b"))
                .problem();
        assertThat(nothing)
                .contains(TestkitSettings.MOTO_EXECUTABLE_PROPERTY + " (not set)")
                .contains(TestkitSettings.MOTO_EXECUTABLE_VARIABLE + " (not set)")
                .contains("PATH")
                .contains(dir.resolve("a").toString())
                .contains(dir.resolve("b").toString())
                .contains("pip install 'moto[server]'");
        assertThat(MotoExecutable.lookup(null, null, null).problem()).contains("PATH is empty or not set");
    }

    @Test
    void resetReportsTheHttpStatusOfAFailedReset() throws IOException {
        HttpServer server = answering("127.0.0.1", 500, "{\"Error\": \"boom\"}", new AtomicInteger());
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            assertThatThrownBy(() -> MotoServer.postReset(endpoint))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("POST " + endpoint + "/moto-api/reset")
                    .hasMessageContaining("HTTP 500")
                    .hasMessageContaining("boom");
        } finally {
            server.stop(0);
        }
        int closedPort = MotoServer.freePort();
        assertThatThrownBy(() -> MotoServer.postReset(URI.create("http://127.0.0.1:" + closedPort)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("/moto-api/reset");
    }

    // --------------------------------------------------------------------------------------------------- helpers

    /** Skips the test without moto_server, unless -Dbsm.requireEmulator=true demands the emulator. */
    static void assumeMotoAvailable() {
        Optional<String> reason = MotoServer.unavailableReason();
        if (reason.isPresent()) {
            if (Boolean.getBoolean("bsm.requireEmulator")) {
                fail("bsm.requireEmulator=true, but moto_server is unavailable: " + reason.get());
            }
            assumeTrue(false, reason.get());
        }
    }

    private static void assumePosixShell() {
        assumeTrue(!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                && Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX /bin/sh");
    }

    private static Path script(Path dir, String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static void restore(String key, String oldValue) {
        if (oldValue == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, oldValue);
        }
    }

    private static HttpResponse<String> get(MotoServer moto, String path) throws IOException, InterruptedException {
        return send(moto, "GET", path);
    }

    private static HttpResponse<String> send(MotoServer moto, String method, String path)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(moto.endpoint().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends an AWS query-protocol request. moto does not check signatures, but it picks the service from the
     * credential scope of the Authorization header; an unsigned form POST to "/" would be taken for S3.
     */
    private static String awsQuery(MotoServer moto, String service, String form)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(moto.endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + moto.accessKeyId() + "/20250101/"
                        + moto.region() + "/" + service + "/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", service, form, response.body()).isEqualTo(200);
        return response.body();
    }

    /** Starts an HTTP server on a free port of {@code address} that answers every request alike, and counts them. */
    private static HttpServer answering(String address, int status, String body, AtomicInteger requests)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration limit)
            throws InterruptedException {
        awaitTrue(condition, limit, () -> "condition not met");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration limit,
            java.util.function.Supplier<String> failure) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                fail(failure.get() + " (waited " + limit + ")");
            }
            Thread.sleep(50);
        }
    }


    /** Child JVM of the kill -9 tests: starts an owned and the shared server, reports them, then waits. */
    static final class HoldsMoto {
        public static void main(String[] args) throws Exception {
            if (!args[0].isEmpty()) {
                System.setProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, args[0]);
            }
            MotoServer owned = MotoServer.start();
            System.clearProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY);
            MotoServer shared = MotoServer.shared();
            for (MotoServer server : List.of(owned, shared)) {
                System.out.println("pid=" + server.processHandle().pid() + " port=" + server.endpoint().getPort()
                        + " log=" + server.logFile());
            }
            System.out.flush();
            Thread.sleep(TimeUnit.SECONDS.toMillis(120)); // bounded: the test kills this JVM long before
        }
    }

    /** A child JVM holding two servers, with what the parent needs to see that they are gone. */
    private static final class HeldServers {
        final Process child;
        final List<Long> serverPids = new ArrayList<>();
        final List<Integer> ports = new ArrayList<>();
        final List<Path> logs = new ArrayList<>();
        /** Every process the child started, captured while it runs. */
        final List<ProcessHandle> processes = new ArrayList<>();
        /** The inodes of the servers' listening sockets; empty where /proc does not tell. */
        final Set<Long> listeners = new java.util.HashSet<>();

        private HeldServers(Process child) {
            this.child = child;
        }

        static HeldServers start(Path dir, String executable) throws IOException {
            Path stderr = dir.resolve("child.stderr");
            // A temporary directory of its own: another run's sweep (other builds of this user) must not stop
            // the servers that the tests leave without JVM and watchdog on purpose.
            Path temporary = Files.createDirectories(dir.resolve("tmp"));
            // The JVM's own shared server: the build's is BuildLeaseTests'.
            Process child = new ProcessBuilder(ForkedJvm.javaExecutable().toString(), "-Djava.io.tmpdir=" + temporary,
                    "-D" + TestkitSettings.EMULATOR_SHARE_PROPERTY + "=jvm",
                    "-cp", System.getProperty("java.class.path"), HoldsMoto.class.getName(), executable)
                    .redirectError(stderr.toFile())
                    .start();
            child.getOutputStream().close();
            HeldServers held = new HeldServers(child);
            try {
                java.io.BufferedReader out = new java.io.BufferedReader(
                        new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                for (int i = 0; i < 2; i++) {
                    String line = out.readLine();
                    assertThat(line).as("child's report; stderr: %s", Files.readString(stderr)).isNotNull()
                            .startsWith("pid=");
                    String[] fields = line.split(" ", 3);
                    held.serverPids.add(Long.parseLong(fields[0].substring("pid=".length())));
                    held.ports.add(Integer.parseInt(fields[1].substring("port=".length())));
                    held.logs.add(Path.of(fields[2].substring("log=".length())));
                }
                child.toHandle().descendants().forEach(held.processes::add);
                for (int port : held.ports) {
                    assertThat(acceptsConnections(port)).isTrue();
                    PortListeners.listening(port).ifPresent(held.listeners::addAll);
                }
                assertThat(held.servers()).hasSize(2);
            } catch (IOException | RuntimeException | Error e) {
                held.kill();
                throw e;
            }
            return held;
        }

        List<ProcessHandle> servers() {
            return processes.stream().filter(handle -> serverPids.contains(handle.pid()))
                    .collect(Collectors.toList());
        }

        /**
         * Whether none of the servers' listening sockets is left: by inode where /proc tells (another program may
         * have been given a freed port meanwhile), else by connecting.
         */
        boolean noListenerLeft() {
            if (listeners.isEmpty()) {
                return ports.stream().noneMatch(MotoServerTests::acceptsConnections);
            }
            return ports.stream().allMatch(port -> PortListeners.listening(port)
                    .map(now -> java.util.Collections.disjoint(now, listeners)).orElse(true));
        }

        void kill() {
            child.destroyForcibly();
            processes.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Child JVM of the race test: N threads ask for the shared server at once; prints what they got. */
    static final class SharedRace {
        public static void main(String[] args) throws Exception {
            int threads = Integer.parseInt(args[0]);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<MotoServer>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return MotoServer.shared();
                }));
            }
            go.countDown();
            Set<MotoServer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<MotoServer> future : futures) {
                distinct.add(future.get(60, TimeUnit.SECONDS));
            }
            pool.shutdownNow();
            System.out.println("servers=" + distinct.size() + " starts=" + MotoServer.SHARED_STARTS.get()
                    + " sharing=" + distinct.iterator().next().sharing());
        }
    }
}
