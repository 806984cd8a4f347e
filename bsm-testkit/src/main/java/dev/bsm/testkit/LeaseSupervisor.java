package dev.bsm.testkit;

import dev.bsm.core.BsmException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The process that runs a build's emulator for the JVMs of the build (see {@link BuildLease}): a small JVM that
 * the first of them launches, with bsm-testkit and bsm-core as its class path. It starts the lease's
 * {@link BuildKey.Kind kind} of emulator: {@code moto_server} (a {@link MotoProcess}, under its
 * {@link OwnerWatchdog}, so that moto dies with the supervisor however it dies) or a LocalStack container (a
 * {@link LeaseContainer}, through Testcontainers, whose Ryuk removes it when the supervisor dies). Everything else
 * is the same for both: it writes into the lease's record that it is ready, and then every {@value #WATCH_MILLIS} ms tries to lock the users
 * file exclusively. That succeeds once no JVM holds its shared lock any more, that is once the last JVM using the
 * emulator has exited, however it exited. Then it stops the emulator under the start lock, removes the record and
 * exits.
 *
 * <p>It serves only the lease that names it: one that the record does not name when it starts (its launcher died
 * before naming it, and another JVM launched another) exits at once, and it writes only while the record names it.
 * What it prints goes to the lease's {@value LeaseDirectory#SUPERVISOR_LOG}.
 */
final class LeaseSupervisor {

    static final long WATCH_MILLIS = 100;
    /** How long the supervisor waits for the start lock, which JVMs hold for milliseconds at a time. */
    private static final Duration START_LOCK_WAIT = Duration.ofMinutes(5);
    /** Options meant for the test JVMs (agents, coverage, debuggers) that have no business in the supervisor. */
    private static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS");

    private final LeaseDirectory lease;
    private final FileChannel start;
    private final FileChannel users;
    private final ProcessStamp self;
    private final BuildKey.Kind kind;

    /** What a supervisor runs for its lease, whichever its kind. */
    interface Served {
        /** {@return where the emulator answers} */
        URI endpoint();

        /** {@return the process the record names as the emulator's} */
        ProcessStamp server();

        /** {@return the emulator's log, which the record names} */
        Path log();

        /** {@return why the emulator is gone while the build uses it; empty while it runs} */
        Optional<String> exited();

        /** Stops the emulator; again does nothing. */
        void stop();
    }

    private LeaseSupervisor(LeaseDirectory lease, FileChannel start, FileChannel users, ProcessStamp self,
            BuildKey.Kind kind) {
        this.lease = lease;
        this.start = start;
        this.users = users;
        this.self = self;
        this.kind = kind;
    }

