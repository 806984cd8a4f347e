package dev.bsm.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether Testcontainers is on the classpath and can reach Docker, found out once per JVM and never waited for
 * longer than a bounded time. Holds no Testcontainers type: {@link TestcontainersBridge} is loaded only when
 * Testcontainers is present and {@link DockerProbe}'s quick check did not rule Docker out, so a machine without
 * Docker neither pays for Testcontainers' detection nor sees its ERROR line.
 */
final class DockerCheck {

    static final String LOCALSTACK_ARTIFACT = "org.testcontainers:testcontainers-localstack";
    /**
     * How long one place of the quick check may take to accept a connection and answer {@code /_ping}: a daemon
     * answers in milliseconds; a slower place is not ruled out but left to Testcontainers.
     */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

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
            // The class file, not the class: loading LocalStackContainer would load GenericContainer and the rest
            // of its hierarchy, time spent for nothing where Docker turns out to be absent. A broken Testcontainers
            // is still found when it is asked, and says so then.
            if (loader.getResource(name.replace('.', '/') + ".class") == null) {
                return Optional.of("Testcontainers is not on the classpath (" + name + " is missing); add the "
                        + "test dependency " + LOCALSTACK_ARTIFACT + " to use LocalStack");
            }
        }
        return Optional.empty();
    }

    /**
     * Finds out whether Docker is reachable: {@link DockerProbe}'s quick check first, then, unless it ruled Docker
     * out, Testcontainers' own detection. The question is asked once per JVM on a daemon thread; every caller waits
     * at most until the first caller's wait is over (system property {@code bsm.docker.detectTimeout}, an ISO-8601
     * duration or seconds, default 20 s), so a hanging Docker host costs one bounded wait per JVM.
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
                        started.complete(detect(DockerProbe.Host.ofThisJvm(), timeout));
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
            return reason.map(text -> "Docker is not available: " + text);
        } catch (TimeoutException e) {
            return Optional.of("Docker is not available: no answering Docker was found within " + timeout
                    + " (raise -D" + TestkitSettings.DOCKER_DETECT_TIMEOUT_PROPERTY + " if Docker is just slow)");
        } catch (ExecutionException e) {
            return Optional.of("Docker is not available: the check failed with " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("Docker is not available: interrupted while waiting for the Docker check");
        }
    }

    /**
     * The detection itself: Testcontainers is asked only when the quick check did not rule Docker out, and its
     * message ("see logs") gets what the quick check found, which names the places a reader needs to know.
     *
     * @param host what the quick check reads
     * @param timeout the detection's whole bound; one place of the quick check gets {@link #PROBE_TIMEOUT} of it
     * @return empty when Docker is available; otherwise why not, without the "Docker is not available" prefix
     */
    static Optional<String> detect(DockerProbe.Host host, Duration timeout) {
        DockerProbe.Result quick = DockerProbe.check(host, timeout.compareTo(PROBE_TIMEOUT) < 0 ? timeout
                : PROBE_TIMEOUT);
        if (quick.verdict() == DockerProbe.Verdict.ABSENT) {
            return Optional.of(quick.reason() + "; Testcontainers was not asked. Start Docker or point DOCKER_HOST"
                    + " at it; -D" + TestkitSettings.LOCALSTACK_ENABLED_PROPERTY + "=false skips this check");
        }
        String found = quick.verdict() == DockerProbe.Verdict.ANSWERS
                ? "bsm's quick check: " + quick.reason() + ", which Testcontainers could not use"
                : "bsm's quick check left it to Testcontainers: " + quick.reason();
        return TestcontainersBridge.dockerUnavailableReason().map(message -> message + " (" + found + ")");
    }

    static Duration timeout() {
        return TestkitSettings.dockerDetectTimeout();
    }
}
