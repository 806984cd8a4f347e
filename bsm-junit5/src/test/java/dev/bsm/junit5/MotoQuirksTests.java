package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.testkit.MotoServer;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * moto's wire-format quirks in a {@code @WithAwsSession} scope: Kinesis works from every client a test has
 * (injected, built by the code in {@code @BeforeAll}, in a constructor, in a test), because moto sessions speak
 * JSON instead of CBOR and their environment says so ({@code CBOR_ENABLED=false}, {@code aws.cborEnabled=false});
 * an async S3 upload above 1 MiB works from a client built in the test; the environment is restored after.
 */
@Isolated("runs fixture classes that change the environment and system properties")
class MotoQuirksTests {
    /** "Fixture/place" to "ok" or the failure. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    /** Built before any scope: CBOR, the SDK's default, as a client cached outside bsm's scopes has it. */
    static KinesisClient builtBeforeTheScope;

    static void seen(Class<?> fixture, String place, Supplier<String> call) {
        String result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            result = "error: " + e;
        }
        SEEN.put(fixture.getSimpleName() + "/" + place, result);
    }

    /** Creates a stream, puts a record and reads it back: "ok" when the record came back. */
    static String roundTrip(KinesisClient kinesis) {
        String stream = "quirks-" + UUID.randomUUID();
        kinesis.createStream(c -> c.streamName(stream).shardCount(1));
        kinesis.putRecord(p -> p.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("hello")));
        String shard = kinesis.listShards(l -> l.streamName(stream)).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(i -> i.streamName(stream).shardId(shard)
                .shardIteratorType("TRIM_HORIZON")).shardIterator();
        String data = kinesis.getRecords(g -> g.shardIterator(iterator)).records().get(0).data().asUtf8String();
        return data.equals("hello") ? "ok" : "read back " + data;
    }

    static String asyncRoundTrip(KinesisAsyncClient kinesis) {
        String stream = "quirks-async-" + UUID.randomUUID();
        kinesis.createStream(c -> c.streamName(stream).shardCount(1)).join();
        return kinesis.listStreams().join().streamNames().contains(stream) ? "ok" : "stream not listed";
    }

    /** An async upload above the SDK's 1 MiB threshold for {@code Expect: 100-continue}. */
    static String bigAsyncUpload(S3AsyncClient s3) {
        String bucket = "quirks-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket)).join();
        s3.putObject(p -> p.bucket(bucket).key("big"), AsyncRequestBody.fromBytes(new byte[2 * 1024 * 1024])).join();
        s3.deleteObject(d -> d.bucket(bucket).key("big")).join();
        s3.deleteBucket(d -> d.bucket(bucket)).join();
        return "ok";
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    @WithAwsSession(localstack = true)
    static class EveryClientTestCase {
        private static KinesisClient builtInBeforeAll;
        private final KinesisClient builtInConstructor = KinesisClient.create();

        @BeforeAll
        static void beforeAll() {
            builtInBeforeAll = KinesisClient.create();
        }

        @BeforeEach
        void beforeEach() {
            seen(EveryClientTestCase.class, "built in the constructor", () -> roundTrip(builtInConstructor));
        }

        @Test
        void test(KinesisClient injected, KinesisAsyncClient injectedAsync) {
            seen(EveryClientTestCase.class, "injected", () -> roundTrip(injected));
            seen(EveryClientTestCase.class, "injected async", () -> asyncRoundTrip(injectedAsync));
            seen(EveryClientTestCase.class, "built in @BeforeAll", () -> roundTrip(builtInBeforeAll));
            try (KinesisClient own = KinesisClient.create()) {
                seen(EveryClientTestCase.class, "built in the test", () -> roundTrip(own));
            }
            try (S3AsyncClient own = S3AsyncClient.create()) {
                seen(EveryClientTestCase.class, "async S3 upload above 1 MiB", () -> bigAsyncUpload(own));
            }
            seen(EveryClientTestCase.class, "built before the scope", () -> roundTrip(builtBeforeTheScope));
        }

        @AfterAll
        static void afterAll() {
            builtInBeforeAll.close();
        }
    }

    /** Without an account of its own: the run's shared manager and environment. */
    @WithAwsSession(localstack = true, isolation = Isolation.NONE)
    static class SharedAccountTestCase {
        @Test
        void test(KinesisClient injected) {
            seen(SharedAccountTestCase.class, "injected", () -> roundTrip(injected));
            try (KinesisClient own = KinesisClient.create()) {
                seen(SharedAccountTestCase.class, "built in the test", () -> roundTrip(own));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    private static Map<String, String> run(boolean explicitEndpoint) {
        GlobalState before = GlobalState.capture();
        MotoServer moto = BsmTestKit.moto();
        builtBeforeTheScope = KinesisClient.builder().endpointOverride(moto.endpoint()).region(Region.of(moto.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(moto.accessKeyId(),
                        moto.secretAccessKey()))).build();
        try {
            EngineExecutionResults results = explicitEndpoint
                    ? BsmTestKit.run(EveryClientTestCase.class, SharedAccountTestCase.class)
                    : BsmTestKit.runWithoutEndpoint(Map.of(), EveryClientTestCase.class, SharedAccountTestCase.class);
            results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        } finally {
            builtBeforeTheScope.close();
        }
        assertThat(GlobalState.capture().differencesFrom(before)).isEmpty();
        return new TreeMap<>(SEEN);
    }

    @Test
    void kinesisWorksFromEveryClientOnTheRunsMoto() {
        assertEveryClientWorks(run(false));
    }

    @Test
    void kinesisWorksFromEveryClientOnMotoGivenAsAnExternalEndpoint() {
        assertEveryClientWorks(run(true));
    }

    private static void assertEveryClientWorks(Map<String, String> seen) {
        assertThat(seen).containsAllEntriesOf(Map.of(
                "EveryClientTestCase/injected", "ok",
                "EveryClientTestCase/injected async", "ok",
                "EveryClientTestCase/built in @BeforeAll", "ok",
                "EveryClientTestCase/built in the constructor", "ok",
                "EveryClientTestCase/built in the test", "ok",
                "EveryClientTestCase/async S3 upload above 1 MiB", "ok",
                "SharedAccountTestCase/injected", "ok",
                "SharedAccountTestCase/built in the test", "ok"));
        // The limit: a client built before any scope keeps CBOR, and its failure says what to do.
        assertThat(seen.get("EveryClientTestCase/built before the scope")).contains("Status Code: 500")
                .contains("[bsm] moto does not speak CBOR");
    }
}
