package dev.bsm.testkit;

import static dev.bsm.testkit.EmulatorContractTests.bucketNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.bsm.core.BotoSesManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real LocalStack container. Skipped with bsm's own reason ("Docker is not available: ...") where there is no
 * Docker, found the way the emulator choice finds it, so a machine without Docker never initialises Testcontainers
 * here either; the first run pulls the image.
 */
@ExtendWith(LocalStackEmulatorDockerTests.DockerAvailable.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LocalStackEmulatorDockerTests {

    private static LocalStackEmulator localstack;

    @BeforeAll
    static void start() {
        localstack = LocalStackEmulator.create();
        localstack.endpoint(); // start now, so a failure is reported once and clearly
    }

    @AfterAll
    static void stop() {
        if (localstack != null) {
            localstack.close();
        }
    }

    @Test
    void theSessionTalksToStsInLocalStacksDefaultAccount() {
        Emulator emulator = localstack;
        BotoSesManager session = emulator.session();

        assertThat(session.awsAccountId()).isEqualTo("000000000000").isEqualTo(localstack.accountId());
        assertThat(session.awsRegion()).isEqualTo(emulator.region()).isEqualTo("us-east-1");
        assertThat(emulator.accessKeyId()).isEqualTo("test");
        assertThat(emulator.endpoint().getScheme()).isEqualTo("http");
        assertThat(emulator.description())
                .startsWith("LocalStack " + localstack.image() + " at " + emulator.endpoint() + " (container ")
                .doesNotContain(emulator.secretAccessKey() + ")");
    }

    @Test
    void s3BucketsAreCreatedThroughTheSessionsClient() {
        S3Client s3 = localstack.session().client(S3Client.class);
        s3.createBucket(b -> b.bucket("bsm-localstack-bucket"));
        s3.putObject(b -> b.bucket("bsm-localstack-bucket").key("hello.txt"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("hello"));

        assertThat(bucketNames(s3)).contains("bsm-localstack-bucket");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("bsm-localstack-bucket").key("hello.txt")).asUtf8String())
                .isEqualTo("hello");
    }

    @Test
    void resetDropsTheBucketsWhereTheImageSupportsIt() {
        S3Client s3 = localstack.session().client(S3Client.class);
        s3.createBucket(b -> b.bucket("bsm-localstack-reset"));
        try {
            localstack.reset();
        } catch (UnsupportedOperationException e) {
            abort(e.getMessage());
        }
        assertThat(bucketNames(s3)).doesNotContain("bsm-localstack-reset");
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void theChoicePicksLocalStackWhereDockerRuns() {
        EmulatorChoice choice = Emulators.choose(Optional.empty());
        assertThat(choice.emulator()).containsSame(LocalStackEmulator.shared());
        assertThat(choice.attempts().get(1)).startsWith("Docker is available: using LocalStack (image ");
        assertThat(choice.summary()).startsWith("AWS emulator: LocalStack ").contains("shared");
    }

    @Test
    void closeStopsTheContainer() throws Exception {
        LocalStackEmulator own = LocalStackEmulator.create();
        URI endpoint = own.endpoint();
        assertThat(own.session().awsAccountId()).isEqualTo(own.accountId());

        own.close();

        assertThat(own.description()).endsWith("(closed)");
        assertThatThrownBy(own::endpoint).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(own::session).isInstanceOf(IllegalStateException.class);
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()),
                    2000)).as("nothing listens on %s any more", endpoint).isInstanceOf(java.io.IOException.class);
        }
        own.close(); // idempotent
    }

    /** Disables the class with {@link LocalStackEmulator#unavailableReason()} where LocalStack cannot start. */
    static final class DockerAvailable implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return LocalStackEmulator.unavailableReason().map(ConditionEvaluationResult::disabled)
                    .orElseGet(() -> ConditionEvaluationResult.enabled("Docker is available"));
        }
    }
}
