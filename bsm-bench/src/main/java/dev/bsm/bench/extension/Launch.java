package dev.bsm.bench.extension;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.bsm.bench.CallCounter;
import java.util.Arrays;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs test classes through the JUnit launcher and checks that every test passed. */
final class Launch {
    private Launch() {
    }

    /** What one launcher run did. */
    record Outcome(long tests, long getCallerIdentityCalls) {
    }

    static Outcome run(Launcher launcher, Class<?>... classes) {
        long stsBefore = CallCounter.count("GetCallerIdentity");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toList())
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        long expected = (long) Fixtures.TESTS * classes.length;
        if (summary.getTestsSucceededCount() != expected) {
            StringBuilder failures = new StringBuilder();
            summary.getFailures().stream().limit(3).forEach(f -> failures.append("\n  ")
                    .append(f.getTestIdentifier().getUniqueId()).append(": ").append(f.getException()));
            throw new IllegalStateException(summary.getTestsSucceededCount() + " of " + expected
                    + " tests succeeded (" + summary.getTestsFailedCount() + " failed, "
                    + summary.getTestsAbortedCount() + " aborted)" + failures);
        }
        return new Outcome(summary.getTestsSucceededCount(), CallCounter.count("GetCallerIdentity") - stsBefore);
    }
}
