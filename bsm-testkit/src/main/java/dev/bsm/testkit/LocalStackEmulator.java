package dev.bsm.testkit;

import dev.bsm.core.BotoSesManager;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * <a href="https://docs.localstack.cloud/">LocalStack</a> in a Docker container, started through Testcontainers'
 * {@code org.testcontainers.localstack.LocalStackContainer} on first use.
 *
 * <pre>{@code
 * try (LocalStackEmulator localstack = LocalStackEmulator.create()) {
 *     S3Client s3 = localstack.session().client(S3Client.class); // starts the container
 *     s3.createBucket(b -> b.bucket("my-bucket"));
 * }
 * }</pre>
 *
 * <p><b>Dependencies.</b> Testcontainers is an optional dependency of bsm-testkit: add
 * {@code org.testcontainers:testcontainers-localstack} (version from the {@code testcontainers-bom}) to your test
 * dependencies to use this class. Without it this class still loads; starting it throws
 * {@link EmulatorUnavailableException}, and {@link #unavailableReason()} says why beforehand.
 *
 * <p><b>Image.</b> {@link #defaultImage()}: system property {@code bsm.localstack.image}, else
 * {@code localstack/localstack:4.9.2}, a community release from before LocalStack required an account (images from
 * 4.15 on, and {@code latest} since March 2026, exit at start without an auth token). Environment variable
 * {@code LOCALSTACK_AUTH_TOKEN}, when set, is passed to the container, so a newer or Pro image works too. The token
 * never appears in a message.
 *
 * <p><b>Lifecycle.</b> The container starts on the first call that needs it ({@link #endpoint()},
 * {@link #session()}, the credentials, {@link #reset()}), once, also when many threads ask at once; a failed start
 * is not retried. {@link #close()} stops it; containers still running when the JVM exits are stopped by a shutdown
 * hook (and by Testcontainers' Ryuk). {@link #shared()} is one container per build (or per JVM with
 * {@code -Dbsm.emulator.share=jvm}) whose {@code close()} does nothing.
 *
 * <p><b>Account.</b> LocalStack maps the access key {@code test} to account {@link #accountId()}.
 *
 * <p>Instances are thread-safe.
 */
public final class LocalStackEmulator implements Emulator {

    static final String RESET_PATH = "/_localstack/state/reset";
    static final Duration RESET_TIMEOUT = Duration.ofSeconds(60);
    /** The only place LocalStack's default account id is spelled out; everything else asks {@link #accountId()}. */
    private static final String ACCOUNT_ID = "000000000000";
    private static final int LOG_TAIL_CHARS = 4096;
    private static final Pattern EXIT_CODE_55 = Pattern.compile("exit(?:ed)?(?: with)?[ _]?code[:=]?\\s*55\\b");

    /** What {@link TestcontainersBridge} hands back: a running container, without Testcontainers types. */
    interface Container {
        URI endpoint();

        String accessKeyId();

        String secretAccessKey();

        String region();

        String containerId();

        /** {@return whether the container still runs; may ask Docker} */
        boolean running();

        void stop();
    }

    private static final Set<LocalStackEmulator> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Object SHARED_LOCK = new Object();
    private static LocalStackEmulator shared; // guarded by SHARED_LOCK

    private final String image;
    private final boolean isShared;
    /** The build's container, which a {@link LeaseSupervisor} runs for every test JVM of the build. */
    private final boolean buildShared;
    private final SessionHolder session = new SessionHolder("This LocalStack emulator", () -> this);
    private final Object lock = new Object();
    private volatile Container container; // written under lock
    private volatile EmulatorStartException failure; // written under lock
    private volatile boolean closed; // written under lock

    private LocalStackEmulator(String image, boolean isShared, boolean buildShared) {
        this.image = image;
        this.isShared = isShared;
        this.buildShared = buildShared;
    }

    // ------------------------------------------------------------------------------------------------ factories

    /**
     * A new emulator on {@link #defaultImage()}; nothing starts until it is used. The caller owns it and should
     * {@link #close()} it.
     *
     * @return the emulator, not started yet
     */
    public static LocalStackEmulator create() {
        return new LocalStackEmulator(defaultImage(), false, false);
    }

    /**
     * A new emulator on the given image; nothing starts until it is used. The caller owns it and should
     * {@link #close()} it.
     *
     * @param image a LocalStack image such as {@code localstack/localstack:4.9.2}; a copy in another registry is
     *     accepted too
     * @return the emulator, not started yet
     * @throws IllegalArgumentException if the image is blank
     */
    public static LocalStackEmulator create(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image must not be blank");
        }
        return new LocalStackEmulator(image.strip(), false, false);
    }

    /**
     * The shared emulator on {@link #defaultImage()}, created on the first call of the JVM and started (or attached
     * to) on first use, at most once per JVM. Its {@link #close()} does nothing.
     *
     * <p><b>One per build</b> (system property {@link TestkitSettings#EMULATOR_SHARE_PROPERTY bsm.emulator.share}
     * {@code build}, the default), as {@link MotoServer#shared()} is: the first test JVM of the build that uses it
     * has a small supervisor JVM start the container through Testcontainers; every other JVM of the same build and
     * the same image, auth token and {@code DOCKER_HOST} attaches to it by its endpoint; the supervisor stops it
     * within seconds of the last of them exiting, however they exit, and Testcontainers' Ryuk removes it if the
     * supervisor itself is killed. Its {@link #reset()} is refused, since every JVM's tests use it at once. Where
     * the lease cannot be kept safe (Windows, a temporary directory that is not POSIX) it is one per JVM.
     *
     * <p><b>One per JVM</b> ({@code -Dbsm.emulator.share=jvm}): this JVM starts the container and stops it when it
     * exits (Ryuk, if it is killed). Tests that share it should use unique resource names, since {@link #reset()}
     * may not be supported by the image.
     *
     * @return the shared emulator
     * @throws IllegalArgumentException if {@code bsm.emulator.share} is neither {@code build} nor {@code jvm}
     */
    public static LocalStackEmulator shared() {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                boolean build = TestkitSettings.emulatorShare() == TestkitSettings.EmulatorShare.BUILD
                        && BuildLease.supported();
                shared = new LocalStackEmulator(defaultImage(), true, build);
            }
            return shared;
        }
    }

    /**
     * The image {@link #create()} and {@link #shared()} use.
     *
     * @return system property {@code bsm.localstack.image} if set, else {@code localstack/localstack:4.9.2}
     */
    public static String defaultImage() {
        return TestkitSettings.localStackImage();
    }

    /**
     * Tells why LocalStack cannot be started here, without starting anything: Testcontainers is not on the
     * classpath, or Docker does not answer. The Docker check runs once per JVM and is bounded by system property
     * {@code bsm.docker.detectTimeout} (default 20 seconds); where no daemon answers at {@code DOCKER_HOST} or the
     * usual sockets, it ends in milliseconds without asking Testcontainers.
     *
     * @return empty when Testcontainers and Docker are available; otherwise a sentence saying which is missing
     */
    public static Optional<String> unavailableReason() {
        Optional<String> missing = DockerCheck.testcontainersMissing();
        return missing.isPresent() ? missing : DockerCheck.dockerUnavailableReason();
    }

    // -------------------------------------------------------------------------------------------------- accessors

    /** {@return the image this emulator runs, or will run} */
    public String image() {
        return image;
    }

    /**
     * The account LocalStack reports for {@link #accessKeyId()}, for example in STS {@code GetCallerIdentity}.
     *
     * @return LocalStack's twelve-digit default account id
     */
    public String accountId() {
        return ACCOUNT_ID;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Starts the container if needed.
     *
     * @return {@code http://IP:PORT} of the container's port 4566 on this host
     * @throws EmulatorUnavailableException if Testcontainers or Docker is missing
     * @throws EmulatorStartException if the container did not start (now or earlier)
     */
    @Override
    public URI endpoint() {
        return running().endpoint();
    }

    /** {@inheritDoc} Starts the container if needed. */
    @Override
    public String region() {
        return running().region();
    }

    /** {@inheritDoc} Starts the container if needed. */
    @Override
    public String accessKeyId() {
        return running().accessKeyId();
    }

    /** {@inheritDoc} Starts the container if needed. */
    @Override
    public String secretAccessKey() {
        return running().secretAccessKey();
    }

    /**
     * A manager on this emulator, built on the first call (starting the container if needed) and then the same
     * for every caller; {@link #close()} closes it. Do not close it yourself.
     *
     * @return the emulator's manager
     * @throws IllegalStateException if this emulator is closed
     */
    @Override
    public BotoSesManager session() {
        return session.get();
    }

    /**
     * Drops all state with {@code POST /_localstack/state/reset}, starting the container if needed.
     *
     * <p>That endpoint belongs to LocalStack's state management. Whether a community image serves it is not
     * documented by LocalStack (the endpoint is listed with the Pro persistence features); where the image answers
     * with a 4xx status this throws {@link UnsupportedOperationException}, and tests should use unique resource
     * names or a fresh emulator instead.
     *
     * @throws UnsupportedOperationException if the image has no state reset endpoint
     * @throws IllegalStateException if this emulator is closed, if LocalStack answers with a 5xx status, or if the
     *     calling thread is interrupted
     * @throws UncheckedIOException if the request cannot be sent or answered
     */
    @Override
    public void reset() {
        if (buildShared) {
            throw BuildLease.resetRefused(description(), "a container per JVM",
                    "LocalStackEmulator.create() for one of your own");
        }
        postReset(running().endpoint(), image);
    }

    static void postReset(URI endpoint, String image) {
        EmulatorHttp.post(endpoint.resolve(RESET_PATH), RESET_TIMEOUT).ifPresent(refusal -> {
            if (refusal.status() / 100 == 4) {
                throw new UnsupportedOperationException("LocalStack image " + image + " cannot reset its state: "
                        + refusal.description() + ". The state reset endpoint belongs to LocalStack's state"
                        + " management, which this image does not serve. Use unique resource names, or a fresh"
                        + " LocalStackEmulator per test class.");
            }
            throw new IllegalStateException("Resetting LocalStack failed: " + refusal.description());
        });
    }

    /**
     * Names the emulator for reports, without starting it; never includes a secret.
     *
     * @return for example {@code LocalStack localstack/localstack:4.9.2 at http://172.17.0.1:32771 (container
     *     3f2a1b4c5d6e, shared)}, {@code LocalStack localstack/localstack:4.9.2 at http://172.17.0.1:32771
     *     (supervisor pid 4242, shared by the build)} or {@code LocalStack localstack/localstack:4.9.2 (not started
     *     yet)}
     */
    @Override
    public String description() {
        Container running = container;
        String state = running != null
                ? " at " + running.endpoint() + (buildShared ? " (" + running.containerId()
                        : " (container " + shortId(running.containerId()))
                : closed ? " (closed" : failure != null ? " (failed to start" : " (not started yet";
        return "LocalStack " + image + state + (buildShared ? ", shared by the build" : isShared ? ", shared" : "")
                + ")";
    }

    /**
     * Closes the {@linkplain #session() session} and stops the container if it was started. Idempotent; later
     * calls that need the container throw {@link IllegalStateException}.
     *
     * <p>On the {@linkplain #shared() shared} emulator this does nothing at all: it lives until the JVM exits.
     */
    @Override
    public void close() {
        if (isShared) {
            return;
        }
        session.close();
        stop();
    }

    /** @return the same as {@link #description()} */
    @Override
    public String toString() {
        return "LocalStackEmulator[" + description() + "]";
    }

    // ------------------------------------------------------------------------------------------------- starting

    private Container running() {
        Container running = container;
        if (running != null) {
            return running;
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("This LocalStack emulator (" + image + ") is closed");
            }
            if (container != null) {
                return container;
            }
            if (failure != null) {
                throw new EmulatorStartException("LocalStack failed to start earlier and is not started again. "
                        + "First failure: " + failure.getMessage(), failure);
            }
            // A test's stand-in for Testcontainers (in the build's supervisor) needs no Docker.
            Optional<String> missing = buildShared && LeaseContainer.stubbed() ? Optional.empty()
                    : unavailableReason();
            if (missing.isPresent()) {
                throw new EmulatorUnavailableException("LocalStack cannot start: " + missing.get());
            }
            ExitHooks.onExit("bsm-localstack-shutdown", LocalStackEmulator::stopAll);
            try {
                container = buildShared ? LeaseContainer.attach(image)
                        : TestcontainersBridge.start(image, containerEnvironment());
            } catch (EmulatorStartException e) {
                failure = e; // the build's: its message says what the supervisor reported
                throw failure;
            } catch (RuntimeException e) {
                failure = startFailure(image, e);
                throw failure;
            }
            RUNNING.add(this);
            return container;
        }
    }

    static Map<String, String> containerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        TestkitSettings.localStackAuthToken()
                .ifPresent(token -> env.put(TestkitSettings.LOCALSTACK_AUTH_TOKEN_VARIABLE, token));
        return env;
    }

    static EmulatorStartException startFailure(String image, RuntimeException e) {
        String logs = e instanceof TestcontainersBridge.StartFailure ? ((TestcontainersBridge.StartFailure) e).logs
                : "";
        Throwable cause = e instanceof TestcontainersBridge.StartFailure ? e.getCause() : e;
        StringBuilder message = new StringBuilder("LocalStack did not start from image ").append(image).append(": ")
                .append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        Throwable inner = cause.getCause();
        for (int depth = 0; inner != null && depth < 5; depth++, inner = inner.getCause()) {
            message.append("\nCaused by ").append(inner.getClass().getSimpleName()).append(": ")
                    .append(inner.getMessage());
        }
        if (needsAccount(logs + message)) {
            message.append("\nThis image needs a LocalStack account: set the environment variable ")
                    .append(TestkitSettings.LOCALSTACK_AUTH_TOKEN_VARIABLE)
                    .append(TestkitSettings.localStackAuthToken().isPresent() ? " to a valid token" : "")
                    .append(", or pin a community image from before 4.15 with -D")
                    .append(TestkitSettings.LOCALSTACK_IMAGE_PROPERTY).append('=')
                    .append(TestkitSettings.DEFAULT_LOCALSTACK_IMAGE).append('.');
        }
        message.append("\nContainer log tail:\n").append(logs.isBlank() ? "(the container printed nothing)"
                : logs.length() <= LOG_TAIL_CHARS ? logs : logs.substring(logs.length() - LOG_TAIL_CHARS));
        // The cause is summarised above, not attached: a message or stack trace printed elsewhere could repeat the
        // container's environment, and the token is masked only here.
        return new EmulatorStartException(mask(message.toString()));
    }

    /** LocalStack 4.15+ without a valid token prints "License activation failed" and exits with code 55. */
    static boolean needsAccount(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains("license activation failed") || lower.contains("requires an account")
                || lower.contains("auth token") || EXIT_CODE_55.matcher(lower).find();
    }

    /** Replaces the auth token, wherever it appears, with asterisks. */
    static String mask(String text) {
        Optional<String> token = TestkitSettings.localStackAuthToken();
        return token.isEmpty() ? text : text.replace(token.get(), "****");
    }

    // ------------------------------------------------------------------------------------------------- stopping

    private void stop() {
        Container toStop;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = container;
            container = null;
        }
        if (toStop != null) {
            RUNNING.remove(this);
            toStop.stop();
        }
    }

    /** Stops every container that is still running, the shared one included; runs in the JVM shutdown hook. */
    static void stopAll() {
        for (LocalStackEmulator emulator : List.copyOf(RUNNING)) {
            try {
                emulator.session.close();
                emulator.stop();
            } catch (RuntimeException e) {
                // the JVM is exiting; Ryuk removes what is left
            }
        }
    }

    /** {@return whether this is the build's container, run by a {@link LeaseSupervisor}} */
    boolean buildShared() {
        return buildShared;
    }

    // ------------------------------------------------------------------------------------------------------ utils

    private static String shortId(String id) {
        return id == null ? "?" : id.length() <= 12 ? id : id.substring(0, 12);
    }
}
