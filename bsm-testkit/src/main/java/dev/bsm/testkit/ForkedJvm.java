package dev.bsm.testkit;

import dev.bsm.core.AwsCliVariables;
import dev.bsm.core.BotoSesManager;
import dev.bsm.core.internal.Checks;
import dev.bsm.core.TempSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a class's {@code main} in a child JVM (the running JVM's {@code java} binary and class path) and, when asked,
 * hands it an AWS session: a framework-neutral way to test code that runs in its own process.
 *
 * <pre>{@code
 * ForkedJvm.Result result = ForkedJvm.mainClass(PrintCallerArn.class)
 *         .session(deployer)                 // the child calls BotoSesManager.fromSnapshotFile()
 *         .timeout(Duration.ofMinutes(1))
 *         .run();
 * assertThat(result.exitCode()).as(result.stderr()).isZero();
 * }</pre>
 *
 * <p><b>The session handoff.</b> With {@link Builder#session(BotoSesManager) session(bsm)}, {@link Builder#run()}
 * writes the session's snapshot (credentials and region, the Python library's format) with
 * {@link BotoSesManager#tempSnapshot(Path)} to a file that is owner-only (0600) from the moment it exists, inside a
 * fresh owner-only (0700) temporary directory, and gives the child
 * <ul>
 *   <li>{@value BotoSesManager#SNAPSHOT_FILE_VARIABLE}: the snapshot file's absolute path, which
 *       {@link BotoSesManager#fromSnapshotFile()} reads;</li>
 *   <li>{@code AWS_ENDPOINT_URL}: the session's endpoint override, which every SDK client of the child uses (a
 *       snapshot carries no endpoint); removed from the inherited environment when the session has none, so the
 *       session's keys never go to an endpoint that was set for another session;</li>
 *   <li>{@code CBOR_ENABLED}, where the session chose Kinesis's wire format (moto's sessions: {@code false}), so the
 *       child's Kinesis clients speak what the emulator understands.</li>
 * </ul>
 * Secrets never appear on the command line or in the environment. The file and the directory are removed when the
 * child has exited, also after a failure or a timeout, and by a shutdown hook if this JVM exits first.
 *
 * <p><b>The child.</b> It inherits this JVM's environment (plus the variables above and those given to
 * {@link Builder#environment(String, String)}), its working directory and its class path (passed in an argument
 * file, so long class paths work on every OS). It gets none of this JVM's options, except that its standard
 * streams are UTF-8; pass options such as {@code --add-opens} with {@link Builder#jvmArgs(String...)}. Its stdin
 * is empty; stdout and stderr are read concurrently, so a chatty child never blocks on a full pipe.
 *
 * <p><b>Timeouts.</b> A child still running after the {@linkplain Builder#timeout(Duration) timeout} (default
 * {@link #DEFAULT_TIMEOUT}) is stopped together with its descendants: asked to exit (so its shutdown hooks run),
 * then killed after a few seconds. The {@link Result} says so ({@link Result#timedOut()}) and keeps the output
 * printed until then.
 *
 * <p><b>A Surefire- or Failsafe-forked test JVM</b> picks up a session that the build prepared the same way: name
 * the snapshot file in the plugin's {@code environmentVariables}, and the tests call
 * {@link BotoSesManager#fromSnapshotFile()}; see the {@linkplain dev.bsm.testkit package documentation}.
 */
public final class ForkedJvm {

    /** The timeout of a child JVM unless {@link Builder#timeout(Duration)} says otherwise: five minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";
    /** The SDK's CBOR switch, where the session chose one ({@code BotoSesManager.Builder.cborEnabled}). */
    static final String CBOR_VARIABLE = "CBOR_ENABLED";
    static final String SNAPSHOT_FILE_NAME = "snapshot.json";
    static final String ARGUMENT_FILE_NAME = "classpath.args";
    /** How much of each stream is kept; the rest is read and counted, so the child never blocks. */
    static final int MAX_CAPTURED_BYTES = 16 * 1024 * 1024;
    /** How long to wait for the stream readers once the child is gone (a grandchild may hold the pipes open). */
    static final Duration READER_GRACE = Duration.ofSeconds(5);

    private static final List<String> UTF8_STREAMS = List.of("-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8",
            "-Dsun.stdout.encoding=UTF-8", "-Dsun.stderr.encoding=UTF-8");

    /** Children that may still be running; when the JVM exits they are stopped and their files removed. */
    private static final Set<Run> RUNNING = ConcurrentHashMap.newKeySet();

    private ForkedJvm() {
    }

    /**
     * Starts describing a child JVM that runs {@code mainClass}.
     *
     * @param mainClass a class on this JVM's class path with a {@code public static void main(String[])}
     * @return a builder; finish with {@link Builder#run()}
     * @throws IllegalArgumentException when the class has no such method
     */
    public static Builder mainClass(Class<?> mainClass) {
        return new Builder(mainClass);
    }

    /**
     * Runs {@code mainClass} in a child JVM and waits for it; the one-call form of
     * {@code mainClass(mainClass)}, the options, then {@link Builder#run()}.
     *
     * <pre>{@code
     * ForkedJvm.Result result = ForkedJvm.run(Worker.class, jvm -> jvm.session(bsm).args("--bucket", "reports"));
     * }</pre>
     *
     * @param mainClass a class with a {@code public static void main(String[])}
     * @param options sets arguments, session, environment, timeout, JVM options
     * @return the child's exit code and output
     */
    public static Result run(Class<?> mainClass, Consumer<Builder> options) {
        Builder builder = mainClass(mainClass);
        Objects.requireNonNull(options, "options").accept(builder);
        return builder.run();
    }

    /**
     * Describes a child JVM. Setters replace what was set before. A builder can {@link #run()} any number of
     * times; each run gets its own temporary directory and snapshot. Not thread-safe.
     */
    public static final class Builder {
        private final Class<?> mainClass;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private BotoSesManager session;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(Class<?> mainClass) {
            Objects.requireNonNull(mainClass, "mainClass");
            Method main;
            try {
                main = mainClass.getMethod("main", String[].class);
            } catch (NoSuchMethodException e) {
                main = null;
            }
            if (main == null || !Modifier.isStatic(main.getModifiers()) || main.getReturnType() != void.class) {
                throw new IllegalArgumentException(mainClass.getName() + " has no public static void main(String[]"
                        + " args), so it cannot be the main class of a child JVM");
            }
            this.mainClass = mainClass;
        }

        /**
         * Sets the main method's arguments.
         *
         * @param args the arguments of {@code main}, replacing earlier ones
         * @return this builder
         */
        public Builder args(String... args) {
            return args(Arrays.asList(Objects.requireNonNull(args, "args")));
        }

        /**
         * Sets the main method's arguments.
         *
         * @param args the arguments of {@code main}, replacing earlier ones
         * @return this builder
         */
        public Builder args(List<String> args) {
            List<String> copy = List.copyOf(Objects.requireNonNull(args, "args")); // rejects null elements
            this.args.clear();
            this.args.addAll(copy);
            return this;
        }

        /**
         * Sets the child JVM's options.
         *
         * @param jvmArgs options for the child's {@code java} command, before the main class, replacing earlier
         *     ones, e.g. {@code "-Xmx256m", "--add-opens", "java.base/java.util=ALL-UNNAMED"}
         * @return this builder
         */
        public Builder jvmArgs(String... jvmArgs) {
            List<String> copy = List.of(Objects.requireNonNull(jvmArgs, "jvmArgs"));
            this.jvmArgs.clear();
            this.jvmArgs.addAll(copy);
            return this;
        }

        /**
         * Hands the session to the child through an owner-only snapshot file named by
         * {@value BotoSesManager#SNAPSHOT_FILE_VARIABLE}, and its endpoint override through
         * {@code AWS_ENDPOINT_URL}; see {@link ForkedJvm}. The child calls
         * {@link BotoSesManager#fromSnapshotFile()}. The snapshot holds the credentials as they are when
         * {@link #run()} starts; the session stays the caller's, it is not closed.
         *
         * @param session the session to hand over
         * @return this builder
         */
        public Builder session(BotoSesManager session) {
            this.session = Objects.requireNonNull(session, "session");
            return this;
        }

        /**
         * Sets a variable in the child's environment, on top of this JVM's environment and the session's variables
         * (so it may override {@code AWS_ENDPOINT_URL}, but not {@value BotoSesManager#SNAPSHOT_FILE_VARIABLE}
         * when a session is given).
         *
         * @param name the variable's name
         * @param value its value
         * @return this builder
         */
        public Builder environment(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("An environment variable name must not be empty");
            }
            Checks.environmentVariableProblem(name, value).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            environment.put(name, value);
            return this;
        }

        /**
         * Sets how long the child may run.
         *
         * @param timeout how long the child may run before it and its descendants are stopped; default
         *     {@link ForkedJvm#DEFAULT_TIMEOUT}
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive, but is " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Starts the child, waits until it exits or the timeout stops it, and removes the snapshot file and its
         * directory.
         *
         * @return the exit code and the output; a non-zero exit code or a timeout is a result, not an exception
         * @throws IllegalArgumentException when a session is given and the environment also sets
         *     {@value BotoSesManager#SNAPSHOT_FILE_VARIABLE}
         * @throws dev.bsm.core.NoCredentialsException when the session has no credentials (nothing is started)
         * @throws UncheckedIOException when the temporary files cannot be written or removed, or the child cannot
         *     be started
         * @throws IllegalStateException when the calling thread is interrupted while waiting; the child is stopped
         *     and the files removed first, and the thread's interrupt flag is set again
         */
        public Result run() {
            if (session != null && environment.containsKey(BotoSesManager.SNAPSHOT_FILE_VARIABLE)) {
                throw new IllegalArgumentException("environment(" + BotoSesManager.SNAPSHOT_FILE_VARIABLE
                        + ", ...) conflicts with session(...), which sets that variable to its own snapshot file");
            }
            return new Run(this).execute();
        }
    }

    /**
     * What a child JVM did: its exit code, its output and whether it was stopped by the timeout. The output is
     * decoded as UTF-8; each stream keeps at most 16 MiB, and a note at its end says how much more was dropped.
     * {@link #toString()} describes the run without the output, which may hold whatever the child printed.
     */
    public static final class Result {
        private final String mainClass;
        private final int exitCode;
        private final boolean timedOut;
        private final Duration timeout;
        private final Duration duration;
        private final String stdout;
        private final String stderr;

        Result(String mainClass, int exitCode, boolean timedOut, Duration timeout, Duration duration, String stdout,
                String stderr) {
            this.mainClass = mainClass;
            this.exitCode = exitCode;
            this.timedOut = timedOut;
            this.timeout = timeout;
            this.duration = duration;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /**
         * {@return the child's exit code: {@code 0} when {@code main} returned normally, {@code 1} after an
         * uncaught exception, what it passed to {@code System.exit}; after a timeout, what the stopped process
         * reported (on Unix {@code 143} or {@code 137})}
         */
        public int exitCode() {
            return exitCode;
        }

        /** {@return whether the child ran past the timeout and was stopped, with its descendants} */
        public boolean timedOut() {
            return timedOut;
        }

        /** {@return whether the child exited with code {@code 0} before the timeout} */
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        /** {@return what the child wrote to its standard output} */
        public String stdout() {
            return stdout;
        }

        /** {@return what the child wrote to its standard error} */
        public String stderr() {
            return stderr;
        }

        /** {@return how long the child ran, from start until it was gone} */
        public Duration duration() {
            return duration;
        }

        /**
         * @return e.g. {@code ForkedJvm.Result[com.example.Main exited with code 1 after 1.2 s; stdout 10 chars,
         *     stderr 250 chars]} or {@code ForkedJvm.Result[com.example.Main timed out after PT2S and was stopped
         *     (exit code 143) ...]}; never the output itself
         */
        @Override
        public String toString() {
            String outcome = timedOut
                    ? "timed out after " + timeout + " and was stopped with its descendants (exit code " + exitCode
                            + "), after " + seconds(duration)
                    : "exited with code " + exitCode + " after " + seconds(duration);
            return "ForkedJvm.Result[" + mainClass + " " + outcome + "; stdout " + stdout.length() + " chars, stderr "
                    + stderr.length() + " chars]";
        }
    }

    // ----------------------------------------------------------------------------------------------- one run

    /** One child JVM with its temporary files; cleaned up exactly once, by the caller or the shutdown hook. */
    private static final class Run {
        private final String mainClass;
        private final List<String> args;
        private final List<String> jvmArgs;
        private final Map<String, String> environment;
        private final BotoSesManager session;
        private final Duration timeout;
        private Path directory; // guarded by this
        private TempSnapshot snapshot; // guarded by this
        private Process process; // guarded by this
        private boolean cleanedUp; // guarded by this

        Run(Builder builder) {
            this.mainClass = builder.mainClass.getName();
            this.args = List.copyOf(builder.args);
            this.jvmArgs = List.copyOf(builder.jvmArgs);
            this.environment = new LinkedHashMap<>(builder.environment);
            this.session = builder.session;
            this.timeout = builder.timeout;
        }

        Result execute() {
            ExitHooks.onExit("bsm-forked-jvm-shutdown", () -> List.copyOf(RUNNING).forEach(Run::abandon));
            RUNNING.add(this);
            Throwable failure = null;
            try {
                return startAndWait();
            } catch (RuntimeException | Error e) {
                failure = e;
                throw e;
            } finally {
                Process running;
                synchronized (this) {
                    running = process;
                }
                if (running != null && running.isAlive()) { // only after an unexpected failure
                    stop(running);
                }
                RUNNING.remove(this);
                cleanUp(failure);
            }
        }

        private Result startAndWait() {
            ProcessBuilder builder;
            synchronized (this) {
                if (cleanedUp) {
                    throw new IllegalStateException("The JVM is shutting down; no child JVM is started");
                }
                directory = createPrivateDirectory();
                builder = new ProcessBuilder(command(writeArgumentFile(directory)));
                Map<String, String> env = builder.environment();
                if (session != null) {
                    AwsCliVariables variables = session.awscliVariables();
                    Optional<String> endpoint = variables.get(ENDPOINT_VARIABLE);
                    variables.get(CBOR_VARIABLE).ifPresent(cbor -> env.put(CBOR_VARIABLE, cbor));
                    snapshot = session.tempSnapshot(directory.resolve(SNAPSHOT_FILE_NAME));
                    env.put(BotoSesManager.SNAPSHOT_FILE_VARIABLE, snapshot.path().toString());
                    endpoint.ifPresentOrElse(uri -> env.put(ENDPOINT_VARIABLE, uri),
                            () -> env.remove(ENDPOINT_VARIABLE));
                }
                env.putAll(environment);
            }
            long startedAt = System.nanoTime();
            Process started;
            try {
                started = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start a child JVM for " + mainClass + " with "
                        + builder.command().get(0) + ": " + e.getMessage(), e);
            }
            synchronized (this) {
                process = started;
                if (cleanedUp) { // the JVM is shutting down and the hook already ran
                    stop(started);
                }
            }
            try {
                started.getOutputStream().close(); // the child reads an empty stdin instead of waiting for input
            } catch (IOException ignored) {
                // closing our end of its stdin cannot matter
            }
            StreamCollector stdout = StreamCollector.start(started.getInputStream(), mainClass + " stdout");
            StreamCollector stderr = StreamCollector.start(started.getErrorStream(), mainClass + " stderr");
            boolean timedOut;
            try {
                timedOut = !started.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (timedOut) {
                    stop(started);
                }
                started.waitFor();
                stdout.await(READER_GRACE);
                stderr.await(READER_GRACE);
            } catch (InterruptedException e) {
                stop(started);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the child JVM running " + mainClass
                        + "; it was stopped", e);
            }
            Duration duration = Duration.ofNanos(System.nanoTime() - startedAt);
            return new Result(mainClass, started.exitValue(), timedOut, timeout, duration, stdout.text(),
                    stderr.text());
        }

        private List<String> command(Path argumentFile) {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable().toString());
            command.add("@" + argumentFile);
            command.addAll(UTF8_STREAMS);
            command.addAll(jvmArgs);
            command.add(mainClass);
            command.addAll(args);
            return command;
        }

        /** Removes the snapshot and the directory once; a failure is added to the run's failure or thrown. */
        synchronized void cleanUp(Throwable primary) {
            if (cleanedUp) {
                return;
            }
            cleanedUp = true;
            RuntimeException failure = null;
            try {
                if (snapshot != null) {
                    snapshot.close();
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            try {
                if (directory != null) {
                    deleteRecursively(directory);
                }
            } catch (IOException e) {
                UncheckedIOException problem = new UncheckedIOException("Could not remove the child JVM's temporary"
                        + " directory " + directory + ", which may hold a session snapshot; remove it by hand", e);
                if (failure == null) {
                    failure = problem;
                } else {
                    failure.addSuppressed(problem);
                }
            }
            if (failure != null) {
                if (primary != null) {
                    primary.addSuppressed(failure);
                } else {
                    throw failure;
                }
            }
        }

        /** Shutdown hook: stop the child if it is still running, then remove its files. */
        void abandon() {
            Process running;
            synchronized (this) {
                running = process;
            }
            if (running != null && running.isAlive()) {
                stop(running);
            }
            try {
                cleanUp(null);
            } catch (RuntimeException ignored) {
                // the JVM is exiting; nothing more can be done
            }
        }
    }

    /** Asks the child and its descendants (found before any is signalled) to exit, then kills what is left. */
    static void stop(Process process) {
        ProcessTrees.terminateTree(process.toHandle());
    }

    // ----------------------------------------------------------------------------------------------- files

    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", Platform.windows() ? "java.exe" : "java");
    }

    private static Path createPrivateDirectory() {
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            // Without POSIX permissions (Windows) the directory inherits the user's temp directory's ACL.
            return tmp.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempDirectory(tmp, "bsm-forked-jvm-",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                    : Files.createTempDirectory(tmp, "bsm-forked-jvm-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for a child JVM: " + e, e);
        }
    }

    /** The class path in a {@code java @file} argument file: no command-line length limit, on any OS. */
    private static Path writeArgumentFile(Path directory) {
        String classPath = System.getProperty("java.class.path", "");
        String quoted = "\"" + classPath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Path file = directory.resolve(ARGUMENT_FILE_NAME);
        try {
            Files.writeString(file, "-cp\n" + quoted + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the child JVM's argument file " + file + ": " + e, e);
        }
        return file;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toNanos() / 1e9);
    }

    // ----------------------------------------------------------------------------------------------- output

    /** Reads one stream to its end on a daemon thread, keeping the first {@link #MAX_CAPTURED_BYTES}. */
    private static final class StreamCollector implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread thread;
        private long dropped; // guarded by this
        private IOException failure; // guarded by this

        private StreamCollector(InputStream in, String name) {
            this.in = in;
            this.thread = new Thread(this, "bsm-forked-jvm " + name);
            this.thread.setDaemon(true);
        }

        static StreamCollector start(InputStream in, String name) {
            StreamCollector collector = new StreamCollector(in, name);
            collector.thread.start();
            return collector;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (InputStream stream = in) {
                int n;
                while ((n = stream.read(buffer)) >= 0) {
                    synchronized (this) {
                        int room = MAX_CAPTURED_BYTES - kept.size();
                        int keep = Math.max(0, Math.min(room, n));
                        kept.write(buffer, 0, keep);
                        dropped += n - keep;
                    }
                }
            } catch (IOException e) {
                synchronized (this) {
                    failure = e;
                }
            }
        }

        void await(Duration limit) throws InterruptedException {
            thread.join(Math.max(1, limit.toMillis()));
        }

        synchronized String text() {
            StringBuilder text = new StringBuilder(kept.toString(StandardCharsets.UTF_8));
            if (dropped > 0) {
                text.append("\n[bsm: ").append(dropped).append(" more bytes were not kept]");
            }
            if (thread.isAlive()) {
                text.append("\n[bsm: the stream was still open when the child exited; a descendant may hold it]");
            } else if (failure != null) {
                text.append("\n[bsm: reading the stream failed: ").append(failure).append(']');
            }
            return text.toString();
        }
    }
}
