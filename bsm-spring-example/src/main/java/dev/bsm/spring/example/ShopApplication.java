package dev.bsm.spring.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small shop on Spring Cloud AWS: an order is placed ({@link OrderService}: a receipt in S3, a message on SQS),
 * and {@link OrderListener} stores it in DynamoDB. Its AWS clients are Spring Cloud AWS's auto-configured ones; no
 * AWS property is set, so they follow the SDK's default chains (region, credentials, endpoint), as in production.
 */
@SpringBootApplication
public class ShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
