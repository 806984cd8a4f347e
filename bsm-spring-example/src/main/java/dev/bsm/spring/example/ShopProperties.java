package dev.bsm.spring.example;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the shop keeps things ({@code shop.*} in application.properties).
 *
 * @param bucket the S3 bucket of the receipts
 * @param queue the SQS queue of placed orders
 */
@ConfigurationProperties("shop")
public record ShopProperties(String bucket, String queue) {
}
