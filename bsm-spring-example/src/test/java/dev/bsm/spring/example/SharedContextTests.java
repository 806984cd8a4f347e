package dev.bsm.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import software.amazon.awssdk.awscore.AwsClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Two classes ({@link SharedContextFirstTests}, {@link SharedContextSecondTests}) with the configuration of
 * {@link OrderServiceTests}, so all three share one cached application context, its beans built once: each class
 * still works in an account of its own under the same bucket, queue and table names, because bsm's SDK interceptor
 * reads the account from the calling thread for every request. Whichever class runs second checks that the context
 * really was shared and that it sees nothing of the first.
 */
@WithAwsSession(localstack = true)
@SpringBootTest(properties = "spring.cloud.aws.sqs.listener.auto-startup=false")
abstract class SharedContextTests {
    /** The classes of this JVM that have run: their context and account. */
    private static final List<Visit> VISITS = new CopyOnWriteArrayList<>();

    private record Visit(String testClass, ApplicationContext context, String account) {
    }

    @Autowired
    private ApplicationContext context;
    @Autowired
    private OrderService service;
    @Autowired
    private Orders orders;
    @Autowired
    private S3Client s3;
    @Autowired
    private SqsAsyncClient sqs;
    @Autowired
    private DynamoDbClient dynamoDb;

    @BeforeAll
    static void createResources(BotoSesManager bsm) {
        ShopResources.create(bsm);
    }

    @AfterAll
    static void removeBucket(BotoSesManager bsm) {
        ShopResources.removeBucket(bsm);
    }

    @Test
    void theApplicationsClientsGoToTheSessionsEmulatorAndRegion(BotoSesManager bsm) {
        var emulator = bsm.client(S3Client.class).serviceClientConfiguration().endpointOverride();
        assertThat(emulator).isPresent();
        for (AwsClient client : List.of(s3, sqs, dynamoDb)) {
            assertThat(client.serviceClientConfiguration().endpointOverride()).as(client.serviceName())
                    .isEqualTo(emulator);
            assertThat(client.serviceClientConfiguration().region()).as(client.serviceName())
                    .isEqualTo(Region.of(bsm.awsRegion()));
        }
    }

    @Test
    void theApplicationsClientsWorkInThisClassesAccount(BotoSesManager bsm) {
        // Queue URLs name their account, on moto and LocalStack alike.
        assertThat(sqs.getQueueUrl(g -> g.queueName(ShopResources.QUEUE)).join().queueUrl())
                .contains("/" + bsm.awsAccountId() + "/" + ShopResources.QUEUE);
    }

    @Test
    void seesOnlyWhatThisClassMadeUnderTheSameNames(BotoSesManager bsm) {
        String id = getClass().getSimpleName();
        orders.save(new Order(id, "table row"));
        service.place(new Order(id, "receipt and message"));

        assertThat(orders.all()).extracting(Order::getId).containsExactly(id);
        assertThat(ShopResources.receiptKeys(bsm)).containsExactly(OrderService.receiptKey(id));
        assertThat(ShopResources.waitingMessages(bsm)).singleElement()
                .satisfies(message -> assertThat(message.body()).contains(id));

        // Meaningful in the class that runs second: the first left its row and its message in its own account.
        List<Visit> before = List.copyOf(VISITS);
        VISITS.add(new Visit(id, context, bsm.awsAccountId()));
        assertThat(before).allSatisfy(visit -> {
            assertThat(visit.context()).as("context of %s", visit.testClass()).isSameAs(context);
            assertThat(visit.account()).as("account of %s", visit.testClass()).isNotEqualTo(bsm.awsAccountId());
        });
    }
}
