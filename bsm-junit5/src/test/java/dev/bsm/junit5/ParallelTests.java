package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * With JUnit's parallel execution, {@code @WithAwsSession} classes on the shared emulator run at the same time
 * (counted: how many classes are inside a test body at once), and so do {@code env = false} classes; a class with a
 * region of its own runs alone, and everything is restored after.
 */
@Isolated("runs fixture classes that change the environment and system properties; compares them before and after")
class ParallelTests {
    static final long WORK_MILLIS = 300;

    /** Test bodies as they ran: class, start and end (System.nanoTime). */
    record Span(String fixture, long start, long end) {
    }

    static final List<Span> SPANS = new CopyOnWriteArrayList<>();
    static final List<String> PROBLEMS = new CopyOnWriteArrayList<>();
    static final Map<String, String> ACCOUNTS = new ConcurrentHashMap<>();

    @BeforeEach
    void clear() {
        BsmTestKit.moto();
        SPANS.clear();
        PROBLEMS.clear();
        ACCOUNTS.clear();
    }

    /** A test body: 300 ms inside the session, checking on the way that it is this class's. */
    static void work(Object test, BotoSesManager bsm) throws InterruptedException {
        long start = System.nanoTime();
        String account = bsm.awsAccountId();
        Thread.sleep(WORK_MILLIS);
        if (bsm.toSnapshot().get("aws_access_key_id") != null && System.getenv("AWS_ENDPOINT_URL") != null) {
            try (StsClient sts = StsClient.create()) {
                String own = sts.getCallerIdentity().account();
                if (!own.equals(account)) {
                    PROBLEMS.add(test.getClass().getSimpleName() + ": self-built clients in " + own + ", not "
                            + account);
                }
            }
        }
        ACCOUNTS.put(test.getClass().getSimpleName(), account);
        SPANS.add(new Span(test.getClass().getSimpleName(), start, System.nanoTime()));
    }

    /** The most classes that were inside a test body at one instant. */
    static int maxConcurrentClasses(List<Span> spans) {
        List<long[]> events = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Span span : spans) {
            int index = names.indexOf(span.fixture());
            if (index < 0) {
                names.add(span.fixture());
                index = names.size() - 1;
            }
            events.add(new long[] {span.start(), 1, index});
            events.add(new long[] {span.end(), -1, index});
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        Map<Long, Integer> inside = new HashMap<>();
        int max = 0;
        for (long[] event : events) {
            inside.merge(event[2], (int) event[1], Integer::sum);
            inside.values().removeIf(count -> count == 0);
            max = Math.max(max, inside.size());
        }
        return max;
    }

