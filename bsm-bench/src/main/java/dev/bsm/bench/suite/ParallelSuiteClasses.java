package dev.bsm.bench.suite;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Benchmark 7 (issue 13): 8 classes of 5 tests on the shared emulator, as a suite written for a fresh emulator per
 * class would be. Each class builds its own SQS, DynamoDB and STS clients in {@code @BeforeAll}
 * ({@code XxxClient.create()}, from the class's session) and creates queue {@value #QUEUE} and table
 * {@value #TABLE}, the same names in every class. Each test waits {@value #WAIT_MILLIS} ms (the test's own work),
 * then makes 5 calls: it sends a message naming its class and test (injected manager), receives from the queue
 * (own client), puts an item naming them (own client), scans the table (injected manager) and asks STS who it is
 * (own client). Anything of another class that the receive or the scan returns is a leak; the test fails on it and
 * it is counted ({@link #LEAKS}). Run by {@link ParallelSuiteMain}, not by Surefire.
 */
public final class ParallelSuiteClasses {
    static final String QUEUE = "jobs";
    static final String TABLE = "items";
    static final int TESTS = 5;
    static final long WAIT_MILLIS = 200;

    /** Items of other classes seen, over all tests. */
    static final LongAdder LEAKS = new LongAdder();
    /** What went wrong, leaks and anything else, for the report. */
    static final List<String> PROBLEMS = new CopyOnWriteArrayList<>();
    /** Per class: the start of its first test and the end of its last (System.nanoTime). */
    static final Map<String, long[]> SPANS = new ConcurrentHashMap<>();

    private ParallelSuiteClasses() {
    }

    /** @return the 8 classes */
    static List<Class<?>> all() {
        return List.of(C1.class, C2.class, C3.class, C4.class, C5.class, C6.class, C7.class, C8.class);
    }

    /** The most classes that were between their first test's start and their last test's end at one instant. */
    static int maxConcurrentClasses() {
        int max = 0;
        for (long[] span : SPANS.values()) {
            long at = span[0];
            int inside = (int) SPANS.values().stream().filter(other -> other[0] <= at && at < other[1]).count();
            max = Math.max(max, inside);
        }
        return max;
    }

    /** What each class declares; PER_CLASS, so each class has its clients in fields of its own instance. */
    @WithAwsSession(localstack = true)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Worker {
        private SqsClient sqs;
        private DynamoDbClient dynamo;
        private StsClient sts;
        private String queueUrl;

        @BeforeAll
        void createQueueAndTable() {
            sqs = SqsClient.create();
            dynamo = DynamoDbClient.create();
            sts = StsClient.create();
            queueUrl = sqs.createQueue(r -> r.queueName(QUEUE)).queueUrl();
            try {
                dynamo.createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                                .attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
            } catch (ResourceInUseException e) {
                // Only without isolation: another class made it in the shared account; its items will show.
            }
        }

        @AfterAll
        void closeClients() {
            sqs.close();
            dynamo.close();
            sts.close();
        }

        @RepeatedTest(TESTS)
        void work(RepetitionInfo repetition, BotoSesManager bsm) throws InterruptedException {
            long start = System.nanoTime();
            Thread.sleep(WAIT_MILLIS);
            String item = getClass().getSimpleName() + "#" + repetition.getCurrentRepetition();

            bsm.client(SqsClient.class).sendMessage(r -> r.queueUrl(queueUrl).messageBody(item));
            List<String> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(0)).messages().stream().map(Message::body).toList();
            dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(item))));
            List<String> items = bsm.client(DynamoDbClient.class).scan(r -> r.tableName(TABLE)).items().stream()
                    .map(i -> i.get("pk").s()).toList();
            String account = sts.getCallerIdentity().account();

            check(getClass().getSimpleName(), start, repetition.getCurrentRepetition(), messages, items, account,
                    bsm.awsAccountId());
        }
    }

    /**
     * Records a test's span and what it saw (for {@link ParallelSuiteClasses} and {@link PlainSuiteClasses}):
     * every message or item not named after its class is a leak, counted in {@link #LEAKS}; a leak, its own item
     * missing from the scan or STS naming another account than the class's is a problem, kept in
     * {@link #PROBLEMS} and thrown.
     *
     * @param testClass the class's simple name, the prefix of its messages and items
     * @param start System.nanoTime at the test's start
     * @param repetition the test's number in its class
     * @param account what GetCallerIdentity said
     * @param classAccount the account the class is in
     */
    static void check(String testClass, long start, int repetition, List<String> messages, List<String> items,
            String account, String classAccount) {
        SPANS.merge(testClass, new long[] {start, System.nanoTime()},
                (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        String me = testClass + "#";
        String item = me + repetition;
        List<String> foreign = Stream.concat(messages.stream(), items.stream())
                .filter(seen -> !seen.startsWith(me)).toList();
        LEAKS.add(foreign.size());
        String problem = !foreign.isEmpty() ? item + " sees items of other classes: " + foreign
                : !items.contains(item) ? item + " does not see its own item in " + items
                : !account.equals(classAccount) ? item + ": its own clients are in account " + account
                        + ", the class in " + classAccount
                : null;
        if (problem != null) {
            PROBLEMS.add(problem);
            throw new AssertionError(problem);
        }
    }

    public static class C1 extends Worker {
    }

    public static class C2 extends Worker {
    }

    public static class C3 extends Worker {
    }

    public static class C4 extends Worker {
    }

    public static class C5 extends Worker {
    }

    public static class C6 extends Worker {
    }

    public static class C7 extends Worker {
    }

    public static class C8 extends Worker {
    }
}
