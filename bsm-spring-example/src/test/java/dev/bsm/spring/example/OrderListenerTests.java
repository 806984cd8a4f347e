package dev.bsm.spring.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

// tag::spring-listener-test[]
@WithAwsSession(localstack = true)
@SpringBootTest
@DirtiesContext(classMode = ClassMode.BEFORE_CLASS)   // a context started in this class: its listener threads too
class OrderListenerTests {

    @BeforeAll
    static void createResources(BotoSesManager bsm) {
        ShopResources.create(bsm);
    }

    @AfterAll
    static void removeBucket(BotoSesManager bsm) {
        ShopResources.removeBucket(bsm);
    }

    @Test
    void storesPlacedOrders(@Autowired OrderService orders, BotoSesManager bsm) {
        orders.place(new Order("o-2", "lamp"));   // the @SqsListener stores it with DynamoDbTemplate

        DynamoDbClient dynamoDb = bsm.client(DynamoDbClient.class);
        Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("o-2"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(dynamoDb.getItem(g -> g.tableName("order").key(key)).item())
                        .containsEntry("item", AttributeValue.fromS("lamp")));
    }
}
// end::spring-listener-test[]