    /**
     * Runs the supervisor of the lease directory {@code args[0]} in the user's directory of {@code java.io.tmpdir}.
     *
     * @param args the lease directory's name, and the {@link BuildKey.Kind} of its emulator (moto if absent)
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args[0], args.length > 1 ? BuildKey.Kind.valueOf(args[1]) : BuildKey.Kind.MOTO);
        } catch (Exception e) {
            print("failed: " + e);
            status = 2;
        }
        System.exit(status); // also ends the readiness probe's HTTP client threads
    }

    /**
     * The command that runs the supervisor of a lease in a JVM of its own. A LocalStack supervisor gets more heap
     * (Testcontainers' Docker client), the image and the class path of Testcontainers and its dependencies (see
     * {@link LeaseContainer#classPath()}), which the launcher writes to {@code argumentFile} first
     * ({@link LeaseContainer#argumentFile(String)}); a moto supervisor ignores that file.
     */
    static List<String> command(String leaseName, BuildKey.Kind kind, Duration startTimeout, Path argumentFile) {
        List<String> command = new ArrayList<>(List.of(ForkedJvm.javaExecutable().toString(),
                kind == BuildKey.Kind.MOTO ? "-Xmx48m" : "-Xmx160m", "-Xss512k", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-D" + TestkitSettings.MOTO_START_TIMEOUT_PROPERTY + "=" + startTimeout));
        if (kind == BuildKey.Kind.LOCALSTACK) {
            command.addAll(LeaseContainer.supervisorProperties());
        }
        // A LocalStack supervisor's class path is the test JVM's: in an argument file, since a command line that
        // long would be cut where ps and ProcessHandle read it, and may pass the kernel's limit of one argument.
        command.addAll(kind == BuildKey.Kind.MOTO ? List.of("-cp", classPath()) : List.of("@" + argumentFile));
        command.addAll(List.of(LeaseSupervisor.class.getName(), leaseName, kind.name()));
        return command;
    }

    /**
     * Prepares the supervisor's environment, inherited from the JVM that launches it: the executable to run (in
     * the environment, not on the command line, where {@code ps} would show the supervisor as a {@code moto_server})
     * and no options meant for test JVMs.
     */
    static void environment(Map<String, String> environment, Path executable) {
        JVM_OPTION_VARIABLES.forEach(environment::remove);
        if (executable != null) {
            environment.put(TestkitSettings.MOTO_EXECUTABLE_VARIABLE, executable.toString());
        }
    }

    /**
     * Where bsm-testkit's and bsm-core's classes are, which is all the supervisor needs; the whole class path of
     * this JVM where either is not a plain file or directory.
     */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : List.of(LeaseSupervisor.class, BsmException.class)) {
            Optional<Path> location = location(type);
            if (location.isEmpty()) {
                return System.getProperty("java.class.path");
            }
            entries.add(location.get().toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    static Optional<Path> location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        try {
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            URI uri = source.getLocation().toURI();
            return "file".equals(uri.getScheme()) ? Optional.of(Path.of(uri)) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int run(String leaseName, BuildKey.Kind kind) throws IOException, InterruptedException {
        ProcessStamp self = ProcessStamp.of(ProcessHandle.current())
                .orElseThrow(() -> new IOException("this JVM's start time is not known"));
        try (LeaseDirectory lease = LeaseDirectory.open(Path.of(System.getProperty("java.io.tmpdir")), leaseName);
                FileChannel start = lease.openFile(LeaseDirectory.START_LOCK);
                FileChannel users = lease.openFile(LeaseDirectory.USERS_LOCK)) {
            return new LeaseSupervisor(lease, start, users, self, kind).serve();
        }
    }

    private int serve() throws IOException, InterruptedException {
        print("supervisor pid " + self.pid() + " of " + lease.path());
        Optional<LeaseRecord> named = named(LeaseRecord.State.STARTING);
        if (named.isEmpty()) {
            print("the lease does not name this supervisor: another one serves it; exiting");
            return 0;
        }
        String what = kind.what();
        Served served;
        try {
            served = kind == BuildKey.Kind.MOTO ? moto() : LeaseContainer.start(self, lease.path()
                    .resolve(LeaseDirectory.SUPERVISOR_LOG));
        } catch (RuntimeException e) {
            print(what + " did not start");
            rewrite(named.get().failed(e.getMessage()));
            return 1;
        }
        if (!rewrite(named.get().ready(served.endpoint(), served.server(), served.log()))) {
            served.stop();
            print("the lease no longer names this supervisor; exiting");
            return 0;
        }
        print(what + " ready at " + served.endpoint() + " (the record names pid " + served.server().pid() + ")");
        while (true) {
            Optional<String> gone = served.exited();
            if (gone.isPresent()) {
                served.stop();
                rewrite(named.get().failed(gone.get()));
                print(what + " exited");
                return 1;
            }
            FileLock last = users.tryLock(0, Long.MAX_VALUE, false);
            if (last != null) {
                break; // held until this JVM exits: no JVM can become a user meanwhile
            }
            Thread.sleep(WATCH_MILLIS);
        }
        print("no JVM uses the lease any more: stopping the " + what);
        FileLock held = startLock();
        try {
            served.stop();
            if (lease.readRecord().filter(record -> record.names(self)).isPresent()) {
                lease.deleteRecord();
            }
        } finally {
            held.release();
        }
        print("stopped");
        return 0;
    }

    /** Starts {@code moto_server}; {@return it, as the supervisor serves it} */
    private static Served moto() {
        MotoProcess moto = MotoProcess.launch(MotoProcess::freePort);
        Optional<ProcessStamp> server = ProcessStamp.of(moto.server());
        if (server.isEmpty()) {
            moto.stop();
            throw new EmulatorStartException("the start time of moto_server (pid " + moto.server().pid() + ") is not"
                    + " known, so the lease could not name it");
        }
        return new Served() {
            @Override
            public URI endpoint() {
                return moto.endpoint();
            }

            @Override
            public ProcessStamp server() {
                return server.get();
            }

            @Override
            public Path log() {
                return moto.logFile();
            }

            @Override
            public Optional<String> exited() {
                return moto.launched().isAlive() && ProcessTrees.isRunning(moto.server()) ? Optional.empty()
                        : Optional.of("moto_server (pid " + moto.server().pid() + ") exited while the build used it."
                                + " Its log:\n" + moto.logTail());
            }

            @Override
            public void stop() {
                moto.stop();
            }
        };
    }

    /** {@return the record, if it names this supervisor in the given state} */
    private Optional<LeaseRecord> named(LeaseRecord.State state) throws IOException, InterruptedException {
        FileLock held = startLock();
        try {
            return lease.readRecord().filter(record -> record.names(self) && record.state() == state);
        } finally {
            held.release();
        }
    }

    /** Writes the record if the lease still names this supervisor; {@return whether it did} */
    private boolean rewrite(LeaseRecord record) throws IOException, InterruptedException {
        FileLock held = startLock();
        try {
            if (lease.readRecord().filter(current -> current.names(self)).isEmpty()) {
                return false;
            }
            lease.writeRecord(record);
            return true;
        } finally {
            held.release();
        }
    }

    private FileLock startLock() throws IOException, InterruptedException {
        FileLock held = LeaseDirectory.acquire(start, false, 20, System.nanoTime() + START_LOCK_WAIT.toNanos());
        if (held == null) {
            throw new IOException("the lease's start lock was held for more than " + START_LOCK_WAIT);
        }
        return held;
    }

    private static void print(String line) {
        System.out.println(Instant.now() + " " + line);
    }
}
