package dev.bsm.testkit;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.internal.MotoQuirks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real, local <a href="https://docs.getmoto.org/en/latest/docs/server_mode.html">{@code moto_server}</a> process
 * listening on a free port of {@code 127.0.0.1}, for integration tests that talk to AWS APIs over HTTP.
 *
 * <p>{@link #start()} launches a server that the caller owns and must {@link #close() close};
 * {@link #shared()} returns one server per JVM that every caller may use and nobody closes. Point AWS SDK clients at
 * it like this:
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
 * way the SDK's Netty client cannot read, is turned off for every client of the JVM (README, "Emulator quirks bsm
 * handles").
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
 * <p>Every server, including the shared one, is killed together with its child processes when the JVM exits, so
 * no {@code moto_server} outlives the tests even if a caller forgets to close it. Where there is a POSIX
 * {@code /bin/sh} (not on Windows) it runs under a small watchdog script that also kills it, within seconds, when
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
    static final int LOG_TAIL_BYTES = 4096;
    static final int MAX_START_ATTEMPTS = 3;
    static final String HOST = "127.0.0.1";

    /** The only place the emulator's account id is spelled out; everything else asks {@link #accountId()}. */
    private static final String ACCOUNT_ID = "123456789012";
    private static final String REGION = "us-east-1";
    private static final String ACCESS_KEY_ID = "testing";
    private static final String SECRET_ACCESS_KEY = "testing";

    /**
     * Variables that would break this class's promises if inherited: MOTO_ACCOUNT_ID overrides every account id
     * (including cross-account assume-role), INITIAL_NO_AUTH_ACTION_COUNT turns on request authentication.
     */
    private static final List<String> SCRUBBED_ENV = List.of("MOTO_ACCOUNT_ID", "INITIAL_NO_AUTH_ACTION_COUNT");

    private static final Pattern PORT_IN_USE =
            Pattern.compile("address already in use|port \\d+ is in use", Pattern.CASE_INSENSITIVE);

    /** Servers whose process may still be running; {@link #stopAll()} stops all of them when the JVM exits. */
    private static final Set<MotoServer> RUNNING = ConcurrentHashMap.newKeySet();

    private static final Object SHARED_LOCK = new Object();
    private static volatile MotoServer shared;
    private static EmulatorStartException sharedFailure; // guarded by SHARED_LOCK
    /** How many times {@link #shared()} launched a process; visible for tests. */
    static final AtomicInteger SHARED_STARTS = new AtomicInteger();

    /** The launched process: the watchdog, or {@code moto_server} itself where there is no watchdog. */
    private final Process process;
    /** The {@code moto_server} process. */
    private final ProcessHandle server;
    /** The watchdog's stdin, kept open (and never written) while the server runs; {@code null} without one. */
    private final OutputStream ownerPipe;
    private final int port;
    private final Pattern runningOnPort;
    private final URI endpoint;
    private final Path logFile;
    private final List<String> command;
    private final boolean isShared;
    private final SessionHolder session = new SessionHolder("This moto_server", () -> this);
    private final Object stateLock = new Object();
    private volatile boolean stopped; // written under stateLock
    private String finalLogTail = ""; // guarded by stateLock

    private MotoServer(Process process, ProcessHandle server, OutputStream ownerPipe, int port, Path logFile,
            List<String> command, boolean isShared) {
        this.process = process;
        this.server = server;
        this.ownerPipe = ownerPipe;
        this.port = port;
        this.runningOnPort = Pattern.compile("Running on http://" + Pattern.quote(HOST) + ":" + port + "(?!\\d)");
        this.endpoint = URI.create("http://" + HOST + ":" + port);
        this.logFile = logFile;
        this.command = command;
        this.isShared = isShared;
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
        return launch(false, MotoServer::freePort);
    }

    /**
     * Returns the JVM-wide shared server, starting it on the first call.
     *
     * <p>The process is started at most once, even when many threads call this at the same time, and is killed by
     * a JVM shutdown hook. Its {@link #close()} does nothing, so a test cannot stop it for everyone by accident.
     * Tests that share it should call {@link #reset()} (or use unique resource names) to stay independent.
     *
     * <p>If the first start fails with {@link EmulatorStartException}, it is not retried: every later call throws
     * an {@code EmulatorStartException} carrying the first failure as its cause, so a broken setup costs one start
     * timeout per JVM rather than one per test.
     *
     * @return the shared, running server
     * @throws EmulatorUnavailableException if no {@code moto_server} executable can be found
     * @throws EmulatorStartException if the shared server could not be started
     * @throws IllegalArgumentException if system property {@code bsm.moto.startTimeout} is not a positive duration
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
            try {
                server = launch(true, MotoServer::freePort);
            } catch (EmulatorStartException e) {
                sharedFailure = e;
                throw e;
            }
            SHARED_STARTS.incrementAndGet();
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
     * @return for example {@code moto_server at http://127.0.0.1:50123 (pid 4242, shared)}
     */
    @Override
    public String description() {
        return MotoExecutable.NAME + " at " + endpoint + " (pid " + server.pid() + (isShared ? ", shared" : "")
                + (stopped ? ", closed" : "") + ")";
    }

    // ----------------------------------------------------------------------------------------------- operations

    /**
     * Deletes all emulated AWS state (buckets, queues, roles, ...) with {@code POST /moto-api/reset}.
     *
     * @throws IllegalStateException if this server is closed, if the emulator answers with a non-2xx HTTP status
     *         (the message names the status and the start of the body), or if the calling thread is interrupted
     * @throws UncheckedIOException if the request cannot be sent or answered
     */
    @Override
    public void reset() {
        if (stopped) {
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
        synchronized (stateLock) {
            return stopped ? finalLogTail : readTail(logFile);
        }
    }

    /**
     * Closes the {@linkplain #session() session}, kills the process and its descendants (politely first,
     * forcibly after a few seconds) and deletes the log file. Calling it again does nothing.
     *
     * <p>On the {@linkplain #shared() shared} server this does nothing at all: that server lives until the JVM
     * exits.
     */
    @Override
    public void close() {
        if (!isShared) {
            session.close();
            stop();
        }
    }

    /**
     * Describes the server by endpoint and process id; never includes the secret access key.
     *
     * @return for example {@code MotoServer[endpoint=http://127.0.0.1:50123, pid=4242]}
     */
    @Override
    public String toString() {
        return "MotoServer[endpoint=" + endpoint + ", pid=" + server.pid() + (isShared ? ", shared" : "")
                + (stopped ? ", closed" : "") + "]";
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
        return process.toHandle();
    }

    Path logFile() {
        return logFile;
    }

    List<String> command() {
        return command;
    }

    // ------------------------------------------------------------------------------------------------ launching

    static MotoServer launch(boolean isShared, IntSupplier ports) {
        Path executable = MotoExecutable.resolve();
        Duration timeout = TestkitSettings.motoStartTimeout();
        for (int attempt = 1; ; attempt++) {
            MotoServer server = tryLaunch(executable, ports.getAsInt(), timeout, isShared,
                    attempt >= MAX_START_ATTEMPTS);
            if (server != null) {
                return server;
            }
        }
    }

    /**
     * @return the ready server, or {@code null} if moto could not bind the port and another port should be tried
     */
    private static MotoServer tryLaunch(Path executable, int port, Duration timeout, boolean isShared,
            boolean lastAttempt) {
        List<String> command = List.of(executable.toString(), "-H", HOST, "-p", Integer.toString(port));
        Path logFile = MotoLogs.createLogFile();
        boolean watched = OwnerWatchdog.available();
        ProcessBuilder builder = watched
                ? new ProcessBuilder(OwnerWatchdog.command(logFile, command))
                        .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                : new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = builder.environment();
        SCRUBBED_ENV.forEach(env::remove);
        env.put("PYTHONUNBUFFERED", "1"); // so logTail() shows what moto printed right before dying

        ExitHooks.onExit("bsm-moto-server-shutdown", () -> {
            stopAll();
            MotoLogs.deleteDirectoryIfEmpty();
        });
        long startedAt = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteQuietly(logFile);
            throw new EmulatorStartException("Could not launch moto_server.\nCommand: " + render(command)
                    + "\nCause: " + e.getMessage(), e);
        }
        ProcessHandle serverHandle = process.toHandle();
        OutputStream ownerPipe = null;
        if (watched) {
            // The watchdog reports moto's pid at once. If moto is gone already, the watchdog exits with its status.
            ownerPipe = process.getOutputStream();
            OptionalLong pid = OwnerWatchdog.readServerPid(process);
            if (pid.isPresent()) {
                serverHandle = ProcessHandle.of(pid.getAsLong()).orElse(serverHandle);
            }
        } else {
            closeQuietly(process.getOutputStream()); // moto reads nothing; give it EOF, not a pipe that never ends
        }
        MotoLogs.recordServer(logFile, serverHandle);
        MotoServer server = new MotoServer(process, serverHandle, ownerPipe, port, logFile, command, isShared);
        RUNNING.add(server);
        MotoQuirks.serving(server.endpoint);
        return server.awaitReady(timeout, startedAt, lastAttempt);
    }

    private MotoServer awaitReady(Duration timeout, long startedAt, boolean lastAttempt) {
        URI probe = endpoint.resolve("/moto-api/");
        long deadline = startedAt + timeout.toNanos();
        String lastProbe = "no answer yet";
        while (true) {
            if (!process.isAlive()) {
                return exitedEarly(probe, startedAt, lastAttempt);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw failStart("it did not answer GET " + probe + " within the start timeout of " + timeout
                        + " (waited " + seconds(System.nanoTime() - startedAt) + "; last probe: " + lastProbe
                        + "). The process was killed. Raise the timeout with -D"
                        + TestkitSettings.MOTO_START_TIMEOUT_PROPERTY + "=PT60S if the machine is just slow.", null);
            }
            // Ask only a port that moto holds: another program may hold it and answer 200 to anything. Then moto
            // cannot bind it (or its answers could not be told from the other program's): try another port now.
            PortListeners.Holder holder = PortListeners.holder(port, processTree());
            if (holder == PortListeners.Holder.OTHER) {
                return portTaken(startedAt, lastAttempt);
            }
            Optional<String> notOurs = whyNotOurs(holder);
            if (notOurs.isPresent()) {
                lastProbe = notOurs.get();
                pause(probe, startedAt);
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(probe)
                    .timeout(Duration.ofNanos(Math.max(Math.min(remaining, Duration.ofSeconds(2).toNanos()),
                            Duration.ofMillis(100).toNanos())))
                    .GET()
                    .build();
            // Wait for the answer or the process's exit, whichever comes first: if moto could not bind, whatever
            // holds the port may accept the connection and never answer.
            CompletableFuture<HttpResponse<Void>> response =
                    EmulatorHttp.client().sendAsync(request, HttpResponse.BodyHandlers.discarding());
            try {
                CompletableFuture.anyOf(response, process.onExit()).get(remaining, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // inspected below
            } catch (InterruptedException e) {
                response.cancel(true);
                Thread.currentThread().interrupt();
                throw interrupted(probe, startedAt, e);
            }
            if (!response.isDone()) {
                response.cancel(true);
                continue; // the process exited or the deadline passed; both are handled at the top of the loop
            }
            try {
                int status = response.join().statusCode();
                PortListeners.Holder after = status == 200 ? PortListeners.holder(port, processTree()) : holder;
                if (after == PortListeners.Holder.OTHER) {
                    return portTaken(startedAt, lastAttempt);
                }
                Optional<String> stillOurs = status == 200 ? whyNotOurs(after) : Optional.empty();
                if (status == 200 && stillOurs.isEmpty() && process.isAlive() && ProcessTrees.isRunning(server)) {
                    return this;
                }
                lastProbe = "HTTP " + status + stillOurs.map(why -> ", but " + why).orElse("");
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                lastProbe = cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            }
            pause(probe, startedAt);
        }
    }

    private void pause(URI probe, long startedAt) {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(probe, startedAt, e);
        }
    }

    /**
     * Why what listens on this server's port is not shown to be the started {@code moto_server}.
     *
     * @return empty when it is: on Linux, every socket that accepts connections to the port is held by the
     *         server's process tree; where the kernel does not tell, the server has logged that it runs on the port
     */
    private Optional<String> whyNotOurs(PortListeners.Holder holder) {
        switch (holder) {
            case OURS:
                return Optional.empty();
            case NONE:
                return Optional.of("nothing listens on port " + port + " yet");
            case UNSURE:
                return Optional.of("another program listens on [::]:" + port + ", which takes the connections to "
                        + HOST + " unless it is IPv6-only; waiting for moto_server to bind " + HOST + ":" + port
                        + " (or to exit if it cannot)");
            case OTHER:
                return Optional.of("another program listens on port " + port + " (not moto_server, pid "
                        + server.pid() + ", nor a child process of it)");
            default:
                return runningOnPort.matcher(readTail(logFile)).find() ? Optional.empty()
                        : Optional.of("the log does not say 'Running on " + endpoint + "' yet");
        }
    }

    /**
     * Another program listens on the port (moto cannot bind it, or would share it): stops moto at once.
     *
     * @return {@code null}, so that another port is tried, unless this was the last attempt
     */
    private MotoServer portTaken(long startedAt, boolean lastAttempt) {
        long waited = System.nanoTime() - startedAt;
        stop();
        if (!lastAttempt) {
            return null;
        }
        throw startException("another program listens on " + HOST + ":" + port + ": not moto_server (pid "
                + server.pid() + ") nor a child process of it, so answers there could not be told from moto's;"
                + " moto_server was stopped after " + seconds(waited) + ". Port " + port + " was taken by another"
                + " program; gave up after " + MAX_START_ATTEMPTS + " ports. If "
                + TestkitSettings.MOTO_EXECUTABLE_PROPERTY + " names a wrapper, it must run moto_server as a child process, not detached; else see what"
                + " listens with 'ss -ltnp'.", null);
    }

    private EmulatorStartException interrupted(URI probe, long startedAt, InterruptedException e) {
        return failStart("the calling thread was interrupted while waiting for GET " + probe + " (waited "
                + seconds(System.nanoTime() - startedAt) + "). The process was killed.", e);
    }

    private MotoServer exitedEarly(URI probe, long startedAt, boolean lastAttempt) {
        long waited = System.nanoTime() - startedAt;
        stop();
        boolean portTaken = PORT_IN_USE.matcher(finalLogTail).find();
        if (portTaken && !lastAttempt) {
            return null;
        }
        String what = "the process exited with code " + process.exitValue() + " after " + seconds(waited)
                + ", before answering GET " + probe + "."
                + (portTaken ? " Port " + endpoint.getPort() + " was taken by another program; gave up after "
                        + MAX_START_ATTEMPTS + " ports." : "");
        throw startException(what, null);
    }

    private EmulatorStartException failStart(String what, Throwable cause) {
        stop();
        return startException(what, cause);
    }

    private EmulatorStartException startException(String what, Throwable cause) {
        String tail;
        synchronized (stateLock) {
            tail = finalLogTail;
        }
        String message = "moto_server did not start: " + what
                + "\nCommand: " + render(command)
                + "\nLog tail (last " + LOG_TAIL_BYTES / 1024 + " KiB of stdout/stderr):\n"
                + (tail.isBlank() ? "(the process printed nothing)" : tail);
        return cause == null ? new EmulatorStartException(message) : new EmulatorStartException(message, cause);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on " + HOST + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------------ reset

    static void postReset(URI endpoint) {
        EmulatorHttp.post(endpoint.resolve("/moto-api/reset"), RESET_TIMEOUT).ifPresent(refusal -> {
            throw new IllegalStateException("Resetting moto failed: " + refusal.description());
        });
    }

    // ---------------------------------------------------------------------------------------------------- stopping

    private void stop() {
        synchronized (stateLock) {
            if (stopped) {
                return;
            }
            try {
                List<ProcessHandle> everything = processTree();
                // The server's tree first: the watchdog then reaps the server and exits by itself, and this JVM
                // reaps the watchdog, so that close() leaves no zombie that ProcessHandle.isAlive() still reports.
                ProcessTrees.terminateTree(server);
                ProcessTrees.awaitExit(process, ProcessTrees.FORCED_STOP_WAIT);
                ProcessTrees.terminate(everything.stream().filter(ProcessTrees::isRunning)
                        .collect(Collectors.toList()));
            } finally {
                // Only now that the watchdog is gone: closing its stdin before would make it remove the log.
                finalLogTail = readTail(logFile);
                closeQuietly(ownerPipe);
                MotoLogs.deleteLog(logFile);
                stopped = true;
                RUNNING.remove(this);
                MotoQuirks.stopped(endpoint);
            }
        }
    }

    /** Stops every server that is still running, the shared one included; runs in the JVM shutdown hook. */
    static void stopAll() {
        List<MotoServer> servers = List.copyOf(RUNNING);
        List<ProcessHandle> everything = new ArrayList<>();
        servers.forEach(server -> everything.addAll(ProcessTrees.tree(server.server)));
        ProcessTrees.terminate(everything); // signal all servers' trees at once so the grace periods overlap
        servers.forEach(MotoServer::stop);
    }

    /**
     * The launched process, the server (a child of the watchdog) and their descendants, captured before anything
     * is killed: orphans can no longer be found. The server is named on its own in case the watchdog is gone.
     */
    List<ProcessHandle> processTree() {
        Map<Long, ProcessHandle> handles = new LinkedHashMap<>();
        for (ProcessHandle root : List.of(server, process.toHandle())) {
            ProcessTrees.tree(root).forEach(handle -> handles.putIfAbsent(handle.pid(), handle));
        }
        return List.copyOf(handles.values());
    }

    // ------------------------------------------------------------------------------------------------------ utils

    static String readTail(Path file) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, LOG_TAIL_BYTES);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(OutputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing our end of a pipe cannot fail in a way that matters to the child
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is not worth failing a test for
        }
    }

    private static String render(List<String> command) {
        return command.stream()
                .map(arg -> arg.isEmpty() || arg.chars().anyMatch(Character::isWhitespace) ? "'" + arg + "'" : arg)
                .collect(Collectors.joining(" "));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