    static boolean overlaps(Span a, Span b) {
        return a.start() < b.end() && b.start() < a.end();
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    /** Two test bodies; the subclasses say which session. */
    abstract static class TwoTests {
        @Test
        void first(BotoSesManager bsm) throws Exception {
            work(this, bsm);
        }

        @Test
        void second(BotoSesManager bsm) throws Exception {
            work(this, bsm);
        }
    }

    @WithAwsSession(localstack = true)
    abstract static class Shared extends TwoTests {
    }

    static class SharedOneTestCase extends Shared {
    }

    static class SharedTwoTestCase extends Shared {
    }

    static class SharedThreeTestCase extends Shared {
    }

    static class SharedFourTestCase extends Shared {
    }

    @WithAwsSession(localstack = true, env = false)
    abstract static class NoEnvironment extends TwoTests {
    }

    static class NoEnvironmentOneTestCase extends NoEnvironment {
    }

    static class NoEnvironmentTwoTestCase extends NoEnvironment {
    }

    static class NoEnvironmentThreeTestCase extends NoEnvironment {
    }

    @WithAwsSession(localstack = true, region = "eu-west-1")
    static class OwnRegionTestCase {
        @Test
        void first(BotoSesManager bsm) throws Exception {
            checkRegion();
            work(this, bsm);
            checkRegion();
        }

        @Test
        void second(BotoSesManager bsm) throws Exception {
            checkRegion();
            work(this, bsm);
            checkRegion();
        }

        private static void checkRegion() {
            if (!"eu-west-1".equals(System.getenv("AWS_REGION")) || !"eu-west-1".equals(System.getProperty("aws.region"))) {
                PROBLEMS.add("OwnRegionTestCase saw region " + System.getenv("AWS_REGION") + " / "
                        + System.getProperty("aws.region"));
            }
        }
    }

    /** A composed annotation: JUnit finds the locks two meta-annotations down. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    @WithAwsSession(localstack = true, region = "eu-west-2")
    @interface LondonEmulatorTest {
    }

    @LondonEmulatorTest
    static class ComposedOwnRegionTestCase extends TwoTests {
    }

    /** A method-level session sets the environment for its test: JUnit gives the whole class the write locks. */
    @WithAwsSession(localstack = true)
    static class MethodSessionTestCase {
        @Test
        void classes(BotoSesManager bsm) throws Exception {
            work(this, bsm);
        }

        @Test
        @WithAwsSession(localstack = true, isolation = Isolation.NONE)
        void own(BotoSesManager bsm) throws Exception {
            work(this, bsm);
        }
    }

    private static final Class<?>[] SHARED = {SharedOneTestCase.class, SharedTwoTestCase.class,
        SharedThreeTestCase.class, SharedFourTestCase.class};

    /**
     * Classes in parallel, each class's tests on one thread (overlap can only come from different classes), on
     * exactly this many worker threads (the pool may not grow past them while workers wait).
     */
    private static Map<String, String> classesConcurrent(int parallelism) {
        return Map.of("junit.jupiter.execution.parallel.mode.default", "same_thread",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(parallelism),
                "junit.jupiter.execution.parallel.config.fixed.max-pool-size", Integer.toString(parallelism),
                "junit.jupiter.execution.parallel.config.fixed.saturate", "true");
    }

    // ------------------------------------------------------------------------------------------------ tests

    @ParameterizedTest(name = "{0} workers: at least {1} classes at once")
    @CsvSource({"2, 2", "4, 3"})
    void sharedEnvironmentClassesOverlap(int workers, int atLeast) {
        GlobalState before = GlobalState.capture();
        BsmTestKit.run(classesConcurrent(workers), SHARED).testEvents()
                .assertStatistics(s -> s.started(8).succeeded(8));
        int max = maxConcurrentClasses(SPANS);
        System.out.println("RESULT shared-environment classes, " + workers + " workers: max concurrent classes " + max);
        assertThat(max).isGreaterThanOrEqualTo(atLeast);
        assertThat(PROBLEMS).isEmpty();
        assertThat(ACCOUNTS.values()).as("an account per class").doesNotHaveDuplicates().hasSize(4);
        assertThat(GlobalState.capture().differencesFrom(before)).as("changed and not restored").isEmpty();
    }

    @Test
    void envFalseClassesOverlap() {
        BsmTestKit.run(classesConcurrent(4), NoEnvironmentOneTestCase.class, NoEnvironmentTwoTestCase.class,
                NoEnvironmentThreeTestCase.class).testEvents().assertStatistics(s -> s.started(6).succeeded(6));
        int max = maxConcurrentClasses(SPANS);
        System.out.println("RESULT env = false classes, 4 workers: max concurrent classes " + max);
        assertThat(max).isGreaterThanOrEqualTo(2);
    }

    /**
     * Runs the fixtures with 4 workers: the one that sets its own environment overlaps none of the others' tests,
     * and everything is restored. (Whether the shared ones overlap each other in such a run depends on where JUnit
     * puts the exclusive class; {@link #sharedEnvironmentClassesOverlap} counts that.)
     */
    private static void runsAlone(Class<?> alone, Class<?>... shared) {
        GlobalState before = GlobalState.capture();
        List<Class<?>> fixtures = new ArrayList<>(List.of(shared));
        fixtures.add(1, alone);
        BsmTestKit.run(classesConcurrent(4), fixtures.toArray(Class<?>[]::new)).testEvents()
                .assertStatistics(s -> s.started(2L * fixtures.size()).succeeded(2L * fixtures.size()));
        assertThat(PROBLEMS).isEmpty();
        List<Span> own = SPANS.stream().filter(s -> s.fixture().equals(alone.getSimpleName())).toList();
        List<Span> others = SPANS.stream().filter(s -> !s.fixture().equals(alone.getSimpleName())).toList();
        assertThat(own).hasSize(2);
        for (Span span : own) {
            assertThat(others).as("tests that ran while %s did", alone.getSimpleName()).noneMatch(o -> overlaps(o, span));
        }
        System.out.println("RESULT " + alone.getSimpleName() + " beside shared classes, 4 workers: max concurrent"
                + " classes " + maxConcurrentClasses(SPANS) + ", " + alone.getSimpleName() + " overlapping none");
        assertThat(GlobalState.capture().differencesFrom(before)).as("changed and not restored").isEmpty();
    }

    @Test
    void aClassWithARegionOfItsOwnRunsAloneAndIsRestored() {
        runsAlone(OwnRegionTestCase.class, SharedOneTestCase.class, SharedTwoTestCase.class, SharedThreeTestCase.class);
    }

    @Test
    void aComposedAnnotationTakesTheSameLocks() {
        runsAlone(ComposedOwnRegionTestCase.class, SharedOneTestCase.class, SharedTwoTestCase.class);
    }

    @Test
    void aClassWithAMethodLevelSessionRunsAlone() {
        runsAlone(MethodSessionTestCase.class, SharedOneTestCase.class, SharedTwoTestCase.class);
    }

    @Test
    void methodsOfOneClassRunInParallelToo() {
        // BsmTestKit's default: classes and methods concurrent (methods run on other threads than beforeAll).
        BsmTestKit.run(SharedOneTestCase.class, SharedTwoTestCase.class).testEvents()
                .assertStatistics(s -> s.started(4).succeeded(4));
        assertThat(PROBLEMS).isEmpty();
        long overlappingPairs = 0;
        for (Span a : SPANS) {
            for (Span b : SPANS) {
                if (a != b && overlaps(a, b)) {
                    overlappingPairs++;
                }
            }
        }
        assertThat(overlappingPairs).isGreaterThan(0);
    }
}
