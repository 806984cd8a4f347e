package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A thousand generated tests that fail and abort at random, in parallel: nothing is left behind. And classes of
 * every kind of session failing at random in their constructor, {@code @BeforeAll}, {@code @BeforeEach}, test,
 * {@code @AfterEach} or {@code @AfterAll}, isolated and in parallel, 60 rounds: nothing is left behind either.
 */
@Isolated("compares global state and the temporary directory before and after fixture runs")
class GeneratedSuiteTests {
    static final Set<Path> SNAPSHOTS = ConcurrentHashMap.newKeySet();
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    @WithAwsSession(localstack = true, snapshot = true)
    static class ThousandTestCase {
        @RepeatedTest(1000)
        void generated(RepetitionInfo repetition, BotoSesManager bsm, @SnapshotFile Path snapshot) {
            SNAPSHOTS.add(snapshot);
            assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo(bsm.toSnapshot().get("aws_access_key_id"));
            assertThat(System.getenv("BSM_SNAPSHOT_FILE")).isEqualTo(snapshot.toString());
            int outcome = new Random(repetition.getCurrentRepetition()).nextInt(10);
            if (outcome == 0) {
                throw new AssertionError("generated failure");
            }
            Assumptions.assumeTrue(outcome != 1, "generated abort");
        }
    }

    private static long snapshotDirectories() throws Exception {
        try (Stream<Path> entries = Files.list(SnapshotDirectories.perUserDirectory(TMP))) {
            return entries.filter(p -> p.getFileName().toString().startsWith(SnapshotDirectories.PREFIX)
                    && p.getFileName().toString().contains("-" + ProcessHandle.current().pid() + "-")).count();
        }
    }

    @Test
    void aThousandTestsWithRandomFailuresLeaveNothingBehind() throws Exception {
        GlobalState before = GlobalState.capture();
        long directoriesBefore = snapshotDirectories();
        long failures = Stream.iterate(1, i -> i + 1).limit(1000).filter(i -> new Random(i).nextInt(10) == 0).count();
        long aborts = Stream.iterate(1, i -> i + 1).limit(1000).filter(i -> new Random(i).nextInt(10) == 1).count();

        BsmTestKit.run(ThousandTestCase.class).testEvents().assertStatistics(s -> s.started(1000)
                .failed(failures).aborted(aborts).succeeded(1000 - failures - aborts));

        assertThat(SNAPSHOTS).as("a unique snapshot per test").hasSize(1000).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(snapshotDirectories()).isEqualTo(directoriesBefore);
        assertThat(GlobalState.capture().differencesFrom(before)).as("changed and not restored").isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ class-level

    /** What each round's fixtures got wrong: self-built clients in another account, a binding left behind. */
    static final List<String> PROBLEMS = new CopyOnWriteArrayList<>();
    static volatile int round;

    /** Where a fixture class fails in this round: 0 constructor, 1 @BeforeAll, ... 6 and 7 nowhere. */
    static int failure(Class<?> fixture) {
        return new Random(round * 31L + fixture.getSimpleName().hashCode()).nextInt(8);
    }

    static void failIf(Class<?> fixture, int place, String where) {
        if (failure(fixture) == place) {
            throw new IllegalStateException("generated failure in " + where);
        }
    }

    static void selfBuiltClientsAreInTheAccountOf(BotoSesManager bsm, String where) {
        try (StsClient sts = StsClient.create()) {
            String own = sts.getCallerIdentity().account();
            if (!own.equals(bsm.awsAccountId())) {
                PROBLEMS.add(where + ": self-built clients in " + own + ", the session in " + bsm.awsAccountId());
            }
        }
    }

    /**
     * Registered before the session (a superclass's extensions come first): in rounds where each class runs on one
     * thread and no class runs inside another's, every class must start on a thread that no scope left bound.
     */
    static class UnboundAtStart implements BeforeAllCallback, TestInstancePreConstructCallback {
        static volatile boolean strict;

        @Override
        public void beforeAll(ExtensionContext context) {
            // A PER_CLASS class is bound by its own construction, before this: checked there instead.
            if (context.getTestInstanceLifecycle().orElse(null) != TestInstance.Lifecycle.PER_CLASS) {
                check(context, "beforeAll");
            }
        }

        @Override
        public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
            if (context.getTestInstanceLifecycle().orElse(null) == TestInstance.Lifecycle.PER_CLASS) {
                check(context, "construction");
            }
        }

        private static void check(ExtensionContext context, String where) {
            if (strict && SessionBinding.current() != null) {
                PROBLEMS.add(context.getRequiredTestClass().getSimpleName() + " " + where + " on "
                        + Thread.currentThread().getName() + ": still bound to " + SessionBinding.current().description());
            }
        }
    }

    /** Fails, at random per round, in its constructor, @BeforeAll, @BeforeEach, test, @AfterEach or @AfterAll. */
    @ExtendWith(UnboundAtStart.class)
    abstract static class RandomClassFailures {
        RandomClassFailures() {
            failIf(getClass(), 0, "the constructor");
        }

        @BeforeAll
        static void beforeAll(TestInfo info, BotoSesManager bsm) {
            Class<?> fixture = info.getTestClass().orElseThrow();
            if (checksSelfBuiltClients(fixture)) {
                selfBuiltClientsAreInTheAccountOf(bsm, fixture.getSimpleName() + " @BeforeAll");
            }
            failIf(fixture, 1, "@BeforeAll");
        }

        @BeforeEach
        void beforeEach() {
            failIf(getClass(), 2, "@BeforeEach");
        }

