package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Through JUnit's engine: while a test runs on the emulator, its SDK requests to any other endpoint fail before
 * they leave the JVM, counted at a local server standing for real AWS (zero requests arrive) and at an HTTP client
 * standing for the network (a client with a region and no endpoint is never handed to it); the emulator is
 * reached; {@code bsm.guard=false} and {@code guard = false} let requests out; a profile session is never guarded;
 * in parallel each class is refused in its own name while a real-AWS class beside them is not.
 */
@Isolated("runs fixture classes that change the environment and system properties, and opens guarded scopes")
class GuardTests {
    /** The canary that .ci/scan-secrets looks for in every report and log. */
    static final String SECRET = "bsmCanarySecret0d9f2c7e5a1b4";
    /** Stands for real AWS: an endpoint that is not the emulator. */
    static CountingServer realAws;
    /** Stands for the network, for clients that would go to *.amazonaws.com. */
    static CountingHttpClient network;
    /** Per fixture and attempt: "reached" or the exception's type and message. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();
    static final List<ParallelTests.Span> SPANS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        BsmTestKit.moto();
        realAws = new CountingServer();
        network = new CountingHttpClient();
        SEEN.clear();
        SPANS.clear();
    }

    @AfterEach
    void stop() {
        realAws.close();
    }

    static StaticCredentialsProvider keys() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDGUARDTEST", SECRET));
    }

    /** An SQS client that code under test built for the endpoint standing for real AWS. */
    static SqsClient towardsRealAws() {
        return SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(keys())
                .endpointOverride(realAws.endpoint()).build();
    }

    static void attempt(Object fixture, String what, Runnable call) {
        SEEN.put(fixture.getClass().getSimpleName() + "/" + what, outcome(() -> {
            call.run();
            return "reached";
        }));
    }

    /** A ListQueues of a client that code under test builds (and closes) itself. */
    static void listQueues(Object fixture, String what, Supplier<SqsClient> client) {
        attempt(fixture, what, () -> {
            try (SqsClient sqs = client.get()) {
                sqs.listQueues();
            }
        });
    }

    static String outcome(Supplier<String> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** What code under test does in an emulator test: its own clients, to the emulator and elsewhere. */
    static void escapes(Object fixture) throws InterruptedException {
        listQueues(fixture, "emulator", SqsClient::create);
        listQueues(fixture, "other endpoint", GuardTests::towardsRealAws);
        attempt(fixture, "amazonaws.com", () -> {
            try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(keys())
                    .endpointOverride(URI.create("https://s3.us-east-1.amazonaws.com")).httpClient(network).build()) {
                s3.listBuckets();
            }
        });
        Thread thread = new Thread(() -> listQueues(fixture, "started thread", GuardTests::towardsRealAws));
        thread.start();
        thread.join();
        // Waited for with a latch: a thread that joins a future may run the common pool's task itself.
        CountDownLatch done = new CountDownLatch(1);
        ForkJoinPool.commonPool().execute(() -> {
            attempt(fixture, "common pool", () -> {
                try (StsClient sts = StsClient.builder().region(Region.US_EAST_1).credentialsProvider(keys())
                        .endpointOverride(URI.create("https://sts.us-east-1.amazonaws.com")).httpClient(network)
                        .build()) {
                    sts.getCallerIdentity();
                }
            });
            done.countDown();
        });
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the common pool's task did not end");
        }
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    @WithAwsSession(localstack = true)
    static class EmulatorTestCase {
        @Test
        void test(BotoSesManager bsm) throws Exception {
            escapes(this);
            attempt(this, "injected", () -> bsm.client(SqsClient.class).listQueues());
        }
    }

    /** No environment: a client with a region and no endpoint goes to real AWS, which is what the guard is for. */
    @WithAwsSession(localstack = true, env = false)
    static class NoEnvironmentTestCase {
        @Test
        void test() {
            attempt(this, "region and no endpoint", () -> {
                try (StsClient sts = StsClient.builder().region(Region.US_EAST_1).credentialsProvider(keys())
                        .httpClient(network).build()) {
                    sts.getCallerIdentity();
                }
            });
            listQueues(this, "other endpoint", GuardTests::towardsRealAws);
        }
    }

