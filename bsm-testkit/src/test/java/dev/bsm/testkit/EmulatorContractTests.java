package dev.bsm.testkit;

import static dev.bsm.testkit.MotoServerTests.assumeMotoAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bsm.core.BotoSesManager;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * {@link MotoServer} and {@link ExternalEndpoint} used only through the {@link Emulator} interface, against the real
 * {@code moto_server}. Without it these tests are skipped, or fail with {@code -Dbsm.requireEmulator=true}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmulatorContractTests {

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void motoThroughTheInterfaceGivesASessionInItsAccountAndResets() {
        assumeMotoAvailable();
        try (MotoServer moto = MotoServer.start()) {
            Emulator emulator = moto;

            BotoSesManager session = emulator.session();
            assertThat(session.awsAccountId()).isEqualTo(moto.accountId());
            assertThat(session.awsRegion()).isEqualTo(emulator.region());
            assertThat(emulator.session()).as("built once").isSameAs(session);

            S3Client s3 = session.client(S3Client.class);
            s3.createBucket(b -> b.bucket("bsm-contract-reset"));
            assertThat(bucketNames(s3)).contains("bsm-contract-reset");

            emulator.reset();

            assertThat(bucketNames(s3)).as("state dropped, session still usable").isEmpty();
            assertThat(emulator.description())
                    .startsWith("moto_server at " + emulator.endpoint())
                    .contains("pid " + moto.processHandle().pid())
                    .doesNotContain(emulator.secretAccessKey());

            emulator.close();

            assertThatThrownBy(emulator::session)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(() -> session.client(S3Client.class)).isInstanceOf(IllegalStateException.class);
            assertThat(emulator.description()).contains("closed");
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void theSessionIsBuiltOnceForConcurrentCallers() throws Exception {
        assumeMotoAvailable();
        Emulator emulator = MotoServer.shared();
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<BotoSesManager>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit((Callable<BotoSesManager>) () -> {
                    go.await();
                    return emulator.session();
                }));
            }
            go.countDown();
            Set<BotoSesManager> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<BotoSesManager> future : futures) {
                distinct.add(future.get(30, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
            emulator.close(); // the shared server ignores it ...
            assertThat(emulator.session()).as("... and keeps its session").isSameAs(distinct.iterator().next());
            assertThat(emulator.description()).contains("shared");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void anExternalEndpointOnARunningMotoWorksEndToEnd() {
        assumeMotoAvailable();
        try (MotoServer moto = MotoServer.start();
                ExternalEndpoint external = ExternalEndpoint.of(moto.endpoint())) {
            assertThat(external.endpoint()).isEqualTo(moto.endpoint());
            assertThat(external.region()).isEqualTo("us-east-1");
            assertThat(external.accessKeyId()).isEqualTo("test");

            BotoSesManager session = external.session();
            assertThat(session.awsAccountId()).isEqualTo(moto.accountId());
            S3Client s3 = session.client(S3Client.class);
            s3.createBucket(b -> b.bucket("bsm-external-bucket"));
            assertThat(bucketNames(moto.session().client(S3Client.class)))
                    .as("the same server seen through the owner's session")
                    .contains("bsm-external-bucket");

            assertThatThrownBy(external::reset)
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(moto.endpoint().toString())
                    .hasMessageContaining("unique resource names");
            assertThat(bucketNames(s3)).as("reset refused, nothing deleted").contains("bsm-external-bucket");

            external.close();
            assertThatThrownBy(external::session).isInstanceOf(IllegalStateException.class);
            assertThat(moto.session().awsAccountId()).as("closing the endpoint leaves the server alone")
                    .isEqualTo(moto.accountId());
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void anExternalEndpointUsesTheGivenRegionAndCredentials() {
        assumeMotoAvailable();
        MotoServer moto = MotoServer.shared();
        try (ExternalEndpoint external = ExternalEndpoint.of(moto.endpoint(), "eu-west-1", "AKIDBSMEXAMPLE",
                "not-a-real-secret")) {
            BotoSesManager session = external.session();
            assertThat(session.awsRegion()).isEqualTo("eu-west-1");
            assertThat(session.awsAccountId()).isEqualTo(moto.accountId());
            assertThat(session.toSnapshot()).as("the session signs with the given keys")
                    .containsEntry("aws_access_key_id", "AKIDBSMEXAMPLE")
                    .containsEntry("aws_secret_access_key", "not-a-real-secret");
            assertThat(session.toString()).contains("explicit keys AKID***MPLE")
                    .doesNotContain("AKIDBSMEXAMPLE").doesNotContain("not-a-real-secret");
        }
    }

    // ------------------------------------------------------------------------------------------------ units

    @Test
    void externalEndpointValidatesAndNeverPrintsTheSecret() {
        ExternalEndpoint external = ExternalEndpoint.of(URI.create("https://aws.example.test:8443/base"), " ap-south-1 ",
                "AKIDEXAMPLE", "very-secret-value");
        assertThat(external.region()).isEqualTo("ap-south-1");
        assertThat(external.toString()).contains("https://aws.example.test:8443/base").contains("ap-south-1")
                .doesNotContain("very-secret-value");
        assertThat(external.description()).isEqualTo("external endpoint https://aws.example.test:8443/base "
                + "(region ap-south-1)");
        external.close();
        external.close(); // idempotent, also without a session

        for (String bad : List.of("localhost:4566", "ftp://localhost:21", "/relative", "http:///nohost")) {
            assertThatThrownBy(() -> ExternalEndpoint.of(URI.create(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("absolute http or https URI");
        }
        assertThatThrownBy(() -> ExternalEndpoint.of(URI.create("http://user:hunter2@localhost:4566")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user info")
                .hasMessageNotContaining("hunter2");
        // What a manager would refuse later is refused here, and text that is not a URI is never repeated.
        assertThatThrownBy(() -> ExternalEndpoint.of(URI.create("http://localhost:4566/?token=hunter2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ExternalEndpoint.parse("http://user:hunter2@local host:4566"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a URI")
                .hasMessageNotContaining("hunter2");
        assertThat(ExternalEndpoint.parse(" http://localhost:4566 ")).isEqualTo(URI.create("http://localhost:4566"));
        // A port out of range fails here, not later with the JDK's untyped "port out of range" or a refused connection.
        for (String bad : List.of("http://127.0.0.1:99999", "http://127.0.0.1:65536", "http://127.0.0.1:0",
                "http://127.0.0.1:99999/hunter2")) {
            assertThatThrownBy(() -> ExternalEndpoint.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("port")
                    .hasMessageContaining("1 to 65535")
                    .hasMessageNotContaining("hunter2");
        }
        assertThatThrownBy(() -> ExternalEndpoint.of(URI.create("http://localhost:4566"), " ", "a", "b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region");
    }

    static List<String> bucketNames(S3Client s3) {
        return s3.listBuckets().buckets().stream().map(Bucket::name).toList();
    }
}
