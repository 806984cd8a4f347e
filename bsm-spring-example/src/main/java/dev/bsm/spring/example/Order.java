package dev.bsm.spring.example;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/** An order: the SQS message's JSON payload and, through Spring Cloud AWS's table name resolver, table "order". */
@DynamoDbBean
public class Order {
    private String id;
    private String item;

    public Order() {
    }

    public Order(String id, String item) {
        this.id = id;
        this.item = item;
    }

    @DynamoDbPartitionKey
    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getItem() {
        return item;
    }

    public void setItem(String item) {
        this.item = item;
    }

    @Override
    public String toString() {
        return "Order[" + id + ", " + item + "]";
    }
}
