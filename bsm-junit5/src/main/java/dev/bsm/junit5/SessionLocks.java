package dev.bsm.junit5;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Which scopes of {@link WithAwsSession} run together and which alone, decided from annotations alone (JUnit asks
 * {@link BsmResourceLocks} before the run, with no configuration parameters), and used again by the extension at
 * run time, so what a scope does to the environment always matches the locks it holds.
 *
 * <ul>
 *   <li>A class whose environment session only joins the shared environment ({@link #changesEnvironment} false)
 *       takes read locks on JUnit Pioneer's {@code java.lang.System.environment} and on the system properties:
 *       such classes run together, and anything that writes either waits.</li>
 *   <li>A class or method whose session changes the environment for its own scope takes both for writing: it runs
 *       alone (and so does a class with such a method: JUnit gives the class the strongest lock of its
 *       children).</li>
 *   <li>{@code env = false} sessions take neither.</li>
 * </ul>
 *
 * <p>Every {@code @WithAwsSession} element also holds {@link #SESSIONS} for reading (the annotation's static lock,
 * whose {@code value} JUnit up to 5.11 requires): a test that must not run beside any of them can hold it for
 * writing.
 */
final class SessionLocks {
    /** Held for reading by every class and method with a {@code @WithAwsSession}. */
    static final String SESSIONS = "dev.bsm.junit5.sessions";

    /** JUnit Pioneer's key for the process environment, so both lock each other out where needed. */
    static final String ENVIRONMENT = "java.lang.System.environment";

    private static final String PROVIDER_INTERFACE = "org.junit.jupiter.api.parallel.ResourceLocksProvider";
    private static final String PARALLEL = "junit.jupiter.execution.parallel.enabled";
    private static final boolean PROVIDERS_SUPPORTED = present(PROVIDER_INTERFACE);

    private SessionLocks() {
    }

    /**
     * What a class's own scope does to the environment, from its annotations: empty when it leaves it alone (no
     * session with {@code env = true}), false when it joins the shared environment, true when it sets its own.
     */
    static Optional<Boolean> classChangesEnvironment(Class<?> testClass) {
        return environmentSession(SessionSpecs.declared(Optional.empty(), testClass))
                .map(SessionLocks::changesEnvironment);
    }

    /**
     * What a method's own scope does beyond its class's: true for a session declared on the method with
     * {@code env = true}, and in a class whose environment session writes a snapshot per test; else empty (the
     * class's locks cover it).
     */
    static Optional<Boolean> methodChangesEnvironment(Class<?> testClass, Method testMethod) {
        List<WithAwsSession> own = SessionSpecs.declaredOn(testMethod);
        if (!own.isEmpty() && environmentSession(SessionSpecs.declared(Optional.of(testMethod), testClass))
                .filter(own::contains).isPresent()) {
            return Optional.of(true);
        }
        return environmentSession(SessionSpecs.declared(Optional.empty(), testClass))
                .filter(WithAwsSession::snapshot).map(session -> true);
    }

    /** The first declared session with {@code env = true}, as {@link SessionSpecs#of} picks it. */
    private static Optional<WithAwsSession> environmentSession(Map<String, WithAwsSession> sessions) {
        return sessions.values().stream().filter(WithAwsSession::env).findFirst();
    }

    /**
     * Whether an environment session sets variables of its own rather than the shared ones. Shared are only
     * sessions that are emulator sessions by their attribute ({@code localstack = true}) with no explicit
     * {@code region}, {@code endpoint}, {@code profile} or {@code snapshot}: all of them set the emulator's
     * endpoint, region and keys from the same run-wide parameters, and keep their identity (account, role) off the
     * environment. Anything else sets its own: real AWS (which a bare {@code @WithAwsSession} may be: without the
     * parameters, bsm cannot tell), an own region or endpoint, {@code BSM_SNAPSHOT_FILE} per test.
     */
    static boolean changesEnvironment(WithAwsSession session) {
        return !session.localstack() || !session.region().isEmpty() || !session.endpoint().isEmpty()
                || !session.profile().isEmpty() || session.snapshot();
    }

    /** {@return whether JUnit calls {@link BsmResourceLocks}: 5.12 and later; up to 5.11 only static locks exist} */
    static boolean providersSupported() {
        return PROVIDERS_SUPPORTED;
    }

    /** {@return whether the run executes tests in parallel} */
    static boolean parallel(ExtensionContext context) {
        return context.getConfigurationParameter(PARALLEL).map(String::trim).map(Boolean::parseBoolean)
                .orElse(false);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, SessionLocks.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
