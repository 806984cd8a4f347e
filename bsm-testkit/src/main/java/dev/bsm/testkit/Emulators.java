package dev.bsm.testkit;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Picks an AWS emulator automatically and says why.
 *
 * <p>{@link #choose(Optional)} tries, in this order:
 * <ol>
 *   <li>an explicit endpoint, typically from system property {@code bsm.endpoint} (see {@link #explicitEndpoint()}):
 *       an {@link ExternalEndpoint} with region {@code us-east-1} and credentials {@code test}/{@code test};</li>
 *   <li>the build's {@code moto_server}, when a build tool handed it to this JVM (system property
 *       {@code bsm.emulator.lease}, which bsm-maven-plugin's {@code <emulator>moto</emulator>} sets): joined through
 *       {@link MotoServer#shared()}; LocalStack is not considered then, Docker or not;</li>
 *   <li>LocalStack ({@link LocalStackEmulator#shared()}, one container per build by default), when Testcontainers
 *       is on the classpath and Docker answers within {@code bsm.docker.detectTimeout} (default 20 s): a quick look
 *       at {@code DOCKER_HOST} and the usual sockets first, Testcontainers' own detection only when a daemon
 *       answers there or the setup is one bsm leaves to Testcontainers, so a machine without Docker falls through
 *       in milliseconds without a Testcontainers log line; system property {@code bsm.localstack.enabled=false}
 *       skips this step;</li>
 *   <li>{@code moto_server} ({@link MotoServer#shared()}), when {@link MotoServer#unavailableReason()} is empty;</li>
 *   <li>nothing.</li>
 * </ol>
 *
 * <p>{@link #shared()} is the same choice made once per JVM, with the emulator already started.
 */
public final class Emulators {

    private static final Object SHARED_LOCK = new Object();
    private static Emulator shared; // guarded by SHARED_LOCK
    private static RuntimeException sharedFailure; // guarded by SHARED_LOCK

    private Emulators() {
    }

    /**
     * The endpoint given with system property {@code bsm.endpoint}, for example
     * {@code -Dbsm.endpoint=http://localhost:4566}.
     *
     * @return the endpoint, or empty when the property is not set or blank
     * @throws IllegalArgumentException if the property is not an absolute http(s) URI with a host
     */
    public static Optional<URI> explicitEndpoint() {
        return TestkitSettings.endpoint();
    }

    /**
     * Picks an emulator in the order of the class comment and records why, one sentence per step.
     *
     * <p>Cheap to call again: LocalStack and moto are JVM-wide ({@link LocalStackEmulator#shared()},
     * {@link MotoServer#shared()}), so every call returns the same ones, and the Docker check runs once per JVM.
     * Choosing moto starts the shared {@code moto_server} (once per JVM, well under a second), so a moto that cannot
     * start shows up here as a reason rather than later; LocalStack starts on first use. An explicit endpoint
     * gives a new {@link ExternalEndpoint} each time, which the caller should close.
     *
     * @param explicitEndpoint an endpoint that wins over everything else, such as {@link #explicitEndpoint()}
     * @return the choice; its {@link EmulatorChoice#emulator()} is empty when nothing is available
     * @throws IllegalArgumentException if the explicit endpoint is not an absolute http(s) URI with a host, or the
     *     build's emulator is handed with only one of its two system properties
     * @throws EmulatorStartException if the build's {@code moto_server} was handed to this JVM and is not there
     */
    public static EmulatorChoice choose(Optional<URI> explicitEndpoint) {
        return choose(explicitEndpoint, MotoServer::shared);
    }

    /** {@link #choose(Optional)} with another source of the shared moto_server; for tests. */
    static EmulatorChoice choose(Optional<URI> explicitEndpoint, Supplier<MotoServer> sharedMoto) {
        List<String> attempts = new ArrayList<>();
        if (explicitEndpoint.isPresent()) {
            ExternalEndpoint external = ExternalEndpoint.of(explicitEndpoint.get());
            attempts.add("Explicit endpoint " + external.endpoint() + " given: using it as an external endpoint; "
                    + "LocalStack and moto_server were not considered");
            return new EmulatorChoice(Optional.of(external), attempts);
        }
        attempts.add(!TestkitSettings.endpointSet()
                ? TestkitSettings.ENDPOINT_PROPERTY + " not set: no explicit endpoint"
                : "No explicit endpoint passed (system property " + TestkitSettings.ENDPOINT_PROPERTY + " is set but"
                        + " was not used by the caller)");

        Optional<TestkitSettings.BuildEmulatorHandoff> handed = TestkitSettings.buildEmulator();
        if (handed.isPresent()) {
            attempts.add("The build's moto_server at " + handed.get().endpoint() + " was handed to this JVM ("
                    + TestkitSettings.BUILD_EMULATOR_LEASE_PROPERTY + ", from bsm-maven-plugin): LocalStack was not"
                    + " considered");
            return new EmulatorChoice(tryBuildMoto(attempts, sharedMoto), attempts);
        }
        Optional<Emulator> localstack = tryLocalStack(attempts);
        if (localstack.isPresent()) {
            return new EmulatorChoice(localstack, attempts);
        }
        return new EmulatorChoice(tryMoto(attempts, sharedMoto), attempts);
    }

    /**
     * The emulator {@link #choose(Optional)} picks with {@link #explicitEndpoint()}, chosen and started once per
     * JVM, also when many threads ask at once. It is closed (or, for LocalStack and this JVM's moto, stopped) when
     * the JVM exits, and the build's shared moto (see {@link MotoServer#shared()}) once the last JVM using it has
     * exited; its own {@code close()} does nothing for LocalStack and moto. The first choice stands: later changes
     * to {@code bsm.endpoint} are not seen, and a failure is not retried.
     *
     * @return the shared, started emulator
     * @throws EmulatorUnavailableException if no emulator is available; the message is the
     *     {@linkplain EmulatorChoice#summary() summary} of every reason
     * @throws EmulatorStartException if the chosen emulator did not start
     * @throws IllegalArgumentException if system property {@code bsm.endpoint} is malformed
     */
    public static Emulator shared() {
        synchronized (SHARED_LOCK) {
            if (shared != null) {
                return shared;
            }
            if (sharedFailure instanceof EmulatorStartException) {
                throw new EmulatorStartException("The shared AWS emulator failed to start earlier in this JVM and "
                        + "is not started again. First failure: " + sharedFailure.getMessage(), sharedFailure);
            }
            if (sharedFailure != null) {
                throw new EmulatorUnavailableException(sharedFailure.getMessage(), sharedFailure);
            }
            try {
                EmulatorChoice choice = choose(explicitEndpoint());
                Emulator emulator = choice.emulator()
                        .orElseThrow(() -> new EmulatorUnavailableException(choice.summary()));
                emulator.endpoint(); // starts LocalStack; moto is running already
                if (emulator instanceof ExternalEndpoint) {
                    ExitHooks.onExit("bsm-external-endpoint-close", emulator::close);
                }
                shared = emulator;
                return emulator;
            } catch (EmulatorUnavailableException | EmulatorStartException e) {
                sharedFailure = e;
                throw e;
            }
        }
    }

    private static Optional<Emulator> tryLocalStack(List<String> attempts) {
        if (!TestkitSettings.localStackEnabled()) {
            attempts.add("LocalStack skipped: system property " + TestkitSettings.LOCALSTACK_ENABLED_PROPERTY
                    + " is false");
            return Optional.empty();
        }
        Optional<String> reason = LocalStackEmulator.unavailableReason();
        if (reason.isPresent()) {
            attempts.add("LocalStack not used: " + reason.get());
            return Optional.empty();
        }
        LocalStackEmulator localstack = LocalStackEmulator.shared();
        attempts.add("Docker is available: using LocalStack (image " + localstack.image() + "), shared by "
                + (localstack.buildShared() ? "every test JVM of the build" : "the JVM") + " and started on first use");
        return Optional.of(localstack);
    }

    /**
     * The build's moto_server, handed by the build tool: this JVM needs no moto_server executable of its own. One
     * that is gone is an error, not a reason to skip: the build meant its tests to run on it.
     */
    private static Optional<Emulator> tryBuildMoto(List<String> attempts, Supplier<MotoServer> sharedMoto) {
        MotoServer moto = sharedMoto.get();
        attempts.add("using the build's moto_server at " + moto.endpoint());
        return Optional.of(moto);
    }

    private static Optional<Emulator> tryMoto(List<String> attempts, Supplier<MotoServer> sharedMoto) {
        MotoExecutable.Lookup lookup = MotoExecutable.lookupFromEnvironment();
        if (lookup.executable() == null) {
            attempts.add("moto_server not used: " + lookup.problem());
            return Optional.empty();
        }
        try {
            MotoServer moto = sharedMoto.get();
            attempts.add("moto_server found at " + lookup.executable() + ": using the server shared by "
                    + (moto.sharing() == MotoServer.Sharing.BUILD ? "every test JVM of the build" : "the JVM")
                    + " at " + moto.endpoint());
            return Optional.of(moto);
        } catch (EmulatorUnavailableException | EmulatorStartException | IllegalArgumentException e) {
            attempts.add("moto_server found at " + lookup.executable() + " but not usable: " + e.getMessage());
            return Optional.empty();
        }
    }
}
