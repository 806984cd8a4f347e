package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The work of every generated test class of benchmark 10: a queue and a table of the same names in every class,
 * which only an account of its own per class (bsm's default isolation) keeps apart on the build's one emulator.
 */
@WithAwsSession(localstack = true)
abstract class QueueAndTableWork {
    @Test
    void createsAQueueAndATableInItsOwnAccount(BotoSesManager bsm) {
        String me = getClass().getSimpleName();
        SqsClient sqs = bsm.client(SqsClient.class);
        String queue = sqs.createQueue(b -> b.queueName("jobs")).queueUrl();
        assertTrue(queue.contains("/" + bsm.awsAccountId() + "/jobs"), queue);
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(me));
        List<String> bodies = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages().stream()
                .map(Message::body).toList();
        assertEquals(List.of(me), bodies);

        DynamoDbClient dynamo = bsm.client(DynamoDbClient.class);
        dynamo.createTable(b -> b.tableName("items").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S)));
        dynamo.putItem(b -> b.tableName("items").item(Map.of("id", AttributeValue.fromS(me))));
        List<String> items = dynamo.scan(b -> b.tableName("items")).items().stream().map(i -> i.get("id").s())
                .toList();
        assertEquals(List.of(me), items);
    }
}
