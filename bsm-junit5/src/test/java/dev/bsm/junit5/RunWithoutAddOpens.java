package dev.bsm.junit5;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.bsm.core.BotoSesManager;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Run in a child JVM without --add-opens: an env session fails with the fix, an env = false session works. */
final class RunWithoutAddOpens {
    private RunWithoutAddOpens() {
    }

    @WithAwsSession(localstack = true)
    static class EnvTestCase {
        @Test
        void needsTheEnvironment(BotoSesManager bsm) {
        }
    }

    @WithAwsSession(localstack = true, env = false)
    static class NoEnvTestCase {
        @Test
        void leavesTheEnvironmentAlone(BotoSesManager bsm) {
            bsm.awsAccountId();
        }
    }

    public static void main(String[] args) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("bsm.endpoint", args[0])
                .selectors(selectClass(EnvTestCase.class), selectClass(NoEnvTestCase.class))
                .execute();
        // The env session fails its class (the class's scope opens at its first callback); its test does not run.
        results.allEvents().failed().stream().forEach(event -> event.getPayload(
                org.junit.platform.engine.TestExecutionResult.class).flatMap(r -> r.getThrowable())
                .ifPresent(t -> System.out.println(t.getMessage())));
        System.out.println("RESULT failed=" + results.allEvents().failed().count()
                + " succeeded=" + results.testEvents().succeeded().count());
    }
}
