package dev.bsm.bench.suite;

import dev.bsm.bench.CallCounter;
import dev.bsm.junit5.WithAwsSessionParameters;
import dev.bsm.testkit.Emulators;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 7, one run of {@link ParallelSuiteClasses} in this (fresh) JVM through the JUnit launcher:
 * {@code parallel} (JUnit's parallel execution, classes concurrent, each class's tests on one thread, fixed
 * parallelism 4, at most 4 threads) or {@code serial} (parallel execution off); an optional second argument sets
 * {@code bsm.isolation} ({@code none}, {@code class} or {@code test}; {@code none} shows the leaks isolation
 * prevents), or is {@value #PLAIN}: then the control {@link PlainSuiteClasses} runs instead, the same suite on the
 * plain SDK without bsm. The shared emulator is started before the launcher, so the launcher's time is the suite's
 * alone. Prints a {@code RESULT} line with the suite ({@code bsm} or {@code plain}), the launcher's time, the most
 * classes that overlapped, the leaks, the emulator's CPU time during the launcher's run and the HTTP requests this
 * JVM sent; exits with 1 if a test failed or saw another class's items.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.bsm.bench.suite.ParallelSuiteMain serial|parallel
 * [none|class|test|plain]}.
 */
public final class ParallelSuiteMain {
    static final int PARALLELISM = 4;
    /** The second argument that runs {@link PlainSuiteClasses} instead of {@link ParallelSuiteClasses}. */
    static final String PLAIN = "plain";

    private ParallelSuiteMain() {
    }

    public static void main(String[] args) {
        Map<String, String> parameters = new HashMap<>();
        switch (args[0]) {
            case "parallel" -> {
                parameters.put("junit.jupiter.execution.parallel.enabled", "true");
                parameters.put("junit.jupiter.execution.parallel.mode.default", "same_thread");
                parameters.put("junit.jupiter.execution.parallel.mode.classes.default", "concurrent");
                parameters.put("junit.jupiter.execution.parallel.config.strategy", "fixed");
                parameters.put("junit.jupiter.execution.parallel.config.fixed.parallelism",
                        Integer.toString(PARALLELISM));
                // Otherwise the pool adds threads for workers that wait (here: 6 classes at once were seen).
                parameters.put("junit.jupiter.execution.parallel.config.fixed.max-pool-size",
                        Integer.toString(PARALLELISM));
            }
            case "serial" -> parameters.put("junit.jupiter.execution.parallel.enabled", "false");
            default -> throw new IllegalArgumentException("parallel or serial, not " + args[0]);
        }
        boolean plain = args.length > 1 && args[1].equals(PLAIN);
        if (args.length > 1 && !plain) {
            parameters.put(WithAwsSessionParameters.ISOLATION, args[1]);
        }
        List<Class<?>> classes = plain ? PlainSuiteClasses.all() : ParallelSuiteClasses.all();
        // The emulator the extension chooses, started once per JVM: not part of the suite's time.
        URI endpoint = Emulators.shared().endpoint();
        long emulatorCpuBefore = EmulatorCpu.millis(endpoint);
        SuiteLaunch.Outcome outcome = SuiteLaunch.run(classes, parameters);
        long emulatorCpuAfter = EmulatorCpu.millis(endpoint);
        long emulatorCpu = emulatorCpuBefore < 0 || emulatorCpuAfter < 0 ? -1 : emulatorCpuAfter - emulatorCpuBefore;
        long tests = (long) classes.size() * ParallelSuiteClasses.TESTS;
        long leaks = ParallelSuiteClasses.LEAKS.sum();
        System.out.printf("RESULT suite=%s variant=%s isolation=%s launcherMillis=%.0f emulatorCpuMillis=%d "
                + "emulatorRequests=%d maxConcurrentClasses=%d leaks=%d failedTests=%d%n", plain ? PLAIN : "bsm",
                args[0], plain ? "by-hand" : args.length > 1 ? args[1] : "default", outcome.millis(), emulatorCpu,
                CallCounter.requests(), ParallelSuiteClasses.maxConcurrentClasses(), leaks, outcome.summary().getTotalFailureCount());
        if (leaks > 0 || !ParallelSuiteClasses.PROBLEMS.isEmpty()) {
            ParallelSuiteClasses.PROBLEMS.stream().limit(5).forEach(p -> System.out.println("PROBLEM " + p));
            System.out.printf("FAILED: %d items of other classes seen, %d problems in %d tests%n", leaks,
                    ParallelSuiteClasses.PROBLEMS.size(), tests);
            System.exit(1);
        }
        outcome.requireAllPassed(tests);
    }
}
