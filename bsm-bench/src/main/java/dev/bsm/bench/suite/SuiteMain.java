package dev.bsm.bench.suite;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Benchmark 5, one suite run in this (fresh) JVM: the 50 classes of {@code shared} ({@link SharedEmulatorClasses})
 * or {@code per-class} ({@link PerClassEmulatorClasses}) through the JUnit launcher. Prints the launcher's time;
 * {@link SuiteRunner} also times the whole process.
 */
public final class SuiteMain {
    private SuiteMain() {
    }

    public static void main(String[] args) {
        Class<?>[] classes = switch (args[0]) {
            case "shared" -> SharedEmulatorClasses.all();
            case "per-class" -> PerClassEmulatorClasses.all();
            default -> throw new IllegalArgumentException("shared or per-class, not " + args[0]);
        };
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toList())
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long start = System.nanoTime();
        LauncherFactory.create().execute(request, listener);
        long nanos = System.nanoTime() - start;
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTestsSucceededCount() != classes.length) {
            summary.printFailuresTo(new java.io.PrintWriter(System.out, true), 5);
            throw new IllegalStateException(summary.getTestsSucceededCount() + " of " + classes.length
                    + " tests succeeded");
        }
        System.out.printf("RESULT variant=%s classes=%d launcherMillis=%.0f%n", args[0], classes.length, nanos / 1e6);
    }
}
