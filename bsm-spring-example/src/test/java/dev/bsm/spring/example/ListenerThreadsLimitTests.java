package dev.bsm.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.Isolation;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The limit docs/spring-boot.md states, checked: threads a context starts (here the {@code @SqsListener} container's) keep the
 * account of the scope the context started in, for as long as the context lives. With {@code isolation = TEST}
 * each test has an account of its own, while the context (with {@link OrderListenerTests}' configuration, so
 * possibly that class's context) started before the test: the listener polls another account's queue, and this
 * test's order waits, unconsumed, in this test's queue. If this test fails, listeners follow the test now:
 * docs/spring-boot.md must say so.
 */
@WithAwsSession(localstack = true, isolation = Isolation.TEST)
@SpringBootTest
class ListenerThreadsLimitTests {

    @Test
    void aListenerStartedBeforeTheTestDoesNotServeItsAccount(@Autowired OrderService service,
            @Autowired Orders orders, BotoSesManager bsm) {
        ShopResources.create(bsm);
        try {
            service.place(new Order("o-3", "cup"));

            assertThat(ShopResources.waitingMessages(bsm)).singleElement()
                    .satisfies(message -> assertThat(message.body()).contains("o-3"));
            assertThat(orders.find("o-3")).isEmpty();
        } finally {
            ShopResources.removeBucket(bsm);
        }
    }
}
