package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.testkit.DockerProbe.Verdict;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick Docker check on made-up hosts: a home, a "/var/run/docker.sock" and a "/run/user/UID" of the test's
 * own, so this machine's real sockets and files never count.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DockerProbeTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final String PONG = "HTTP/1.1 200 OK\r\nApi-Version: 1.47\r\nContent-Type: text/plain; "
            + "charset=utf-8\r\nContent-Length: 2\r\n\r\nOK";

    @TempDir
    Path dir;
    private Path home;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void makeHome() throws IOException {
        home = Files.createDirectory(dir.resolve("home"));
    }

    private DockerProbe.Host host() {
        return new DockerProbe.Host(env, home, false, dir.resolve("var-run-docker.sock"),
                Optional.of(dir.resolve("run-user")));
    }

    private DockerProbe.Result check() {
        return DockerProbe.check(host(), TIMEOUT);
    }

    // ------------------------------------------------------------------------------------------- no Docker here

    @Test
    void withNothingAnywhereDockerIsAbsentAndEveryPlaceIsNamed() {
        env.put("XDG_RUNTIME_DIR", dir.resolve("xdg").toString());

        DockerProbe.Result result = check();

        assertThat(result.verdict()).isEqualTo(Verdict.ABSENT);
        assertThat(result.reason()).startsWith("no Docker daemon answered (DOCKER_HOST is not set; no socket file at ");
        assertThat(DockerProbe.defaultSockets(host())).hasSize(9)
                .allSatisfy(socket -> assertThat(result.reason()).contains(socket.toString()))
                .contains(dir.resolve("var-run-docker.sock"), dir.resolve("xdg/docker.sock"),
                        home.resolve(".docker/run/docker.sock"), home.resolve(".docker/desktop/docker.sock"),
                        dir.resolve("run-user/docker.sock"));
    }

    @Test
    void aDockerHostWithoutSocketFileIsNamedWithWhatWasFound() {
        Path socket = dir.resolve("docker.sock");
        env.put("DOCKER_HOST", "unix://" + socket);

        DockerProbe.Result result = check();

        assertThat(result.verdict()).isEqualTo(Verdict.ABSENT);
        assertThat(result.reason()).contains("DOCKER_HOST unix://" + socket + ": no socket file there")
                .doesNotContain("DOCKER_HOST is not set");
    }

    @Test
    void aStaleSocketFileIsNotDocker() throws IOException {
        Path socket = dir.resolve("stale.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket)); // closed: the file stays, nothing listens
        }
        assertThat(socket).exists();
        env.put("DOCKER_HOST", "unix://" + socket);

        DockerProbe.Result result = check();

        assertThat(result.verdict()).isEqualTo(Verdict.ABSENT);
        assertThat(result.reason()).contains("DOCKER_HOST unix://" + socket
                + ": connection refused, a socket file nothing listens on");
    }

    @Test
    void aSocketThatHangsUpOrAnswersGarbageIsNotDocker() throws IOException {
        try (FakeSocket hangsUp = FakeSocket.answering(dir.resolve("hangs-up.sock"), null);
                FakeSocket garbage = FakeSocket.answering(dir.resolve("garbage.sock"),
                        "SSH-2.0-OpenSSH_9.2\r\n")) {
            env.put("DOCKER_HOST", "unix://" + hangsUp.path);
            DockerProbe.Result result = check();
            assertThat(result.verdict()).isEqualTo(Verdict.ABSENT);
            assertThat(result.reason()).contains("closed the connection without answering GET /_ping");

            env.put("DOCKER_HOST", "unix://" + garbage.path);
            result = check();
            assertThat(result.verdict()).isEqualTo(Verdict.ABSENT);
            assertThat(result.reason()).contains("answered GET /_ping with something that is not HTTP");
            assertThat(garbage.requests).first().asString().startsWith("GET /_ping HTTP/1.1\r\n");
        }
    }

    @Test
    void aRefusedOrUnknownTcpHostIsNotDocker() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        env.put("DOCKER_HOST", "tcp://127.0.0.1:" + closedPort);
        DockerProbe.Result result = check();
        assertThat(result.verdict()).isEqualTo(Verdict.ABSENT);
        assertThat(result.reason()).contains("DOCKER_HOST tcp://127.0.0.1:" + closedPort + ": connection refused");

        env.put("DOCKER_HOST", "tcp://bsm-no-such-docker-host.invalid:2375");
        result = check();
        assertThat(result.verdict()).isEqualTo(Verdict.ABSENT);
        assertThat(result.reason()).contains("bsm-no-such-docker-host.invalid:2375: unknown host");
    }

    @Test
    void credentialsInDockerHostNeverReachTheReason() {
        env.put("DOCKER_HOST", "tcp://bsm:s3cretPass@127.0.0.1:1/?token=t0ken");

        DockerProbe.Result result = check();

        assertThat(result.reason()).contains("DOCKER_HOST tcp://127.0.0.1:1").doesNotContain("s3cretPass")
                .doesNotContain("t0ken");
    }

    // -------------------------------------------------------------------------------------------- Docker here

    @Test
    void aDaemonAnsweringPingAtDockerHostIsDocker() throws IOException {
        try (FakeSocket daemon = FakeSocket.answering(dir.resolve("docker.sock"), PONG)) {
            env.put("DOCKER_HOST", "unix://" + daemon.path);

            DockerProbe.Result result = check();

            assertThat(result.verdict()).isEqualTo(Verdict.ANSWERS);
            assertThat(result.reason()).isEqualTo("a Docker daemon answered at DOCKER_HOST unix://" + daemon.path);
            assertThat(daemon.requests).singleElement().asString().startsWith("GET /_ping HTTP/1.1\r\n");
        }
    }

    @Test
    void aDaemonAtADefaultSocketIsDockerAfterADeadDockerHost() throws IOException {
        env.put("DOCKER_HOST", "unix://" + dir.resolve("nothing.sock"));
        try (FakeSocket daemon = FakeSocket.answering(home.resolve(".docker/desktop/docker.sock"), PONG)) {
            DockerProbe.Result result = check();

            assertThat(result.verdict()).as("Testcontainers tries its other strategies after DOCKER_HOST too")
                    .isEqualTo(Verdict.ANSWERS);
            assertThat(result.reason()).isEqualTo("a Docker daemon answered at " + daemon.path);
        }
    }

    @Test
    void aListeningTcpHostIsDockerForTestcontainersToCheck() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            env.put("DOCKER_HOST", "tcp://127.0.0.1:" + socket.getLocalPort());

            assertThat(check().verdict()).isEqualTo(Verdict.ANSWERS);
        }
    }

    @Test
    void theHostsInTestcontainersPropertiesAreTried() throws IOException {
        try (FakeSocket daemon = FakeSocket.answering(dir.resolve("tc.sock"), PONG)) {
            Files.writeString(home.resolve(".testcontainers.properties"), "tc.host=unix://" + daemon.path + "\n");
            DockerProbe.Result result = check();
            assertThat(result.verdict()).isEqualTo(Verdict.ANSWERS);
            assertThat(result.reason()).contains("tc.host in ~/.testcontainers.properties unix://" + daemon.path);

            Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=unix://" + daemon.path + "\n");
            result = check();
            assertThat(result.verdict()).isEqualTo(Verdict.ANSWERS);
            assertThat(result.reason()).contains("docker.host in ~/.testcontainers.properties");
        }
    }

    // ------------------------------------------------------------------------------ left to Testcontainers

    @Test
    void aSocketThatDoesNotAnswerInTimeOrAnswersAnotherStatusIsLeftToTestcontainers() throws IOException {
        try (FakeSocket silent = FakeSocket.silent(dir.resolve("silent.sock"));
                FakeSocket starting = FakeSocket.answering(dir.resolve("starting.sock"),
                        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")) {
            env.put("DOCKER_HOST", "unix://" + silent.path);
            DockerProbe.Result result = DockerProbe.check(host(), Duration.ofMillis(300));
            assertThat(result.verdict()).isEqualTo(Verdict.ASK_TESTCONTAINERS);
            assertThat(result.reason()).contains("but DOCKER_HOST unix://" + silent.path
                    + " accepted the connection but did not answer GET /_ping within PT0.3S");

            env.put("DOCKER_HOST", "unix://" + starting.path);
            result = check();
            assertThat(result.verdict()).isEqualTo(Verdict.ASK_TESTCONTAINERS);
            assertThat(result.reason()).contains("answered GET /_ping with HTTP 503");
        }
    }

    @Test
    void whatBsmCannotCheckCheaplyIsLeftToTestcontainers() throws IOException {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("DOCKER_HOST=npipe:////./pipe/docker_engine", "DOCKER_HOST uses npipe://");
        cases.put("DOCKER_HOST=ssh://me@docker.example", "DOCKER_HOST uses ssh://");
        cases.put("DOCKER_CONTEXT=colima", "DOCKER_CONTEXT is colima: Docker contexts are left to Testcontainers");
        cases.put("TESTCONTAINERS_DOCKER_CLIENT_STRATEGY=com.example.MyStrategy",
                "a Docker client strategy of its own (com.example.MyStrategy)");
        cases.put("TESTCONTAINERS_DOCKERCONFIG_SOURCE=autoIgnoringUserProperties",
                "dockerconfig.source is autoIgnoringUserProperties");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            env.clear();
            String[] variable = entry.getKey().split("=", 2);
            env.put(variable[0], variable[1]);

            DockerProbe.Result result = check();

            assertThat(result.verdict()).as(entry.getKey()).isEqualTo(Verdict.ASK_TESTCONTAINERS);
            assertThat(result.reason()).as(entry.getKey()).startsWith("no Docker daemon answered (")
                    .contains(entry.getValue());
        }
        assertThat(result("TESTCONTAINERS_DOCKER_CLIENT_STRATEGY",
                "org.testcontainers.dockerclient.UnixSocketClientProviderStrategy").verdict())
                .as("the strategy Testcontainers persists itself").isEqualTo(Verdict.ABSENT);
        assertThat(result("DOCKER_CONTEXT", "default").verdict()).isEqualTo(Verdict.ABSENT);

        env.clear();
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\": {}, \"currentContext\": \"desktop-linux\"}");
        assertThat(check().reason()).contains("the current Docker context in " + home.resolve(".docker/config.json")
                + " is desktop-linux");
        Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\": \"default\"}");
        assertThat(check().verdict()).isEqualTo(Verdict.ABSENT);

        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.createFile(bin.resolve("docker-machine"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        env.put("PATH", bin.toString());
        assertThat(check().reason()).contains("docker-machine is installed (" + bin.resolve("docker-machine") + ")");

        DockerProbe.Result windows = DockerProbe.check(new DockerProbe.Host(Map.of(), home, true,
                dir.resolve("var-run-docker.sock"), Optional.empty()), TIMEOUT);
        assertThat(windows.verdict()).isEqualTo(Verdict.ASK_TESTCONTAINERS);
        assertThat(windows.reason()).contains("named pipe");
    }

    private DockerProbe.Result result(String variable, String value) {
        env.clear();
        env.put(variable, value);
        return check();
    }

    // ------------------------------------------------------------------------------------ through DockerCheck

    @Test
    void withoutDockerTheDetectionSaysTestcontainersWasNotAskedAndHowToSkipIt() {
        env.put("DOCKER_HOST", "unix://" + dir.resolve("docker.sock"));

        Optional<String> reason = DockerCheck.detect(host(), Duration.ofSeconds(20));

        assertThat(reason).get().asString()
                .startsWith("no Docker daemon answered (DOCKER_HOST unix://" + dir.resolve("docker.sock"))
                .contains("Testcontainers was not asked")
                .contains("-Dbsm.localstack.enabled=false");
    }

    // --------------------------------------------------------------------------------------------------- helpers

    /** A unix socket server that records each request and answers it with fixed text, with nothing, or not at all. */
    static final class FakeSocket implements AutoCloseable {
        final Path path;
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ServerSocketChannel server;
        private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
        private final Thread thread;

        private FakeSocket(Path path, String answer, boolean answers) throws IOException {
            this.path = path;
            Files.createDirectories(path.getParent());
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            thread = new Thread(() -> serve(answer, answers), "fake-docker-socket");
            thread.setDaemon(true);
            thread.start();
        }

        /** @param answer what to write after reading a request, then hang up; {@code null}: hang up at once */
        static FakeSocket answering(Path path, String answer) throws IOException {
            return new FakeSocket(path, answer, true);
        }

        /** Accepts and reads, but never answers nor hangs up. */
        static FakeSocket silent(Path path) throws IOException {
            return new FakeSocket(path, null, false);
        }

        private void serve(String answer, boolean answers) {
            while (server.isOpen()) {
                try {
                    SocketChannel client = server.accept();
                    accepted.add(client);
                    if (answers && answer == null) {
                        client.close();
                        continue;
                    }
                    ByteBuffer buffer = ByteBuffer.allocate(1024);
                    client.read(buffer);
                    requests.add(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
                    if (answers) {
                        client.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)));
                        client.close();
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (SocketChannel client : accepted) {
                client.close();
            }
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(path);
        }
    }
}
