package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

// tag::moto-kinesis[]
@WithAwsSession(localstack = true)
class KinesisExampleTests {
    static KinesisClient orders;                               // the application's own client, built in scope

    @BeforeAll
    static void createStream(KinesisClient kinesis) {
        kinesis.createStream(c -> c.streamName("orders").shardCount(1));
        kinesis.waiter().waitUntilStreamExists(d -> d.streamName("orders"));   // LocalStack takes a moment
        orders = KinesisClient.create();                       // on moto: JSON, not CBOR, nothing to set
    }

    @Test
    void readsBackWhatTheApplicationPut(KinesisClient kinesis) {
        orders.putRecord(p -> p.streamName("orders").partitionKey("42").data(SdkBytes.fromUtf8String("paid")));

        String shard = kinesis.listShards(l -> l.streamName("orders")).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(i -> i.streamName("orders").shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        assertThat(kinesis.getRecords(g -> g.shardIterator(iterator)).records())
                .extracting(r -> r.data().asUtf8String()).containsExactly("paid");
    }

    @AfterAll
    static void closeClient() {
        orders.close();
    }
}
// end::moto-kinesis[]
