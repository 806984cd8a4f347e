package dev.bsm.testkit;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.internal.MotoQuirks;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A real, local <a href="https://docs.getmoto.org/en/latest/docs/server_mode.html">{@code moto_server}</a> process
 * listening on a free port of {@code 127.0.0.1}, for integration tests that talk to AWS APIs over HTTP.
 *
 * <p>{@link #start()} launches a server that the caller owns and must {@link #close() close};
 * {@link #shared()} returns the shared server that every caller may use and nobody closes: by default one per build,
 * which every test JVM of the build (Surefire's and Failsafe's forks, Gradle's test workers) attaches to, or one per
 * JVM with {@code -Dbsm.emulator.share=jvm} (see {@link #shared()}). Point AWS SDK clients at it like this:
 *
 * <pre>{@code
 * try (MotoServer moto = MotoServer.start()) {
 *     S3Client s3 = S3Client.builder()
 *             .endpointOverride(moto.endpoint())
 *             .region(Region.of(moto.region()))
 *             .credentialsProvider(StaticCredentialsProvider.create(
 *                     AwsBasicCredentials.create(moto.accessKeyId(), moto.secretAccessKey())))
 *             .forcePathStyle(true)
 *             .build();
 *     // ...
 * }
 * }</pre>
 *
 * <p>moto does not speak CBOR, the SDK's default for Kinesis: clients of {@link #session()} and
 * {@link #sessionBuilder()} speak JSON; a Kinesis client built by hand needs the system property
 * {@code aws.cborEnabled=false} set before it is built. S3's {@code Expect: 100-continue}, which moto answers in a
 * way the SDK's Netty client cannot read, is turned off for every client of the JVM (docs/emulators.md, "Emulator
 * quirks bsm handles").
 *
 * <p>The executable is looked up in this order: system property
 * {@link TestkitSettings#MOTO_EXECUTABLE_PROPERTY bsm.moto.executable} (a path), environment variable
 * {@link TestkitSettings#MOTO_EXECUTABLE_VARIABLE BSM_MOTO_SERVER} (a path), then {@code moto_server} in the
 * {@code PATH} directories. A property or variable that is set but points nowhere is reported, not skipped. Install
 * moto with {@code pip install 'moto[server]'}.
 *
 * <p>The wait for readiness is bounded by system property
 * {@link TestkitSettings#MOTO_START_TIMEOUT_PROPERTY bsm.moto.startTimeout}: an ISO-8601 duration such as
 * {@code PT45S} or a number of seconds; the default is 30 seconds.
 *
 * <p>As an {@link Emulator} it also hands out a ready {@link #session()} on the server.
 *
 * <p>Every server this JVM started, including the JVM's shared one, is killed together with its child processes when
 * the JVM exits, so no {@code moto_server} outlives the tests even if a caller forgets to close it; the build's
 * shared server is stopped within seconds of the last JVM using it exiting (see {@link #shared()}). Where there is a
 * POSIX {@code /bin/sh} (not on Windows) it runs under a small watchdog script that also kills it, within seconds, when
 * the JVM dies without running its shutdown hooks ({@code kill -9}, a crash). The process's combined stdout and
 * stderr go to an owner-only log file in an owner-only directory of this JVM, inside the user's owner-only
 * directory {@code bsm-<uid>} of {@code java.io.tmpdir}; see {@link #logTail()}. The first server a JVM starts
 * removes what killed JVMs of the same user left there, and stops the servers they started that still run: only
 * those, proven by the pid and start time bsm recorded.
 *
 * <p>A server is declared ready only when {@code GET /moto-api/} answers 200 and the port is shown to be held by
 * the started process: on Linux by the kernel's socket tables (the listening socket is one of the process's file
 * descriptors), elsewhere by the process's log naming the port; a port that another program serves is never taken
 * for moto: as soon as another program is seen listening on the port, moto is stopped and retried on another
 * port, up to three ports.
 *
 * <p>Instances are thread-safe.
 */
public final class MotoServer implements Emulator {

    static final Duration RESET_TIMEOUT = Duration.ofSeconds(30);
    static final int LOG_TAIL_BYTES = MotoProcess.LOG_TAIL_BYTES;
    static final int MAX_START_ATTEMPTS = MotoProcess.MAX_START_ATTEMPTS;
    static final String HOST = MotoProcess.HOST;

    /** The only place the emulator's account id is spelled out; everything else asks {@link #accountId()}. */
    private static final String ACCOUNT_ID = "123456789012";
    private static final String REGION = "us-east-1";
    private static final String ACCESS_KEY_ID = "testing";
    private static final String SECRET_ACCESS_KEY = "testing";

    private static final Object SHARED_LOCK = new Object();
    private static volatile MotoServer shared;
    private static EmulatorStartException sharedFailure; // guarded by SHARED_LOCK
    /** How many times {@link #shared()} launched a process in this JVM; visible for tests. */
    static final AtomicInteger SHARED_STARTS = new AtomicInteger();

    /** Who uses a server, and so who may stop or reset it. */
    enum Sharing {
        /** Started by {@link #start()}: its caller's. */
        OWNED,
        /** This JVM's shared server: started and stopped by this JVM. */
        JVM,
        /** The build's shared server: run by a {@link LeaseSupervisor} for every JVM of the build. */
        BUILD
    }

    /** The process this JVM started; {@code null} for the build's server, which another process runs. */
    private final MotoProcess process;
    private final URI endpoint;
    /** The {@code moto_server} process. */
    private final ProcessHandle server;
    private final Path logFile;
    private final Sharing sharing;
    private final SessionHolder session = new SessionHolder("This moto_server", () -> this);

    private MotoServer(MotoProcess process, Sharing sharing) {
        this.process = process;
        this.endpoint = process.endpoint();
        this.server = process.server();
        this.logFile = process.logFile();
        this.sharing = sharing;
        MotoQuirks.serving(endpoint);
    }

    private MotoServer(BuildLease.Attached build) {
        this.process = null;
        this.endpoint = build.endpoint();
        this.server = build.server();
        this.logFile = build.logFile();
        this.sharing = Sharing.BUILD;
        MotoQuirks.serving(endpoint);
    }

    // ------------------------------------------------------------------------------------------------ factories

    /**
     * Starts a new {@code moto_server} on a free loopback port and waits until it answers.
     *
     * <p>The caller owns the server and should {@link #close() close} it, typically with try-with-resources; a
     * server that is never closed is still killed when the JVM exits.
     *
     * @return a running server with empty state
     * @throws EmulatorUnavailableException if no {@code moto_server} executable can be found
     * @throws EmulatorStartException if the process exits early or does not answer within the start timeout
     * @throws IllegalArgumentException if system property {@code bsm.moto.startTimeout} is not a positive duration
     */
    public static MotoServer start() {
        return launch(false, MotoProcess::freePort);
    }

    /**
     * Returns the shared server, starting it or attaching to it on the first call of the JVM.
     *
     * <p><b>One per build</b> (system property {@link TestkitSettings#EMULATOR_SHARE_PROPERTY bsm.emulator.share}
     * {@code build}, the default): the first JVM of a build that asks starts the server, every other JVM of the
     * same build attaches to it, and it stops within seconds of the last JVM using it exiting, however they exit
     * (normally, failing, {@code kill -9}). JVMs are of the same build when they run with the same project
     * directory, the same {@code moto_server} executable, the same {@code java.io.tmpdir} and the same user (see
     * {@link TestkitSettings#EMULATOR_BUILD_ID_PROPERTY bsm.emulator.buildId} for what the project directory is).
     * Many JVMs starting at once start one server. They meet through a lease directory of the user's owner-only
     * {@code bsm-<uid>} in {@code java.io.tmpdir}, every file in it owner-only and checked before use; the server
     * runs under a small supervisor JVM that stops it once no JVM holds the lease's lock any more. Each JVM's
     * tests share the server with the other JVMs' tests, so {@link #reset()} is refused: isolate by account (as
     * {@code @WithAwsSession} does) or use unique names. Where the lease cannot be kept safe (Windows, a temporary
     * directory that is not POSIX) the server is one per JVM.
     *
     * <p><b>The build tool's</b> (system properties {@link TestkitSettings#BUILD_EMULATOR_LEASE_PROPERTY
     * bsm.emulator.lease} and {@code bsm.emulator.endpoint}, which bsm-maven-plugin's {@code <emulator>moto</emulator>}
     * sets in the test JVMs' {@code argLine}): the server that the build tool's JVM started and holds from before the
     * first test JVM to after the last ({@link BuildEmulator}); this JVM joins it as one more user and never starts
     * one, whatever {@code bsm.emulator.share} says.
     *
     * <p><b>One per JVM</b> ({@code -Dbsm.emulator.share=jvm}): the process is started by this JVM and killed by a
     * JVM shutdown hook (and by its watchdog, see the class comment), and {@link #reset()} works.
     *
     * <p>Either way the server is started at most once per JVM, even when many threads call this at the same time,
     * and its {@link #close()} does nothing, so a test cannot stop it for everyone by accident. If the first start
     * fails with {@link EmulatorStartException}, it is not retried: every later call throws an
     * {@code EmulatorStartException} carrying the first failure as its cause, so a broken setup costs one start
     * timeout per JVM rather than one per test.
     *
     * @return the shared, running server
     * @throws EmulatorUnavailableException if no {@code moto_server} executable can be found
     * @throws EmulatorStartException if the shared server could not be started, or the lease directory is not safe
     *     to use (the message says why and what to do)
     * @throws IllegalArgumentException if system property {@code bsm.moto.startTimeout} is not a positive duration,
     *     or {@code bsm.emulator.share} is neither {@code build} nor {@code jvm}
     */
    public static MotoServer shared() {
        MotoServer server = shared;
        if (server != null) {
            return server;
        }
        synchronized (SHARED_LOCK) {
            if (shared != null) {
                return shared;
            }
            if (sharedFailure != null) {
                throw new EmulatorStartException("The shared moto_server failed to start earlier in this JVM and is "
                        + "not started again. First failure: " + sharedFailure.getMessage(), sharedFailure);
            }
            Optional<TestkitSettings.BuildEmulatorHandoff> handed = TestkitSettings.buildEmulator();
            boolean build = handed.isPresent() || TestkitSettings.emulatorShare() == TestkitSettings.EmulatorShare.BUILD
                    && BuildLease.supported();
            try {
                server = handed.isPresent() ? joinBuild(handed.get())
                        : build ? attachToBuild() : launch(true, MotoProcess::freePort);
            } catch (EmulatorStartException e) {
                sharedFailure = e;
                throw e;
            }
            if (!build) {
                SHARED_STARTS.incrementAndGet();
            }
            shared = server;
            return server;
        }
    }

    /**
     * Tells why {@link #start()} and {@link #shared()} cannot run {@code moto_server} here, without starting
     * anything.
     *
     * @return empty when an executable was found; otherwise a sentence naming what was looked for (system
     *         property {@code bsm.moto.executable}, environment variable {@code BSM_MOTO_SERVER}, the {@code PATH}
     *         directories) and how to install moto
     */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(MotoExecutable.lookupFromEnvironment().problem());
    }

    // -------------------------------------------------------------------------------------------------- accessors

    /**
     * The base URL to pass to {@code endpointOverride}, for every AWS service.
     *
     * @return {@code http://127.0.0.1:PORT}, without a trailing slash
     */
    @Override
    public URI endpoint() {
        return endpoint;
    }

    /**
     * The region to configure clients with.
     *
     * @return {@code us-east-1}
     */
    @Override
    public String region() {
        return REGION;
    }

    /**
     * The AWS account id the emulator reports for requests signed with {@link #accessKeyId()}, for example in
     * STS {@code GetCallerIdentity} and in ARNs.
     *
     * @return the emulator's twelve-digit default account id
     */
    public String accountId() {
        return ACCOUNT_ID;
    }

    /**
     * A dummy access key id that the emulator accepts; it is not a real credential.
     *
     * @return {@code testing}
     */
    @Override
    public String accessKeyId() {
        return ACCESS_KEY_ID;
    }

    /**
     * A dummy secret access key that the emulator accepts; it is not a real credential, but it is kept out of
     * {@link #toString()} anyway.
     *
     * @return {@code testing}
     */
    @Override
    public String secretAccessKey() {
        return SECRET_ACCESS_KEY;
    }

    /**
     * A builder of a manager on this server: its credentials, region and endpoint, and JSON instead of CBOR for
     * Kinesis ({@link BotoSesManager.Builder#cborEnabled(boolean) cborEnabled(false)}), which moto does not speak.
     * Add your own settings; you own the manager you build.
     *
     * @return a new builder
     */
    @Override
    public BotoSesManager.Builder sessionBuilder() {
        return Emulator.super.sessionBuilder().cborEnabled(false);
    }

    /**
     * A manager on this server, as {@link #sessionBuilder()} builds it. Built on the first call (also when many
     * threads call at once) and then the same for every caller; {@link #close()} closes it. Do not close it
     * yourself, least of all the {@linkplain #shared() shared} server's, which every test uses.
     *
     * <p>{@link #reset()} drops the emulated state but not the manager's cached clients and identity (the account
     * id stays the same across resets).
     *
     * @return the server's manager
     * @throws IllegalStateException if this server is closed
     */
    @Override
    public BotoSesManager session() {
        return session.get();
    }

    /**
     * Names the server for reports; never includes a secret.
     *
     * @return for example {@code moto_server at http://127.0.0.1:50123 (pid 4242, shared)}, or
     *     {@code (pid 4242, shared by the build)} for the build's server
     */
    @Override
    public String description() {
        return MotoExecutable.NAME + " at " + endpoint + " (pid " + server.pid() + sharingLabel()
                + (closed() ? ", closed" : "") + ")";
    }

    // ----------------------------------------------------------------------------------------------- operations

    /**
     * Deletes all emulated AWS state (buckets, queues, roles, ...) with {@code POST /moto-api/reset}.
     *
     * @throws UnsupportedOperationException on the build's {@linkplain #shared() shared} server: other JVMs' tests
     *     use its state at the same time
     * @throws IllegalStateException if this server is closed, if the emulator answers with a non-2xx HTTP status
     *         (the message names the status and the start of the body), or if the calling thread is interrupted
     * @throws UncheckedIOException if the request cannot be sent or answered
     */
    @Override
    public void reset() {
        if (sharing == Sharing.BUILD) {
            throw BuildLease.resetRefused(description(), "a server per JVM, which may be reset",
                    "MotoServer.start() for a server of your own");
        }
        if (closed()) {
            throw new IllegalStateException("Cannot reset " + this + ": it is closed.");
        }
        postReset(endpoint);
    }

    /**
     * The last few KiB of what the process wrote to stdout and stderr, for diagnosing a failing test.
     *
     * <p>After {@link #close()} this is the tail as it was when the process was stopped.
     *
     * @return at most about 4 KiB of log text; empty if the process printed nothing
     */
    public String logTail() {
        return process != null ? process.logTail() : MotoProcess.readTail(logFile);
    }

    /**
     * Closes the {@linkplain #session() session}, kills the process and its descendants (politely first,
     * forcibly after a few seconds) and deletes the log file. Calling it again does nothing.
     *
     * <p>On the {@linkplain #shared() shared} server this does nothing at all: the JVM's lives until the JVM exits,
     * the build's until the last JVM using it exits.
     */
    @Override
    public void close() {
        if (sharing == Sharing.OWNED) {
            session.close();
            process.stop();
            MotoQuirks.stopped(endpoint);
        }
    }

    /**
     * Describes the server by endpoint and process id; never includes the secret access key.
     *
     * @return for example {@code MotoServer[endpoint=http://127.0.0.1:50123, pid=4242]}
     */
    @Override
    public String toString() {
        return "MotoServer[endpoint=" + endpoint + ", pid=" + server.pid() + sharingLabel()
                + (closed() ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------ package-private hooks

    /**
     * The {@code moto_server} process (the configured executable), not the watchdog that runs it; its descendants
     * are the rest of what serves.
     */
    ProcessHandle processHandle() {
        return server;
    }

    /** The process that was launched: the watchdog, or {@code moto_server} itself where there is none. */
    ProcessHandle launchedHandle() {
        if (process == null) {
            throw new IllegalStateException(this + " was launched by the build's supervisor, not by this JVM");
        }
        return process.launched().toHandle();
    }

    Path logFile() {
        return logFile;
    }

    List<String> command() {
        return process == null ? List.of() : process.command();
    }

    Sharing sharing() {
        return sharing;
    }

    /** The server's process tree, as {@link MotoProcess#processTree()} captures it. */
    List<ProcessHandle> processTree() {
        return process == null ? ProcessTrees.tree(server) : process.processTree();
    }

    /** The build's server that a build tool's JVM holds (see {@link BuildEmulator}), joined, never started. */
    static MotoServer joinBuild(TestkitSettings.BuildEmulatorHandoff handed) {
        return new MotoServer(BuildLease.join(handed.lease(), handed.endpoint()));
    }

    private static MotoServer attachToBuild() {
        Path executable = MotoExecutable.resolve();
        return new MotoServer(BuildLease.attach(BuildKey.forMoto(executable), executable));
    }

    static MotoServer launch(boolean isShared, IntSupplier ports) {
        return new MotoServer(MotoProcess.launch(ports), isShared ? Sharing.JVM : Sharing.OWNED);
    }

    static int freePort() {
        return MotoProcess.freePort();
    }

    /** Stops every server this JVM started, its shared one included; runs in the JVM shutdown hook. */
    static void stopAll() {
        MotoProcess.stopAll();
    }

    static void postReset(URI endpoint) {
        EmulatorHttp.post(endpoint.resolve("/moto-api/reset"), RESET_TIMEOUT).ifPresent(refusal -> {
            throw new IllegalStateException("Resetting moto failed: " + refusal.description());
        });
    }

    private boolean closed() {
        return process != null && process.stopped();
    }

    private String sharingLabel() {
        return sharing == Sharing.JVM ? ", shared" : sharing == Sharing.BUILD ? ", shared by the build" : "";
    }
}
