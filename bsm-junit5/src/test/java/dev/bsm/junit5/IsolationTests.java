package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Each test class (or, with {@code TEST}, each test) gets an account of its own on the one shared emulator: two
 * classes creating the same queue, table and bucket names pass in any order and in parallel, each seeing only its
 * own data, through the injected manager and through clients they build themselves, on their thread, on threads
 * they start and with async clients. No reset between them.
 */
@Isolated("runs fixture classes that change the environment and system properties")
class IsolationTests {
    /** Per fixture class: what it saw. */
    static final Map<String, String> ACCOUNTS = new ConcurrentHashMap<>();
    static final List<String> PROBLEMS = new CopyOnWriteArrayList<>();
    /** Per fixture class: when its test started and ended (System.nanoTime). */
    static final Map<String, long[]> SPANS = new ConcurrentHashMap<>();

    @BeforeEach
    void clear() {
        BsmTestKit.moto();
        ACCOUNTS.clear();
        PROBLEMS.clear();
    }

    static void check(boolean ok, String problem) {
        if (!ok) {
            PROBLEMS.add(problem);
        }
    }

    static String selfBuiltAccount() {
        try (StsClient sts = StsClient.create()) {
            return sts.getCallerIdentity().account();
        }
    }

    // ------------------------------------------------------------------------------------------------ same names

    /**
     * Creates queue {@code jobs} and table {@code orders} in {@code @BeforeAll} with clients of its own, puts one
     * message and one item naming the class, and checks it sees only its own: through the injected manager,
     * through its own clients on its thread, on a thread it starts and through an async client.
     */
    @WithAwsSession(localstack = true)
    abstract static class SameNamesBase {
        static final String QUEUE = "jobs";
        static final String TABLE = "orders";

        @BeforeAll
        static void createQueueAndTable() {
            try (SqsClient sqs = SqsClient.create(); DynamoDbClient dynamo = DynamoDbClient.create()) {
                sqs.createQueue(r -> r.queueName(QUEUE));
                dynamo.createTable(t -> t.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                                .attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
            }
        }

        @Test
        void seesOnlyItsOwnData(BotoSesManager bsm) throws Exception {
            long start = System.nanoTime();
            try {
                seesOnlyItsOwn(bsm);
            } finally {
                SPANS.put(getClass().getSimpleName(), new long[] {start, System.nanoTime()});
            }
        }

        private void seesOnlyItsOwn(BotoSesManager bsm) throws Exception {
            String me = getClass().getSimpleName();
            ACCOUNTS.put(me, bsm.awsAccountId());
            ACCOUNTS.put(me + " self-built", selfBuiltAccount());
            String[] fromThread = new String[1];
            Thread thread = new Thread(() -> fromThread[0] = selfBuiltAccount());
            thread.start();
            thread.join();
            ACCOUNTS.put(me + " started thread", fromThread[0]);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                ACCOUNTS.put(me + " pool", pool.submit(IsolationTests::selfBuiltAccount).get());
            } finally {
                pool.shutdown();
            }

            SqsClient sqs = bsm.client(SqsClient.class);
            String queueUrl = sqs.getQueueUrl(r -> r.queueName(QUEUE)).queueUrl();
            check(queueUrl.contains("/" + bsm.awsAccountId() + "/"), me + ": queue url " + queueUrl);
            try (SqsAsyncClient async = SqsAsyncClient.create()) {
                async.sendMessage(r -> r.queueUrl(queueUrl).messageBody(me)).get();
            }
            bsm.client(DynamoDbClient.class).putItem(p -> p.tableName(TABLE).item(Map.of("id", AttributeValue.fromS(me))));
            Thread.sleep(300); // long enough for the other class to have written its own, when they overlap

            List<String> bodies = new ArrayList<>();
            try (SqsClient own = SqsClient.create()) {
                check(own.listQueues().queueUrls().size() == 1, me + ": queues " + own.listQueues().queueUrls());
                for (int i = 0; i < 3 && bodies.isEmpty(); i++) {
                    own.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                            .messages().stream().map(Message::body).forEach(bodies::add);
                }
            }
            check(bodies.equals(List.of(me)), me + ": messages " + bodies);
            List<String> ids = bsm.client(DynamoDbClient.class).scan(r -> r.tableName(TABLE)).items().stream()
                    .map(item -> item.get("id").s()).toList();
            check(ids.equals(List.of(me)), me + ": items " + ids);
        }
    }

