package dev.bsm.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process together with its descendants: asked to exit first, killed after a grace period, zombies counted
 * as gone. Used for moto servers, child JVMs and what a killed JVM left behind.
 */
final class ProcessTrees {

    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    static final Duration FORCED_STOP_WAIT = Duration.ofSeconds(2);

    private ProcessTrees() {
    }

    /** The process and its descendants, captured before anything is killed: orphans can no longer be found. */
    static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> handles = new ArrayList<>();
        root.descendants().forEach(handles::add);
        handles.add(root);
        return handles;
    }

    /** Stops the process and its descendants, found before any is signalled, with {@link #terminate(List)}. */
    static void terminateTree(ProcessHandle root) {
        terminate(tree(root));
    }

    /** Asks the processes to exit, waits up to {@link #STOP_GRACE}, then kills the ones that are left. */
    static void terminate(List<ProcessHandle> handles) {
        handles.forEach(ProcessHandle::destroy);
        boolean interrupted = false;
        if (!awaitGone(handles, STOP_GRACE)) {
            // If we were interrupted, awaitGone returned early; fall through to the forcible kill.
            interrupted = Thread.interrupted();
            handles.stream().filter(ProcessTrees::isRunning).forEach(ProcessHandle::destroyForcibly);
            awaitGone(handles, FORCED_STOP_WAIT);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a launched process to exit, which also reaps it, for at most {@code limit}. */
    static void awaitExit(Process launched, Duration limit) {
        try {
            launched.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the process is alive and not merely a zombie: an orphaned grandchild stays a zombie until the init
     * process reaps it, which in containers can take a while or never happen, and {@link ProcessHandle#isAlive()}
     * still reports zombies as alive.
     */
    static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(handle.pid()), "stat")),
                    StandardCharsets.ISO_8859_1);
            int end = stat.lastIndexOf(')'); // the command name in parentheses may contain anything
            return !(end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z');
        } catch (IOException | RuntimeException e) {
            return handle.isAlive(); // no /proc (not Linux) or the process vanished meanwhile
        }
    }

    private static boolean awaitGone(List<ProcessHandle> handles, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (handles.stream().anyMatch(ProcessTrees::isRunning)) {
            if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
