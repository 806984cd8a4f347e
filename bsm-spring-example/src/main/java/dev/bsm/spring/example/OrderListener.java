package dev.bsm.spring.example;

import io.awspring.cloud.sqs.annotation.SqsListener;
import org.springframework.stereotype.Component;

/** Stores each order that arrives on the queue. */
@Component
public class OrderListener {
    private final Orders orders;

    public OrderListener(Orders orders) {
        this.orders = orders;
    }

    @SqsListener("${shop.queue}")
    public void onOrder(Order order) {
        orders.save(order);
    }
}