    static class FirstSameNamesTestCase extends SameNamesBase {
    }

    static class SecondSameNamesTestCase extends SameNamesBase {
    }

    private static void sameNamesPass(Map<String, String> parameters, Class<?>... order) {
        ACCOUNTS.clear();
        PROBLEMS.clear();
        BsmTestKit.run(parameters, order).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(PROBLEMS).isEmpty();
        String first = ACCOUNTS.get("FirstSameNamesTestCase");
        String second = ACCOUNTS.get("SecondSameNamesTestCase");
        assertThat(first).as("an account per class").matches("\\d{12}").isNotEqualTo(second)
                .isNotEqualTo(MotoServer.shared().accountId());
        assertThat(second).matches("\\d{12}").isNotEqualTo(MotoServer.shared().accountId());
        for (String fixture : List.of("FirstSameNamesTestCase", "SecondSameNamesTestCase")) {
            for (String where : List.of(" self-built", " started thread", " pool")) {
                assertThat(ACCOUNTS.get(fixture + where)).as(fixture + where).isEqualTo(ACCOUNTS.get(fixture));
            }
        }
    }

    @Test
    void twoClassesWithTheSameQueueAndTableNamesPassInParallelEachSeeingOnlyItsOwn() {
        SPANS.clear();
        sameNamesPass(Map.of(), FirstSameNamesTestCase.class, SecondSameNamesTestCase.class);
        long[] first = SPANS.get("FirstSameNamesTestCase");
        long[] second = SPANS.get("SecondSameNamesTestCase");
        assertThat(first[0] < second[1] && second[0] < first[1]).as("the two tests ran at the same time").isTrue();
    }

    @Test
    void twoClassesWithTheSameQueueAndTableNamesPassInEitherOrderOneAfterTheOther() {
        Map<String, String> serial = Map.of("junit.jupiter.execution.parallel.enabled", "false");
        sameNamesPass(serial, FirstSameNamesTestCase.class, SecondSameNamesTestCase.class);
        sameNamesPass(serial, SecondSameNamesTestCase.class, FirstSameNamesTestCase.class);
    }

    /**
     * The same bucket name, one class after the other: each lists only its own bucket. Bucket names are global;
     * bsm deletes each class's bucket when it ends, so the next class can create it.
     */
    @WithAwsSession(localstack = true)
    abstract static class SameBucketBase {
        @BeforeAll
        static void createBucket() {
            try (S3Client s3 = S3Client.create()) {
                s3.createBucket(b -> b.bucket("reports"));
            }
        }

        @Test
        void listsOnlyItsOwnBucket(BotoSesManager bsm) {
            List<String> buckets = bsm.client(S3Client.class).listBuckets().buckets().stream().map(Bucket::name)
                    .toList();
            check(buckets.equals(List.of("reports")), getClass().getSimpleName() + ": buckets " + buckets);
            ACCOUNTS.put(getClass().getSimpleName(), bsm.awsAccountId());
        }
    }

    static class FirstSameBucketTestCase extends SameBucketBase {
    }

    static class SecondSameBucketTestCase extends SameBucketBase {
    }

    @Test
    void twoClassesWithTheSameBucketNamePassOneAfterTheOther() {
        Map<String, String> serial = Map.of("junit.jupiter.execution.parallel.enabled", "false");
        for (Class<?>[] order : List.of(new Class<?>[] {FirstSameBucketTestCase.class, SecondSameBucketTestCase.class},
                new Class<?>[] {SecondSameBucketTestCase.class, FirstSameBucketTestCase.class})) {
            BsmTestKit.run(serial, order).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
            assertThat(PROBLEMS).isEmpty();
            assertThat(ACCOUNTS.get("FirstSameBucketTestCase")).isNotEqualTo(ACCOUNTS.get("SecondSameBucketTestCase"));
        }
    }

    // ------------------------------------------------------------------------------------------------ TEST, NONE

    @WithAwsSession(localstack = true, isolation = Isolation.TEST)
    static class PerTestTestCase {
        static String classAccount;

        @BeforeAll
        static void beforeAll(BotoSesManager bsm) {
            classAccount = bsm.awsAccountId();
            ACCOUNTS.put("PerTest class", classAccount);
            check(selfBuiltAccount().equals(classAccount), "@BeforeAll: self-built clients in the class's account");
        }

        @Test
        void one(BotoSesManager bsm) {
            record("one", bsm);
        }

        @Test
        void two(BotoSesManager bsm) {
            record("two", bsm);
        }

