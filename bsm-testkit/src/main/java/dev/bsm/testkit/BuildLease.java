package dev.bsm.testkit;

import dev.bsm.testkit.internal.OwnedTree;
import dev.bsm.testkit.internal.UserTempDirectory;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The build's shared emulator as a JVM that uses it sees it: every test JVM of a build meets the others in the
 * lease directory of its {@link BuildKey} (see {@link LeaseDirectory} for its files).
 *
 * <p>A JVM takes the start lock and reads the record. Where a live supervisor (its pid and start time) runs the
 * emulator, the JVM takes its shared lock on the users file and, once the record says ready and the endpoint's
 * port is held by the recorded {@code moto_server}, uses it. Where none runs, the JVM takes its shared lock on the
 * users file, launches a supervisor ({@link LeaseSupervisor}, a small JVM), writes the record naming it and lets go
 * of the start lock; then it waits for the record to say ready, as the others do. So many JVMs starting at once
 * launch one supervisor; and a supervisor serves only while the record names it.
 *
 * <p>A JVM keeps its shared lock on the users file until it exits: the kernel releases it then, however the JVM
 * ends ({@code kill -9} included). The supervisor's exclusive lock on the file succeeds once no JVM holds one, and
 * then it stops the emulator under the start lock and removes the record. A JVM that comes meanwhile cannot take
 * its shared lock, so it waits for that supervisor to exit, then launches a new one.
 *
 * <p>A build tool's JVM ({@link BuildEmulator}) attaches the same way but outlives its use: {@link #release(Path)}
 * gives up its lock. The test JVMs it launches {@link #join(Path, URI)} the lease it names, which never launches a
 * supervisor.
 */
final class BuildLease {

    private static final long PAUSE_MILLIS = 20;
    /** Beyond the supervisor's own start timeouts, for its JVM to start and report. */
    private static final Duration SUPERVISOR_MARGIN = Duration.ofSeconds(10);
    /**
     * This JVM's channel on each lease's users file (by the lease directory's path), holding the JVM's shared lock
     * until it exits: never closed, as closing it would release the lock.
     */
    private static final Map<Path, FileChannel> USES = new ConcurrentHashMap<>();

    private BuildLease() {
    }

    /**
     * The build's emulator as this JVM uses it.
     *
     * @param endpoint where it answers
     * @param server its process, which this JVM did not start
     * @param logFile its log, which the supervisor's JVM writes
     * @param build the build and emulator in words
     * @param lease the lease directory, which {@link #join(Path, URI)} and {@link #release(Path)} take
     */
    record Attached(URI endpoint, ProcessHandle server, Path logFile, String build, Path lease) {
    }

    /**
     * {@return the refusal of a reset of a build-shared emulator}: every test JVM of the build uses its state at once.
     *
     * @param emulator the emulator in words
     * @param perJvm what {@code share=jvm} gives instead, e.g. "a container per JVM"
     * @param ownOne how to get an emulator of one's own, e.g. "MotoServer.start() for a server of your own"
     */
    static UnsupportedOperationException resetRefused(String emulator, String perJvm, String ownOne) {
        return new UnsupportedOperationException("Cannot reset " + emulator + ": every test JVM of this build uses it"
                + " at the same time (" + TestkitSettings.EMULATOR_SHARE_PROPERTY + "=build, the default), and a reset"
                + " would delete their state too. Give each test class an account of its own (@WithAwsSession does,"
                + " with its default isolation) or unique resource names; or set -D"
                + TestkitSettings.EMULATOR_SHARE_PROPERTY + "=jvm for " + perJvm + ", or use " + ownOne + ".");
    }

    /**
     * {@return whether a lease can be kept safe here}: a POSIX temporary directory (the checked, owner-only
     * {@code bsm-<uid>}) whose directories the platform opens for use relative to them, and a POSIX shell for the
     * emulator's watchdog, which stops it if the supervisor dies
     */
    static boolean supported() {
        Path temporary = temporaryDirectory();
        return OwnerWatchdog.available() && UserTempDirectory.supported(temporary) && OwnedTree.supported(temporary);
    }

    /**
     * Attaches this JVM to the build's emulator, starting it if no JVM of the build has.
     *
     * @param key the build
     * @param executable the {@code moto_server} the supervisor runs if this JVM launches it; {@code null} for a
     *     LocalStack lease, whose supervisor starts the container
     * @return the running emulator; this JVM counts as one of its users until it exits
     * @throws EmulatorStartException if the emulator did not start, or the lease is not safe to use (the message
     *     says what to do)
     */
    static Attached attach(BuildKey key, Path executable) {
        Duration timeout = TestkitSettings.motoStartTimeout();
        Duration startWait = key.kind() == BuildKey.Kind.MOTO
                ? timeout.multipliedBy(MotoProcess.MAX_START_ATTEMPTS + 1L) : LeaseContainer.START_WAIT;
        long deadline = System.nanoTime() + startWait.plus(SUPERVISOR_MARGIN).toNanos();
        String what = key.kind().what();
        Path temporary = temporaryDirectory();
        try (LeaseDirectory lease = LeaseDirectory.open(temporary, key.directoryName());
                FileChannel start = lease.openFile(LeaseDirectory.START_LOCK)) {
            // No lock of this JVM is left on the start lock when the channel closes.
            return new Rendezvous(lease, start, key, executable, timeout, deadline).attach();
        } catch (UserTempDirectory.UnsafeException e) {
            throw new EmulatorStartException(what + " was not started: the build's shared " + what + " cannot be"
                    + " used safely. " + e.getMessage(), e);
        } catch (IOException e) {
            throw new EmulatorStartException(what + " was not started: the lease of the build's shared"
                    + " " + what + " (" + key.directoryName() + " in bsm's per-user directory of " + temporary
                    + ") cannot be used: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulatorStartException("The thread was interrupted while waiting for the build's shared"
                    + " " + what, e);
        }
    }

    /** One JVM's way to the build's emulator, from the first look at the lease to a ready emulator. */
    private static final class Rendezvous {
        private final LeaseDirectory lease;
        private final FileChannel start;
        private final BuildKey key;
        private final Path executable;
        private final Duration timeout;
        private final long deadline;
        private final long began = System.nanoTime();
        /** The supervisor this JVM waits for: the one the record named, or the one it launched. */
        private ProcessStamp awaited;
        /** The supervisor this JVM launched, if any. */
        private Process launched;
        private String lastSeen = "the lease was not read yet";

        Rendezvous(LeaseDirectory lease, FileChannel start, BuildKey key, Path executable, Duration timeout,
                long deadline) {
            this.lease = lease;
            this.start = start;
            this.key = key;
            this.executable = executable;
            this.timeout = timeout;
            this.deadline = deadline;
        }

        Attached attach() throws IOException, InterruptedException {
            while (true) {
                Optional<Attached> attached = look();
                if (attached.isPresent()) {
                    return attached.get();
                }
                if (System.nanoTime() - deadline > 0) {
                    throw failure("this JVM waited " + seconds() + " for it (last seen: " + lastSeen + ")");
                }
                Thread.sleep(PAUSE_MILLIS);
            }
        }

        /** One look at the record, under the start lock: attached, or what to wait for. */
        private Optional<Attached> look() throws IOException, InterruptedException {
            FileLock held = LeaseDirectory.acquire(start, false, PAUSE_MILLIS, deadline);
            if (held == null) {
                lastSeen = "another JVM held the lease's start lock";
                return Optional.empty();
            }
            try {
                Optional<LeaseRecord> record = lease.readRecord();
                if (record.isPresent() && record.get().supervisor().running().isPresent()) {
                    return live(record.get());
                }
                if (record.isPresent() && awaited != null && record.get().names(awaited)) {
                    // The supervisor this JVM waited for is gone.
                    if (record.get().state() == LeaseRecord.State.FAILED) {
                        throw failure("its supervisor (pid " + awaited.pid() + ") reported: "
                                + record.get().failure().orElse(""));
                    }
                    if (launched != null) {
                        throw failure("its supervisor (pid " + awaited.pid() + "), launched by this JVM, exited"
                                + exitCode() + " before the " + key.kind().what() + " was ready");
                    }
                }
                return launch();
            } finally {
                held.release();
            }
        }

        /** The record names a supervisor that runs. */
        private Optional<Attached> live(LeaseRecord record) throws IOException {
            if (record.state() == LeaseRecord.State.FAILED) {
                throw failure("its supervisor (pid " + record.supervisor().pid() + ") reported: "
                        + record.failure().orElse(""));
            }
            if (!use()) {
                lastSeen = "the supervisor (pid " + record.supervisor().pid() + ") was stopping the " + key.kind().what()
                        + ", its last user having exited";
                return Optional.empty();
            }
            awaited = record.supervisor();
            if (record.state() == LeaseRecord.State.STARTING) {
                lastSeen = "the supervisor (pid " + awaited.pid() + ") was starting the " + key.kind().what();
                return Optional.empty();
            }
            Optional<Attached> attached = attached(record, key.kind(), lease.user(), lease.path());
            if (attached.isEmpty()) {
                lastSeen = "the lease named a " + key.kind().what() + " at " + record.endpoint().map(URI::toString).orElse("?")
                        + " that does not run or does not hold its port";
            }
            return attached;
        }

        /** No supervisor runs: this JVM launches one and names it in the record. */
        private Optional<Attached> launch() throws IOException {
            if (!use()) {
                lastSeen = "the previous supervisor was still exiting";
                return Optional.empty();
            }
            Path log = lease.emptySupervisorLog();
            Path arguments = key.kind() == BuildKey.Kind.MOTO ? null : lease.writeFile(LeaseDirectory.SUPERVISOR_ARGS,
                    LeaseContainer.argumentFile(LeaseContainer.classPath()));
            ProcessBuilder builder = new ProcessBuilder(LeaseSupervisor.command(lease.name(), key.kind(), timeout,
                    arguments))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            LeaseSupervisor.environment(builder.environment(), executable);
            Process supervisor = builder.start();
            Optional<ProcessStamp> stamp = ProcessStamp.of(supervisor.toHandle());
            if (stamp.isEmpty()) {
                supervisor.destroyForcibly();
                throw failure("the start time of its supervisor (pid " + supervisor.pid() + ") is not known, so"
                        + " the lease could not name it");
            }
            lease.writeRecord(LeaseRecord.starting(stamp.get(), key.description(), key.kind()));
            launched = supervisor;
            awaited = stamp.get();
            lastSeen = "this JVM launched the supervisor (pid " + supervisor.pid() + ")";
            return Optional.empty();
        }

        /**
         * Takes this JVM's shared lock on the users file, once per JVM.
         *
         * @return false while a supervisor that found no user holds the file exclusively, to stop its emulator
         */
        private boolean use() throws IOException {
            return BuildLease.use(lease);
        }

        private EmulatorStartException failure(String why) {
            String printed = lease.supervisorLogTail();
            return new EmulatorStartException("The build's shared " + key.kind().what() + " is not available: " + why + ". Lease: "
                    + lease.path() + " (" + key.description() + ")."
                    + (printed.isEmpty() ? "" : "\nThe supervisor printed:\n" + printed)
                    + "\nSet -D" + TestkitSettings.EMULATOR_SHARE_PROPERTY + "=jvm to start a " + key.kind().what()
                    + " in each test JVM instead.");
        }

        private String exitCode() {
            return launched.isAlive() ? "" : " with code " + launched.exitValue();
        }

        private String seconds() {
            return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - began) / 1e9);
        }
    }

    /**
     * Takes this JVM's shared lock on the lease's users file, once per JVM (until {@link #release(Path)}).
     *
     * @return false while a supervisor that found no user holds the file exclusively, to stop its emulator
     */
    private static synchronized boolean use(LeaseDirectory lease) throws IOException {
        Path where = lease.path();
        if (USES.containsKey(where)) {
            return true;
        }
        FileChannel users = lease.openFile(LeaseDirectory.USERS_LOCK);
        try {
            if (users.tryLock(0, Long.MAX_VALUE, true) == null) {
                users.close(); // this JVM holds no lock on the file: closing releases nothing
                return false;
            }
        } catch (OverlappingFileLockException e) {
            // Another class loader's BuildLease in this JVM holds it: the JVM is a user already. The channel
            // stays open, as closing it would release that lock.
        }
        USES.put(where, users);
        return true;
    }

    /**
     * Gives up this JVM's use of a lease: closes its channel on the users file, which releases its shared lock, so
     * that the supervisor stops the emulator once no other JVM uses it. For a build tool's JVM that outlives its
     * use of the emulator (Maven's, under a daemon even more so); a test JVM stays a user until it exits.
     *
     * @return whether this JVM was a user of the lease
     */
    static synchronized boolean release(Path lease) {
        FileChannel users = USES.remove(lease);
        if (users == null) {
            return false;
        }
        try {
            users.close();
        } catch (IOException e) {
            // Closing a file channel releases its locks even when it reports a failure.
        }
        return true;
    }

    /**
     * Joins an emulator that another JVM of the build holds (a build tool's, see {@link BuildEmulator}) without
     * ever starting one: this JVM becomes one of its users, as {@link #attach} makes it, if the lease's emulator
     * runs at {@code endpoint}.
     *
     * @param lease the lease directory, in the user's {@code bsm-<uid>} of some temporary directory
     * @param endpoint where the holder said the emulator answers
     * @throws EmulatorStartException if the lease names no running emulator at that endpoint, or is not safe to use
     */
    static Attached join(Path lease, URI endpoint) {
        Path perUser = lease.getParent();
        if (perUser == null || perUser.getParent() == null || !lease.getFileName().toString().startsWith(
                BuildKey.PREFIX)) {
            throw new EmulatorStartException("The build's moto_server cannot be joined: " + lease + " is no lease"
                    + " directory (bsm-<uid>/" + BuildKey.PREFIX + "<key> in a temporary directory)");
        }
        long deadline = System.nanoTime() + TestkitSettings.motoStartTimeout().plus(SUPERVISOR_MARGIN).toNanos();
        String why = "the lease was not read yet";
        try {
            // Checked before anything is opened, as opening makes what is missing.
            Path own = UserTempDirectory.of(perUser.getParent()).path();
            if (!own.resolve(lease.getFileName()).equals(lease)) {
                throw new EmulatorStartException("The build's moto_server cannot be joined: " + lease + " is not in"
                        + " this user's directory of its temporary directory (" + own + ")");
            }
        } catch (UserTempDirectory.UnsafeException e) {
            throw new EmulatorStartException("The build's moto_server at " + endpoint + " cannot be used safely. "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw notAvailable(lease, endpoint, "the lease cannot be read: " + e);
        }
        try (LeaseDirectory directory = LeaseDirectory.open(perUser.getParent(), lease.getFileName().toString());
                FileChannel start = directory.openFile(LeaseDirectory.START_LOCK)) {
            while (System.nanoTime() - deadline < 0) {
                FileLock held = LeaseDirectory.acquire(start, false, PAUSE_MILLIS, deadline);
                if (held == null) {
                    break;
                }
                try {
                    Optional<LeaseRecord> record = directory.readRecord();
                    if (record.isEmpty() || record.get().supervisor().running().isEmpty()) {
                        why = "no supervisor runs its emulator any more: the JVM that held it (Maven's) has let go"
                                + " of it or exited";
                        break;
                    }
                    if (record.get().state() == LeaseRecord.State.FAILED) {
                        why = "its supervisor reported: " + record.get().failure().orElse("");
                        break;
                    }
                    if (record.get().state() == LeaseRecord.State.READY) {
                        if (!record.get().endpoint().filter(endpoint::equals).isPresent()) {
                            why = "it names " + record.get().endpoint().map(URI::toString).orElse("no endpoint")
                                    + ", not " + endpoint;
                            break;
                        }
                        boolean wasUser = USES.containsKey(directory.path());
                        if (use(directory)) {
                            Optional<Attached> attached = attached(record.get(), BuildKey.Kind.MOTO, directory.user(),
                                    directory.path());
                            if (attached.isPresent()) {
                                return attached.get();
                            }
                            if (!wasUser) {
                                release(directory.path());
                            }
                            why = "its moto_server does not run or does not hold its port";
                            break;
                        }
                        why = "its supervisor was stopping moto_server, its last user having exited";
                        break;
                    }
                    why = "its supervisor was starting moto_server";
                } finally {
                    held.release();
                }
                Thread.sleep(PAUSE_MILLIS);
            }
        } catch (UserTempDirectory.UnsafeException e) {
            throw new EmulatorStartException("The build's moto_server at " + endpoint + " cannot be used safely. "
                    + e.getMessage(), e);
        } catch (IOException e) {
            why = "the lease cannot be read: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulatorStartException("The thread was interrupted while joining the build's moto_server", e);
        }
        throw notAvailable(lease, endpoint, why);
    }

    private static EmulatorStartException notAvailable(Path lease, URI endpoint, String why) {
        return new EmulatorStartException("The build's moto_server at " + endpoint + " (lease " + lease + ", given"
                + " by system property " + TestkitSettings.BUILD_EMULATOR_LEASE_PROPERTY + ", as bsm-maven-plugin"
                + " sets it) is not available: " + why + ". A test JVM never starts the build's emulator itself: run"
                + " it within the Maven build that started it, or without " + TestkitSettings.BUILD_EMULATOR_LEASE_PROPERTY
                + ".");
    }

    /**
     * {@return the record's emulator, if it is of the expected kind, runs (the recorded pid and start time, this
     * user's) and, for moto, holds the endpoint's port (on Linux, by the kernel's socket tables)}. A container's
     * mapped port is held by Docker's proxy, not by a process of this user: there the recorded server is the
     * supervisor, which holds the container and records a failure if the container stops.
     */
    static Optional<Attached> attached(LeaseRecord record, BuildKey.Kind kind, UserPrincipal owner, Path lease) {
        if (record.kind() != kind) {
            return Optional.empty();
        }
        Optional<String> user = ProcessHandle.current().info().user();
        Optional<ProcessHandle> server = record.server().flatMap(ProcessStamp::running)
                .filter(process -> user.isPresent() && user.equals(process.info().user()));
        if (server.isEmpty() || record.endpoint().isEmpty() || record.log().filter(log -> ownFile(log, owner))
                .isEmpty()) {
            return Optional.empty();
        }
        URI endpoint = record.endpoint().get();
        if (kind == BuildKey.Kind.LOCALSTACK) {
            return Optional.of(new Attached(endpoint, server.get(), record.log().get(), record.build(), lease));
        }
        PortListeners.Holder holder = PortListeners.holder(endpoint.getPort(), ProcessTrees.tree(server.get()));
        if (holder != PortListeners.Holder.OURS && holder != PortListeners.Holder.UNKNOWN) {
            return Optional.empty();
        }
        return Optional.of(new Attached(endpoint, server.get(), record.log().get(), record.build(), lease));
    }

    /** {@return whether the file is a regular file of the user's, not a link}: only such a log is read */
    private static boolean ownFile(Path file, UserPrincipal owner) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() && attributes.owner().equals(owner);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Path temporaryDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }
}