        @Test
        void test(BotoSesManager bsm) {
            if (checksSelfBuiltClients(getClass())) {
                selfBuiltClientsAreInTheAccountOf(bsm, getClass().getSimpleName());
            }
            failIf(getClass(), 3, "the test");
        }

        @Test
        void another(BotoSesManager bsm) {
            bsm.awsAccountId();
        }

        @AfterEach
        void afterEach() {
            failIf(getClass(), 4, "@AfterEach");
        }

        @AfterAll
        static void afterAll(TestInfo info) {
            failIf(info.getTestClass().orElseThrow(), 5, "@AfterAll");
        }

        private static boolean checksSelfBuiltClients(Class<?> fixture) {
            WithAwsSession session = fixture.getAnnotation(WithAwsSession.class);
            return session.env() && session.assumeRole().isEmpty();
        }
    }

    @WithAwsSession(localstack = true)
    static class SharedFailuresTestCase extends RandomClassFailures {
    }

    @WithAwsSession(localstack = true)
    static class OtherSharedFailuresTestCase extends RandomClassFailures {
    }

    @WithAwsSession(localstack = true, isolation = Isolation.TEST)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerTestPerClassFailuresTestCase extends RandomClassFailures {
    }

    @WithAwsSession(localstack = true, isolation = Isolation.NONE)
    static class SharedAccountFailuresTestCase extends RandomClassFailures {
    }

    @WithAwsSession(localstack = true, env = false)
    static class NoEnvironmentFailuresTestCase extends RandomClassFailures {
    }

    @WithAwsSession(localstack = true, region = "eu-central-1")
    static class OwnRegionFailuresTestCase extends RandomClassFailures {
    }

    @WithAwsSession(localstack = true, snapshot = true)
    static class SnapshotFailuresTestCase extends RandomClassFailures {
    }

    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::111122223333:role/generated")
    static class RoleFailuresTestCase extends RandomClassFailures {
    }

    /** No session: whatever JUnit thread runs it must carry no binding of another class. */
    static class NoSessionTestCase {
        @BeforeAll
        static void beforeAll() {
            noBinding("@BeforeAll");
        }

        @Test
        void test() {
            noBinding("test");
        }

        private static void noBinding(String where) {
            if (SessionBinding.current() != null) {
                PROBLEMS.add("NoSessionTestCase " + where + " on " + Thread.currentThread().getName()
                        + " is bound to " + SessionBinding.current().description());
            }
        }
    }

    private static final Class<?>[] CLASS_FAILURES = {SharedFailuresTestCase.class, OtherSharedFailuresTestCase.class,
        PerTestPerClassFailuresTestCase.class, SharedAccountFailuresTestCase.class, NoEnvironmentFailuresTestCase.class,
        OwnRegionFailuresTestCase.class, SnapshotFailuresTestCase.class, RoleFailuresTestCase.class,
        NoSessionTestCase.class};

    @Test
    void classLevelFailuresAtRandomWithIsolationAndParallelClassesLeaveNothingBehind() throws Exception {
        GlobalState before = GlobalState.capture();
        long directoriesBefore = snapshotDirectories();
        PROBLEMS.clear();
        int failedEvents = 0;
        for (round = 1; round <= 100; round++) {
            // Odd rounds: classes and methods concurrent. Even rounds: classes concurrent, each on one thread.
            UnboundAtStart.strict = round % 2 == 0;
            EngineExecutionResults results = BsmTestKit.run(UnboundAtStart.strict ? Map.of(
                    "junit.jupiter.execution.parallel.mode.default", "same_thread",
                    "junit.jupiter.execution.parallel.config.fixed.parallelism", "2",
                    "junit.jupiter.execution.parallel.config.fixed.max-pool-size", "2") : Map.of(), CLASS_FAILURES);
            failedEvents += (int) results.allEvents().failed().count();
            assertThat(results.allEvents().failed().stream().map(event -> event.getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("")))
                    .as("round %d: only the generated failures", round)
                    .allMatch(m -> m.startsWith("generated failure in "));
            assertThat(SharedEnvironment.users()).as("round %d: shared environment left held", round).isZero();
            assertThat(GlobalState.capture().differencesFrom(before)).as("round %d: changed and not restored", round)
                    .isEmpty();
        }
        System.out.println("RESULT class-level failures: 100 rounds of " + CLASS_FAILURES.length + " classes, "
                + failedEvents + " failed classes and tests, problems " + PROBLEMS);
        assertThat(PROBLEMS).isEmpty();
        assertThat(failedEvents).as("generated failures").isGreaterThan(100);
        assertThat(SessionBinding.current()).isNull();
        assertThat(snapshotDirectories()).isEqualTo(directoriesBefore);
    }

    @WithAwsSession(localstack = true, snapshot = true)
    static class OneSnapshotTestCase {
        @Test
        void test(@SnapshotFile Path snapshot) {
        }
    }

    @Test
    void snapshotDirectoriesOfKilledJvmsAreSweptAtTheNextRun() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path perUser = SnapshotDirectories.perUserDirectory(TMP);
        Path orphan = Files.createDirectory(perUser.resolve(SnapshotDirectories.PREFIX + finished.pid() + "-orphan"));
        Files.writeString(orphan.resolve("session.json"), "{}");
        Path alive = Files.createDirectory(perUser.resolve(SnapshotDirectories.PREFIX + ProcessHandle.current().pid()
                + "-still-running"));
        try {
            BsmTestKit.run(OneSnapshotTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
            assertThat(orphan).as("left by a JVM that is gone").doesNotExist();
            assertThat(alive).as("belongs to a running JVM").exists();
        } finally {
            Files.deleteIfExists(alive);
        }
    }
}
