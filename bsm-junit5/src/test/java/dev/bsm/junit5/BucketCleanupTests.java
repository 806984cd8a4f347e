package dev.bsm.junit5;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.commons.JUnitException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.DeleteBucketRequest;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * S3 bucket names are global, accounts are per class: bsm empties and deletes an isolated account's buckets when
 * its class (or, with {@code TEST}, its test) ends, also after failures, so classes one after the other reuse a
 * name; {@code NONE} leaves them; a name another account holds at the time fails with S3's own exception, its
 * message saying who holds it and what to do. Against a real moto_server, through JUnit's engine.
 */
@Isolated("runs fixture classes that change the environment and system properties")
class BucketCleanupTests {
    static final Map<String, String> ACCOUNTS = new ConcurrentHashMap<>();
    static final List<String> PROBLEMS = new CopyOnWriteArrayList<>();
    static final List<Throwable> FAILURES = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch created;
    static volatile CountDownLatch tried;

    private final BotoSesManager plain = BotoSesManager.builder()
            .credentials(BsmTestKit.moto().accessKeyId(), BsmTestKit.moto().secretAccessKey())
            .region(BsmTestKit.moto().region()).endpointOverride(BsmTestKit.moto().endpoint()).build();

    @BeforeEach
    void clear() {
        ACCOUNTS.clear();
        PROBLEMS.clear();
        FAILURES.clear();
        created = new CountDownLatch(1);
        tried = new CountDownLatch(1);
    }

    @AfterEach
    void close() {
        plain.close();
    }

    static void check(boolean ok, String problem) {
        if (!ok) {
            PROBLEMS.add(problem);
        }
    }

    static List<String> ownBuckets(S3Client s3) {
        return s3.listBuckets().buckets().stream().map(Bucket::name).sorted().toList();
    }

