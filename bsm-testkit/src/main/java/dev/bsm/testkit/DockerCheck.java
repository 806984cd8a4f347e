package dev.bsm.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether Testcontainers is on the classpath and can reach Docker, found out once per JVM and never waited for
 * longer than a bounded time. Holds no Testcontainers type: {@link TestcontainersBridge} is loaded only when
 * Testcontainers is present.
 */
final class DockerCheck {

    static final String TIMEOUT_PROPERTY = "bsm.docker.detectTimeout";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    static final String LOCALSTACK_ARTIFACT = "org.testcontainers:testcontainers-localstack";

    private static final String[] REQUIRED_CLASSES = {
        "org.testcontainers.DockerClientFactory", "org.testcontainers.localstack.LocalStackContainer"};

    private static final Object LOCK = new Object();
    private static CompletableFuture<Optional<String>> probe; // guarded by LOCK
    private static long deadline; // guarded by LOCK; System.nanoTime() after which nobody waits any more

    private DockerCheck() {
    }

    /**
     * @return empty when the Testcontainers LocalStack module is on the classpath; otherwise a sentence saying it
     *     is not and what to add
     */
    static Optional<String> testcontainersMissing() {
        ClassLoader loader = DockerCheck.class.getClassLoader();
        for (String name : REQUIRED_CLASSES) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.of("Testcontainers is not on the classpath (" + name + " is missing); add the "
                        + "test dependency " + LOCALSTACK_ARTIFACT + " to use LocalStack");
            }
        }
        return Optional.empty();
    }

    /**
     * Asks Testcontainers whether Docker is reachable. The question is asked once per JVM on a daemon thread; every
     * caller waits at most until the first caller's wait is over (system property {@code bsm.docker.detectTimeout},
     * an ISO-8601 duration or seconds, default 20 s), so a hanging Docker host costs one bounded wait per JVM.
     *
     * @return empty when Docker is available; otherwise a sentence starting with "Docker is not available"
     */
    static Optional<String> dockerUnavailableReason() {
        Optional<String> missing = testcontainersMissing();
        if (missing.isPresent()) {
            return Optional.of("Docker is not checked: " + missing.get());
        }
        CompletableFuture<Optional<String>> future;
        long waitUntil;
        Duration timeout;
        synchronized (LOCK) {
            timeout = timeout();
            if (probe == null) {
                probe = new CompletableFuture<>();
                deadline = System.nanoTime() + timeout.toNanos();
                CompletableFuture<Optional<String>> started = probe;
                Thread thread = new Thread(() -> {
                    try {
                        started.complete(TestcontainersBridge.dockerUnavailableReason());
                    } catch (Throwable e) {
                        started.completeExceptionally(e);
                    }
                }, "bsm-docker-detection");
                thread.setDaemon(true);
                thread.start();
            }
            future = probe;
            waitUntil = deadline;
        }
        try {
            Optional<String> reason = future.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
            return reason.map(text -> "Docker is not available: " + explain(text));
        } catch (TimeoutException e) {
            return Optional.of("Docker is not available: Testcontainers found no answering Docker within " + timeout
                    + " (raise -D" + TIMEOUT_PROPERTY + " if Docker is just slow)");
        } catch (ExecutionException e) {
            return Optional.of("Docker is not available: the check failed with " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("Docker is not available: interrupted while waiting for the Docker check");
        }
    }

    /** Testcontainers' message says "see logs"; add what a reader most likely needs to know instead. */
    private static String explain(String message) {
        String dockerHost = System.getenv("DOCKER_HOST");
        String where = dockerHost != null && !dockerHost.isBlank()
                ? "DOCKER_HOST is " + dockerHost
                : "DOCKER_HOST is not set and /var/run/docker.sock " + (Files.exists(Path.of("/var/run/docker.sock"))
                        ? "exists but did not answer" : "does not exist");
        return message + " (" + where + ")";
    }

    static Duration timeout() {
        String value = System.getProperty(TIMEOUT_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            return MotoServer.parseStartTimeout(value); // same syntax: ISO-8601 or seconds, positive
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("System property " + TIMEOUT_PROPERTY + " must be a positive "
                    + "ISO-8601 duration such as PT30S or a number of seconds such as 30, but is '" + value + "'.", e);
        }
    }
}
