package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The guard through the global interceptor, without JUnit's engine: a thread bound to a guarded scope reaches its
 * emulator and nothing else (counted at a local server standing for real AWS, and at an HTTP client standing for
 * the network), sync and async; an unguarded binding goes anywhere; unbound threads are refused only while
 * guarded scopes alone are open; presigners and bsm's own managers' clients are left alone.
 */
@Isolated("opens guarded scopes, which refuse every thread's requests to other endpoints")
class EmulatorGuardTests {
    /** The canary that .ci/scan-secrets looks for in every report and log. */
    static final String SECRET = "bsmCanarySecret0d9f2c7e5a1b4";
    MotoServer moto;
    CountingServer realAws;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        moto = BsmTestKit.moto();
        EmulatorGuard.emulatorInUse(moto.endpoint());
        realAws = new CountingServer();
    }

    @AfterEach
    void stop() throws Exception {
        SessionBinding.bind(null);
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        realAws.close();
    }

    private SessionBinding guarded() {
        return new SessionBinding(Optional.empty(), null, Optional.of(moto.endpoint()), "class ReportTests",
                EmulatorGuard.allowing("class ReportTests", List.of(moto.endpoint())));
    }

    /** A manager as code under test would build one (not marked as bsm's), pointed at an endpoint. */
    private BotoSesManager manager(URI endpoint) {
        BotoSesManager manager = BotoSesManager.builder().credentials("AKIDGUARD", SECRET).region("us-east-1")
                .endpointOverride(endpoint).build();
        toClose.add(manager);
        return manager;
    }

    private void open(EmulatorGuard guard) {
        toClose.add(EmulatorGuard.open(guard));
    }

    private static StaticCredentialsProvider keys() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDGUARD", SECRET));
    }

    @Test
    void aGuardedThreadsRequestsToAnotherEndpointFailSyncAndAsyncAndNoneArrives() {
        SqsClient sqs = manager(realAws.endpoint()).client(SqsClient.class);
        SqsAsyncClient async = manager(realAws.endpoint()).client(SqsAsyncClient.class);
        SessionBinding.bind(guarded());

        Throwable sync = catchThrowable(sqs::listQueues);
        assertThat(sync).isInstanceOf(EmulatorGuardException.class).isInstanceOf(SdkClientException.class)
                .hasMessageStartingWith("bsm's guard refused Sqs ListQueues to " + realAws.endpoint()
                        + " before it left the JVM: class ReportTests runs on the emulator " + moto.endpoint()
                        + " only")
                .hasMessageContaining("guard = false on @WithAwsSession")
                .hasMessageContaining("bsm.guard=false")
                .hasMessageNotContaining(SECRET);
        assertThat(((SdkClientException) sync).retryable()).isFalse();
        assertThatThrownBy(() -> async.listQueues().get()).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(EmulatorGuardException.class).hasMessageContaining("Sqs ListQueues");
        assertThat(realAws.requests()).as("requests that reached the other endpoint").isZero();
    }

    @Test
    void aClientWithARegionAndNoEndpointIsRefusedBeforeAnyLookupOrConnection() {
        CountingHttpClient network = new CountingHttpClient();
        SessionBinding.bind(guarded());
        for (Region region : List.of(Region.US_EAST_1, Region.AWS_GLOBAL, Region.EU_WEST_1)) {
            try (StsClient sts = StsClient.builder().region(region).credentialsProvider(keys()).httpClient(network)
                    .build()) {
                assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(EmulatorGuardException.class)
                        .hasMessageContaining("Sts GetCallerIdentity to https://sts.")
                        .hasMessageContaining(".amazonaws.com:443 before it left the JVM");
            }
        }
        assertThat(network.hosts()).as("requests handed to the network").isEmpty();
    }

    @Test
    void theEmulatorIsReachedUnderEveryNameOfThisMachineAndS3sVirtualHosts() {
        SessionBinding.bind(guarded());
        assertThat(manager(moto.endpoint()).client(SqsClient.class).listQueues().queueUrls()).isNotNull();
        // localhost with moto's port: S3 names the bucket in the host (virtual-host style), which the guard allows.
        CountingHttpClient network = new CountingHttpClient();
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(keys())
                .endpointOverride(URI.create("http://localhost:" + moto.endpoint().getPort())).httpClient(network)
                .build()) {
            assertThat(catchThrowable(() -> s3.listObjectsV2(r -> r.bucket("reports"))))
                    .isNotInstanceOf(EmulatorGuardException.class);
        }
        assertThat(network.hosts()).isNotEmpty()
                .allMatch(host -> host.equals("reports.localhost:" + moto.endpoint().getPort()));
    }

    @Test
    void anUnguardedBindingGoesAnywhere() {
        SessionBinding.bind(new SessionBinding(Optional.empty(), null, Optional.empty(), "class RealAwsTests",
                EmulatorGuard.OFF));
        assertThat(catchThrowable(manager(realAws.endpoint()).client(SqsClient.class)::listQueues))
                .isNotInstanceOf(EmulatorGuardException.class);
        assertThat(realAws.requests()).isEqualTo(1);
    }

    /** An STS client of code under test with a region and no endpoint: it would go to real AWS. */
    private StsClient towardsRealAws(CountingHttpClient network) {
        StsClient sts = StsClient.builder().region(Region.US_EAST_1).credentialsProvider(keys()).httpClient(network)
                .build();
        toClose.add(sts);
        return sts;
    }

    @Test
    void unboundThreadsAreRefusedRealAwsOnlyWhileGuardedScopesAloneAreOpen() throws Exception {
        CountingHttpClient network = new CountingHttpClient();
        StsClient sts = towardsRealAws(network);
        assertThat(catchThrowable(sts::getCallerIdentity)).as("no scope open")
                .isNotInstanceOf(EmulatorGuardException.class);
        int handed = network.hosts().size(); // the SDK retries the counting client's IOException
        assertThat(handed).isPositive();

        open(EmulatorGuard.allowing("class ReportTests", List.of(moto.endpoint())));
        open(EmulatorGuard.allowing("class OrderTests", List.of(moto.endpoint())));
        assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(EmulatorGuardException.class)
                .hasMessageStartingWith("bsm's guard refused Sts GetCallerIdentity to https://sts.us-east-1"
                        + ".amazonaws.com:443 before it left the JVM: it was made on a thread that belongs to no test")
                .hasMessageContaining("(class ReportTests, class OrderTests)")
                .hasMessageContaining("@ResourceLock(value = \"dev.bsm.junit5.sessions\", mode = READ_WRITE)")
                .hasMessageContaining("bsm.guard=false");
        ForkJoinPool pool = new ForkJoinPool(1); // its workers are bound to nothing, as the common pool's
        try {
            assertThat(catchThrowable(() -> pool.submit(() -> sts.getCallerIdentity()).get())).cause()
                    .isInstanceOf(EmulatorGuardException.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(network.hosts()).as("handed to the network while guarded scopes alone are open").hasSize(handed);

        // This machine and bsm's emulators stay reachable: a test without bsm may run its own emulator beside.
        assertThat(manager(moto.endpoint()).client(SqsClient.class).listQueues().queueUrls()).isNotNull();
        assertThat(catchThrowable(manager(realAws.endpoint()).client(SqsClient.class)::listQueues))
                .isNotInstanceOf(EmulatorGuardException.class);
        assertThat(realAws.requests()).as("a port of this machine").isEqualTo(1);
        EmulatorGuard.emulatorInUse(URI.create("http://emulator.example:4566"));
        try (SqsClient remote = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(keys())
                .endpointOverride(URI.create("http://emulator.example:4566")).httpClient(network).build()) {
            assertThat(catchThrowable(remote::listQueues)).isNotInstanceOf(EmulatorGuardException.class);
        }
        assertThat(network.hosts()).as("an emulator bsm uses elsewhere").contains("emulator.example:4566");

        open(EmulatorGuard.OFF); // a real-AWS scope beside them: unbound requests may be its own
        int before = network.hosts().size();
        assertThat(catchThrowable(sts::getCallerIdentity)).isNotInstanceOf(EmulatorGuardException.class);
        assertThat(network.hosts()).hasSizeGreaterThan(before);
    }

    @Test
    void presignersSendNothingAndAreLeftAlone() {
        S3Presigner presigner = manager(realAws.endpoint()).client(S3Presigner.class);
        SessionBinding.bind(guarded());
        open(guarded().guard());
        assertThat(presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket("reports").key("k"))).url().toString())
                .startsWith(realAws.endpoint().toString());
        assertThat(realAws.requests()).isZero();
    }

    @Test
    void clientsOfBsmsOwnManagersAreLeftAlone() {
        BotoSesManager manager = BotoSesManager.builder().credentials("AKIDGUARD", SECRET).region("us-east-1")
                .endpointOverride(realAws.endpoint())
                .overrideConfiguration(c -> c.putExecutionAttribute(SessionInterceptor.MANAGED, Boolean.TRUE))
                .build();
        toClose.add(manager);
        SqsClient managed = manager.client(SqsClient.class);
        SessionBinding.bind(guarded());
        assertThat(catchThrowable(managed::listQueues)).isNotInstanceOf(EmulatorGuardException.class);
        assertThat(realAws.requests()).isEqualTo(1);
    }
}