    @WithAwsSession(localstack = true, guard = false)
    static class UnguardedTestCase {
        @Test
        void test() {
            listQueues(this, "other endpoint", GuardTests::towardsRealAws);
        }
    }

    /** A session on real AWS (a profile), whose "AWS" is the counting server. */
    @WithAwsSession(profile = "fake-real", region = "us-east-1")
    static class ProfileTestCase {
        @Test
        void test() {
            listQueues(this, "other endpoint", GuardTests::towardsRealAws);
        }
    }

    /** Parallel: each class waits a while inside its test, so that they overlap. */
    @WithAwsSession(localstack = true)
    abstract static class ParallelBase {
        @Test
        void test() throws Exception {
            long start = System.nanoTime();
            Thread.sleep(300);
            listQueues(this, "emulator", SqsClient::create);
            listQueues(this, "other endpoint", GuardTests::towardsRealAws);
            SPANS.add(new ParallelTests.Span(getClass().getSimpleName(), start, System.nanoTime()));
        }
    }

    static class ParallelOneTestCase extends ParallelBase {
    }

    static class ParallelTwoTestCase extends ParallelBase {
    }

    static class ParallelThreeTestCase extends ParallelBase {
    }

    /** On real AWS without environment: no locks, so it runs beside the emulator classes. */
    @WithAwsSession(profile = "fake-real", region = "us-east-1", env = false)
    static class RealAwsBesideTestCase {
        @Test
        void test() throws Exception {
            long start = System.nanoTime();
            Thread.sleep(300);
            listQueues(this, "other endpoint", GuardTests::towardsRealAws);
            SPANS.add(new ParallelTests.Span(getClass().getSimpleName(), start, System.nanoTime()));
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    private static String refusedIn(String scope, String endpoint, String service) {
        return "EmulatorGuardException: bsm's guard refused " + service + " to " + endpoint
                + " before it left the JVM: " + scope + " runs on the emulator ";
    }

    @Test
    void anEmulatorTestsRequestsToOtherEndpointsAreRefusedAndNoneArrives() {
        BsmTestKit.run(EmulatorTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        String scope = "class EmulatorTestCase";
        assertThat(SEEN).containsEntry("EmulatorTestCase/emulator", "reached")
                .containsEntry("EmulatorTestCase/injected", "reached");
        assertThat(SEEN.get("EmulatorTestCase/other endpoint"))
                .startsWith(refusedIn(scope, realAws.endpoint().toString(), "Sqs ListQueues"))
                .contains("bsm.guard=false").doesNotContain(SECRET);
        assertThat(SEEN.get("EmulatorTestCase/amazonaws.com"))
                .startsWith(refusedIn(scope, "https://s3.us-east-1.amazonaws.com:443", "S3 ListBuckets"));
        assertThat(SEEN.get("EmulatorTestCase/started thread"))
                .startsWith(refusedIn(scope, realAws.endpoint().toString(), "Sqs ListQueues"));
        assertThat(SEEN.get("EmulatorTestCase/common pool")).startsWith("EmulatorGuardException: bsm's guard"
                + " refused Sts GetCallerIdentity to https://sts.us-east-1.amazonaws.com:443 before it left the JVM: it"
                + " was made on a thread that belongs to no test").contains(scope);
        assertThat(realAws.requests()).as("requests that reached the endpoint standing for real AWS").isZero();
        assertThat(network.hosts()).as("requests handed to the network").isEmpty();
    }

    @Test
    void anEnvFalseEmulatorTestIsGuardedToo() {
        BsmTestKit.run(NoEnvironmentTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(SEEN.get("NoEnvironmentTestCase/region and no endpoint")).startsWith(refusedIn(
                "class NoEnvironmentTestCase", "https://sts.us-east-1.amazonaws.com:443", "Sts GetCallerIdentity"));
        assertThat(SEEN.get("NoEnvironmentTestCase/other endpoint")).startsWith("EmulatorGuardException: ");
        assertThat(realAws.requests()).isZero();
        assertThat(network.hosts()).isEmpty();
    }

    @Test
    void theParameterAndTheAttributeLetRequestsOut() {
        BsmTestKit.run(Map.of("bsm.guard", "false"), EmulatorTestCase.class).testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertThat(SEEN).containsEntry("EmulatorTestCase/emulator", "reached");
        for (String attempt : List.of("other endpoint", "started thread", "common pool", "amazonaws.com")) {
            assertThat(SEEN.get("EmulatorTestCase/" + attempt)).as(attempt).doesNotStartWith("EmulatorGuardException");
        }
        assertThat(realAws.requests()).as("the other endpoint, a started thread").isEqualTo(2);
        assertThat(network.hosts()).contains("s3.us-east-1.amazonaws.com:443", "sts.us-east-1.amazonaws.com:443");

        BsmTestKit.run(UnguardedTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(SEEN.get("UnguardedTestCase/other endpoint")).doesNotStartWith("EmulatorGuardException");
        assertThat(realAws.requests()).isEqualTo(3);
    }

    /** Profile files with static keys, so no request is made to find the credentials. */
    private static void withProfile(Path dir, Runnable run) throws IOException {
        Path config = Files.writeString(dir.resolve("config"), "[profile fake-real]\nregion = us-east-1\n");
        Path credentials = Files.writeString(dir.resolve("credentials"),
                "[fake-real]\naws_access_key_id = AKIDFAKEREAL\naws_secret_access_key = " + SECRET + "\n");
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            run.run();
        } finally {
            System.clearProperty("aws.configFile");
            System.clearProperty("aws.sharedCredentialsFile");
        }
    }

    @Test
    void aProfileSessionIsNeverGuarded(@TempDir Path dir) throws IOException {
        withProfile(dir, () -> BsmTestKit.run(ProfileTestCase.class).testEvents()
                .assertStatistics(s -> s.succeeded(1)));
        assertThat(SEEN.get("ProfileTestCase/other endpoint")).doesNotStartWith("EmulatorGuardException");
        assertThat(realAws.requests()).isEqualTo(1);
    }

    @Test
    void inParallelEachClassIsRefusedInItsOwnNameAndARealAwsClassBesideThemIsNot(@TempDir Path dir)
            throws IOException {
        Class<?>[] fixtures = {ParallelOneTestCase.class, RealAwsBesideTestCase.class, ParallelTwoTestCase.class,
            ParallelThreeTestCase.class};
        withProfile(dir, () -> BsmTestKit.run(Map.of("junit.jupiter.execution.parallel.mode.default", "same_thread",
                "junit.jupiter.execution.parallel.config.fixed.max-pool-size", "4",
                "junit.jupiter.execution.parallel.config.fixed.saturate", "true"), fixtures)
                .testEvents().assertStatistics(s -> s.started(4).succeeded(4)));
        for (String fixture : List.of("ParallelOneTestCase", "ParallelTwoTestCase", "ParallelThreeTestCase")) {
            assertThat(SEEN).containsEntry(fixture + "/emulator", "reached");
            assertThat(SEEN.get(fixture + "/other endpoint")).as(fixture)
                    .startsWith(refusedIn("class " + fixture, realAws.endpoint().toString(), "Sqs ListQueues"));
        }
        assertThat(SEEN.get("RealAwsBesideTestCase/other endpoint")).doesNotStartWith("EmulatorGuardException");
        assertThat(realAws.requests()).as("only the real-AWS class's request arrives").isEqualTo(1);
        int max = ParallelTests.maxConcurrentClasses(SPANS);
        System.out.println("RESULT guard in parallel: max concurrent classes " + max);
        assertThat(max).as("classes at once").isGreaterThanOrEqualTo(2);
    }
}
