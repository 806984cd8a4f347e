package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * What every class of this project does, in each of the shards that build it at the same time against one external
 * emulator ({@code -Dbsm.endpoint}, {@code -Dbsm.shard}): it says it has begun, waits (at most {@link #RENDEZVOUS})
 * until a class of another shard has begun too, creates queue {@code jobs} and table {@code reports} with clients
 * of the SDK's default chains, writes {@code <shard>/<class>} into both, waits a moment for the classes running
 * beside it (in its fork, the other fork and the other shard) to write theirs, and reads both back through the
 * injected manager: it must find its own marker only. It records what it saw in {@code <shard>-<class>.properties}
 * in the directory named by {@code SHARD_RECORDS}, for the build that runs the shards.
 */
final class ShardWork {
    static final String QUEUE = "jobs";
    static final String TABLE = "reports";
    private static final Duration RENDEZVOUS = Duration.ofSeconds(120);
    private static final Duration HOLD = Duration.ofMillis(500);

    private ShardWork() {
    }

    static void exercise(Class<?> testClass, BotoSesManager bsm) throws Exception {
        String marker = shard() + "/" + testClass.getSimpleName();
        boolean met = awaitAnotherShard(testClass);
        try (SqsClient sqs = SqsClient.create(); DynamoDbClient dynamo = DynamoDbClient.create()) {
            String queueUrl = sqs.createQueue(b -> b.queueName(QUEUE)).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(marker));
            dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
            dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(marker))));
            Thread.sleep(HOLD.toMillis());

            SqsClient injectedSqs = bsm.client(SqsClient.class);
            String ownQueueUrl = injectedSqs.getQueueUrl(b -> b.queueName(QUEUE)).queueUrl();
            String queue = injectedSqs.receiveMessage(b -> b.queueUrl(ownQueueUrl).maxNumberOfMessages(10))
                    .messages().stream().map(Message::body).sorted().collect(Collectors.joining(","));
            String table = bsm.client(DynamoDbClient.class).scan(b -> b.tableName(TABLE)).items().stream()
                    .map(item -> item.get("pk").s()).sorted().collect(Collectors.joining(","));

            Properties record = new Properties();
            record.setProperty("shard", shard());
            record.setProperty("class", testClass.getSimpleName());
            record.setProperty("fork", Long.toString(ProcessHandle.current().pid()));
            record.setProperty("endpoint", String.valueOf(System.getenv("AWS_ENDPOINT_URL")));
            record.setProperty("rendezvous", met ? "met" : "timed out");
            record.setProperty("account", bsm.awsAccountId());
            record.setProperty("selfBuiltAccount", selfBuiltAccount());
            record.setProperty("queueUrl", queueUrl);
            record.setProperty("queue", queue);
            record.setProperty("table", table);
            write(shard() + "-" + testClass.getSimpleName(), record);

            assertThat(queueUrl).as("the self-built client's queue").contains("/" + bsm.awsAccountId() + "/");
            assertThat(queue).as("messages in queue " + QUEUE).isEqualTo(marker);
            assertThat(table).as("items in table " + TABLE).isEqualTo(marker);
        }
    }

    /** The account a client of the SDK's default chains is in: the class's. */
    static String selfBuiltAccount() {
        try (StsClient sts = StsClient.create()) {
            return sts.getCallerIdentity().account();
        }
    }

    /**
     * Says that this class has begun, then waits until a class of another shard has too.
     *
     * @return whether one did before the time ran out
     */
    private static boolean awaitAnotherShard(Class<?> testClass) throws IOException, InterruptedException {
        Path entries = Files.createDirectories(records().resolve("entered"));
        try {
            Files.createFile(entries.resolve(shard() + "-" + testClass.getSimpleName()));
        } catch (FileAlreadyExistsException e) {
            // entered already
        }
        long deadline = System.nanoTime() + RENDEZVOUS.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(entries)) {
                if (files.anyMatch(f -> !f.getFileName().toString().startsWith(shard() + "-"))) {
                    return true;
                }
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Writes {@code <name>.properties} in the records directory, complete or not at all. */
    private static void write(String name, Properties record) throws IOException {
        Path partial = records().resolve(name + ".partial");
        try (Writer writer = Files.newBufferedWriter(partial)) {
            record.store(writer, null);
        }
        Files.move(partial, records().resolve(name + ".properties"));
    }

    /** The shard this build is, as its environment {@code SHARD} names it. */
    static String shard() {
        String shard = System.getenv("SHARD");
        assertThat(shard).as("environment variable SHARD").isNotBlank();
        return shard;
    }

    private static Path records() {
        String directory = System.getenv("SHARD_RECORDS");
        assertThat(directory).as("environment variable SHARD_RECORDS").isNotBlank();
        return Path.of(directory);
    }
}
