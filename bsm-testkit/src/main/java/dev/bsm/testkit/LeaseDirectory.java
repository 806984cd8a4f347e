package dev.bsm.testkit;

import dev.bsm.testkit.internal.OwnedFiles;
import dev.bsm.testkit.internal.UserTempDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;

/**
 * The lease directory of one build's emulator, {@code bsm-emulator-<key>} in the user's checked directory
 * {@code bsm-<uid>} (see {@link UserTempDirectory}): owner-only (0700), opened without following a link and
 * checked once open, and every file in it reached relative to it, owner-only (0600), checked for owner, type and
 * mode before use, never through a link. It holds:
 * <ul>
 *   <li>{@value #START_LOCK}: taken (exclusively, briefly) by whoever reads or writes the record, so that one JVM
 *       decides to start the emulator while the others wait;</li>
 *   <li>{@value #USERS_LOCK}: every JVM that uses the emulator holds a shared lock on it until it exits (the kernel
 *       releases it then, however the JVM ends); the supervisor's exclusive lock succeeds only once none is left;</li>
 *   <li>{@value #RECORD}: the {@link LeaseRecord}, replaced atomically;</li>
 *   <li>{@value #SUPERVISOR_LOG}: what the supervisor printed;</li>
 *   <li>{@value #SUPERVISOR_ARGS}: a LocalStack supervisor's class path.</li>
 * </ul>
 * The lock files are never removed: a JVM waiting on a removed one would hold a lock that nobody else sees.
 */
final class LeaseDirectory implements AutoCloseable {

    static final String START_LOCK = "start.lock";
    static final String USERS_LOCK = "users.lock";
    static final String RECORD = "lease";
    static final String SUPERVISOR_LOG = "supervisor.log";
    /** The LocalStack supervisor's class path, as a {@code java} argument file (too long for a command line). */
    static final String SUPERVISOR_ARGS = "supervisor.args";
    private static final String RECORD_DRAFT = "lease.new";
    private static final int LOG_TAIL_BYTES = 4096;

    private final Path path;
    private final UserPrincipal user;
    private final SecureDirectoryStream<Path> directory;

    private LeaseDirectory(Path path, UserPrincipal user, SecureDirectoryStream<Path> directory) {
        this.path = path;
        this.user = user;
        this.directory = directory;
    }

    /**
     * Opens the lease directory {@code name} in the user's directory of {@code tempDirectory}, making what is
     * missing.
     *
     * @throws UserTempDirectory.UnsafeException when the user's directory or the lease directory is not safe to use
     * @throws IOException when they cannot be made or opened
     */
    static LeaseDirectory open(Path tempDirectory, String name) throws IOException {
        UserTempDirectory base = UserTempDirectory.of(tempDirectory);
        return new LeaseDirectory(base.path().resolve(name), base.user(), base.openOwnerOnly(name));
    }

    /** {@return the directory's path, for messages and for the supervisor's log} */
    Path path() {
        return path;
    }

    /** {@return who owns the directory and everything bsm makes in it} */
    UserPrincipal user() {
        return user;
    }

    /** {@return the directory's name, which names the lease} */
    String name() {
        return path.getFileName().toString();
    }

    /**
     * Opens one of its files for reading and writing, making it (0600) where missing. A JVM must open each lock file
     * once and keep the channel as long as it holds a lock on it: closing any channel on the file releases every
     * lock the JVM holds on it.
     *
     * @throws UserTempDirectory.UnsafeException when the entry is not a regular, owner-only file of the user's
     */
    FileChannel openFile(String name) throws IOException {
        return OwnedFiles.openOrCreate(directory, Path.of(name), user, path.resolve(name));
    }

    /**
     * {@return the record, or empty where there is none or it is not well-formed}
     *
     * @throws UserTempDirectory.UnsafeException when the entry is not a regular, owner-only file of the user's
     */
    Optional<LeaseRecord> readRecord() throws IOException {
        return OwnedFiles.readOwnerOnly(directory, Path.of(RECORD), user, LeaseRecord.MAX_BYTES,
                path.resolve(RECORD)).flatMap(LeaseRecord::parse);
    }

    /** Replaces the record at once: readers see the old one or the new one, never a part. */
    void writeRecord(LeaseRecord record) throws IOException {
        Path draft = Path.of(RECORD_DRAFT);
        try {
            directory.deleteFile(draft); // a crash's leftover; whoever writes holds the start lock
        } catch (NoSuchFileException e) {
            // none
        }
        try (SeekableByteChannel channel = directory.newByteChannel(draft, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(OwnedFiles.OWNER_ONLY))) {
            ByteBuffer bytes = ByteBuffer.wrap(record.bytes());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (channel instanceof FileChannel file) {
                file.force(true);
            }
        }
        directory.move(draft, directory, Path.of(RECORD));
    }

    /** Removes the record, if there is one. */
    void deleteRecord() throws IOException {
        try {
            directory.deleteFile(Path.of(RECORD));
        } catch (NoSuchFileException e) {
            // gone already
        }
    }

    /** Writes a file of the lease's own (owner-only), replacing what it held; {@return its path} */
    Path writeFile(String name, byte[] content) throws IOException {
        try (FileChannel file = openFile(name)) {
            file.truncate(0);
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
        }
        return path.resolve(name);
    }

    /** Empties the supervisor's log, making it owner-only where missing, for the supervisor about to start. */
    Path emptySupervisorLog() throws IOException {
        try (FileChannel log = openFile(SUPERVISOR_LOG)) {
            log.truncate(0);
        }
        return path.resolve(SUPERVISOR_LOG);
    }

    /** {@return the last few KiB the supervisor printed; empty where it printed nothing} */
    String supervisorLogTail() {
        try (FileChannel log = OwnedFiles.open(directory, Path.of(SUPERVISOR_LOG), user, StandardOpenOption.READ)
                .orElse(null)) {
            if (log == null) {
                return "";
            }
            long size = log.size();
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, LOG_TAIL_BYTES));
            log.position(size - tail.capacity());
            while (tail.hasRemaining() && log.read(tail) > 0) {
                // read the tail
            }
            return new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Takes a lock, trying every {@code pauseMillis} until {@code deadline} ({@link System#nanoTime()}). Never
     * blocks in the kernel: a waiter blocked there can be refused with "Resource deadlock avoided" when the holder
     * waits for another lock in a thread of its own.
     *
     * @return the lock, or {@code null} if the deadline passed first
     */
    static FileLock acquire(FileChannel channel, boolean shared, long pauseMillis, long deadline)
            throws IOException, InterruptedException {
        while (true) {
            FileLock lock;
            try {
                lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            } catch (OverlappingFileLockException e) {
                lock = null; // another class loader's copy of bsm in this JVM holds it: wait as for another JVM
            }
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() - deadline > 0) {
                return null;
            }
            Thread.sleep(pauseMillis);
        }
    }

    @Override
    public void close() throws IOException {
        directory.close();
    }
}
