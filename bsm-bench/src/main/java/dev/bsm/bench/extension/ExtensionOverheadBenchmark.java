package dev.bsm.bench.extension;

import dev.bsm.testkit.MotoServer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 3 (issue 6): one launcher run of a class of 1,000 tests per invocation, reported per test
 * ({@code @OperationsPerInvocation(1000)}), with the extension in its configurations and without it. The extension's
 * overhead per test is a variant's score minus {@link #noExtension()}'s. Every run checks that all 1,000 tests
 * passed, counts GetCallerIdentity calls (one distinct configuration per class: one call per run expected) and
 * checks that the extension's tests ran isolated, in an account of their class (the default since issue 13).
 *
 * <p>Goal: overhead 50 µs per test or less without snapshot, 300 µs with.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(Fixtures.TESTS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.util=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class ExtensionOverheadBenchmark {
    private Launcher launcher;
    private final Map<String, long[]> stsCallsPerRun = new TreeMap<>(); // min, max

    @Setup(Level.Trial)
    public void setUp() {
        MotoServer.shared(); // the emulator the extension picks here (no Docker): started once per JVM
        launcher = LauncherFactory.create();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stsCallsPerRun.forEach((name, minMax) -> System.out.printf("%n%s: GetCallerIdentity calls per run of %d tests:"
                + " %d..%d%n", name, Fixtures.TESTS, minMax[0], minMax[1]));
    }

    @Benchmark
    public long noExtension() {
        return run(Fixtures.NoExtension.class);
    }

    @Benchmark
    public long injected() {
        return run(Fixtures.Injected.class);
    }

    @Benchmark
    public long injectedEnv() {
        return run(Fixtures.InjectedEnv.class);
    }

    @Benchmark
    public long injectedSnapshot() {
        return run(Fixtures.InjectedSnapshot.class);
    }

    @Benchmark
    public long injectedEnvSnapshot() {
        return run(Fixtures.InjectedEnvSnapshot.class);
    }

    private long run(Class<?> testClass) {
        Launch.Outcome outcome = Launch.run(launcher, testClass);
        if (testClass != Fixtures.NoExtension.class && Fixtures.lastAccount.equals(MotoServer.shared().accountId())) {
            throw new IllegalStateException(testClass.getSimpleName() + " ran in the emulator's default account: "
                    + "the benchmark is meant to measure the default isolation (an account per class)");
        }
        stsCallsPerRun.merge(testClass.getSimpleName(),
                new long[] {outcome.getCallerIdentityCalls(), outcome.getCallerIdentityCalls()},
                (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        return outcome.tests();
    }
}
