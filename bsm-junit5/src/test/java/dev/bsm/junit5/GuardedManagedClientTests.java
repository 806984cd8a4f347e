package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The clients bsm injects are its managers' (not checked request by request: they go to the session's emulator).
 * A request of one of them can still be sent elsewhere by the caller: a request-level plugin may set its own
 * endpoint. The guard must refuse that too, and nothing must arrive.
 */
@Isolated("runs fixture classes that change the environment, and opens guarded scopes")
class GuardedManagedClientTests {
    static CountingServer realAws;
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        BsmTestKit.moto();
        realAws = new CountingServer();
        SEEN.clear();
    }

    @AfterEach
    void stop() {
        realAws.close();
    }

    @WithAwsSession(localstack = true)
    static class InjectedClientTestCase {
        @Test
        void test(SqsClient sqs) {
            attempt("emulator", sqs::listQueues);
            attempt("plugin endpoint", () -> sqs.listQueues(r -> r.overrideConfiguration(o -> o
                    .addPlugin(configuration -> configuration.endpointOverride(realAws.endpoint())))));
        }
    }

    static void attempt(String what, Runnable call) {
        SEEN.put("InjectedClientTestCase/" + what, GuardTests.outcome(() -> {
            call.run();
            return "reached";
        }));
    }

    @Test
    void aRequestOfAnInjectedClientThatAPluginSendsElsewhereIsRefused() {
        BsmTestKit.run(InjectedClientTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(SEEN).containsEntry("InjectedClientTestCase/emulator", "reached");
        assertThat(SEEN.get("InjectedClientTestCase/plugin endpoint"))
                .startsWith("EmulatorGuardException: bsm's guard refused Sqs ListQueues to " + realAws.endpoint());
        assertThat(realAws.requests()).as("requests that reached the endpoint standing for real AWS").isZero();
    }
}
