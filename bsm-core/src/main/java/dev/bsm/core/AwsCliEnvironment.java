package dev.bsm.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A session's credentials, region, profile and endpoint put into the running JVM's environment variables and the
 * SDK's {@code aws.*} system properties, until {@link #close()} puts back exactly what was there, including
 * removing what did not exist. Child processes ({@link ProcessBuilder}, the AWS CLI) and SDK clients built inside
 * the block see the session.
 *
 * <pre>{@code
 * try (AwsCliEnvironment env = bsm.awscli()) {
 *     new ProcessBuilder("aws", "s3", "ls").inheritIO().start().waitFor();
 * }
 * }</pre>
 *
 * <p>This changes global state: use it from one thread at a time (in JUnit, with the resource lock
 * {@code java.lang.System.environment}). The operating system's {@code setenv} is not safe while other threads
 * read the environment natively (DNS lookups can), so for threaded code use
 * {@link BotoSesManager#awscliVariables()} with a {@link ProcessBuilder} instead. Nested blocks must be closed in reverse order, which try-with-resources does.
 * Changing the JVM's environment needs the JVM flags in {@link EnvironmentAccessException#REQUIRED_JVM_FLAGS}.
 */
public final class AwsCliEnvironment implements AutoCloseable {
    private static final Deque<AwsCliEnvironment> OPEN = new ArrayDeque<>();

    private final AwsCliVariables variables;
    private final Map<String, Optional<String>> previousEnvironment = new LinkedHashMap<>();
    private final Map<String, Optional<String>> previousProperties = new LinkedHashMap<>();
    private boolean closed;

    private AwsCliEnvironment(AwsCliVariables variables) {
        this.variables = variables;
    }

    /**
     * Puts the variables into the JVM's environment and the matching {@code aws.*} system properties; see the
     * class comment. {@link BotoSesManager#awscli()} is this with the manager's variables.
     *
     * @param variables what to set and remove
     * @return the open block; close it with try-with-resources
     * @throws EnvironmentAccessException when the JVM forbids changing its environment (names the flags)
     */
    public static AwsCliEnvironment open(AwsCliVariables variables) {
        JvmEnvironment.LOCK.lock();
        try {
            JvmEnvironment.checkWritable();
            AwsCliEnvironment environment = new AwsCliEnvironment(variables);
            variables.variables().keySet().forEach(name ->
                    environment.previousEnvironment.put(name, Optional.ofNullable(System.getenv(name))));
            variables.systemProperties().keySet().forEach(name ->
                    environment.previousProperties.put(name, Optional.ofNullable(System.getProperty(name))));
            try {
                variables.variables().forEach(JvmEnvironment::put);
                variables.systemProperties().forEach(AwsCliEnvironment::putProperty);
            } catch (RuntimeException | Error e) {
                try {
                    environment.restore();
                } catch (RuntimeException | Error restoreFailure) {
                    e.addSuppressed(restoreFailure);
                }
                throw e;
            }
            OPEN.push(environment);
            return environment;
        } finally {
            JvmEnvironment.LOCK.unlock();
        }
    }

    /** {@return the variables this block set and removed} */
    public AwsCliVariables variables() {
        return variables;
    }

    /**
     * Restores every variable and system property to its value before this block. Idempotent.
     *
     * @throws IllegalStateException when a block opened later is still open; it is restored first anyway
     */
    @Override
    public void close() {
        JvmEnvironment.LOCK.lock();
        try {
            if (closed) {
                return;
            }
            boolean outOfOrder = OPEN.peek() != this;
            // Unwind the blocks opened after this one first, so nothing is left half-restored.
            RuntimeException failure = null;
            while (!OPEN.isEmpty()) {
                AwsCliEnvironment top = OPEN.pop();
                failure = attempt(failure, top::restore);
                if (top == this) {
                    break;
                }
            }
            if (failure != null) {
                throw failure;
            }
            if (outOfOrder) {
                throw new IllegalStateException("An awscli() block was closed while a block opened inside it was"
                        + " still open; both were restored. Close nested blocks in reverse order"
                        + " (try-with-resources does).");
            }
        } finally {
            JvmEnvironment.LOCK.unlock();
        }
    }

    private void restore() {
        if (closed) {
            return;
        }
        closed = true;
        // Every entry is restored even when one fails: one refused variable must not leave the others set.
        RuntimeException failure = null;
        for (Map.Entry<String, Optional<String>> entry : previousEnvironment.entrySet()) {
            failure = attempt(failure, () -> JvmEnvironment.put(entry.getKey(), entry.getValue()));
        }
        for (Map.Entry<String, Optional<String>> entry : previousProperties.entrySet()) {
            failure = attempt(failure, () -> putProperty(entry.getKey(), entry.getValue()));
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException attempt(RuntimeException failure, Runnable step) {
        try {
            step.run();
            return failure;
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    private static void putProperty(String name, Optional<String> value) {
        if (value.isPresent()) {
            System.setProperty(name, value.get());
        } else {
            System.clearProperty(name);
        }
    }

    @Override
    public String toString() {
        return "AwsCliEnvironment[" + (closed ? "closed" : "open") + ", " + variables + "]";
    }
}
