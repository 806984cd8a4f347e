package dev.bsm.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one scheduled executor of a manager, given to every client it builds (unless the user's override
 * configuration names one). Without it the SDK builds a five-thread {@code sdk-ScheduledExecutor} pool per client
 * for its API call timeouts and async retry delays: a client kept after {@code close()} failed with the pool's
 * {@code RejectedExecutionException} before its request reached the manager's HTTP client, and each
 * {@code clearCache()} racing in-flight calls left another pool alive until the calls' timeouts fell due.
 *
 * <p>Built on first use, so a manager whose clients schedule nothing starts nothing. At most {@link #THREADS}
 * daemon threads named {@code bsm-timeouts-N}, which end when idle for {@link #KEEP_ALIVE_SECONDS} seconds. A
 * cancelled task (the timeout of a call that finished) leaves the queue at once. The SDK never shuts it down (it
 * wraps an executor it was given as unmanaged); {@link #close()} does: waiting tasks are dropped, the threads end,
 * and scheduling fails with the manager-closed error of {@link ClosedManager}.
 */
final class ManagerScheduler extends AbstractExecutorService implements ScheduledExecutorService, AutoCloseable {
    static final int THREADS = 5;
    static final long KEEP_ALIVE_SECONDS = 30;
    static final String THREAD_NAME_PREFIX = "bsm-timeouts-";
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private volatile ScheduledThreadPoolExecutor executor; // set once, under this
    private volatile boolean closed; // set under this

    private ScheduledThreadPoolExecutor executor() {
        ScheduledThreadPoolExecutor current = executor;
        if (current == null) {
            synchronized (this) {
                if (closed) {
                    throw closedError();
                }
                current = executor;
                if (current == null) {
                    current = newExecutor();
                    executor = current;
                }
            }
        }
        return current;
    }

    private static ScheduledThreadPoolExecutor newExecutor() {
        // A scheduled pool's queue is unbounded: it rejects only once shut down, that is once the manager closed.
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(THREADS, task -> {
            Thread thread = new Thread(task, THREAD_NAME_PREFIX + THREAD_NUMBER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, (task, rejecting) -> {
            throw closedError();
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static IllegalStateException closedError() {
        return ClosedManager.used("timeout scheduler");
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return executor().schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return executor().schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return executor().scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
            TimeUnit unit) {
        return executor().scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        executor().execute(command);
    }

    /** Closes: waiting tasks are dropped and the threads end once their running task (if any) is done. */
    @Override
    public void shutdown() {
        markClosed().ifPresent(ScheduledThreadPoolExecutor::shutdown);
    }

    @Override
    public List<Runnable> shutdownNow() {
        return markClosed().map(ScheduledThreadPoolExecutor::shutdownNow).orElseGet(List::of);
    }

    /** @return the executor if it was built; none is built after this */
    private synchronized Optional<ScheduledThreadPoolExecutor> markClosed() {
        closed = true;
        return Optional.ofNullable(executor);
    }

    /** {@link #shutdown()}, without waiting for a running task: a timeout task takes microseconds. */
    @Override
    public void close() {
        shutdown();
    }

    /** {@return whether the manager closed this: a presigner, which schedules nothing, asks it on each presign} */
    @Override
    public boolean isShutdown() {
        return closed;
    }

    @Override
    public boolean isTerminated() {
        ScheduledThreadPoolExecutor built = executor;
        return closed && (built == null || built.isTerminated());
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        ScheduledThreadPoolExecutor built = executor;
        if (built == null) {
            return closed;
        }
        return built.awaitTermination(timeout, unit) && closed;
    }

    /** {@return the tasks waiting in the queue} */
    int queued() {
        ScheduledThreadPoolExecutor built = executor;
        return built == null ? 0 : built.getQueue().size();
    }

    @Override
    public String toString() {
        ScheduledThreadPoolExecutor built = executor;
        return "ManagerScheduler[" + (closed ? "closed" : "open")
                + (built == null ? ", not started" : ", threads=" + built.getPoolSize()) + "]";
    }
}