        private static void record(String test, BotoSesManager bsm) {
            ACCOUNTS.put("PerTest " + test, bsm.awsAccountId());
            check(selfBuiltAccount().equals(bsm.awsAccountId()), test + ": self-built clients in the test's account");
            try (SqsClient sqs = SqsClient.create()) {
                sqs.createQueue(r -> r.queueName("per-test"));
                check(sqs.listQueues().queueUrls().size() == 1, test + ": " + sqs.listQueues().queueUrls());
            }
        }
    }

    @Test
    void testIsolationGivesEachTestMethodItsOwnAccount() {
        BsmTestKit.run(PerTestTestCase.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(PROBLEMS).isEmpty();
        assertThat(Set.of(ACCOUNTS.get("PerTest class"), ACCOUNTS.get("PerTest one"), ACCOUNTS.get("PerTest two")))
                .hasSize(3).doesNotContain(MotoServer.shared().accountId());
    }

    /** Eight tests, each with an account and a manager of its own, each making a call; keeps the last client. */
    @WithAwsSession(localstack = true, isolation = Isolation.TEST)
    static class ManyManagersTestCase {
        static volatile S3Client kept;

        @RepeatedTest(8)
        void call(BotoSesManager bsm) {
            kept = bsm.client(S3Client.class);
            kept.listBuckets();
            Thread.getAllStackTraces().keySet().forEach(t -> THREADS.add(t.getName()));
        }

        /** The last test's manager closed with its test; the run and its scheduler go on. */
        @AfterAll
        static void afterAll() {
            try {
                kept.listBuckets();
                ACCOUNTS.put("kept during the run", "worked");
            } catch (IllegalStateException e) {
                ACCOUNTS.put("kept during the run", e.getMessage());
            }
        }
    }

    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    /**
     * The API call timeouts of isolated managers run on one scheduler for the run, not on a thread (or more) per
     * manager; a client kept after its manager closed still fails, at the manager's own HTTP client.
     */
    @Test
    void isolatedManagersStartNoThreadsOfTheirOwnAndTheirKeptClientsFail() {
        Set<String> before = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .collect(Collectors.toSet());
        THREADS.clear();
        BsmTestKit.run(ManyManagersTestCase.class).testEvents().assertStatistics(s -> s.succeeded(8));
        Set<String> timeoutThreads = new TreeSet<>(THREADS);
        timeoutThreads.removeAll(before);
        timeoutThreads.removeIf(name -> !name.contains("timeouts"));
        assertThat(timeoutThreads).as("timeout threads started by 8 managers").isNotEmpty()
                .allMatch(name -> name.startsWith("bsm-junit5-timeouts-")).hasSizeLessThanOrEqualTo(5);

        assertThat(ACCOUNTS.get("kept during the run")).contains("HTTP client of a closed BotoSesManager");
        assertThatThrownBy(ManyManagersTestCase.kept::listBuckets).as("kept after the run")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed BotoSesManager");
    }

    @Test
    void theParameterSetsTheIsolationOfSessionsThatDoNotSayAndTheAttributeWins() {
        BsmTestKit.run(Map.of("bsm.isolation", "TEST"), FirstSameBucketTestCase.class, PerTestTestCase.class)
                .testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(Set.of(ACCOUNTS.get("PerTest class"), ACCOUNTS.get("PerTest one"), ACCOUNTS.get("PerTest two")))
                .hasSize(3);
        ACCOUNTS.clear();
        BsmTestKit.run(Map.of("bsm.isolation", "none"), FirstSameNamesTestCase.class, PerTestTestCase.class)
                .testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(ACCOUNTS.get("FirstSameNamesTestCase")).isEqualTo(MotoServer.shared().accountId());
        assertThat(ACCOUNTS.get("PerTest one")).as("attribute TEST beats bsm.isolation=none")
                .isNotEqualTo(MotoServer.shared().accountId()).isNotEqualTo(ACCOUNTS.get("PerTest two"));
    }

    @Test
    void anIsolationParameterOtherThanNoneClassOrTestFailsNamingIt() {
        EngineExecutionResults results = BsmTestKit.run(Map.of("bsm.isolation", "method"),
                FirstSameBucketTestCase.class);
        results.testEvents().assertStatistics(s -> s.succeeded(0));
        results.allEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.startsWith("Test class '")
                        && m.endsWith(": the configuration parameter bsm.isolation='method' is none of none, class or"
                                + " test")))));
    }

    @WithAwsSession(localstack = true, isolation = Isolation.NONE)
    static class SharedAccountTestCase {
        @Test
        void inTheDefaultAccount(BotoSesManager bsm) {
            ACCOUNTS.put("shared", bsm.awsAccountId());
            ACCOUNTS.put("shared self-built", selfBuiltAccount());
        }
    }

    @Test
    void noneSharesTheEmulatorsDefaultAccount() {
        BsmTestKit.run(SharedAccountTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(ACCOUNTS).containsEntry("shared", MotoServer.shared().accountId())
                .containsEntry("shared self-built", MotoServer.shared().accountId());
    }

    @WithAwsSession(localstack = true)
    static class AccountIdTestCase {
        @Test
        void readsItsAccountId(BotoSesManager bsm) {
            ACCOUNTS.put("account id", bsm.awsAccountId());
        }
    }

    /**
     * bsm tells an isolated manager its account only where the emulator puts requests there; an endpoint that
     * honours neither the header nor the access key id is found out once per run, and {@code awsAccountId()} then
     * says where requests really go (the emulator's default account), as STS does.
     */
    @Test
    void onAnEndpointThatIgnoresTheAccountAwsAccountIdSaysWhereRequestsGo() {
        try (AccountIgnoringEndpoint ignoring = new AccountIgnoringEndpoint(BsmTestKit.moto().endpoint())) {
            BsmTestKit.runWithoutEndpoint(Map.of(WithAwsSessionParameters.ENDPOINT, ignoring.endpoint().toString()),
                    AccountIdTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
        }
        assertThat(ACCOUNTS).containsEntry("account id", MotoServer.shared().accountId());

        BsmTestKit.run(AccountIdTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(ACCOUNTS.get("account id")).as("on moto itself").matches("\\d{12}")
                .isNotEqualTo(MotoServer.shared().accountId());
    }

    // ------------------------------------------------------------------------------------------------ roles

    /** The cross-account example, isolated: the role is assumed from the class's account, and acts in its own. */
    @WithAwsSession(name = "source", localstack = true)
    @WithAwsSession(name = "target", localstack = true,
            assumeRole = "arn:aws:iam::111122223333:role/deployer", roleSessionName = "copy-it")
    static class CrossAccountTestCase {
        @Test
        void copies(@AwsSession("source") BotoSesManager from, @AwsSession("target") BotoSesManager to) {
            ACCOUNTS.put("source", from.awsAccountId());
            ACCOUNTS.put("target", to.awsAccountId());
            ACCOUNTS.put("target arn", to.principalArn());
            ACCOUNTS.put("self-built", selfBuiltAccount());
        }
    }

    @Test
    void aRoleIsAssumedFromTheClassesAccountAndActsInItsOwn() {
        int before = StsCallCounter.count("AssumeRole");
        BsmTestKit.run(CrossAccountTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
        String source = ACCOUNTS.get("source");
        assertThat(source).matches("\\d{12}").isNotEqualTo(MotoServer.shared().accountId());
        assertThat(ACCOUNTS.get("target")).isEqualTo("111122223333");
        assertThat(ACCOUNTS.get("target arn")).endsWith("assumed-role/deployer/copy-it");
        assertThat(ACCOUNTS.get("self-built")).as("the environment session is the source").isEqualTo(source);
        assertThat(StsCallCounter.count("AssumeRole") - before).isEqualTo(1);
        assertThat(StsCallCounter.withHeader("AssumeRole", source)).as("AssumeRole sent from the source's account")
                .isEqualTo(1);
    }

    /** A role as the environment session: clients the code builds itself act as the role. */
    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::222233334444:role/app", roleSessionName = "own")
    static class RoleEnvironmentTestCase {
        @Test
        void selfBuiltClientsActAsTheRole(BotoSesManager bsm) {
            try (StsClient sts = StsClient.create()) {
                ACCOUNTS.put("role self-built arn", sts.getCallerIdentity().arn());
            }
            ACCOUNTS.put("role arn", bsm.principalArn());
        }
    }

    @Test
    void clientsTheCodeBuildsItselfActAsTheRoleOfARoleSession() {
        BsmTestKit.run(RoleEnvironmentTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(ACCOUNTS.get("role arn")).contains(":222233334444:").endsWith("assumed-role/app/own");
        assertThat(ACCOUNTS.get("role self-built arn")).isEqualTo(ACCOUNTS.get("role arn"));
    }
}
