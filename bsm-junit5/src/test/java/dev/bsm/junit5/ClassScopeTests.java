package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A class-level session is active from the class's first callback to its last: clients that code builds itself
 * with the default chains ({@code SqsClient.create()}) in a static initialiser, a constructor (per method and per
 * class), a field initialiser, {@code @BeforeAll}, {@code @AfterAll} and other extensions' class callbacks reach
 * the class's emulator and account, the one {@code bsm.awsAccountId()} reports in the tests.
 */
@Isolated("runs fixture classes that change the environment and system properties")
class ClassScopeTests {
    /** What each place saw: "Class/place" to the account its self-built STS client reported, or the error. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    /** The account of the clients the code under test builds itself, or the error they gave. */
    static String selfBuiltAccount() {
        try (StsClient sts = StsClient.create()) {
            return sts.getCallerIdentity().account();
        } catch (RuntimeException e) {
            return "error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    static String createQueue(String name) {
        try (SqsClient sqs = SqsClient.create()) {
            return sqs.createQueue(r -> r.queueName(name)).queueUrl();
        } catch (RuntimeException e) {
            return "error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    static void seen(Class<?> fixture, String place, String value) {
        SEEN.put(fixture.getSimpleName() + "/" + place, value);
    }

    /** The test of each fixture: the injected manager's account, and the queue made before the tests. */
    static void injected(Class<?> fixture, BotoSesManager bsm, String queueUrl) {
        seen(fixture, "test", bsm.awsAccountId());
        seen(fixture, "queue visible to the injected manager",
                String.valueOf(bsm.client(SqsClient.class).listQueues().queueUrls().contains(queueUrl)));
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    @WithAwsSession(localstack = true)
    static class BeforeAllTestCase {
        static String queueUrl;

        @BeforeAll
        static void beforeAll() {
            seen(BeforeAllTestCase.class, "@BeforeAll", selfBuiltAccount());
            queueUrl = createQueue("from-before-all");
        }

        @Test
        void test(BotoSesManager bsm) {
            injected(BeforeAllTestCase.class, bsm, queueUrl);
        }

        @AfterAll
        static void afterAll() {
            seen(BeforeAllTestCase.class, "@AfterAll", selfBuiltAccount());
        }
    }

    @WithAwsSession(localstack = true)
    static class ConstructorPerMethodTestCase {
        final String queueUrl;
        final String fromFieldInitialiser = selfBuiltAccount();

        ConstructorPerMethodTestCase() {
            seen(ConstructorPerMethodTestCase.class, "constructor", selfBuiltAccount());
            seen(ConstructorPerMethodTestCase.class, "field initialiser", fromFieldInitialiser);
            queueUrl = createQueue("from-constructor");
        }

        @Test
        void test(BotoSesManager bsm) {
            injected(ConstructorPerMethodTestCase.class, bsm, queueUrl);
        }
    }

    @WithAwsSession(localstack = true)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class ConstructorPerClassTestCase {
        final String queueUrl;
        final String fromFieldInitialiser = selfBuiltAccount();

        ConstructorPerClassTestCase(BotoSesManager bsm) {
            seen(ConstructorPerClassTestCase.class, "constructor", selfBuiltAccount());
            seen(ConstructorPerClassTestCase.class, "field initialiser", fromFieldInitialiser);
            seen(ConstructorPerClassTestCase.class, "constructor parameter", bsm.awsAccountId());
            queueUrl = createQueue("from-per-class-constructor");
        }

        @Test
        void test(BotoSesManager bsm) {
            injected(ConstructorPerClassTestCase.class, bsm, queueUrl);
        }
    }

    /** First initialised when JUnit calls the constructor: the static initialiser runs inside the class's scope. */
    @WithAwsSession(localstack = true)
    static class StaticClientTestCase {
        static final String STATIC_ACCOUNT = selfBuiltAccount();
        static final String QUEUE_URL = createQueue("from-static-initialiser");

        StaticClientTestCase() {
            seen(StaticClientTestCase.class, "static initialiser", STATIC_ACCOUNT);
        }

        @Test
        void test(BotoSesManager bsm) {
            injected(StaticClientTestCase.class, bsm, QUEUE_URL);
        }
    }

    /** First initialised by its static @BeforeAll method. */
    @WithAwsSession(localstack = true)
    static class StaticClientInitialisedByBeforeAllTestCase {
        static final S3Client S3 = S3Client.create();
        static final String STATIC_ACCOUNT = selfBuiltAccount();

        @BeforeAll
        static void beforeAll() {
            seen(StaticClientInitialisedByBeforeAllTestCase.class, "static initialiser", STATIC_ACCOUNT);
            S3.createBucket(b -> b.bucket("from-a-static-client"));
        }

        @Test
        void test(BotoSesManager bsm) {
            seen(StaticClientInitialisedByBeforeAllTestCase.class, "test", bsm.awsAccountId());
            seen(StaticClientInitialisedByBeforeAllTestCase.class, "bucket visible to the injected manager",
                    String.valueOf(bsm.client(S3Client.class).listBuckets().buckets().stream()
                            .anyMatch(b -> b.name().equals("from-a-static-client"))));
        }

        @AfterAll
        static void removeBucket() {
            S3.deleteBucket(b -> b.bucket("from-a-static-client"));
        }
    }

    /** What a framework does: builds its context with the default chains in its own callbacks. */
    static class FrameworkExtension implements BeforeAllCallback, TestInstancePostProcessor {
        @Override
        public void beforeAll(ExtensionContext context) {
            seen(context.getRequiredTestClass(), "another extension's beforeAll", selfBuiltAccount());
        }

        @Override
        public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
            seen(context.getRequiredTestClass(), "another extension's postProcessTestInstance", selfBuiltAccount());
        }
    }

    @WithAwsSession(localstack = true)
    @ExtendWith(FrameworkExtension.class)
    static class FrameworkTestCase {
        @Test
        void test(BotoSesManager bsm) {
            seen(FrameworkTestCase.class, "test", bsm.awsAccountId());
        }
    }

    @WithAwsSession(localstack = true)
    static class NestedTestCase {
        static String queueUrl;

        @BeforeAll
        static void beforeAll() {
            queueUrl = createQueue("from-the-enclosing-before-all");
        }

        @Nested
        class Inner {
            @BeforeEach
            void beforeEach() {
                seen(NestedTestCase.class, "nested @BeforeEach", selfBuiltAccount());
            }

            @Test
            void test(BotoSesManager bsm) {
                injected(NestedTestCase.class, bsm, queueUrl);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    private static final Class<?>[] FIXTURES = {BeforeAllTestCase.class, ConstructorPerMethodTestCase.class,
        ConstructorPerClassTestCase.class, StaticClientTestCase.class, StaticClientInitialisedByBeforeAllTestCase.class,
        FrameworkTestCase.class, NestedTestCase.class};

    @Test
    void everyPlaceOfTheClassReachesTheClassesSessionAndAccount() {
        SEEN.clear();
        EngineExecutionResults results = BsmTestKit.run(FIXTURES);
        Map<String, String> seen = new TreeMap<>(SEEN);
        seen.forEach((key, value) -> System.out.println("SEEN " + key + " = " + value));
        results.allEvents().failed().stream().forEach(event -> System.out.println("FAILED " + event));
        results.testEvents().assertStatistics(s -> s.started(FIXTURES.length).succeeded(FIXTURES.length));
        for (Class<?> fixture : FIXTURES) {
            String name = fixture.getSimpleName();
            String account = seen.get(name + "/test");
            assertThat(account).as(name + ": the injected manager's account").matches("\\d{12}");
            seen.forEach((key, value) -> {
                if (key.startsWith(name + "/") && !key.endsWith("visible to the injected manager")) {
                    assertThat(value).as(key + " (everything seen: " + seen + ")").isEqualTo(account);
                }
            });
            seen.forEach((key, value) -> {
                if (key.startsWith(name + "/") && key.endsWith("visible to the injected manager")) {
                    assertThat(value).as(key).isEqualTo("true");
                }
            });
        }
        assertThat(seen).containsKeys("BeforeAllTestCase/@BeforeAll", "BeforeAllTestCase/@AfterAll",
                "ConstructorPerMethodTestCase/constructor", "ConstructorPerMethodTestCase/field initialiser",
                "ConstructorPerClassTestCase/constructor", "ConstructorPerClassTestCase/field initialiser",
                "StaticClientTestCase/static initialiser", "StaticClientInitialisedByBeforeAllTestCase/static initialiser",
                "FrameworkTestCase/another extension's beforeAll",
                "FrameworkTestCase/another extension's postProcessTestInstance", "NestedTestCase/nested @BeforeEach");
    }
}
