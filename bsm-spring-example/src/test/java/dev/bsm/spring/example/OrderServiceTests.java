package dev.bsm.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import software.amazon.awssdk.services.s3.S3Client;

// tag::spring-boot-test[]
@WithAwsSession(localstack = true)   // first, so that the context starts inside the class's session
@SpringBootTest(properties = "spring.cloud.aws.sqs.listener.auto-startup=false")   // listeners: see below
class OrderServiceTests {

    @BeforeAll
    static void createResources(BotoSesManager bsm) {
        ShopResources.create(bsm);   // the bucket, queue and table, in this class's account
    }

    @AfterAll
    static void removeBucket(BotoSesManager bsm) {
        ShopResources.removeBucket(bsm);   // bucket names are global, as in AWS
    }

    @Test
    void placesAnOrder(@Autowired OrderService orders, BotoSesManager bsm) {
        orders.place(new Order("o-1", "book"));   // Spring Cloud AWS's S3Template and SqsTemplate

        S3Client s3 = bsm.client(S3Client.class);   // the same account, seen through bsm's own client
        assertThat(s3.getObjectAsBytes(g -> g.bucket("shop-receipts").key("receipts/o-1.json")).asUtf8String())
                .contains("\"item\":\"book\"");
        assertThat(ShopResources.waitingMessages(bsm)).singleElement()
                .satisfies(message -> assertThat(message.body()).contains("o-1"));
    }
}
// end::spring-boot-test[]
