package dev.bsm.junit5;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The owner-only directories that hold per-test snapshot files: {@code bsm-snapshot-<pid>-<random>} in the
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
final class SnapshotDirectories {
    static final String PREFIX = "bsm-snapshot-";
    static final String LIVE = ".bsm-live";
    private static final String STAGING = ".bsm-snapshot-new-";
    /**
     * The lock of each directory this JVM made, held until it is removed. Never opened twice: closing any other
     * channel on the file would release the JVM's lock on it.
     */
    private static final Map<Path, FileChannel> HELD = new ConcurrentHashMap<>();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;

    private SnapshotDirectories() {
    }

    /** The user's directory in the temporary directory, checked, and who the user is there. */
    private record PerUser(Path path, UserPrincipal user) {
    }

    /** Who owns the files this JVM makes in a directory. */
    private record Owner(Object uid, UserPrincipal user) {
    }

    static Path create(Path tempDirectory) {
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

    /** Removes a snapshot directory and whatever is left in it. */
    static void delete(Path directory) {
        try (SecureDirectoryStream<Path> base = OwnedTree.open(directory.getParent())) {
            if (!OwnedTree.delete(base, directory.getFileName(), owner(directory.getParent()).user())) {
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
     * @return how many were removed
     * @throws ExtensionConfigurationException when the user's directory is not safe to use
     */
    static int sweepOrphans(Path tempDirectory) {
        PerUser base = perUser(tempDirectory);
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
     * @throws ExtensionConfigurationException when it is not the user's, not exactly 0700, or a link, or when the
     *     temporary directory lets other users replace it
     */
    static Path perUserDirectory(Path tempDirectory) {
        return perUser(tempDirectory).path();
    }

    private static PerUser perUser(Path tempDirectory) {
        Path base = null;
        try {
            if (!tempDirectory.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                throw new ExtensionConfigurationException("Snapshot files need a POSIX file system for their"
                        + " owner-only directory; " + tempDirectory + " is not one: set java.io.tmpdir to one");
            }
            int mode = (Integer) Files.getAttribute(tempDirectory, "unix:mode");
            if ((mode & OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
                throw new ExtensionConfigurationException("The temporary directory " + tempDirectory + " is writable"
                        + " by every user but not sticky (as /tmp is, mode 1777), so another user could replace bsm's"
                        + " directory for snapshot files in it: set java.io.tmpdir to a directory only you can write");
            }
            Owner user = owner(tempDirectory);
            base = tempDirectory.resolve("bsm-" + user.uid());
            try {
                Files.createDirectory(base, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException e) {
                // Made by an earlier run, or by someone else: checked below.
            }
            Map<String, Object> found = Files.readAttributes(base, "unix:isDirectory,uid,mode",
                    LinkOption.NOFOLLOW_LINKS);
            if (!(Boolean) found.get("isDirectory")) {
                throw unsafe(base, "is not a directory (it is a symbolic link or a file)");
            }
            if (!found.get("uid").equals(user.uid())) {
                throw unsafe(base, "belongs to another user (uid " + found.get("uid") + ")");
            }
            int permissions = (Integer) found.get("mode") & 07777;
            if (permissions != 0700) {
                throw unsafe(base, "has the permissions " + Integer.toOctalString(permissions) + " ("
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(base, LinkOption.NOFOLLOW_LINKS))
                        + "), not 700 (rwx------)");
            }
            return new PerUser(base, user.user());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make or check the owner-only directory for snapshot files "
                    + (base != null ? base : "in " + tempDirectory), e);
        }
    }

    private static ExtensionConfigurationException unsafe(Path base, String problem) {
        return new ExtensionConfigurationException("The directory for bsm's snapshot files " + base + " " + problem
                + ": someone else may have made it to read or replace your snapshot files. Remove it, or set"
                + " java.io.tmpdir to a directory only you can write.");
    }

    /**
     * {@return who owns the files this JVM makes in the directory: the owner of a file just made there} (A user name
     * or uid from elsewhere can differ: a file system may map users, as NFS does for root.)
     */
    private static Owner owner(Path directory) throws IOException {
        Path probe = Files.createTempFile(directory, ".bsm-owner-", ".tmp", new FileAttribute<?>[0]);
        try {
            Map<String, Object> found = Files.readAttributes(probe, "unix:uid,owner", LinkOption.NOFOLLOW_LINKS);
            return new Owner(found.get("uid"), (UserPrincipal) found.get("owner"));
        } finally {
            Files.delete(probe);
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
