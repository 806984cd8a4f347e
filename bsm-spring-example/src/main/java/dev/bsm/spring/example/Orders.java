package dev.bsm.spring.example;

import io.awspring.cloud.dynamodb.DynamoDbTemplate;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/** The stored orders (DynamoDB table "order"). */
@Repository
public class Orders {
    private final DynamoDbTemplate dynamoDb;

    public Orders(DynamoDbTemplate dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    public void save(Order order) {
        dynamoDb.save(order);
    }

    public Optional<Order> find(String id) {
        return Optional.ofNullable(dynamoDb.load(Key.builder().partitionValue(id).build(), Order.class));
    }

    public List<Order> all() {
        return dynamoDb.scanAll(Order.class).items().stream().toList();
    }
}
