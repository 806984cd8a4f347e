package dev.bsm.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The same test with Spring Cloud AWS's own testing support, for docs/spring-boot.md's comparison: a LocalStack container per
 * class, which {@code @ServiceConnection} turns into the endpoint, region and keys of the application's clients.
 * Needs Docker: skipped without it (so on this project's machines and CI, which have none).
 */
// tag::spring-service-connection[]
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(properties = "spring.cloud.aws.sqs.listener.auto-startup=false")
class ServiceConnectionExampleTests {

    @Container
    @ServiceConnection
    static LocalStackContainer localStack = new LocalStackContainer(
            DockerImageName.parse("localstack/localstack:4.9.2"));

    @Test
    void placesAnOrder(@Autowired OrderService orders, @Autowired S3Client s3, @Autowired SqsAsyncClient sqs) {
        s3.createBucket(b -> b.bucket("shop-receipts"));   // through the application's own clients
        sqs.createQueue(q -> q.queueName("orders")).join();

        orders.place(new Order("o-1", "book"));

        assertThat(s3.getObjectAsBytes(g -> g.bucket("shop-receipts").key("receipts/o-1.json")).asUtf8String())
                .contains("\"item\":\"book\"");
    }
}
// end::spring-service-connection[]
