package dev.bsm.bench.suite;

import dev.bsm.testkit.Emulator;
import dev.bsm.testkit.Emulators;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Benchmark 7's control: {@link ParallelSuiteClasses} written by hand on the AWS SDK, without bsm, so that the
 * report can say what plain SDK code reaches on the same machine and emulator, and how much of the parallel /
 * serial ratio is bsm's and how much the emulator's (moto_server serves one request at a time).
 *
 * <p>Each class takes a fresh account of its own in {@code @BeforeAll} and builds its SQS, DynamoDB and STS
 * clients as hand-written isolation would: region us-east-1, the shared emulator's endpoint and static
 * credentials, the SDK's default HTTP client (as the {@code XxxClient.create()} of bsm's classes get) and an
 * interceptor that puts each request in the class's account (moto's header {@code x-moto-account-id}); then it
 * creates queue {@value ParallelSuiteClasses#QUEUE} and table {@value ParallelSuiteClasses#TABLE}. Each test waits
 * {@value ParallelSuiteClasses#WAIT_MILLIS} ms and makes the same 5 calls: the send goes through a second SQS
 * client and the scan through a second DynamoDB client, built at the class's first test, where bsm's test uses
 * its injected manager's clients; GetCallerIdentity must name the class's account. What the tests see is counted
 * in {@link ParallelSuiteClasses#LEAKS} and {@link ParallelSuiteClasses#PROBLEMS}, as for bsm's classes. Run by
 * {@link ParallelSuiteMain}, not by Surefire.
 */
public final class PlainSuiteClasses {
    /**
     * The next account id: from a random base in [200,000,000,000, 900,000,000,000), which holds neither moto's
     * nor LocalStack's default account, so that a run never shares accounts with the emulator's default or, but
     * for a negligible chance, with an earlier run on a moto_server that outlived its JVM.
     */
    private static final AtomicLong NEXT_ACCOUNT =
            new AtomicLong(200_000_000_000L + ThreadLocalRandom.current().nextLong(700_000_000_000L));

    private PlainSuiteClasses() {
    }

    /** @return the 8 classes */
    static List<Class<?>> all() {
        return List.of(C1.class, C2.class, C3.class, C4.class, C5.class, C6.class, C7.class, C8.class);
    }

    /** What each class declares; PER_CLASS, so each class has its account and clients in fields of its own. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Worker {
        private String account;
        private SqsClient sqs;
        private DynamoDbClient dynamo;
        private StsClient sts;
        /** Stand for the injected manager's clients: built at the class's first test, as bsm builds them. */
        private SqsClient lateSqs;
        private DynamoDbClient lateDynamo;
        private String queueUrl;

        @BeforeAll
        void createQueueAndTable() {
            account = Long.toString(NEXT_ACCOUNT.getAndIncrement());
            sqs = inAccount(SqsClient.builder());
            dynamo = inAccount(DynamoDbClient.builder());
            sts = inAccount(StsClient.builder());
            queueUrl = sqs.createQueue(r -> r.queueName(ParallelSuiteClasses.QUEUE)).queueUrl();
            dynamo.createTable(r -> r.tableName(ParallelSuiteClasses.TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
        }

        /** A client of the class's account on the shared emulator. */
        private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C inAccount(B builder) {
            Emulator emulator = Emulators.shared();
            String id = account;
            ExecutionInterceptor toAccount = new ExecutionInterceptor() {
                @Override
                public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                        ExecutionAttributes attributes) {
                    return context.httpRequest().toBuilder().putHeader("x-moto-account-id", id).build();
                }
            };
            return builder.region(Region.US_EAST_1)
                    .endpointOverride(emulator.endpoint())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey())))
                    .overrideConfiguration(o -> o.addExecutionInterceptor(toAccount))
                    .build();
        }

        @AfterAll
        void closeClients() {
            sqs.close();
            dynamo.close();
            sts.close();
            if (lateSqs != null) {
                lateSqs.close();
                lateDynamo.close();
            }
        }

        @RepeatedTest(ParallelSuiteClasses.TESTS)
        void work(RepetitionInfo repetition) throws InterruptedException {
            long start = System.nanoTime();
            Thread.sleep(ParallelSuiteClasses.WAIT_MILLIS);
            String item = getClass().getSimpleName() + "#" + repetition.getCurrentRepetition();
            if (lateSqs == null) {
                lateSqs = inAccount(SqsClient.builder());
                lateDynamo = inAccount(DynamoDbClient.builder());
            }

            lateSqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(item));
            List<String> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(0)).messages().stream().map(Message::body).toList();
            dynamo.putItem(r -> r.tableName(ParallelSuiteClasses.TABLE)
                    .item(Map.of("pk", AttributeValue.fromS(item))));
            List<String> items = lateDynamo.scan(r -> r.tableName(ParallelSuiteClasses.TABLE)).items().stream()
                    .map(i -> i.get("pk").s()).toList();
            String said = sts.getCallerIdentity().account();

            ParallelSuiteClasses.check(getClass().getSimpleName(), start, repetition.getCurrentRepetition(),
                    messages, items, said, account);
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
