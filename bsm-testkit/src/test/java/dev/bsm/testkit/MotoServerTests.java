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
        int port = moto.endpoint().getPort();
        Path log = moto.logFile();
        assertThat(acceptsConnections(port)).isTrue();

        moto.close();

        assertThat(handle.isAlive()).isFalse();
        assertThat(acceptsConnections(port)).isFalse();
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
        Path realMoto = MotoServer.resolveExecutable();
        // A wrapper that runs moto_server as a child instead of exec-ing it, so the tree has a grandchild.
        Path wrapper = script(dir, "moto-wrapper", quote(realMoto.toString()) + " \"$@\"\n");

        String old = System.getProperty(MotoServer.EXECUTABLE_PROPERTY);
        System.setProperty(MotoServer.EXECUTABLE_PROPERTY, wrapper.toString());
        MotoServer moto;
        try {
            moto = MotoServer.start();
        } finally {
            restore(MotoServer.EXECUTABLE_PROPERTY, old);
        }
        List<ProcessHandle> tree = new ArrayList<>();
        moto.processHandle().descendants().forEach(tree::add);
        assertThat(tree).as("descendants of the wrapper").isNotEmpty();
        tree.add(moto.processHandle());
        int port = moto.endpoint().getPort();

        moto.close();

        assertThat(tree).noneMatch(MotoServer::isRunning);
        assertThat(acceptsConnections(port)).isFalse();
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void sharedIsStartedOnceForSixteenConcurrentCallersAndSurvivesClose() throws Exception {
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
            assertThat(MotoServer.SHARED_STARTS.get()).isEqualTo(1);

            // Other tests of this JVM may have started the shared server already, so the race above may not have
            // raced: run it again in a fresh JVM, where the sixteen threads are the first callers.
            ForkedJvm.Result race = ForkedJvm.mainClass(SharedRace.class).args(String.valueOf(threads))
                    .timeout(Duration.ofSeconds(120)).run();
            assertThat(race.succeeded()).as("%s: %s", race, race.stderr()).isTrue();
            assertThat(race.stdout().strip()).isEqualTo("servers=1 starts=1");

            MotoServer shared = distinct.iterator().next();
            assertThat(shared).isSameAs(MotoServer.shared());
            assertThat(shared.toString()).contains("shared");
            shared.close(); // documented no-op
            assertThat(shared.processHandle().isAlive()).isTrue();
            assertThat(get(shared, "/moto-api/").statusCode()).isEqualTo(200);
            shared.reset();
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
                    .hasMessageContaining("Port " + taken + " was taken by another program")
                    .hasMessageContaining("in use");
            assertThat(calls).hasValue(MotoServer.MAX_START_ATTEMPTS);
        }
    }

    // ------------------------------------------------------------------------------------- failures to start

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void anExecutableThatExitsImmediatelyGivesAUsefulStartException() {
        Path falseCommand = Path.of("/bin/false");
        assumeTrue(Files.isExecutable(falseCommand), "needs /bin/false");
        String old = System.getProperty(MotoServer.EXECUTABLE_PROPERTY);
        try {
            System.setProperty(MotoServer.EXECUTABLE_PROPERTY, falseCommand.toString());
            assertThat(MotoServer.unavailableReason()).isEmpty();

            assertThatThrownBy(MotoServer::start)
                    .isInstanceOf(EmulatorStartException.class)
                    .hasMessageContaining("exited with code 1")
                    .hasMessageContaining("Command: /bin/false -H 127.0.0.1 -p ")
                    .hasMessageContaining("Log tail")
                    .hasMessageMatching("(?s).*after \\d+\\.\\d s.*");
        } finally {
            restore(MotoServer.EXECUTABLE_PROPERTY, old);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void aMissingExecutableIsReportedAsUnavailable(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-dir").resolve("moto_server");
        String old = System.getProperty(MotoServer.EXECUTABLE_PROPERTY);
        try {
            System.setProperty(MotoServer.EXECUTABLE_PROPERTY, missing.toString());

            Optional<String> reason = MotoServer.unavailableReason();
            assertThat(reason).hasValueSatisfying(text -> assertThat(text)
                    .contains(MotoServer.EXECUTABLE_PROPERTY)
                    .contains(missing.toString())
                    .contains("no such file")
                    .contains("moto[server]"));
            assertThatThrownBy(MotoServer::start)
                    .isInstanceOf(EmulatorUnavailableException.class)
                    .hasMessage(reason.orElseThrow());
        } finally {
            restore(MotoServer.EXECUTABLE_PROPERTY, old);
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
        String oldExecutable = System.getProperty(MotoServer.EXECUTABLE_PROPERTY);
        String oldTimeout = System.getProperty(MotoServer.START_TIMEOUT_PROPERTY);
        long began = System.nanoTime();
        try {
            System.setProperty(MotoServer.EXECUTABLE_PROPERTY, hanging.toString());
            System.setProperty(MotoServer.START_TIMEOUT_PROPERTY, "PT1S");

            assertThatThrownBy(MotoServer::start)
                    .isInstanceOf(EmulatorStartException.class)
                    .hasMessageContaining("within the start timeout of PT1S")
                    .hasMessageContaining("killed")
                    .hasMessageContaining("Command: " + hanging)
                    .hasMessageContaining("fake moto")
                    .hasMessageContaining(MotoServer.START_TIMEOUT_PROPERTY);
        } finally {
            restore(MotoServer.EXECUTABLE_PROPERTY, oldExecutable);
            restore(MotoServer.START_TIMEOUT_PROPERTY, oldTimeout);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        for (Path pidFile : List.of(parentPid, childPid)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(ProcessHandle.of(pid).filter(MotoServer::isRunning))
                    .as("process %d from %s", pid, pidFile.getFileName())
                    .isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------ units

    @Test
    void startTimeoutAcceptsIsoDurationsAndSeconds() {
        assertThat(MotoServer.parseStartTimeout(null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(MotoServer.parseStartTimeout("  ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(MotoServer.parseStartTimeout("PT45S")).isEqualTo(Duration.ofSeconds(45));
        assertThat(MotoServer.parseStartTimeout(" pt2m ")).isEqualTo(Duration.ofMinutes(2));
        assertThat(MotoServer.parseStartTimeout("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(MotoServer.parseStartTimeout("2.5")).isEqualTo(Duration.ofMillis(2500));
        for (String bad : List.of("abc", "0", "PT0S", "-PT1S", "-1", "1.5.2", "99999999999999999999")) {
            assertThatThrownBy(() -> MotoServer.parseStartTimeout(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(MotoServer.START_TIMEOUT_PROPERTY)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void executableLookupPrefersPropertyThenEnvironmentThenPath(@TempDir Path dir) throws IOException {
        assumePosixShell();
        Path onPath = Files.createDirectories(dir.resolve("bin"));
        Path pathMoto = script(onPath, "moto_server", "exit 0\n");
        Path propertyMoto = script(dir, "from-property", "exit 0\n");
        Path envMoto = script(dir, "from-env", "exit 0\n");
        String path = dir.resolve("empty") + File.pathSeparator + onPath;

        assertThat(MotoServer.lookup(null, null, path).executable()).isEqualTo(pathMoto);
        assertThat(MotoServer.lookup(" ", "", path).executable()).isEqualTo(pathMoto);
        assertThat(MotoServer.lookup(null, envMoto.toString(), path).executable()).isEqualTo(envMoto);
        assertThat(MotoServer.lookup(propertyMoto.toString(), envMoto.toString(), path).executable())
                .isEqualTo(propertyMoto);

        MotoServer.Lookup badEnv = MotoServer.lookup(null, dir.resolve("gone").toString(), path);
        assertThat(badEnv.executable()).as("a wrong setting is reported, not skipped").isNull();
        assertThat(badEnv.problem()).contains(MotoServer.EXECUTABLE_ENV).contains(dir.resolve("gone").toString());

        Path notExecutable = Files.writeString(dir.resolve("plain-file"), "not a program");
        assertThat(MotoServer.lookup(notExecutable.toString(), null, path).problem())
                .contains(MotoServer.EXECUTABLE_PROPERTY)
                .contains("not an executable file");

        String nothing = MotoServer.lookup(null, null, dir.resolve("a") + File.pathSeparator + dir.resolve("b"))
                .problem();
        assertThat(nothing)
                .contains(MotoServer.EXECUTABLE_PROPERTY + " (not set)")
                .contains(MotoServer.EXECUTABLE_ENV + " (not set)")
                .contains("PATH")
                .contains(dir.resolve("a").toString())
                .contains(dir.resolve("b").toString())
                .contains("pip install 'moto[server]'");
        assertThat(MotoServer.lookup(null, null, null).problem()).contains("PATH is empty or not set");
    }

    @Test
    void resetReportsTheHttpStatusOfAFailedReset() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"Error\": \"boom\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
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
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                fail("condition not met within " + limit);
            }
            Thread.sleep(50);
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
            System.out.println("servers=" + distinct.size() + " starts=" + MotoServer.SHARED_STARTS.get());
        }
    }
}
