package dev.bsm.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Not API (see the {@linkplain dev.bsm.testkit.internal package}): the owner-only directories that hold snapshot
 * files, bsm-junit5's per-test ones and bsm-maven-plugin's per-build ones: {@code bsm-snapshot-<pid>-<random>} in the
 * per-user directory {@code bsm-<uid>} of the temporary directory. That one is made owner-only (0700) and checked
 * before each use (the user's, exactly 0700, not a link), so that other users can put nothing in it. A JVM that is
 * killed cannot remove its own directory, so each run first sweeps those whose JVM is gone, removing only the
 * user's own files and never following a symbolic link.
 *
 * <p>A JVM holds a lock on the file {@value #LIVE} in its directory while it runs (the operating system releases it
 * when the JVM dies), and the sweep removes only directories whose lock it can take: that works across PID
 * namespaces on one kernel (a container sharing the temporary directory), where a pid says nothing. The lock file
 * is made before the directory gets its name ({@code .bsm-snapshot-new-…} until then). Only a directory without one
 * (made by an earlier bsm) is judged by the pid in its name.
 */
public final class SnapshotDirectories {
    /** The start of every snapshot directory's name. */
    public static final String PREFIX = "bsm-snapshot-";
    static final String LIVE = ".bsm-live";
    private static final String STAGING = ".bsm-snapshot-new-";
    /**
     * The lock of each directory this JVM made, held until it is removed. Never opened twice: closing any other
     * channel on the file would release the JVM's lock on it.
     */
    private static final Map<Path, FileChannel> HELD = new ConcurrentHashMap<>();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** The per-user directory, or the temporary directory holding it, is not safe to use; the message says why. */
    public static final class UnsafeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsafeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SnapshotDirectories() {
    }

    /**
     * Makes a snapshot directory of this JVM's, owner-only, in the user's directory of the temporary directory;
     * this JVM holds its lock until {@link #delete(Path)}, or until it exits.
     *
     * @param tempDirectory the temporary directory, typically {@code java.io.tmpdir}
     * @return the new directory
     * @throws UnsafeException when the user's directory is not safe to use
     * @throws UncheckedIOException when it cannot be made
     */
    public static Path create(Path tempDirectory) {
        Path base = perUser(tempDirectory).path();
        try {
            String pid = ProcessHandle.current().pid() + "-";
            Path staging = Files.createTempDirectory(base, STAGING + pid,
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            FileChannel live = FileChannel.open(staging.resolve(LIVE), Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                if (live.tryLock() == null) {
                    throw new IOException("its new lock file " + staging.resolve(LIVE) + " is locked already");
                }
                Path directory = base.resolve(PREFIX + pid
                        + staging.getFileName().toString().substring(STAGING.length() + pid.length()));
                Files.move(staging, directory); // a rename in one directory: the lock stays on the same file
                HELD.put(directory, live);
                return directory;
            } catch (IOException | RuntimeException e) {
                live.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create an owner-only directory for snapshot files in " + base,
                    e);
        }
    }

    /**
     * Removes a snapshot directory and whatever is left in it, and releases its lock.
     *
     * @param directory a directory that {@link #create(Path)} made
     * @throws UncheckedIOException when something in it cannot be removed or is not the user's
     */
    public static void delete(Path directory) {
        try (SecureDirectoryStream<Path> base = OwnedTree.open(directory.getParent())) {
            if (!OwnedTree.delete(base, directory.getFileName(), perUser(directory.getParent().getParent()).user())) {
                throw new IOException("something in it is not the user's");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the snapshot directory " + directory, e);
        } finally {
            FileChannel live = HELD.remove(directory);
            if (live != null) {
                try {
                    live.close(); // what is left of the directory is a later run's to sweep
                } catch (IOException e) {
                    // the lock goes with the channel all the same
                }
            }
        }
    }

    /**
     * Removes the snapshot directories of JVMs that no longer run, in the user's directory.
     *
     * @param tempDirectory the temporary directory, typically {@code java.io.tmpdir}
     * @return how many were removed
     * @throws UnsafeException when the user's directory is not safe to use
     */
    public static int sweepOrphans(Path tempDirectory) {
        UserTempDirectory base = perUser(tempDirectory);
        int removed = 0;
        try (SecureDirectoryStream<Path> entries = OwnedTree.open(base.path())) {
            List<Path> names = new ArrayList<>();
            entries.forEach(entry -> names.add(entry.getFileName()));
            for (Path name : names) {
                if (HELD.containsKey(base.path().resolve(name))) {
                    continue; // this JVM's own: never probed, as closing the probe would release its lock
                }
                try (Liveness liveness = Liveness.of(entries, name, base.user())) {
                    boolean orphan = liveness.lockFree().orElseGet(() -> name.toString().startsWith(PREFIX)
                            && ownerPid(name.toString()).filter(pid -> ProcessHandle.of(pid).isEmpty()).isPresent());
                    if (orphan) {
                        removed += OwnedTree.delete(entries, name, base.user()) ? 1 : 0;
                    }
                } catch (IOException e) {
                    // Best effort, one entry at a time: what cannot be removed now stays for a later run.
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // The user's directory cannot be listed: nothing to sweep.
        }
        return removed;
    }

    /**
     * {@return the user's directory in the temporary directory, made owner-only where missing}
     *
     * @param tempDirectory the temporary directory, typically {@code java.io.tmpdir}
     * @throws UnsafeException when it is not the user's, not exactly 0700, or a link, or when the temporary
     *     directory lets other users replace it
     */
    public static Path perUserDirectory(Path tempDirectory) {
        return perUser(tempDirectory).path();
    }

    private static UserTempDirectory perUser(Path tempDirectory) {
        try {
            return UserTempDirectory.of(tempDirectory);
        } catch (UserTempDirectory.UnsafeException e) {
            throw new UnsafeException("Snapshot files cannot be kept safe: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make or check the owner-only directory for snapshot files in "
                    + tempDirectory, e);
        }
    }

    private static Optional<Long> ownerPid(String name) {
        if (!name.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return dash > 0 ? Optional.of(Long.parseLong(rest.substring(0, dash))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
