package dev.bsm.installit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Looks, every {@link #PERIOD_MILLIS} ms while a build runs, for the {@code moto_server} processes carrying the
 * build's environment entry: which ones ran, and how many at once. It shows that {@link MarkedProcesses} does see
 * the build's servers, so that finding none after the build means something.
 */
final class BuildWatch implements AutoCloseable {
    private static final long PERIOD_MILLIS = 200;

    private final String entry;
    private final Set<Long> motoServers = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int mostMotoServersAtOnce;

    private BuildWatch(String entry) {
        this.entry = entry;
        this.thread = new Thread(this::watch, "build-watch");
        thread.setDaemon(true);
    }

    /** Starts watching for processes whose environment holds {@code entry} ({@code NAME=value}). */
    static BuildWatch start(String entry) {
        BuildWatch watch = new BuildWatch(entry);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        while (!stopped) {
            var servers = MarkedProcesses.carrying(entry).stream().filter(MarkedProcesses::isMotoServer).toList();
            servers.forEach(p -> motoServers.add(p.pid()));
            mostMotoServersAtOnce = Math.max(mostMotoServersAtOnce, servers.size());
            try {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The pids of every moto_server of the build seen so far. */
    Set<Long> motoServers() {
        return Set.copyOf(motoServers);
    }

    /** The most moto_server processes of the build seen at one look. */
    int mostMotoServersAtOnce() {
        return mostMotoServersAtOnce;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join();
    }
}
