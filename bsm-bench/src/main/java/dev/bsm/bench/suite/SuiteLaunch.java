package dev.bsm.bench.suite;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.sun.management.OperatingSystemMXBean;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * One launcher run of test classes in this JVM, as the mains of benchmarks 5, 7 and 8 make it: the launcher's
 * time (discovery included) and when each class ended, in wall time and in this JVM's CPU time (which another
 * process's load inflates less; the emulator's own CPU time is not in it).
 */
final class SuiteLaunch {
    private SuiteLaunch() {
    }

    /**
     * What one run did. {@code classEnds}: System.nanoTime when each class finished, in finishing order;
     * {@code classEndsCpu}: this JVM's CPU time (all its threads) then.
     */
    record Outcome(long nanos, List<Long> classEnds, List<Long> classEndsCpu, TestExecutionSummary summary) {
        double millis() {
            return nanos / 1e6;
        }

        /**
         * {@return the time per class after the first, from the end of the first class to the end of the last,
         * divided by the classes between: the steady cost of one more class, without the one-off costs of the
         * first (the shared emulator's start, class loading, the first SDK calls)}
         */
        double millisPerFurtherClass() {
            return perFurtherClass(classEnds);
        }

        /** {@return the same in this JVM's CPU time} */
        double cpuMillisPerFurtherClass() {
            return perFurtherClass(classEndsCpu);
        }

        private static double perFurtherClass(List<Long> ends) {
            if (ends.size() < 2) {
                throw new IllegalStateException("needs two classes, ran " + ends.size());
            }
            return (ends.get(ends.size() - 1) - ends.get(0)) / 1e6 / (ends.size() - 1);
        }

        /** Fails, printing the first failures, unless exactly {@code tests} tests ran and all passed. */
        void requireAllPassed(long tests) {
            if (summary.getTestsSucceededCount() != tests || summary.getTotalFailureCount() != 0) {
                summary.printFailuresTo(new PrintWriter(System.out, true), 5);
                throw new IllegalStateException(summary.getTestsSucceededCount() + " of " + tests
                        + " tests succeeded (" + summary.getTotalFailureCount() + " failures)");
            }
        }
    }

    static Outcome run(List<Class<?>> classes, Map<String, String> configurationParameters) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(classes.stream().map(c -> selectClass(c)).toList())
                .configurationParameters(configurationParameters)
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        List<Long> classEnds = Collections.synchronizedList(new ArrayList<>());
        List<Long> classEndsCpu = Collections.synchronizedList(new ArrayList<>());
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        TestExecutionListener classEnd = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.getSource().filter(ClassSource.class::isInstance).isPresent()) {
                    synchronized (classEnds) {
                        classEnds.add(System.nanoTime());
                        classEndsCpu.add(os.getProcessCpuTime());
                    }
                }
            }
        };
        long start = System.nanoTime();
        LauncherFactory.create().execute(request, summary, classEnd);
        long nanos = System.nanoTime() - start;
        return new Outcome(nanos, List.copyOf(classEnds), List.copyOf(classEndsCpu), summary.getSummary());
    }
}
