package dev.bsm.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The testkit's one JVM shutdown hook: what must not outlive the JVM (moto servers, child JVMs, LocalStack
 * containers, the shared external endpoint's session) registers its clean-up here. When the JVM exits, every
 * clean-up runs on a thread of its own, all at once as separate shutdown hooks would, and the hook waits for all.
 */
final class ExitHooks {

    private static final Map<String, Runnable> CLEAN_UPS = new LinkedHashMap<>(); // guarded by ExitHooks.class
    private static boolean installed; // guarded by ExitHooks.class
    private static boolean running; // guarded by ExitHooks.class

    private ExitHooks() {
    }

    /**
     * Runs {@code cleanUp} when the JVM exits, on a thread named {@code name}. Only the first clean-up of a name is
     * kept: callers may register on every use.
     *
     * @throws IllegalStateException if the JVM is shutting down and nothing of that name is registered yet
     */
    static synchronized void onExit(String name, Runnable cleanUp) {
        if (CLEAN_UPS.containsKey(name)) {
            return;
        }
        if (running) {
            throw new IllegalStateException("Shutdown in progress: " + name + " cannot be registered any more");
        }
        if (!installed) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExitHooks::runAll, "bsm-testkit-shutdown"));
            installed = true;
        }
        CLEAN_UPS.put(name, cleanUp);
    }

    private static void runAll() {
        List<Thread> threads = new ArrayList<>();
        synchronized (ExitHooks.class) {
            running = true;
            CLEAN_UPS.forEach((name, cleanUp) -> threads.add(new Thread(cleanUp, name)));
        }
        threads.forEach(Thread::start);
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
