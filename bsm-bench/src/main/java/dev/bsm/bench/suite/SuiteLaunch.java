package dev.bsm.bench.suite;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.sun.management.OperatingSystemMXBean;
import dev.bsm.bench.CallCounter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
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
 * time (discovery included) and, when each class ended, the wall time, this JVM's CPU time (which another
 * process's load inflates less; the emulator's own CPU time is not in it) and counts that load does not change
 * at all: the bytes the thread ending the class allocated, the SDK clients built, the HTTP requests sent and the
 * threads started in this JVM.
 */
final class SuiteLaunch {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private SuiteLaunch() {
    }

    /**
     * The JVM's counters when a class ended.
     *
     * @param nanos System.nanoTime
     * @param cpuNanos this JVM's CPU time, all its threads
     * @param allocatedBytes what the thread that ended the class has allocated so far: in a serial run the one
     *     thread that runs every class, so differences are the classes' allocations
     * @param clients SDK clients built ({@link CallCounter#clientsBuilt()})
     * @param requests HTTP requests sent by SDK clients ({@link CallCounter#requests()})
     * @param threads threads started in this JVM
     */
    record Mark(long nanos, long cpuNanos, long allocatedBytes, long clients, long requests, long threads) {
        static Mark now() {
            return new Mark(System.nanoTime(), OS.getProcessCpuTime(), THREADS.getCurrentThreadAllocatedBytes(),
                    CallCounter.clientsBuilt(), CallCounter.requests(), THREADS.getTotalStartedThreadCount());
        }
    }

    /**
     * What one run did. {@code start}: the counters when the launcher started; {@code classEnds}: when each class
     * finished, in finishing order.
     */
    record Outcome(long nanos, Mark start, List<Mark> classEnds, TestExecutionSummary summary) {
        double millis() {
            return nanos / 1e6;
        }

        /**
         * {@return the launcher's time until the first class ended (discovery, the shared emulator's start, class
         * loading, the first SDK calls): the one-off costs that the time per further class leaves out}
         */
        double firstClassMillis() {
            return (classEnds.get(0).nanos() - start.nanos()) / 1e6;
        }

        /** {@return the same in this JVM's CPU time} */
        double firstClassCpuMillis() {
            return (classEnds.get(0).cpuNanos() - start.cpuNanos()) / 1e6;
        }

        /**
         * {@return the time per class after the first, from the end of the first class to the end of the last,
         * divided by the classes between: the steady cost of one more class, without the one-off costs of the
         * first (the shared emulator's start, class loading, the first SDK calls)}
         */
        double millisPerFurtherClass() {
            return perFurtherClass(Mark::nanos) / 1e6;
        }

        /** {@return the same in this JVM's CPU time} */
        double cpuMillisPerFurtherClass() {
            return perFurtherClass(Mark::cpuNanos) / 1e6;
        }

        /** {@return the bytes allocated per class after the first (serial runs: one thread ends every class)} */
        double allocatedKibPerFurtherClass() {
            return perFurtherClass(Mark::allocatedBytes) / 1024;
        }

        /** {@return the SDK clients built per class after the first} */
        double clientsPerFurtherClass() {
            return perFurtherClass(Mark::clients);
        }

        /** {@return the HTTP requests sent per class after the first} */
        double requestsPerFurtherClass() {
            return perFurtherClass(Mark::requests);
        }

        /** {@return the threads started per class after the first} */
        double threadsPerFurtherClass() {
            return perFurtherClass(Mark::threads);
        }

        private double perFurtherClass(ToLongFunction<Mark> counter) {
            if (classEnds.size() < 2) {
                throw new IllegalStateException("needs two classes, ran " + classEnds.size());
            }
            return (double) (counter.applyAsLong(classEnds.get(classEnds.size() - 1))
                    - counter.applyAsLong(classEnds.get(0))) / (classEnds.size() - 1);
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
        List<Mark> classEnds = Collections.synchronizedList(new ArrayList<>());
        TestExecutionListener classEnd = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.getSource().filter(ClassSource.class::isInstance).isPresent()) {
                    synchronized (classEnds) {
                        classEnds.add(Mark.now());
                    }
                }
            }
        };
        Mark start = Mark.now();
        LauncherFactory.create().execute(request, summary, classEnd);
        long nanos = System.nanoTime() - start.nanos();
        return new Outcome(nanos, start, List.copyOf(classEnds), summary.getSummary());
    }
}
