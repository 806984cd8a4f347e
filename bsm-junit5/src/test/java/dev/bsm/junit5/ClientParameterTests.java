package dev.bsm.junit5;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * SDK clients and presigners as parameters of constructors, lifecycle methods and tests: each gets
 * {@code bsm.client(type)} of its session (the very instance), and its calls reach moto in the class's account.
 * A type that is not an SDK client is left to JUnit, which fails with its own "No ParameterResolver registered".
 */
@Isolated("runs fixture classes that change the environment and system properties")
class ClientParameterTests {
    /** "Fixture/place what" to what that place saw. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    /** Records whether the client is its manager's, the manager's account and the account a call reached. */
    static void seen(Class<?> fixture, String place, SqsClient sqs, BotoSesManager bsm) {
        record(fixture, place, sqs == bsm.client(SqsClient.class), bsm,
                () -> accountOf(sqs.createQueue(r -> r.queueName(place)).queueUrl()));
    }

    static void seen(Class<?> fixture, String place, SqsAsyncClient sqs, BotoSesManager bsm) {
        record(fixture, place, sqs == bsm.client(SqsAsyncClient.class), bsm,
                () -> accountOf(sqs.createQueue(r -> r.queueName(place)).join().queueUrl()));
    }

    /** The account of a queue: its URL is {@code <endpoint>/<account>/<name>}. */
    private static String accountOf(String queueUrl) {
        return URI.create(queueUrl).getPath().split("/")[1];
    }

