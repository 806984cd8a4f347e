package dev.bsm.junit5;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * The one scheduler of the API call timeouts of every isolated manager in a run, in the root context's store and
 * shut down when the run ends. Each manager would otherwise start a thread of its own for its first call and stop
 * it when its class (with {@code TEST}, its test) ends: a thread per class. The SDK never shuts down a scheduler
 * it is given, so closing a manager leaves this one running; a client kept after its class still fails, at the
 * manager's closed HTTP client, and after the run here.
 */
final class IsolatedScheduler extends StoredResource {
    private static final Namespace NAMESPACE = Namespace.create(IsolatedScheduler.class);
    private static final int THREADS = 5;
    private static final long KEEP_ALIVE_SECONDS = 30;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final ScheduledThreadPoolExecutor executor;

    private IsolatedScheduler() {
        executor = new ScheduledThreadPoolExecutor(THREADS, task -> {
            // Made on whichever class's thread first needs one, and then serving every class: bound to none.
            Thread thread = new Thread(() -> {
                SessionBinding.adopt(null);
                task.run();
            }, "bsm-junit5-timeouts-" + THREAD_NUMBER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, (task, shutDown) -> {
            // A client kept after the run: its manager closed with its class (or test), the scheduler with the run.
            throw new IllegalStateException("A client of a closed BotoSesManager was used: bsm-junit5 closes the"
                    + " manager of an isolated class (or test) when the class (or test) ends, and the client was kept"
                    + " beyond the test run. Get clients from the manager of a running test.");
        });
        executor.setRemoveOnCancelPolicy(true); // a finished call's timeout leaves the queue at once
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
    }

    /** {@return the run's scheduler for isolated managers, made on first use} */
    static ScheduledExecutorService of(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(IsolatedScheduler.class, k -> new IsolatedScheduler(), IsolatedScheduler.class)
                .executor;
    }

    @Override
    void release() {
        executor.shutdownNow();
    }
}
