package dev.bsm.spring.example;

import io.awspring.cloud.s3.S3Template;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/** Places orders: the receipt goes to S3 at once, the order to SQS for {@link OrderListener}. */
@Service
@EnableConfigurationProperties(ShopProperties.class)
public class OrderService {
    private final S3Template s3;
    private final SqsTemplate sqs;
    private final ShopProperties properties;

    public OrderService(S3Template s3, SqsTemplate sqs, ShopProperties properties) {
        this.s3 = s3;
        this.sqs = sqs;
        this.properties = properties;
    }

    public void place(Order order) {
        s3.store(properties.bucket(), receiptKey(order.getId()), order);
        sqs.send(to -> to.queue(properties.queue()).payload(order));
    }

    public Order receipt(String orderId) {
        return s3.read(properties.bucket(), receiptKey(orderId), Order.class);
    }

    static String receiptKey(String orderId) {
        return "receipts/" + orderId + ".json";
    }
}
