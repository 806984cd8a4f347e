package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A client kept after its manager was closed says so, whatever the configuration: with an API call timeout (every
 * emulator session of the extension has one) the SDK schedules the timeout before the request reaches the HTTP
 * client, so the check of the HTTP client alone came too late. And {@code clearCache()} racing in-flight calls
 * starts a bounded number of threads.
 */
class KeptClientTests {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<Map.Entry<String, Consumer<ClientOverrideConfiguration.Builder>>> CONFIGURATIONS =
            List.of(Map.entry("no timeout", c -> { }),
                    Map.entry("apiCallTimeout", c -> c.apiCallTimeout(TIMEOUT)),
                    Map.entry("apiCallAttemptTimeout", c -> c.apiCallAttemptTimeout(TIMEOUT)));

    @TestFactory
    Stream<DynamicTest> aSyncClientKeptAfterCloseSaysTheManagerIsClosed() {
        return CONFIGURATIONS.stream().map(configuration -> dynamicTest(configuration.getKey(), () -> {
            BotoSesManager bsm = manager(configuration.getValue());
            StsClient sts = bsm.client(StsClient.class);
            sts.getCallerIdentity();
            bsm.close();
            assertThatThrownBy(sts::getCallerIdentity).as(configuration.getKey())
                    .satisfies(KeptClientTests::saysTheManagerIsClosed);
        }));
    }

    @TestFactory
    Stream<DynamicTest> anAsyncClientKeptAfterCloseSaysTheManagerIsClosed() {
        return CONFIGURATIONS.stream().map(configuration -> dynamicTest(configuration.getKey(), () -> {
            BotoSesManager bsm = manager(configuration.getValue());
            S3AsyncClient s3 = bsm.client(S3AsyncClient.class);
            s3.listBuckets().get(30, TimeUnit.SECONDS);
            bsm.close();
            assertThatThrownBy(() -> s3.listBuckets().get(30, TimeUnit.SECONDS)).as(configuration.getKey())
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(KeptClientTests::saysTheManagerIsClosed);
        }));
    }

    @Test
    void clearCacheRacingInFlightCallsStartsABoundedNumberOfSchedulerThreads() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        BotoSesManager bsm = manager(c -> c.apiCallTimeout(TIMEOUT));
        List<String> during;
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                running.add(pool.submit(() -> {
                    while (!stop.get()) {
                        try {
                            bsm.client(StsClient.class).getCallerIdentity();
                            calls.incrementAndGet();
                        } catch (RuntimeException e) {
                            // A call on a client clearCache() closed under it: what clearCache's Javadoc warns of.
                            failures.incrementAndGet();
                        }
                    }
                }));
            }
            for (int i = 0; i < 300; i++) {
                bsm.clearCache();
                Thread.sleep(5);
            }
            during = schedulerThreads(before);
            stop.set(true);
            for (Future<?> caller : running) {
                caller.get(60, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
            bsm.close();
        }
        System.out.printf("clearCache race: %d calls, %d failed; scheduler threads started and alive: %d %s%n",
                calls.get(), failures.get(), during.size(), summary(during));
        assertThat(calls.get()).as("calls made during the race").isPositive();
        assertThat(during).as("scheduler threads alive while 300 clearCache() raced %d callers", callers)
                .hasSizeLessThanOrEqualTo(5) // the manager's one pool
                .allSatisfy(name -> assertThat(name).startsWith("bsm-timeouts-"));
        awaitGone(before);
    }

    @Test
    void aSchedulerTheUserGaveIsUsedAndStaysTheUsers() throws Exception {
        ScheduledThreadPoolExecutor users = new ScheduledThreadPoolExecutor(1);
        try {
            BotoSesManager bsm = manager(c -> c.apiCallTimeout(TIMEOUT).scheduledExecutorService(users));
            bsm.client(StsClient.class).getCallerIdentity();
            bsm.client(S3AsyncClient.class).listBuckets().get(30, TimeUnit.SECONDS);
            assertThat(users.getTaskCount()).as("timeouts scheduled on the user's executor").isGreaterThanOrEqualTo(2);
            bsm.close();
            assertThat(users.isShutdown()).as("the user's executor shut down by close()").isFalse();
            assertThat(users.schedule(() -> "still works", 0, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS))
                    .isEqualTo("still works");
        } finally {
            users.shutdownNow();
        }
    }

    private static void awaitGone(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left = schedulerThreads(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = schedulerThreads(before);
        }
        assertThat(left).as("scheduler threads alive after close()").isEmpty();
    }

    /** Timeout scheduler threads (the SDK's own per client, or the manager's) started since {@code before}. */
    private static List<String> schedulerThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> name.startsWith("sdk-ScheduledExecutor") || name.startsWith("bsm-timeouts-"))
                .sorted()
                .collect(Collectors.toList());
    }

    private static String summary(List<String> names) {
        return names.stream().collect(Collectors.groupingBy(name -> name.replaceAll("[-0-9]+$", ""),
                Collectors.counting())).toString();
    }

    @Test
    void aPresignerKeptAfterCloseSaysTheManagerIsClosed() {
        // Presigning makes no call: no emulator needed, only the manager's credentials.
        BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDEXAMPLE", Moto.CANARY_SECRET)
                .region("us-east-1").endpointOverride(URI.create("http://localhost:4566")).build();
        S3Presigner presigner = bsm.client(S3Presigner.class);
        assertThat(presignedGet(presigner)).as("while the manager is open").contains("X-Amz-Signature=");

        bsm.close();

        assertThatThrownBy(() -> presignedGet(presigner)).satisfies(KeptClientTests::saysTheManagerIsClosed);
    }

    private static String presignedGet(S3Presigner presigner) {
        return presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket("kept").key("k"))).url().toString();
    }

    private static void saysTheManagerIsClosed(Throwable thrown) {
        assertThat(Causes.of(thrown)).anySatisfy(cause -> assertThat(cause)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed BotoSesManager")
                .hasMessageContaining("Get clients from an open manager"));
    }

    private static BotoSesManager manager(Consumer<ClientOverrideConfiguration.Builder> configuration) {
        MotoServer moto = Moto.server();
        return BotoSesManager.builder()
                .credentials(moto.accessKeyId(), Moto.CANARY_SECRET)
                .region(moto.region())
                .endpointOverride(moto.endpoint())
                .overrideConfiguration(configuration)
                .build();
    }
}
