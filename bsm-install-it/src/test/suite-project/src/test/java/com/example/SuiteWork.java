package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * What every class of this suite does, and what it writes down for the build that runs it: the directory named by
 * the environment variable {@code SUITE_RECORDS} gets one properties file per test (what the test saw, in which
 * JVM, beside which moto_server) and one entry file per class that has begun its work.
 *
 * <p>Every class creates the same queue and the same table, writes its own name into both, creates a bucket
 * ({@link #bucket}), waits a moment so that classes running beside it write theirs, and reads back through the
 * injected manager: it must find its own name and its own bucket only. Before that, a class waits (at most
 * {@link #RENDEZVOUS}) until the classes it should run beside have begun: under Failsafe (one JVM) all
 * {@link #FAILSAFE_CLASSES} {@link SessionChecks} classes, under Surefire a class in each other fork. The
 * build counts from the records whether they really ran together.
 */
final class SuiteWork {
    static final String QUEUE = "jobs";
    static final String TABLE = "reports";
    static final int FAILSAFE_CLASSES = 3;
    static final int SUREFIRE_FORKS = 2;
    private static final Duration RENDEZVOUS = Duration.ofSeconds(20);
    private static final Duration HOLD = Duration.ofMillis(300);

    private SuiteWork() {
    }

    /** The queue, table and bucket check, timed and recorded. */
    static void exercise(Class<?> testClass, BotoSesManager bsm, Clients clients) throws Exception {
        SqsClient sqs = clients.sqs();
        DynamoDbClient dynamo = clients.dynamo();
        S3Client s3 = clients.s3();
        long start = System.nanoTime();
        String marker = testClass.getSimpleName();
        boolean met = awaitCompany(testClass);

        String queueUrl = sqs.createQueue(b -> b.queueName(QUEUE)).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(marker));
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
        dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(marker))));
        String bucket = bucket(testClass, bsm);
        s3.createBucket(b -> b.bucket(bucket));
        Thread.sleep(HOLD.toMillis());

        SqsClient injectedSqs = bsm.client(SqsClient.class);
        String ownQueueUrl = injectedSqs.getQueueUrl(b -> b.queueName(QUEUE)).queueUrl();
        String queue = injectedSqs.receiveMessage(b -> b.queueUrl(ownQueueUrl).maxNumberOfMessages(10)).messages()
                .stream().map(Message::body).sorted().collect(Collectors.joining(","));
        String table = bsm.client(DynamoDbClient.class).scan(b -> b.tableName(TABLE)).items().stream()
                .map(item -> item.get("pk").s()).sorted().collect(Collectors.joining(","));
        String buckets = bsm.client(S3Client.class).listBuckets().buckets().stream().map(Bucket::name).sorted()
                .collect(Collectors.joining(","));
        String selfBuiltAccount = selfBuiltAccount();
        long end = System.nanoTime();

        Properties record = new Properties();
        record.setProperty("class", marker);
        record.setProperty("fork", Long.toString(ProcessHandle.current().pid()));
        record.setProperty("motoServer", motoServer());
        record.setProperty("endpoint", String.valueOf(System.getenv("AWS_ENDPOINT_URL")));
        record.setProperty("rendezvous", met ? "met" : "timed out");
        record.setProperty("start", Long.toString(start));
        record.setProperty("end", Long.toString(end));
        record.setProperty("account", bsm.awsAccountId());
        record.setProperty("selfBuiltAccount", selfBuiltAccount);
        record.setProperty("queueUrl", queueUrl);
        record.setProperty("queue", queue);
        record.setProperty("table", table);
        record.setProperty("buckets", buckets);
        write(marker + ".exercise", record);

        assertThat(queueUrl).as("the self-built client's queue").contains("/" + bsm.awsAccountId() + "/");
        assertThat(selfBuiltAccount).as("a self-built client's account").isEqualTo(bsm.awsAccountId());
        assertThat(queue).as("messages in queue " + QUEUE).isEqualTo(marker);
        assertThat(table).as("items in table " + TABLE).isEqualTo(marker);
        assertThat(buckets).as("buckets listed").isEqualTo(bucket);
    }

    /**
     * The bucket a class creates. Bucket names are global while each class has an account of its own, so a name
     * held by one class cannot be created by another until bsm deletes it when the holder ends. Surefire runs a
     * fork's classes one after the other: they all take one name, which only that cleanup frees for the next. The
     * forks run at the same time (and may share one emulator), so the name is the fork's. Failsafe's classes run
     * at the same time: each takes a name of its own, as bsm's hint advises ({@link ContestedBucket} shows the hint).
     */
    static String bucket(Class<?> testClass, BotoSesManager bsm) {
        return failsafe(testClass) ? "reports-" + bsm.awsAccountId() : "surefire-" + ProcessHandle.current().pid();
    }

    static boolean failsafe(Class<?> testClass) {
        return testClass.getSimpleName().endsWith("IT");
    }

    /** A client built on a thread the test starts lands in the class's account. */
    static void checkThreadsItStarts(Class<?> testClass, BotoSesManager bsm) throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread thread = new Thread(() -> seen.set(selfBuiltAccount()));
        thread.start();
        thread.join();
        Properties record = new Properties();
        record.setProperty("class", testClass.getSimpleName());
        record.setProperty("account", bsm.awsAccountId());
        record.setProperty("threadAccount", String.valueOf(seen.get()));
        write(testClass.getSimpleName() + ".thread", record);
        assertThat(seen.get()).as("the account of a client built on a thread the test started")
                .isEqualTo(bsm.awsAccountId());
    }

    private static String selfBuiltAccount() {
        try (StsClient sts = StsClient.create()) {
            return sts.getCallerIdentity().account();
        }
    }

    /**
     * The moto_server the classes of this JVM use: the shared server that the extension chose, as {@code pid@start}
     * (its description names the pid; the start time tells it from a later process with that pid).
     */
    private static String motoServer() {
        assertThat(System.getenv("AWS_ENDPOINT_URL")).as("the endpoint of the class's session")
                .isEqualTo(MotoServer.shared().endpoint().toString());
        Matcher pid = Pattern.compile("\\(pid (\\d+)").matcher(MotoServer.shared().description());
        assertThat(pid.find()).as("the shared server's description: %s", MotoServer.shared().description()).isTrue();
        ProcessHandle server = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
        return server.pid() + "@" + server.info().startInstant().map(Object::toString).orElse("?");
    }

    /**
     * Says that this class has begun, then waits until its company has too: under Failsafe every class in this JVM,
     * under Surefire a class in each other fork.
     *
     * @return whether the company came before the time ran out
     */
    private static boolean awaitCompany(Class<?> testClass) throws IOException, InterruptedException {
        boolean failsafe = failsafe(testClass);
        Path entries = Files.createDirectories(records().resolve(failsafe ? "entered-it" : "entered-test"));
        String fork = Long.toString(ProcessHandle.current().pid());
        try {
            Files.createFile(entries.resolve(fork + "-" + testClass.getSimpleName()));
        } catch (FileAlreadyExistsException e) {
            // entered already
        }
        Predicate<List<String>> company = failsafe
                ? names -> names.stream().filter(n -> n.startsWith(fork + "-")).count() >= FAILSAFE_CLASSES
                : names -> names.stream().map(n -> n.substring(0, n.indexOf('-'))).distinct().count()
                        >= SUREFIRE_FORKS;
        long deadline = System.nanoTime() + RENDEZVOUS.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(entries)) {
                if (company.test(files.map(f -> f.getFileName().toString()).toList())) {
                    return true;
                }
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Writes {@code <name>.properties} in the records directory, complete or not at all. */
    static void write(String name, Properties record) throws IOException {
        Path file = records().resolve(name + ".properties");
        Path partial = records().resolve(name + ".partial");
        try (Writer writer = Files.newBufferedWriter(partial)) {
            record.store(writer, null);
        }
        Files.move(partial, file); // complete or absent, for the build that reads it
    }

    static Path records() {
        String directory = System.getenv("SUITE_RECORDS");
        assertThat(directory).as("environment variable SUITE_RECORDS").isNotBlank();
        return Path.of(directory);
    }
}
