package com.example;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The clients a class of the suite builds itself, as application code does: from the SDK's default chains. */
record Clients(SqsClient sqs, DynamoDbClient dynamo, S3Client s3) implements AutoCloseable {

    static Clients fromDefaultChains() {
        return new Clients(SqsClient.create(), DynamoDbClient.create(), S3Client.create());
    }

    @Override
    public void close() {
        sqs.close();
        dynamo.close();
        s3.close();
    }
}
