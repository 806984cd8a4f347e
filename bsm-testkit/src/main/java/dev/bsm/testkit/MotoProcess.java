package dev.bsm.testkit;

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
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A {@code moto_server} process that this JVM started and stops: launched under the {@link OwnerWatchdog} where
 * there is one, its output in a log file of {@link MotoLogs}, declared ready only once its port is shown to be its
 * own (see {@link MotoServer}'s class comment), and stopped with its descendants by {@link #stop()} or at the
 * latest when the JVM exits. What {@link MotoServer} owns, and what the {@link LeaseSupervisor} runs for a build.
 *
 * <p>Needs no AWS SDK class, so that the supervisor's JVM runs with bsm-testkit and bsm-core alone.
 */
final class MotoProcess {

    static final int LOG_TAIL_BYTES = 4096;
    static final int MAX_START_ATTEMPTS = 3;
    static final String HOST = "127.0.0.1";

    /**
     * Variables that would break this class's promises if inherited: MOTO_ACCOUNT_ID overrides every account id
     * (including cross-account assume-role), INITIAL_NO_AUTH_ACTION_COUNT turns on request authentication.
     */
    private static final List<String> SCRUBBED_ENV = List.of("MOTO_ACCOUNT_ID", "INITIAL_NO_AUTH_ACTION_COUNT");

    private static final Pattern PORT_IN_USE =
            Pattern.compile("address already in use|port \\d+ is in use", Pattern.CASE_INSENSITIVE);

    /** Servers whose process may still be running; {@link #stopAll()} stops all of them when the JVM exits. */
    private static final Set<MotoProcess> RUNNING = ConcurrentHashMap.newKeySet();

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
    private final Object stateLock = new Object();
    private volatile boolean stopped; // written under stateLock
    private String finalLogTail = ""; // guarded by stateLock

    private MotoProcess(Process process, ProcessHandle server, OutputStream ownerPipe, int port, Path logFile,
            List<String> command) {
        this.process = process;
        this.server = server;
        this.ownerPipe = ownerPipe;
        this.port = port;
        this.runningOnPort = Pattern.compile("Running on http://" + Pattern.quote(HOST) + ":" + port + "(?!\\d)");
        this.endpoint = URI.create("http://" + HOST + ":" + port);
        this.logFile = logFile;
        this.command = command;
    }

    /** {@return {@code http://127.0.0.1:PORT}} */
    URI endpoint() {
        return endpoint;
    }

    /** {@return the {@code moto_server} process (the configured executable), not the watchdog that runs it} */
    ProcessHandle server() {
        return server;
    }

    /** {@return the process that was launched: the watchdog, or {@code moto_server} itself where there is none} */
    Process launched() {
        return process;
    }

    Path logFile() {
        return logFile;
    }

    List<String> command() {
        return command;
    }

    /** {@return whether {@link #stop()} has run} */
    boolean stopped() {
        return stopped;
    }

    /** {@return the last few KiB of the log; after {@link #stop()}, as they were then} */
    String logTail() {
        synchronized (stateLock) {
            return stopped ? finalLogTail : readTail(logFile);
        }
    }

    // ------------------------------------------------------------------------------------------------ launching

    /**
     * Starts {@code moto_server} on a port from {@code ports} and waits until it is ready, trying another port (up to
     * {@link #MAX_START_ATTEMPTS}) when another program holds the one tried.
     *
     * @throws EmulatorUnavailableException if no {@code moto_server} executable can be found
     * @throws EmulatorStartException if it did not start
     */
    static MotoProcess launch(IntSupplier ports) {
        Path executable = MotoExecutable.resolve();
        Duration timeout = TestkitSettings.motoStartTimeout();
        for (int attempt = 1; ; attempt++) {
            MotoProcess server = tryLaunch(executable, ports.getAsInt(), timeout, attempt >= MAX_START_ATTEMPTS);
            if (server != null) {
                return server;
            }
        }
    }

    /**
     * @return the ready server, or {@code null} if moto could not bind the port and another port should be tried
     */
    private static MotoProcess tryLaunch(Path executable, int port, Duration timeout, boolean lastAttempt) {
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
        MotoProcess server = new MotoProcess(process, serverHandle, ownerPipe, port, logFile, command);
        RUNNING.add(server);
        return server.awaitReady(timeout, startedAt, lastAttempt);
    }

    private MotoProcess awaitReady(Duration timeout, long startedAt, boolean lastAttempt) {
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
    private MotoProcess portTaken(long startedAt, boolean lastAttempt) {
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

    private MotoProcess exitedEarly(URI probe, long startedAt, boolean lastAttempt) {
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

    // ---------------------------------------------------------------------------------------------------- stopping

    /**
     * Kills the process and its descendants (politely first, forcibly after a few seconds) and deletes the log file.
     * Calling it again does nothing.
     */
    void stop() {
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
            }
        }
    }

    /** Stops every server that is still running, the shared one included; runs in the JVM shutdown hook. */
    static void stopAll() {
        List<MotoProcess> servers = List.copyOf(RUNNING);
        List<ProcessHandle> everything = new ArrayList<>();
        servers.forEach(server -> everything.addAll(ProcessTrees.tree(server.server)));
        ProcessTrees.terminate(everything); // signal all servers' trees at once so the grace periods overlap
        servers.forEach(MotoProcess::stop);
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
