package dev.bsm.testkit;

import dev.bsm.testkit.internal.OwnedTree;
import dev.bsm.testkit.internal.UserTempDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The emulators' log files: each JVM keeps them in one owner-only directory of its own,
 * {@code bsm-moto-<pid>-<random>}, in the user's checked owner-only directory {@code bsm-<uid>} of the temporary
 * directory (see {@link UserTempDirectory}), so that no other user can read, rename or put anything there.
 *
 * <p>bsm writes into each log directory what a later run needs to prove that it is a leftover: {@value #OWNER}
 * names the JVM (pid, start time, PID namespace), {@value #LOCK} is locked by that JVM for its lifetime (the kernel
 * releases the lock when the JVM dies, whatever its PID namespace), and each server's log
 * {@code moto-server-<random>.log} has a {@code .server} file naming that {@code moto_server} process the same
 * way. A JVM that is killed cannot remove its logs; the watchdog of each server usually does (see
 * {@link OwnerWatchdog}), and the first server a JVM starts sweeps what is left (see {@link MotoLogSweep}).
 *
 * <p>Where the temporary directory is not on a POSIX file system (Windows), the logs go into a directory of this
 * JVM there and nothing is swept: servers there run without a watchdog and are stopped by the shutdown hook only.
 */
final class MotoLogs {

    static final String DIRECTORY_PREFIX = "bsm-moto-";
    static final String OWNER = "owner";
    static final String LOCK = "lock";
    static final String LOG_SUFFIX = ".log";
    static final String SERVER_SUFFIX = ".server";

    private static final FileAttribute<?> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private static Path directory; // guarded by MotoLogs.class
    /** This JVM's lock on {@link #LOCK} in {@link #directory}; never released before the JVM exits. */
    private static FileChannel lock; // guarded by MotoLogs.class
    private static boolean swept; // guarded by MotoLogs.class

    private MotoLogs() {
    }

    /**
     * Creates an owner-only log file in this JVM's log directory, creating the directory (and sweeping the
     * leftovers of dead JVMs) first if needed.
     *
     * @throws EmulatorStartException if the temporary directory or the user's directory in it is not safe to use
     */
    static synchronized Path createLogFile() {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            if (!UserTempDirectory.supported(temporary)) {
                if (directory == null || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                    directory = Files.createTempDirectory(temporary, prefix());
                }
                return Files.createTempFile(directory, "moto-server-", LOG_SUFFIX);
            }
            UserTempDirectory base = UserTempDirectory.of(temporary);
            if (directory == null || !directory.getParent().equals(base.path())
                    || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                directory = createDirectory(base.path());
            }
            if (!swept) {
                swept = true;
                MotoLogSweep.sweep(base, directory.getFileName());
            }
            // On POSIX file systems createTempFile makes the file readable and writable by the owner only.
            return Files.createTempFile(directory, "moto-server-", LOG_SUFFIX);
        } catch (UserTempDirectory.UnsafeException e) {
            throw new EmulatorStartException("moto_server was not started: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a log file for moto_server in " + temporary + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Writes the {@code .server} file beside a log, naming the server that logs there, so that a later run can stop
     * that process (and no other) if this JVM and the server's watchdog are both killed. Best effort: without it,
     * the watchdog still stops the server.
     */
    static void recordServer(Path logFile, ProcessHandle server) {
        ProcessStamp.of(server).ifPresent(stamp -> {
            try {
                Files.write(Files.createFile(serverFile(logFile), OWNER_ONLY_FILE),
                        stamp.text().getBytes(StandardCharsets.UTF_8));
            } catch (IOException | UnsupportedOperationException e) {
                // no record: the sweep will not stop this server, the watchdog still does
            }
        });
    }

    /** Removes a server's log and its {@code .server} file. */
    static void deleteLog(Path logFile) {
        for (Path file : List.of(serverFile(logFile), logFile)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover is removed by a later run's sweep
            }
        }
    }

    /**
     * Removes this JVM's log directory if no log is left in it (its {@value #OWNER} and {@value #LOCK} files go
     * too); runs in the JVM shutdown hook.
     */
    static synchronized void deleteDirectoryIfEmpty() {
        if (directory == null) {
            return;
        }
        if (lock == null) {
            try {
                Files.deleteIfExists(directory);
                directory = null;
            } catch (IOException e) {
                // not empty, or gone already
            }
            return;
        }
        try (SecureDirectoryStream<Path> parent = OwnedTree.open(directory.getParent());
                SecureDirectoryStream<Path> own = parent.newDirectoryStream(directory.getFileName(),
                        LinkOption.NOFOLLOW_LINKS)) {
            List<Path> names = new ArrayList<>();
            own.forEach(entry -> names.add(entry.getFileName()));
            if (names.stream().allMatch(name -> Set.of(OWNER, LOCK).contains(name.toString()))) {
                for (Path name : names) {
                    own.deleteFile(name);
                }
                parent.deleteDirectory(directory.getFileName());
                directory = null;
            }
        } catch (IOException | DirectoryIteratorException e) {
            // a log is left, or the directory is gone: the next run's sweep removes what is left
        }
    }

    /** Makes this JVM's log directory: owner-only, locked by this JVM, with the stamp naming it. */
    private static Path createDirectory(Path base) throws IOException {
        Path created = Files.createTempDirectory(base, prefix(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // Locked before the stamp is written: a sweep passes over a directory without a stamp.
        FileChannel channel = FileChannel.open(created.resolve(LOCK), Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY_FILE);
        FileLock held = channel.tryLock();
        if (held == null) {
            channel.close();
            throw new IOException("could not lock " + created.resolve(LOCK) + ", a file this JVM just made");
        }
        lock = channel; // kept open, unclosed, for the JVM's lifetime: closing it would release the lock
        ProcessStamp stamp = ProcessStamp.of(ProcessHandle.current())
                .orElseThrow(() -> new IOException("this JVM's start time is not known"));
        Files.write(Files.createFile(created.resolve(OWNER), OWNER_ONLY_FILE),
                stamp.text().getBytes(StandardCharsets.UTF_8));
        return created;
    }

    private static String prefix() {
        return DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-";
    }

    static Path serverFile(Path logFile) {
        String name = logFile.getFileName().toString();
        String base = name.endsWith(LOG_SUFFIX) ? name.substring(0, name.length() - LOG_SUFFIX.length()) : name;
        return logFile.resolveSibling(base + SERVER_SUFFIX);
    }
}
