package dev.bsm.junit5;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * bsm's guard: while a scope runs on emulators only, no SDK request of the JVM goes anywhere else. Immutable per
 * scope; {@link SessionInterceptor} asks {@link #check} in {@code beforeTransmission}, which sees the final host
 * (after endpoint resolution and every {@code modifyHttpRequest}, a user's interceptor that redirects to the
 * emulator included) and runs before the HTTP client: a refused request is never looked up in DNS, connected or
 * sent. It fails with an {@link EmulatorGuardException}, which the SDK does not retry.
 *
 * <p><b>Which scopes are guarded.</b> A scope (a test class's, or a test method's with sessions of its own) whose
 * sessions are all emulator sessions with the guard on ({@code guard} attribute, configuration parameter
 * {@value WithAwsSessionParameters#GUARD}), {@code env = false} ones included: their self-built clients get no
 * emulator from the environment, which is exactly how a request would reach real AWS with a developer's
 * credentials. A scope with any session on real AWS (a profile, the default chain) is never guarded: its requests
 * may go anywhere. Allowed are the scope's own emulators, by {@link EmulatorHosts} (the same port, and the
 * emulator's host, a name under it or another name of this machine); everything else, {@code *.amazonaws.com} in
 * every region and partition, the global STS and IAM endpoints, FIPS and dual-stack names, and any other server
 * (a stub on another local port too) is refused: the rule lists what is allowed, not what is AWS.
 *
 * <p><b>Which requests are checked.</b> Those of a thread bound to a guarded scope (the test's threads and the
 * threads they start, as for isolation), against that scope's emulators. And, JVM-wide, those of a thread bound
 * to no scope (the common ForkJoinPool, JUnit's workers between tests, threads started outside any test) while at
 * least one guarded scope is open and no unguarded one is: such a request cannot be told apart from an emulator
 * test's work, so it may go to any emulator bsm uses in this JVM and to any port of this machine, and nowhere
 * else (a port of this machine cannot be real AWS, and may be the emulator of a test without bsm running beside
 * them, a container's mapped port). While an unguarded scope (real AWS, or {@code guard = false}) is open beside
 * them, as an {@code env = false} profile class may be in a parallel run, unbound requests are let through: they
 * may be that scope's. In a serial run the open scope is the running class, so the JVM-wide rule follows it
 * exactly. In a parallel run, a test without {@code @WithAwsSession} that calls real AWS beside emulator classes
 * is refused for that reason; it needs a session of its own or the write lock on {@value SessionLocks#SESSIONS}.
 *
 * <p><b>Not checked.</b> Clients of bsm's own managers (marked {@link SessionInterceptor#MANAGED}) on their way
 * to their own emulator: bsm points them at the session that declared them, which is an emulator in every guarded
 * scope. One of their requests that the caller sends elsewhere (a request-level plugin with an endpoint of its
 * own) is checked as the caller's; those of real-AWS managers are never checked. A manager a user builds
 * is an ordinary client and is checked. Presigners send nothing and never reach {@code beforeTransmission}: a
 * presigned URL for real AWS can be made, and fetching it with an HTTP client of one's own is outside the SDK, as
 * are child processes (the AWS CLI), the instance metadata service probed by the default credentials chain, and
 * every non-SDK HTTP call.
 */
final class EmulatorGuard {
    /** The guard of a scope that is not guarded: a session on real AWS, or the guard turned off. */
    static final EmulatorGuard OFF = new EmulatorGuard(false, List.of(), "");

    /** Every emulator endpoint bsm uses in this JVM: where unbound requests may go. */
    private static final Set<URI> EMULATORS = ConcurrentHashMap.newKeySet();
    private static final Object LOCK = new Object();
    /** The guards of the scopes open now, {@link #OFF} for each unguarded one; under {@link #LOCK}. */
    private static final List<EmulatorGuard> OPEN = new ArrayList<>();
    /** What {@link #OPEN} means for unbound requests, read without a lock by every request. */
    private static volatile OpenScopes openScopes = new OpenScopes(List.of(), false);

    private final boolean on;
    private final List<URI> emulators;
    private final String scope;

    private EmulatorGuard(boolean on, List<URI> emulators, String scope) {
        this.on = on;
        this.emulators = emulators;
        this.scope = scope;
    }

    /**
     * The guard of a scope: on when every session is guarded ({@link SessionSpec#guard()}: an emulator session
     * whose guard is not turned off), allowing the sessions' emulators.
     *
     * @param scope what the scope is, for messages ({@code class ReportTests})
     * @param emulator the emulator endpoint of an emulator session
     */
    static EmulatorGuard of(String scope, Collection<SessionSpec> specs, Function<SessionSpec, URI> emulator) {
        if (specs.isEmpty() || !specs.stream().allMatch(SessionSpec::guard)) {
            return OFF;
        }
        return allowing(scope, specs.stream().map(emulator).distinct().toList());
    }

    /** The guard of a scope that runs on the given emulators only. */
    static EmulatorGuard allowing(String scope, List<URI> emulators) {
        return new EmulatorGuard(true, List.copyOf(emulators), scope);
    }

    /** {@return whether this scope's requests are checked} */
    boolean on() {
        return on;
    }

    /** Records an emulator that bsm uses in this JVM: unbound requests may go to it. */
    static void emulatorInUse(URI endpoint) {
        EMULATORS.add(endpoint);
    }

    /**
     * Counts a scope as open for the JVM-wide rule.
     *
     * @return what counts it as closed again, once
     */
    static AutoCloseable open(EmulatorGuard guard) {
        synchronized (LOCK) {
            OPEN.add(guard);
            update();
        }
        boolean[] closed = {false};
        return () -> {
            synchronized (LOCK) {
                if (!closed[0]) {
                    closed[0] = true;
                    OPEN.remove(guard);
                    update();
                }
            }
        };
    }

    private static void update() {
        openScopes = new OpenScopes(OPEN.stream().filter(g -> g.on).map(g -> g.scope).toList(),
                OPEN.stream().anyMatch(g -> !g.on));
    }

    /** The scopes open now: the descriptions of the guarded ones, and whether any unguarded one is open. */
    private record OpenScopes(List<String> guarded, boolean anyUnguarded) {
    }

    /**
     * Fails a request that must not leave the JVM.
     *
     * @param binding the binding of the thread that made the request, or null for none
     * @throws EmulatorGuardException when the request is refused
     */
    static void check(SessionBinding binding, SdkHttpRequest request, ExecutionAttributes attributes) {
        if (binding != null) {
            EmulatorGuard guard = binding.guard();
            if (guard.on && !anyIs(guard.emulators, request)) {
                throw EmulatorGuardException.refused(refused(request, attributes) + guard.scope + " runs on "
                        + (guard.emulators.size() == 1 ? "the emulator " : "the emulators ")
                        + guard.emulators.stream().map(URI::toString).collect(Collectors.joining(", "))
                        + " only, so its SDK requests may go nowhere else (real AWS least of all). Point the client"
                        + " at the emulator (endpointOverride(" + guard.emulators.get(0) + "), or no endpoint of its"
                        + " own where the session sets the environment), or allow such requests: guard = false on"
                        + " @WithAwsSession, or the configuration parameter " + WithAwsSessionParameters.GUARD
                        + "=false for all tests.");
            }
            return;
        }
        OpenScopes now = openScopes;
        if (now.guarded.isEmpty() || now.anyUnguarded || anyIs(EMULATORS, request)
                || EmulatorHosts.isThisMachine(request.host())) {
            return;
        }
        throw EmulatorGuardException.refused(refused(request, attributes) + "it was made on a thread that belongs to"
                + " no test (a shared pool's, such as ForkJoinPool.commonPool(), or one started outside any test)"
                + " while only emulator sessions are open in this JVM (" + scopes(now.guarded) + "), so it may go"
                + " to this machine and bsm's emulators only. Make the call on the test's thread, a thread it starts"
                + " or an executor made in the test. A test without @WithAwsSession that calls AWS beside emulator"
                + " classes needs a session of its own (@WithAwsSession(profile = ...)) or @ResourceLock(value = \""
                + SessionLocks.SESSIONS + "\", mode = READ_WRITE) to run apart from them. Or allow such requests:"
                + " guard = false on @WithAwsSession, or the configuration parameter "
                + WithAwsSessionParameters.GUARD + "=false for all tests.");
    }

    private static boolean anyIs(Collection<URI> emulators, SdkHttpRequest request) {
        for (URI emulator : emulators) {
            if (EmulatorHosts.isEmulator(emulator, request.host(), request.port())) {
                return true;
            }
        }
        return false;
    }

    /** What was refused: service, operation and endpoint (never the path, query, headers or credentials). */
    private static String refused(SdkHttpRequest request, ExecutionAttributes attributes) {
        return "bsm's guard refused " + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + " "
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " to " + request.protocol() + "://"
                + request.host() + ":" + request.port() + " before it left the JVM: ";
    }

    private static String scopes(List<String> guarded) {
        String first = String.join(", ", guarded.subList(0, Math.min(3, guarded.size())));
        return guarded.size() > 3 ? first + " and " + (guarded.size() - 3) + " more" : first;
    }
}
