package dev.bsm.installit;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Looks, every {@link #PERIOD_MILLIS} ms while a build runs, for the {@code moto_server} processes carrying the
 * build's environment entry: which ones ran, and how many at once. It shows that {@link MarkedProcesses} does see
 * the build's servers, so that finding none after the build means something. A process counts once it was seen at
 * two looks in a row: one seen at a single look is a copy on its way to another program (a shell's subshell, a
 * shim's process between its reads of {@code /proc}), never a server, which takes a second to start.
 */
final class BuildWatch implements AutoCloseable {
    private static final long PERIOD_MILLIS = 200;

    private final String entry;
    /** pid → how many looks in a row saw it as a moto_server; servers are those seen at two or more. */
    private final Map<Long, Integer> sightings = new ConcurrentHashMap<>();
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
            Set<Long> seen = MarkedProcesses.carrying(entry).stream().filter(MarkedProcesses::isMotoServer)
                    .map(ProcessHandle::pid).collect(Collectors.toSet());
            // Seen at one look and not the next: forgotten. Seen again: one more look in a row.
            sightings.replaceAll((pid, looks) -> seen.contains(pid) || looks >= 2 ? looks : 0);
            seen.forEach(pid -> sightings.merge(pid, 1, (looks, one) -> looks == 0 ? 1 : looks + 1));
            sightings.values().removeIf(looks -> looks == 0);
            long atOnce = seen.stream().filter(pid -> sightings.get(pid) >= 2).count();
            mostMotoServersAtOnce = Math.max(mostMotoServersAtOnce, (int) atOnce);
            try {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The pids of every moto_server of the build seen so far (at two looks in a row). */
    Set<Long> motoServers() {
        return sightings.entrySet().stream().filter(e -> e.getValue() >= 2).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
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
