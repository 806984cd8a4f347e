package dev.bsm.junit5;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.bsm.testkit.MotoServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs fixture classes through the Jupiter engine the way Pioneer's test kit does: with parallel execution on, to
 * tease out concurrency bugs, and with {@code bsm.endpoint} pointing at this run's moto_server.
 */
final class BsmTestKit {
    private BsmTestKit() {
    }

    static MotoServer moto() {
        MotoServer.unavailableReason().ifPresent(reason -> {
            if (Boolean.getBoolean("bsm.requireEmulator")) {
                fail("moto_server is required (bsm.requireEmulator=true): " + reason);
            }
            abort(reason);
        });
        return MotoServer.shared();
    }

    static EngineExecutionResults run(Map<String, String> parameters, Class<?>... fixtures) {
        Map<String, String> withMoto = new HashMap<>();
        withMoto.put("bsm.endpoint", moto().endpoint().toString());
        withMoto.putAll(parameters);
        return runWithoutEndpoint(withMoto, fixtures);
    }

    /** Without pointing {@code bsm.endpoint} at this run's moto_server. */
    static EngineExecutionResults runWithoutEndpoint(Map<String, String> parameters, Class<?>... fixtures) {
        Map<String, String> all = new HashMap<>();
        all.put("junit.jupiter.execution.parallel.enabled", "true");
        all.put("junit.jupiter.execution.parallel.mode.default", "concurrent");
        all.put("junit.jupiter.execution.parallel.mode.classes.default", "concurrent");
        all.put("junit.jupiter.execution.parallel.config.strategy", "fixed");
        all.put("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        all.putAll(parameters);
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter").configurationParameters(all);
        for (Class<?> fixture : fixtures) {
            kit.selectors(selectClass(fixture));
        }
        EngineExecutionResults results = kit.execute();
        if (Boolean.getBoolean("bsm.testkit.print")) { // -Dbsm.testkit.print=true: what failed in fixtures, and why
            results.allEvents().stream().forEach(event -> event.getPayload(TestExecutionResult.class)
                    .filter(result -> result.getStatus() != TestExecutionResult.Status.SUCCESSFUL)
                    .ifPresent(result -> System.out.println("FIXTURE " + event.getTestDescriptor().getDisplayName()
                            + " " + result.getStatus() + " " + result.getThrowable().map(Throwable::toString)
                            .orElse(""))));
        }
        return results;
    }

    static EngineExecutionResults run(Class<?>... fixtures) {
        return run(Map.of(), fixtures);
    }
}
