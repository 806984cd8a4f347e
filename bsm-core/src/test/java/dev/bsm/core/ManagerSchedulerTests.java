package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ManagerSchedulerTests {
    @Test
    void startsNothingUntilUsedAndNothingWhenClosedFirst() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ManagerScheduler scheduler = new ManagerScheduler();
        assertThat(newSchedulerThreads(before)).isEmpty();
        scheduler.close();
        assertThatThrownBy(() -> scheduler.schedule(() -> { }, 1, TimeUnit.SECONDS))
                .satisfies(ManagerSchedulerTests::isTheClosedManagerError);
        assertThat(newSchedulerThreads(before)).isEmpty();
        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(scheduler.isTerminated()).isTrue();
    }

    @Test
    void runsOnAtMostFiveDaemonThreadsWhateverIsQueued() throws Exception {
        ManagerScheduler scheduler = new ManagerScheduler();
        try {
            Set<Thread> ran = ConcurrentHashMap.newKeySet();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch allRan = new CountDownLatch(50);
            for (int i = 0; i < 50; i++) {
                scheduler.schedule(() -> {
                    ran.add(Thread.currentThread());
                    allRan.countDown();
                    release.await();
                    return null;
                }, 0, TimeUnit.MILLISECONDS);
            }
            Thread.sleep(200);
            assertThat(ran).hasSize(ManagerScheduler.THREADS);
            release.countDown();
            assertThat(allRan.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).hasSize(ManagerScheduler.THREADS).allSatisfy(thread -> {
                assertThat(thread.isDaemon()).isTrue();
                assertThat(thread.getName()).startsWith(ManagerScheduler.THREAD_NAME_PREFIX);
            });
        } finally {
            scheduler.close();
        }
    }

    @Test
    void closeDropsWaitingTasksEndsTheThreadsAndLaterSchedulingSaysTheManagerIsClosed() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ManagerScheduler scheduler = new ManagerScheduler();
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> timeout = scheduler.schedule(() -> fired.set(true), 30, TimeUnit.SECONDS);
        Future<String> done = scheduler.submit(() -> "ran");
        assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
        assertThat(newSchedulerThreads(before)).isNotEmpty();

        scheduler.close();
        assertThat(timeout.isCancelled()).as("a waiting timeout is dropped, not kept 30 s").isTrue();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).isFalse();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!newSchedulerThreads(before).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(newSchedulerThreads(before)).as("threads alive after close()").isEmpty();
        for (Runnable use : List.<Runnable>of(() -> scheduler.schedule(() -> { }, 1, TimeUnit.SECONDS),
                () -> scheduler.execute(() -> { }), () -> scheduler.submit(() -> "late"))) {
            assertThatThrownBy(use::run).satisfies(ManagerSchedulerTests::isTheClosedManagerError);
        }
    }

    @Test
    void aCancelledTimeoutLeavesTheQueueAtOnce() {
        ManagerScheduler scheduler = new ManagerScheduler();
        try {
            for (int i = 0; i < 1000; i++) {
                scheduler.schedule(() -> { }, 1, TimeUnit.HOURS).cancel(false);
            }
            assertThat(scheduler.queued()).isZero();
        } finally {
            scheduler.close();
        }
    }

    private static void isTheClosedManagerError(Throwable thrown) {
        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessage("The timeout scheduler of a closed BotoSesManager was used: a client was kept after its"
                        + " manager was closed. Get clients from an open manager.");
    }

    private static List<String> newSchedulerThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> name.startsWith(ManagerScheduler.THREAD_NAME_PREFIX))
                .collect(Collectors.toList());
    }
}