    private static void record(Class<?> fixture, String place, boolean same, BotoSesManager bsm,
            Supplier<String> reachedAccount) {
        String key = fixture.getSimpleName() + "/" + place;
        SEEN.put(key + " same", String.valueOf(same));
        SEEN.put(key + " manager", bsm.awsAccountId());
        try {
            SEEN.put(key + " reached", reachedAccount.get());
        } catch (RuntimeException e) {
            SEEN.put(key + " reached", "error: " + e);
        }
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    @WithAwsSession(localstack = true)
    static class EveryPlaceTestCase {
        EveryPlaceTestCase(SqsClient sqs, BotoSesManager bsm) {
            seen(EveryPlaceTestCase.class, "constructor", sqs, bsm);
        }

        @BeforeAll
        static void beforeAll(SqsClient sqs, BotoSesManager bsm) {
            seen(EveryPlaceTestCase.class, "before-all", sqs, bsm);
        }

        @BeforeEach
        void beforeEach(SqsAsyncClient sqs, BotoSesManager bsm) {
            seen(EveryPlaceTestCase.class, "before-each-async", sqs, bsm);
        }

        @Test
        void test(SqsClient sqs, StsClient sts, BotoSesManager bsm) {
            seen(EveryPlaceTestCase.class, "test", sqs, bsm);
            record(EveryPlaceTestCase.class, "test-sts", sts == bsm.client(StsClient.class), bsm,
                    () -> sts.getCallerIdentity().account());
        }

        @AfterEach
        void afterEach(SqsClient sqs, BotoSesManager bsm) {
            seen(EveryPlaceTestCase.class, "after-each", sqs, bsm);
        }

        @AfterAll
        static void afterAll(SqsClient sqs, BotoSesManager bsm) {
            seen(EveryPlaceTestCase.class, "after-all", sqs, bsm);
            try (SqsClient own = SqsClient.create()) { // the class's account, through the code's own client
                SEEN.put("EveryPlaceTestCase queues seen by a self-built client",
                        String.valueOf(own.listQueues().queueUrls().stream().map(url -> url.replaceAll(".*/", ""))
                                .sorted().toList()));
            }
        }
    }

    @WithAwsSession(localstack = true)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassTestCase {
        PerClassTestCase(SqsClient sqs, BotoSesManager bsm) {
            seen(PerClassTestCase.class, "constructor", sqs, bsm);
        }

        @BeforeAll
        void beforeAll(SqsAsyncClient sqs, BotoSesManager bsm) {
            seen(PerClassTestCase.class, "before-all-async", sqs, bsm);
        }

        @Test
        void test(SqsClient sqs, BotoSesManager bsm) {
            seen(PerClassTestCase.class, "test", sqs, bsm);
        }
    }

    /** Beside the parameters of @ParameterizedTest and JUnit's own TestInfo. */
    @WithAwsSession(localstack = true)
    static class ParameterizedTestCase {
        @ParameterizedTest
        @ValueSource(strings = {"first", "second"})
        void test(String queue, SqsClient sqs, TestInfo info, BotoSesManager bsm) {
            seen(ParameterizedTestCase.class, queue + "-" + info.getTestMethod().orElseThrow().getName(), sqs, bsm);
        }
    }

    @WithAwsSession(localstack = true)
    static class NestedTestCase {
        @BeforeAll
        static void beforeAll(SqsClient sqs, BotoSesManager bsm) {
            seen(NestedTestCase.class, "outer-before-all", sqs, bsm);
        }

        @Nested
        class Inner {
            Inner(SqsClient sqs, BotoSesManager bsm) {
                seen(NestedTestCase.class, "inner-constructor", sqs, bsm);
            }

            @Test
            void test(SqsAsyncClient sqs, BotoSesManager bsm) {
                seen(NestedTestCase.class, "inner-test", sqs, bsm);
            }
        }
    }

    private static final Class<?>[] ONE_ACCOUNT_FIXTURES = {EveryPlaceTestCase.class, PerClassTestCase.class,
        ParameterizedTestCase.class, NestedTestCase.class};

    @WithAwsSession(localstack = true)
    static class S3TestCase {
        @Test
        void test(S3Client s3, S3AsyncClient async, S3Presigner presigner, BotoSesManager bsm) throws Exception {
            SEEN.put("S3 same", (s3 == bsm.client(S3Client.class)) + " " + (async == bsm.client(S3AsyncClient.class))
                    + " " + (presigner == bsm.client(S3Presigner.class)));
            String bucket = "bsm-params-" + UUID.randomUUID();
            s3.createBucket(b -> b.bucket(bucket));
            try {
                async.putObject(p -> p.bucket(bucket).key("k"), AsyncRequestBody.fromString("hello")).join();
                URL url = presigner.presignGetObject(g -> g.signatureDuration(Duration.ofMinutes(5))
                        .getObjectRequest(o -> o.bucket(bucket).key("k"))).url();
                try (InputStream in = url.openStream()) {
                    SEEN.put("S3 presigned body", new String(in.readAllBytes(), UTF_8));
                }
                try (S3Client own = S3Client.create()) {
                    SEEN.put("S3 bucket listed in the class's account", String.valueOf(own.listBuckets().buckets()
                            .stream().map(Bucket::name).toList().contains(bucket)));
                }
                SEEN.put("S3 account", bsm.awsAccountId());
            } finally {
                s3.deleteObject(d -> d.bucket(bucket).key("k"));
                s3.deleteBucket(d -> d.bucket(bucket));
            }
        }
    }

    /** The class's client before the tests, each test's own account's client in it. */
    @WithAwsSession(localstack = true, isolation = Isolation.TEST)
    static class PerTestIsolationTestCase {
        @BeforeAll
        static void beforeAll(SqsClient sqs, BotoSesManager bsm) {
            seen(PerTestIsolationTestCase.class, "before-all", sqs, bsm);
        }

        @Test
        void one(SqsClient sqs, BotoSesManager bsm) {
            seen(PerTestIsolationTestCase.class, "one", sqs, bsm);
        }

        @Test
        void two(SqsClient sqs, BotoSesManager bsm) {
            seen(PerTestIsolationTestCase.class, "two", sqs, bsm);
        }
    }

    @WithAwsSession(name = "source", localstack = true)
    @WithAwsSession(name = "target", localstack = true,
            assumeRole = "arn:aws:iam::111122223333:role/deployer", roleSessionName = "params")
    static class NamedTestCase {
        @BeforeAll
        static void beforeAll(@AwsSession("target") SqsClient sqs, @AwsSession("target") BotoSesManager to) {
            seen(NamedTestCase.class, "target-before-all", sqs, to);
        }

        @Test
        void test(@AwsSession("source") SqsClient fromSqs, @AwsSession("target") SqsClient toSqs,
                @AwsSession("target") StsClient toSts, @AwsSession("source") BotoSesManager from,
                @AwsSession("target") BotoSesManager to) {
            seen(NamedTestCase.class, "source-test", fromSqs, from);
            seen(NamedTestCase.class, "target-test", toSqs, to);
            SEEN.put("NamedTestCase two clients", String.valueOf(fromSqs != toSqs));
            SEEN.put("NamedTestCase target arn", toSts.getCallerIdentity().arn());
        }
    }

    /**
     * A session on the method only opens after the test's instance is made: a constructor parameter fails as a
     * manager parameter there does, saying where the session must go, whatever context JUnit gives constructors.
     */
    static class MethodOnlyTestCase {
        MethodOnlyTestCase(SqsClient sqs) {
        }

        @Test
        @WithAwsSession(localstack = true)
        void test(SqsClient sqs) {
        }
    }

    static class MethodOnlyManagerTestCase {
        MethodOnlyManagerTestCase(BotoSesManager bsm) {
        }

        @Test
        @WithAwsSession(localstack = true)
        void test(BotoSesManager bsm) {
        }
    }

    /** Named like a client, but one's own. */
    interface FooClient {
    }

    /** An SdkClient that the SDK cannot build: no builder(). */
    interface UnbuildableClient extends SdkClient {
    }

    @WithAwsSession(localstack = true)
    static class NotAClientTestCase {
        @Test
        void string(String value) {
        }

        @Test
        void ownInterface(FooClient foo) {
        }

        @Test
        void unbuildable(UnbuildableClient client) {
        }

        @Test
        void sdkClientItself(SdkClient client) {
        }

        @Test
        void aClient(SqsClient sqs) {
        }
    }

    @WithAwsSession(localstack = true)
    static class UnknownNameTestCase {
        @Test
        void test(@AwsSession("nope") SqsClient sqs) {
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    private static Map<String, String> run(Class<?>... fixtures) {
        BsmTestKit.moto();
        SEEN.clear();
        EngineExecutionResults results = BsmTestKit.run(fixtures);
        results.allEvents().failed().stream().forEach(event -> System.out.println("FAILED " + event));
        results.containerEvents().assertStatistics(s -> s.failed(0));
        results.testEvents().assertStatistics(s -> s.failed(0).aborted(0));
        return new TreeMap<>(SEEN);
    }

    /** Every place of a fixture: the manager's client, a call in the manager's account, one account for all. */
    private static void assertOneAccount(Map<String, String> seen, String fixture, int places) {
        Map<String, String> mine = new TreeMap<>();
        seen.forEach((key, value) -> {
            if (key.startsWith(fixture + "/")) {
                mine.put(key, value);
            }
        });
        assertThat(mine.keySet().stream().filter(key -> key.endsWith(" same"))).as(fixture + ": " + mine)
                .hasSize(places);
        String account = mine.entrySet().stream().filter(e -> e.getKey().endsWith(" manager")).findFirst()
                .orElseThrow().getValue();
        assertThat(account).as(fixture + ": the class's account").matches("\\d{12}")
                .isNotEqualTo(MotoServer.shared().accountId());
        mine.forEach((key, value) -> assertThat(value).as(key + " (" + mine + ")")
                .isEqualTo(key.endsWith(" same") ? "true" : account));
    }

    @Test
    void everyInjectionPointGetsTheManagersOwnClientReachingTheClassesAccount() {
        Map<String, String> seen = run(ONE_ACCOUNT_FIXTURES);
        assertOneAccount(seen, "EveryPlaceTestCase", 7);
        assertOneAccount(seen, "PerClassTestCase", 3);
        assertOneAccount(seen, "ParameterizedTestCase", 2);
        assertOneAccount(seen, "NestedTestCase", 3);
        assertThat(seen.get("EveryPlaceTestCase queues seen by a self-built client"))
                .isEqualTo("[after-all, after-each, before-all, before-each-async, constructor, test]");
        assertThat(seen.get("EveryPlaceTestCase/test manager")).isNotEqualTo(seen.get("PerClassTestCase/test manager"));
    }

    @Test
    void syncAsyncAndPresignerOfS3AreTheManagersAndReachTheEmulator() {
        Map<String, String> seen = run(S3TestCase.class);
        assertThat(seen).containsEntry("S3 same", "true true true").containsEntry("S3 presigned body", "hello")
                .containsEntry("S3 bucket listed in the class's account", "true");
        assertThat(seen.get("S3 account")).matches("\\d{12}").isNotEqualTo(MotoServer.shared().accountId());
    }

    @Test
    void withTestIsolationEachTestGetsTheClientOfItsOwnAccount() {
        Map<String, String> seen = run(PerTestIsolationTestCase.class);
        Set<String> accounts = new HashSet<>();
        for (String place : new String[] {"before-all", "one", "two"}) {
            String key = "PerTestIsolationTestCase/" + place;
            assertThat(seen).as(place).containsEntry(key + " same", "true")
                    .containsEntry(key + " reached", seen.get(key + " manager"));
            accounts.add(seen.get(key + " manager"));
        }
        assertThat(accounts).as("the class's account and one per test").hasSize(3)
                .doesNotContain(MotoServer.shared().accountId());
    }

    @Test
    void aNamedSessionsClientComesFromThatSession() {
        Map<String, String> seen = run(NamedTestCase.class);
        assertThat(seen).containsEntry("NamedTestCase/source-test same", "true")
                .containsEntry("NamedTestCase/target-test same", "true")
                .containsEntry("NamedTestCase/target-before-all same", "true")
                .containsEntry("NamedTestCase two clients", "true")
                .containsEntry("NamedTestCase/target-test reached", "111122223333")
                .containsEntry("NamedTestCase/target-before-all reached", "111122223333");
        assertThat(seen.get("NamedTestCase target arn")).endsWith(":assumed-role/deployer/params");
        String source = seen.get("NamedTestCase/source-test manager");
        assertThat(source).matches("\\d{12}").isNotEqualTo("111122223333");
        assertThat(seen).containsEntry("NamedTestCase/source-test reached", source);
    }

    @Test
    void aConstructorOfAClassWithSessionsOnMethodsOnlyFailsSayingWhereTheSessionGoes() {
        BsmTestKit.moto();
        for (String scope : new String[] {"default", "test_method"}) {
            EngineExecutionResults results = BsmTestKit.run(Map.of(
                    "junit.jupiter.extensions.testinstantiation.extensioncontextscope.default", scope),
                    MethodOnlyTestCase.class, MethodOnlyManagerTestCase.class);
            results.testEvents().assertStatistics(s -> s.started(2).failed(2));
            for (String parameter : new String[] {"sqs", "bsm"}) {
                results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                        instanceOf(ParameterResolutionException.class), message(m -> m.contains(
                                "constructor parameter '" + parameter + "' needs a @WithAwsSession on the class or an"
                                        + " enclosing class")))));
            }
        }
    }

    @Test
    void aTypeThatIsNotAnSdkClientGetsJunitsOwnResolutionFailure() {
        BsmTestKit.moto();
        EngineExecutionResults results = BsmTestKit.run(NotAClientTestCase.class);
        results.testEvents().assertStatistics(s -> s.started(5).succeeded(1).failed(4));
        for (String method : new String[] {"string", "ownInterface", "unbuildable", "sdkClientItself"}) {
            results.testEvents().assertThatEvents().haveExactly(1, event(test(method), finishedWithFailure(
                    instanceOf(ParameterResolutionException.class),
                    message(m -> m.startsWith("No ParameterResolver registered for parameter [")))));
        }
    }

    @Test
    void aClientParameterNamingAnUnknownSessionFailsLikeAManagerParameter() {
        BsmTestKit.moto();
        EngineExecutionResults results = BsmTestKit.run(UnknownNameTestCase.class);
        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.contains("parameter 'sqs' asks for session \"nope\"")
                        && m.contains("fix the name in @AwsSession")))));
    }
}
