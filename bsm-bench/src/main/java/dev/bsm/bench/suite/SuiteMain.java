package dev.bsm.bench.suite;

import dev.bsm.junit5.WithAwsSessionParameters;
import dev.bsm.testkit.TestkitSettings;
import java.util.Arrays;
import java.util.Map;

/**
 * Benchmarks 5 and 8, one suite run in this (fresh) JVM: 50 classes through the JUnit launcher, one test each.
 * {@code shared}: {@link SharedEmulatorClasses}, one emulator for all, with the default isolation or the one given
 * as the second argument ({@code none}, {@code class}, {@code test}: the parameter {@code bsm.isolation});
 * {@code reset}: {@link ResetPerClassClasses}, one emulator reset before each class; {@code per-class}:
 * {@link PerClassEmulatorClasses}, an emulator per class. Prints the launcher's time and, per class after the first,
 * the wall and this JVM's CPU time, the bytes allocated, the SDK clients built, the HTTP requests sent and the
 * threads started; the runners also time the whole process.
 */
public final class SuiteMain {
    private SuiteMain() {
    }

    public static void main(String[] args) {
        // One moto_server of this JVM's own, as when the figures of benchmarks 5 and 8 were taken, and the one kind
        // that the reset variant may reset (the build's shared server refuses resets).
        System.setProperty(TestkitSettings.EMULATOR_SHARE_PROPERTY, "jvm");
        Class<?>[] classes = switch (args[0]) {
            case "shared" -> SharedEmulatorClasses.all();
            case "reset" -> ResetPerClassClasses.all();
            case "per-class" -> PerClassEmulatorClasses.all();
            default -> throw new IllegalArgumentException("shared, reset or per-class, not " + args[0]);
        };
        Map<String, String> parameters = args.length > 1 ? Map.of(WithAwsSessionParameters.ISOLATION, args[1])
                : Map.of();
        SuiteLaunch.Outcome outcome = SuiteLaunch.run(Arrays.asList(classes), parameters);
        outcome.requireAllPassed(classes.length);
        System.out.printf("RESULT variant=%s isolation=%s classes=%d launcherMillis=%.0f firstClassMillis=%.1f"
                + " firstClassCpuMillis=%.1f perFurtherClassMillis=%.3f"
                + " perFurtherClassCpuMillis=%.3f perFurtherClassKib=%.1f perFurtherClassClients=%.2f"
                + " perFurtherClassRequests=%.2f perFurtherClassThreads=%.2f%n", args[0],
                args.length > 1 ? args[1] : "default", classes.length, outcome.millis(),
                outcome.firstClassMillis(), outcome.firstClassCpuMillis(),
                outcome.millisPerFurtherClass(), outcome.cpuMillisPerFurtherClass(),
                outcome.allocatedKibPerFurtherClass(), outcome.clientsPerFurtherClass(),
                outcome.requestsPerFurtherClass(), outcome.threadsPerFurtherClass());
    }
}