    /** Runs code with this test's thread in an account (as a class's thread is), through a client bsm did not build. */
    private <T> T inAccount(String account, Function<S3Client, T> code) {
        SessionBinding.Restore restore = SessionBinding.bind(new SessionBinding(Optional.of(account),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(account, BsmTestKit.moto().secretAccessKey())),
                Optional.of(BsmTestKit.moto().endpoint()), "test " + account));
        try {
            return code.apply(plain.client(S3Client.class));
        } finally {
            restore.close();
        }
    }

    private static String freshAccount() {
        return Accounts.fresh(Set.of(MotoServer.shared().accountId()));
    }

    /** Whether no account holds the name: a fresh account can create it (and deletes it again). */
    private void assertFree(String... buckets) {
        inAccount(freshAccount(), s3 -> {
            for (String bucket : buckets) {
                s3.createBucket(b -> b.bucket(bucket));
                s3.deleteBucket(b -> b.bucket(bucket));
            }
            return null;
        });
    }

    private static EngineExecutionResults serial(Class<?>... fixtures) {
        return BsmTestKit.run(Map.of("junit.jupiter.execution.parallel.enabled", "false"), fixtures);
    }

    // ------------------------------------------------------------------------------------------------ cleanup

    /**
     * Two buckets of the same names in every class: one versioned, with two versions of a key, a delete marker and
     * an unfinished multipart upload, one plain with objects.
     */
    @WithAwsSession(localstack = true)
    abstract static class FullBucketsBase {
        static final String VERSIONED = "versioned-reports";
        static final String PLAIN = "plain-reports";

        @BeforeAll
        static void fill() {
            try (S3Client s3 = S3Client.create()) {
                s3.createBucket(b -> b.bucket(VERSIONED));
                s3.putBucketVersioning(v -> v.bucket(VERSIONED)
                        .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
                s3.putObject(p -> p.bucket(VERSIONED).key("daily.csv"), RequestBody.fromString("one"));
                s3.putObject(p -> p.bucket(VERSIONED).key("daily.csv"), RequestBody.fromString("two"));
                s3.deleteObject(d -> d.bucket(VERSIONED).key("daily.csv"));
                s3.createMultipartUpload(m -> m.bucket(VERSIONED).key("unfinished.bin"));
                s3.createBucket(b -> b.bucket(PLAIN));
                for (String key : List.of("a.csv", "dir/b.csv", "dir/sub/c.csv")) {
                    s3.putObject(p -> p.bucket(PLAIN).key(key), RequestBody.fromString(key));
                }
            }
        }

        @Test
        void seesOnlyItsOwnBuckets(BotoSesManager bsm) {
            ACCOUNTS.put(getClass().getSimpleName(), bsm.awsAccountId());
            List<String> buckets = ownBuckets(bsm.client(S3Client.class));
            check(buckets.equals(List.of(PLAIN, VERSIONED)), getClass().getSimpleName() + ": buckets " + buckets);
        }
    }

    static class FirstFullBucketsTestCase extends FullBucketsBase {
    }

    static class SecondFullBucketsTestCase extends FullBucketsBase {
    }

    @Test
    void twoClassesWithTheSameBucketsFullOfVersionsPassInEitherOrderAndLeaveTheNamesFree() {
        for (Class<?>[] order : List.of(new Class<?>[] {FirstFullBucketsTestCase.class, SecondFullBucketsTestCase.class},
                new Class<?>[] {SecondFullBucketsTestCase.class, FirstFullBucketsTestCase.class})) {
            ACCOUNTS.clear();
            serial(order).allEvents().assertStatistics(s -> s.failed(0));
            assertThat(PROBLEMS).isEmpty();
            assertThat(ACCOUNTS).hasSize(2);
            assertFree(FullBucketsBase.VERSIONED, FullBucketsBase.PLAIN);
        }
    }

    @WithAwsSession(localstack = true, isolation = Isolation.TEST)
    static class PerTestBucketsTestCase {
        static final String CLASS_BUCKET = "per-test-class-bucket";
        static final String TEST_BUCKET = "per-test-bucket";

        @BeforeAll
        static void classBucket() {
            try (S3Client s3 = S3Client.create()) {
                s3.createBucket(b -> b.bucket(CLASS_BUCKET));
            }
        }

        @Test
        void one() {
            createFull();
        }

        @Test
        void two() {
            createFull();
        }

        private static void createFull() {
            try (S3Client s3 = S3Client.create()) {
                s3.createBucket(b -> b.bucket(TEST_BUCKET));
                s3.putObject(p -> p.bucket(TEST_BUCKET).key("k"), RequestBody.fromString("v"));
                check(ownBuckets(s3).equals(List.of(TEST_BUCKET)), "a test sees " + ownBuckets(s3));
            }
        }

        @AfterAll
        static void classBucketOutlivesTheTests() {
            try (S3Client s3 = S3Client.create()) {
                check(ownBuckets(s3).equals(List.of(CLASS_BUCKET)), "@AfterAll sees " + ownBuckets(s3));
            }
        }
    }

    @Test
    void withTestIsolationEachTestsBucketsAreDeletedAfterItAndTheClassesAfterTheClass() {
        serial(PerTestBucketsTestCase.class).allEvents().assertStatistics(s -> s.failed(0));
        assertThat(PROBLEMS).isEmpty();
        assertFree(PerTestBucketsTestCase.TEST_BUCKET, PerTestBucketsTestCase.CLASS_BUCKET);
    }

    @WithAwsSession(localstack = true, isolation = Isolation.NONE)
    static class SharedAccountBucketTestCase {
        static final String BUCKET = "shared-account-bucket";

        @Test
        void createsABucket() {
            try (S3Client s3 = S3Client.create()) {
                s3.createBucket(b -> b.bucket(BUCKET));
            }
        }
    }

    @Test
    void noneLeavesTheBucketsOfTheSharedAccount() {
        S3Client defaultAccount = plain.client(S3Client.class);
        try {
            BsmTestKit.run(SharedAccountBucketTestCase.class).allEvents().assertStatistics(s -> s.failed(0));
            assertThat(ownBuckets(defaultAccount)).contains(SharedAccountBucketTestCase.BUCKET);
        } finally {
            defaultAccount.deleteBucket(b -> b.bucket(SharedAccountBucketTestCase.BUCKET));
        }
    }

    @WithAwsSession(localstack = true)
    static class FailingAfterAllTestCase {
        static final String BUCKET = "failing-after-all";

        @BeforeAll
        static void createBucket(BotoSesManager bsm) {
            ACCOUNTS.put("failing", bsm.awsAccountId());
            try (S3Client s3 = S3Client.create()) {
                s3.createBucket(b -> b.bucket(BUCKET));
                s3.putObject(p -> p.bucket(BUCKET).key("k"), RequestBody.fromString("v"));
            }
        }

        @Test
        void passes() {
        }

        @AfterAll
        static void fails() {
            throw new IllegalStateException("@AfterAll failed on purpose");
        }
    }

    @Test
    void theBucketsAreDeletedAfterAFailingAfterAllWhoseFailureIsReported() {
        EngineExecutionResults results = serial(FailingAfterAllTestCase.class);
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(FailingAfterAllTestCase.class),
                finishedWithFailure(instanceOf(IllegalStateException.class),
                        message("@AfterAll failed on purpose"))));
        assertThat(failureOf(results, FailingAfterAllTestCase.class).getSuppressed()).isEmpty();
        assertFree(FailingAfterAllTestCase.BUCKET);
    }

    @WithAwsSession(localstack = true)
    static class NoBucketTestCase {
        @Test
        void makesAQueueOnly(BotoSesManager bsm) {
            ACCOUNTS.put("no bucket", bsm.awsAccountId());
            try (SqsClient sqs = SqsClient.create()) {
                sqs.createQueue(q -> q.queueName("no-bucket"));
            }
        }
    }

    @Test
    void onlyAClassThatSentACreateBucketListsItsBucketsAtTheEnd() {
        serial(NoBucketTestCase.class, FailingAfterAllTestCase.class);
        assertThat(StsCallCounter.withHeader("ListBuckets", ACCOUNTS.get("no bucket"))).isZero();
        assertThat(StsCallCounter.withHeader("ListBuckets", ACCOUNTS.get("failing"))).isEqualTo(1);
        assertThat(StsCallCounter.withHeader("DeleteBucket", ACCOUNTS.get("failing"))).isEqualTo(1);
    }

    @Test
    void everyVersionOfABucketIsDeletedPageByPage() {
        String account = freshAccount();
        String bucket = "many-versions";
        inAccount(account, s3 -> {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putBucketVersioning(v -> v.bucket(bucket)
                    .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            for (int i = 0; i < 9; i++) {
                String key = "k" + i;
                s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromString("one"));
                s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromString("two"));
                s3.deleteObject(d -> d.bucket(bucket).key(key)); // 27 entries: three pages of 10
            }
            assertThat(AccountBuckets.deleteAll(plain, account, 10)).isEmpty();
            assertThat(ownBuckets(s3)).isEmpty();
            return null;
        });
        assertFree(bucket);
    }

    @Test
    void anObjectPutWhileTheBucketIsDeletedIsDeletedToo() {
        String account = freshAccount();
        String bucket = "put-meanwhile";
        AtomicBoolean put = new AtomicBoolean();
        ExecutionInterceptor putBeforeTheFirstDeleteBucket = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof DeleteBucketRequest && put.compareAndSet(false, true)) {
                    plain.client(S3Client.class).putObject(p -> p.bucket(bucket).key("late"),
                            RequestBody.fromString("v"));
                }
            }
        };
        try (BotoSesManager deleting = BotoSesManager.builder().credentials(BsmTestKit.moto().accessKeyId(),
                BsmTestKit.moto().secretAccessKey()).region(BsmTestKit.moto().region())
                .endpointOverride(BsmTestKit.moto().endpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(putBeforeTheFirstDeleteBucket)).build()) {
            inAccount(account, s3 -> {
                s3.createBucket(b -> b.bucket(bucket));
                s3.createMultipartUpload(m -> m.bucket(bucket).key("unfinished.bin"));
                int deletes = StsCallCounter.withHeader("DeleteBucket", account);
                assertThat(AccountBuckets.deleteAll(deleting, account)).isEmpty();
                assertThat(put).isTrue();
                assertThat(StsCallCounter.withHeader("DeleteBucket", account) - deletes)
                        .as("refused once (BucketNotEmpty), then emptied again and deleted").isEqualTo(2);
                assertThat(ownBuckets(s3)).isEmpty();
                return null;
            });
        }
        assertFree(bucket);
    }

    /**
     * Where an emulator's ListBuckets shows a bucket that bsm saw another isolated account create (one that ignores
     * accounts would), the bucket is left to that account. moto lists per account, so the other account's CreateBucket
     * is noted here as the interceptor notes it.
     */
    @Test
    void aListedBucketThatAnotherIsolatedAccountCreatedIsLeftToIt() {
        String account = freshAccount();
        String other = freshAccount();
        inAccount(account, s3 -> {
            s3.createBucket(b -> b.bucket("mine"));
            s3.createBucket(b -> b.bucket("theirs"));
            return null;
        });
        ExecutionAttributes createBucket = new ExecutionAttributes();
        createBucket.putAttribute(SdkExecutionAttribute.SERVICE_NAME, "S3");
        createBucket.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "CreateBucket");
        BucketCleanup.note(new SessionBinding(Optional.of(other), null, Optional.empty(), "other"),
                CreateBucketRequest.builder().bucket("theirs").build(), createBucket, true);
        inAccount(account, s3 -> {
            try {
                BucketCleanup.clean(plain, account, () -> "this test");
                assertThat(ownBuckets(s3)).containsExactly("theirs");
            } finally {
                s3.deleteBucket(b -> b.bucket("theirs"));
            }
            return null;
        });
        assertFree("mine", "theirs");
    }

    // ------------------------------------------------------------------------------------------------ failures

    /** A bucket whose only object is under a legal hold, which bsm does not lift: the bucket cannot be deleted. */
    @WithAwsSession(localstack = true)
    abstract static class LegalHoldBase {
        @BeforeAll
        static void holdAnObject(BotoSesManager bsm, TestInfo info) {
            String bucket = bucketOf(info.getTestClass().orElseThrow());
            ACCOUNTS.put(bucket, bsm.awsAccountId());
            try (S3Client s3 = S3Client.create()) {
                s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
                s3.putObject(p -> p.bucket(bucket).key("held.csv").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
                        RequestBody.fromString("kept"));
            }
        }

        static String bucketOf(Class<?> fixture) {
            return fixture.getSimpleName().toLowerCase();
        }

        @Test
        void passes() {
        }
    }

    static class LegalHoldTestCase extends LegalHoldBase {
    }

    static class LegalHoldAndFailingAfterAllTestCase extends LegalHoldBase {
        @AfterAll
        static void fails() {
            throw new IllegalStateException("@AfterAll failed on purpose");
        }
    }

    @Test
    void aBucketThatCannotBeDeletedFailsTheClassNamingItAndAnEarlierFailureStaysTheMainOne() {
        String alone = LegalHoldBase.bucketOf(LegalHoldTestCase.class);
        String withAfterAll = LegalHoldBase.bucketOf(LegalHoldAndFailingAfterAllTestCase.class);
        try {
            EngineExecutionResults results = serial(LegalHoldTestCase.class, LegalHoldAndFailingAfterAllTestCase.class);
            results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
            // JUnit 5.13 and later wrap what closing the class's context threw.
            Throwable closing = failureOf(results, LegalHoldTestCase.class);
            Throwable cleanup = closing instanceof JUnitException ? closing.getCause() : closing;
            assertThat(cleanup).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Test class 'BucketCleanupTests$LegalHoldTestCase' ("
                            + LegalHoldTestCase.class.getName()
                            + "): bsm could not delete the S3 bucket [" + alone + "] of its account "
                            + ACCOUNTS.get(alone) + " ('" + alone + "': ")
                    .hasMessageContaining("no other account on the emulator can create a bucket of the same name")
                    .hasMessageContaining("legal hold");
            Throwable main = failureOf(results, LegalHoldAndFailingAfterAllTestCase.class);
            assertThat(main).hasMessage("@AfterAll failed on purpose");
            assertThat(main.getSuppressed()).singleElement().satisfies(suppressed -> assertThat(
                    suppressed instanceof JUnitException ? suppressed.getCause() : suppressed).hasMessageContaining("could not delete the S3 bucket [" + withAfterAll + "]"));
        } finally {
            for (String bucket : List.of(alone, withAfterAll)) {
                inAccount(ACCOUNTS.get(bucket), s3 -> {
                    s3.listObjectVersions(r -> r.bucket(bucket)).versions().forEach(v -> {
                        s3.putObjectLegalHold(h -> h.bucket(bucket).key(v.key()).versionId(v.versionId())
                                .legalHold(l -> l.status(ObjectLockLegalHoldStatus.OFF)));
                        s3.deleteObject(d -> d.bucket(bucket).key(v.key()).versionId(v.versionId()));
                    });
                    s3.deleteBucket(b -> b.bucket(bucket));
                    return null;
                });
            }
        }
    }

    private static Throwable failureOf(EngineExecutionResults results, Class<?> fixture) {
        return results.containerEvents().filter(e -> e.getTestDescriptor().getSource()
                        .filter(source -> source instanceof ClassSource c && c.getJavaClass() == fixture).isPresent())
                .map(Event::getPayload).flatMap(Optional::stream).filter(TestExecutionResult.class::isInstance)
                .map(TestExecutionResult.class::cast).map(TestExecutionResult::getThrowable).flatMap(Optional::stream)
                .findFirst().orElseThrow(() -> new AssertionError(fixture.getSimpleName() + " did not fail"));
    }

    // ------------------------------------------------------------------------------------------------ the hint

    static final String CONTESTED = "contested-reports";

    @WithAwsSession(localstack = true)
    static class HolderTestCase {
        @Test
        void holdsTheName(BotoSesManager bsm) throws InterruptedException {
            ACCOUNTS.put("holder", bsm.awsAccountId());
            try (S3Client s3 = S3Client.create()) {
                s3.createBucket(b -> b.bucket(CONTESTED));
            }
            created.countDown();
            check(tried.await(30, SECONDS), "the late comer never tried");
        }
    }

    @WithAwsSession(localstack = true)
    static class LateComerTestCase {
        @Test
        void triesTheSameName(BotoSesManager bsm) throws InterruptedException {
            ACCOUNTS.put("late comer", bsm.awsAccountId());
            try {
                check(created.await(30, SECONDS), "the holder never created the bucket");
                attempt(bsm.client(S3Client.class), b -> b.bucket(CONTESTED));
                try (S3Client own = S3Client.create()) {
                    attempt(own, b -> b.bucket(CONTESTED));
                }
            } finally {
                tried.countDown();
            }
        }
    }

    static void attempt(S3Client s3, Consumer<CreateBucketRequest.Builder> request) {
        try {
            s3.createBucket(request);
            PROBLEMS.add("created " + CreateBucketRequest.builder().applyMutation(request).build().bucket()
                    + " a second time");
        } catch (S3Exception e) {
            FAILURES.add(e);
        }
    }

    @Test
    void aNameAnotherClassHoldsAtTheSameTimeFailsWithS3sOwnExceptionNamingTheHolderAndTheFix() {
        BsmTestKit.run(HolderTestCase.class, LateComerTestCase.class).allEvents().assertStatistics(s -> s.failed(0));
        assertThat(PROBLEMS).isEmpty();
        String holder = ACCOUNTS.get("holder");
        String lateComer = ACCOUNTS.get("late comer");
        assertThat(FAILURES).as("through the injected manager and a client of its own").hasSize(2)
                .allSatisfy(failure -> {
                    assertThat(failure).isInstanceOf(BucketAlreadyExistsException.class)
                            .hasMessageStartingWith("The requested bucket name is not available.")
                            .hasMessageContaining("[bsm] Bucket '" + CONTESTED + "' is held by another account:"
                                    + " account " + holder + " of Test class 'BucketCleanupTests$HolderTestCase' ("
                                    + HolderTestCase.class.getName() + "), which is running at the same time.")
                            .hasMessageContaining("Isolation CLASS gives each test class an AWS account of its own"
                                    + " (here " + lateComer + "), but S3 bucket names are global")
                            .hasMessageContaining("Give the bucket a unique name, for example \"" + CONTESTED
                                    + "-\" + bsm.awsAccountId(), or a random suffix.")
                            .hasMessageContaining("(Service: S3, Status Code: 409");
                    S3Exception s3 = (S3Exception) failure;
                    assertThat(s3.statusCode()).isEqualTo(409);
                    assertThat(s3.awsErrorDetails().errorCode()).isEqualTo("BucketAlreadyExists");
                    assertThat(s3.getStackTrace()).anySatisfy(frame -> assertThat(frame.getClassName())
                            .isEqualTo(LateComerTestCase.class.getName()));
                });
        assertFree(CONTESTED);
    }

    @WithAwsSession(localstack = true)
    static class DefaultAccountHoldsTestCase {
        static final String BUCKET = "held-by-the-default-account";
        static final String OWN = "made-twice";

        @Test
        void triesANameTheDefaultAccountHoldsAndOneOfItsOwnTwice() {
            try (S3Client s3 = S3Client.create()) {
                attempt(s3, b -> b.bucket(BUCKET));
                // Outside us-east-1: there S3 answers a second CreateBucket of one's own bucket with success.
                Consumer<CreateBucketRequest.Builder> own = b -> b.bucket(OWN)
                        .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_WEST_1));
                s3.createBucket(own);
                attempt(s3, own);
            }
        }
    }

    @Test
    void aNameHeldOutsideTheIsolatedClassesSaysSoAndANameTheClassHoldsItselfGetsNoHint() {
        S3Client defaultAccount = plain.client(S3Client.class);
        defaultAccount.createBucket(b -> b.bucket(DefaultAccountHoldsTestCase.BUCKET));
        try {
            BsmTestKit.run(DefaultAccountHoldsTestCase.class).allEvents().assertStatistics(s -> s.failed(0));
        } finally {
            defaultAccount.deleteBucket(b -> b.bucket(DefaultAccountHoldsTestCase.BUCKET));
        }
        assertThat(PROBLEMS).isEmpty();
        assertThat(FAILURES).hasSize(2);
        assertThat(FAILURES.get(0)).isInstanceOf(BucketAlreadyExistsException.class).hasMessageContaining(
                "[bsm] Bucket '" + DefaultAccountHoldsTestCase.BUCKET + "' is held by another account: not one of"
                        + " this run's isolated classes or tests, but the emulator's default account (a class with"
                        + " isolation NONE, which keeps its buckets, or a client with no session)");
        assertThat(FAILURES.get(1)).isInstanceOf(BucketAlreadyOwnedByYouException.class)
                .hasMessageNotContaining("[bsm]");
        assertFree(DefaultAccountHoldsTestCase.OWN);
    }
}
