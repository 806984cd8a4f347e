package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.LocalStackEmulator;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code localstack = true} with no endpoint given starts LocalStack in a container where Docker runs. Without
 * Docker (as on this project's machines) these tests are skipped with the reason.
 */
@Isolated("runs fixture tests that change the environment")
class LocalStackRedirectTests {

    @BeforeEach
    void dockerIsAvailable() {
        LocalStackEmulator.unavailableReason().ifPresent(reason -> abort("LocalStack cannot start here: " + reason));
    }

    @WithAwsSession(localstack = true)
    static class OnLocalStackTestCase {
        @Test
        void sessionAndSelfBuiltClientsGoToLocalStack(BotoSesManager bsm) {
            assertThat(bsm.awsAccountId()).isEqualTo(LocalStackEmulator.shared().accountId());
            try (S3Client own = S3Client.create()) {
                own.createBucket(b -> b.bucket("built-by-the-code-under-test"));
            }
            assertThat(bsm.client(S3Client.class).listBuckets().buckets())
                    .anySatisfy(b -> assertThat(b.name()).isEqualTo("built-by-the-code-under-test"));
        }
    }

    @Test
    void localstackIsChosenWhenDockerRuns() {
        BsmTestKit.runWithoutEndpoint(Map.of(), OnLocalStackTestCase.class).testEvents()
                .assertStatistics(s -> s.succeeded(1));
    }
}
