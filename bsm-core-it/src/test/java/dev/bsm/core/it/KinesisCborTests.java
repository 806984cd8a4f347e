package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bsm.core.AwsCliEnvironment;
import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;

/**
 * moto does not speak CBOR, the SDK's default for Kinesis, and answers it with HTTP 500: a manager built with
 * {@code cborEnabled(false)} speaks JSON in every client it builds, without leaving the JVM-wide switch changed.
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class KinesisCborTests {
    private MotoServer moto;

    @BeforeEach
    void moto() {
        moto = Moto.server();
    }

    private BotoSesManager.Builder onMoto() {
        return BotoSesManager.builder().credentials(moto.accessKeyId(), Moto.CANARY_SECRET).region(moto.region())
                .endpointOverride(moto.endpoint());
    }

    /** Creates a stream, puts a record and reads it back. */
    static String roundTrip(KinesisClient kinesis) {
        String stream = "cbor-" + UUID.randomUUID();
        kinesis.createStream(c -> c.streamName(stream).shardCount(1));
        kinesis.putRecord(p -> p.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("hello")));
        String shard = kinesis.listShards(l -> l.streamName(stream)).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(i -> i.streamName(stream).shardId(shard)
                .shardIteratorType("TRIM_HORIZON")).shardIterator();
        return kinesis.getRecords(g -> g.shardIterator(iterator)).records().get(0).data().asUtf8String();
    }

    @Test
    void aManagerWithCborOffSpeaksJsonToMotoInSyncAndAsyncClients() throws Exception {
        String before = System.getProperty("aws.cborEnabled");
        try (BotoSesManager bsm = onMoto().cborEnabled(false).build()) {
            assertThat(roundTrip(bsm.client(KinesisClient.class))).isEqualTo("hello");
            KinesisAsyncClient async = bsm.client(KinesisAsyncClient.class);
            String stream = "cbor-async-" + UUID.randomUUID();
            async.createStream(c -> c.streamName(stream).shardCount(1)).get(30, TimeUnit.SECONDS);
            assertThat(async.describeStreamSummary(d -> d.streamName(stream)).get(30, TimeUnit.SECONDS)
                    .streamDescriptionSummary().openShardCount()).isEqualTo(1);
        }
        assertThat(System.getProperty("aws.cborEnabled")).isEqualTo(before);
    }

    @Test
    void withoutItMotoAnswersKinesisWithHttp500() {
        try (BotoSesManager bsm = onMoto().build()) {
            assertThatThrownBy(() -> roundTrip(bsm.client(KinesisClient.class)))
                    .isInstanceOfSatisfying(KinesisException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        }
    }

    @Test
    void motoServersOwnSessionSpeaksJson() {
        assertThat(roundTrip(moto.session().client(KinesisClient.class))).isEqualTo("hello");
    }

    @Test
    @ResourceLock("java.lang.System.environment")
    void aClientBuiltByHandInsideTheManagersAwscliBlockSpeaksJsonToo() {
        try (BotoSesManager bsm = moto.sessionBuilder().build(); AwsCliEnvironment env = bsm.awscli()) {
            assertThat(System.getenv("CBOR_ENABLED")).isEqualTo("false");
            try (KinesisClient byHand = KinesisClient.builder().endpointOverride(URI.create(
                    System.getenv("AWS_ENDPOINT_URL"))).region(Region.of(System.getenv("AWS_REGION")))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            moto.accessKeyId(), moto.secretAccessKey()))).build()) {
                assertThat(roundTrip(byHand)).isEqualTo("hello");
            }
        }
    }
}
