package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** What {@link LocalStackEmulator} does without a container; the container tests are in
 * {@link LocalStackEmulatorDockerTests}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalStackEmulatorTests {

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void theImageIsAPinnedCommunityTagUnlessOverridden() {
        String old = System.getProperty(TestkitSettings.LOCALSTACK_IMAGE_PROPERTY);
        try {
            System.clearProperty(TestkitSettings.LOCALSTACK_IMAGE_PROPERTY);
            assertThat(LocalStackEmulator.defaultImage()).isEqualTo("localstack/localstack:4.9.2");
            assertThat(LocalStackEmulator.create().image()).isEqualTo("localstack/localstack:4.9.2");

            System.setProperty(TestkitSettings.LOCALSTACK_IMAGE_PROPERTY,
                    " mirror.example/localstack/localstack:4.12 ");
            assertThat(LocalStackEmulator.defaultImage()).isEqualTo("mirror.example/localstack/localstack:4.12");
            LocalStackEmulator created = LocalStackEmulator.create();
            assertThat(created.image()).isEqualTo("mirror.example/localstack/localstack:4.12");
            assertThat(created.description())
                    .isEqualTo("LocalStack mirror.example/localstack/localstack:4.12 (not started yet)");
            assertThat(created.toString()).contains("not started yet");
            created.close(); // never started: nothing to stop
            assertThat(created.description()).endsWith("(closed)");
            assertThatThrownBy(created::endpoint)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        } finally {
            if (old == null) {
                System.clearProperty(TestkitSettings.LOCALSTACK_IMAGE_PROPERTY);
            } else {
                System.setProperty(TestkitSettings.LOCALSTACK_IMAGE_PROPERTY, old);
            }
        }
        assertThat(LocalStackEmulator.create("localstack/localstack:4.12").image())
                .isEqualTo("localstack/localstack:4.12");
        assertThatThrownBy(() -> LocalStackEmulator.create(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void theSharedEmulatorIsOneLazyInstanceThatCloseDoesNotStop() {
        LocalStackEmulator shared = LocalStackEmulator.shared();
        assertThat(LocalStackEmulator.shared()).isSameAs(shared);
        shared.close();
        assertThat(shared.description()).contains("shared").doesNotContain("closed");
        assertThat(shared.accountId()).matches("\\d{12}");
    }

    @Test
    void withoutDockerStartingFailsWithTheReasonAndDetectionIsBounded() {
        long began = System.nanoTime();
        Optional<String> reason = LocalStackEmulator.unavailableReason();
        assumeTrue(reason.isPresent(), "Docker is available here");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(TestkitSettings.DEFAULT_DOCKER_DETECT_TIMEOUT
                .plusSeconds(2));
        assertThat(reason.get()).startsWith("Docker is not available: ").contains("DOCKER_HOST");

        try (LocalStackEmulator localstack = LocalStackEmulator.create()) {
            assertThatThrownBy(localstack::session)
                    .isInstanceOf(EmulatorUnavailableException.class)
                    .hasMessage("LocalStack cannot start: " + reason.get());
            assertThat(localstack.description()).as("unavailable is not a start failure; nothing was started")
                    .endsWith("(not started yet)");
        }
        long again = System.nanoTime();
        assertThat(LocalStackEmulator.unavailableReason()).isEqualTo(reason);
        assertThat(Duration.ofNanos(System.nanoTime() - again)).as("the verdict is kept")
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void resetMapsTheAnswerOfTheStateResetEndpoint() throws IOException {
        AtomicReference<Integer> status = new AtomicReference<>(200);
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            seen.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] body = (status.get() == 200 ? "" : "<Error>NoSuchBucket</Error>").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            assertThatCode(() -> LocalStackEmulator.postReset(endpoint, "img:1")).doesNotThrowAnyException();
            assertThat(seen.get()).isEqualTo("POST /_localstack/state/reset");

            status.set(404);
            assertThatThrownBy(() -> LocalStackEmulator.postReset(endpoint, "img:1"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("LocalStack image img:1 cannot reset its state")
                    .hasMessageContaining("HTTP 404")
                    .hasMessageContaining("NoSuchBucket")
                    .hasMessageContaining("unique resource names");

            status.set(503);
            assertThatThrownBy(() -> LocalStackEmulator.postReset(endpoint, "img:1"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("HTTP 503");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aStartFailureThatNeedsAnAccountSaysWhatToDo() {
        assertThat(LocalStackEmulator.needsAccount("License activation failed! LocalStack requires an account"))
                .isTrue();
        assertThat(LocalStackEmulator.needsAccount("Container exited with code 55")).isTrue();
        assertThat(LocalStackEmulator.needsAccount("Wait strategy failed. Container exited with code 55")).isTrue();
        assertThat(LocalStackEmulator.needsAccount("exitCode=55")).isTrue();
        assertThat(LocalStackEmulator.needsAccount("exited with code 550")).isFalse();
        assertThat(LocalStackEmulator.needsAccount("Ready.")).isFalse();
        assertThat(LocalStackEmulator.mask("no token in the environment here")).isEqualTo(
                "no token in the environment here");
    }
}
