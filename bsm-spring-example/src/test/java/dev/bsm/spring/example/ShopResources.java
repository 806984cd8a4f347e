package dev.bsm.spring.example;

import dev.bsm.core.BotoSesManager;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The shop's AWS resources, as its infrastructure code would make them, under the names of
 * {@code application.properties}; made through the injected manager, so in the calling scope's account.
 */
final class ShopResources {
    static final String BUCKET = "shop-receipts";
    static final String QUEUE = "orders";
    static final String TABLE = "order";

    private ShopResources() {
    }

    /** Makes the bucket, the queue and the table. */
    static void create(BotoSesManager bsm) {
        bsm.client(S3Client.class).createBucket(b -> b.bucket(BUCKET));
        bsm.client(SqsClient.class).createQueue(q -> q.queueName(QUEUE));
        bsm.client(DynamoDbClient.class).createTable(t -> t.tableName(TABLE)
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                        .attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    /**
     * Empties and removes the bucket. Bucket names are global, as in AWS: another account cannot make the same name
     * while it exists, so each class removes its bucket when it is done. Queues and tables are per account.
     */
    static void removeBucket(BotoSesManager bsm) {
        S3Client s3 = bsm.client(S3Client.class);
        s3.listObjectsV2(l -> l.bucket(BUCKET)).contents()
                .forEach(object -> s3.deleteObject(d -> d.bucket(BUCKET).key(object.key())));
        s3.deleteBucket(b -> b.bucket(BUCKET));
    }

    /** {@return the keys in the bucket} */
    static List<String> receiptKeys(BotoSesManager bsm) {
        return bsm.client(S3Client.class).listObjectsV2(l -> l.bucket(BUCKET)).contents().stream()
                .map(object -> object.key()).toList();
    }

    /** {@return the messages waiting in the queue, waiting up to a second for the first} */
    static List<Message> waitingMessages(BotoSesManager bsm) {
        SqsClient sqs = bsm.client(SqsClient.class);
        String url = sqs.getQueueUrl(g -> g.queueName(QUEUE)).queueUrl();
        return sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
    }
}
