package dev.bsm.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a snapshot path one open {@link TempSnapshot}'s at a time, across JVMs: an exclusive lock on the file
 * {@code .NAME.bsm-lock} beside the snapshot in its real directory, so that a path through a symbolically linked
 * directory names the same lock. The operating system releases the lock of a JVM that dies; the file is removed
 * when the lock is released. The lock is lost while held when anyone removes the file, or when any code in the
 * holding JVM closes a channel on it (a POSIX lock belongs to the process): so {@link TempSnapshot} does not rely on
 * it alone, and also refuses a path for which a running JVM's record says it is open.
 */
final class SnapshotLock implements AutoCloseable {
    /**
     * Lock files this JVM holds. Locks belong to the process: closing any other channel on a held lock file would
     * release it, so this JVM never opens one twice.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 100;

    private final Path file;
    private final FileChannel channel;
    private final FileChannel probe;
    private final String key;

    private SnapshotLock(Path file, FileChannel channel, FileChannel probe, String key) {
        this.file = file;
        this.channel = channel;
        this.probe = probe;
        this.key = key;
    }

    /**
     * Takes the lock of a snapshot path, without waiting.
     *
     * @param real the snapshot path in its real directory
     * @param shown the path as the caller gave it, for messages
     * @param user who owns the files this JVM makes there
     * @throws InvalidSnapshotException when another open snapshot, in this JVM or another, holds the path, or
     *     when the lock file is not one bsm can use: a link, a FIFO, or another user's
     */
    static SnapshotLock acquire(Path real, Path shown, CurrentUser user) {
        Path file = fileOf(real);
        if (!HELD.add(file)) {
            throw held(shown);
        }
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                SnapshotLock lock = tryOnce(file, shown, user);
                if (lock != null) {
                    return lock;
                }
            }
            throw new BsmException("Could not lock the snapshot file " + shown + ": its lock file " + file
                    + " kept being replaced; make sure nothing but bsm writes it");
        } catch (IOException e) {
            HELD.remove(file);
            throw new InvalidSnapshotException(shown, "its lock file " + file + " cannot be used (" + e
                    + "); it must be a plain file you own: remove it if no snapshot is open there", e);
        } catch (RuntimeException | Error e) {
            HELD.remove(file);
            throw e;
        }
    }

    /** {@return the lock file of a snapshot path in its real directory} */
    static Path fileOf(Path real) {
        return real.resolveSibling("." + SnapshotRecord.stem(real) + ".bsm-lock");
    }

    /** {@return the lock, or null when the lock file was replaced under us and the caller must try again} */
    private static SnapshotLock tryOnce(Path file, Path shown, CurrentUser user) throws IOException {
        FileChannel channel = open(file, shown, user);
        if (channel == null) {
            return null;
        }
        boolean locked = false;
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameFileByAnotherPath) {
                lock = null; // held in this JVM under another real path (a bind mount)
            }
            if (lock == null) {
                throw held(shown);
            }
            // The holder before us removes the file before it releases the lock: if we locked a removed file,
            // the path names another one (or none), and a lock on the removed file guards nothing.
            if (!user.ownsRegularFile(file)) {
                return null;
            }
            FileChannel probe;
            try {
                probe = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException removed) {
                return null;
            }
            try {
                FileLock other = probe.tryLock(0, Long.MAX_VALUE, true);
                if (other != null) {
                    other.release();
                }
                probe.close();
                return null; // another file than ours: this JVM does not hold a lock on it
            } catch (OverlappingFileLockException sameFile) {
                // This JVM holds a lock on the file the path names: ours. The probe stays open until release,
                // since closing it would release the lock.
                String key;
                try {
                    key = SnapshotRecord.fileKey(file);
                } catch (IOException | RuntimeException e) {
                    probe.close();
                    throw e;
                }
                locked = true;
                return new SnapshotLock(file, channel, probe, key);
            }
        } finally {
            if (!locked) {
                channel.close();
            }
        }
    }

    /**
     * Opens the lock file: a new one, or one that is a plain file of the user's. Anything else is never opened:
     * opening someone else's FIFO would wait forever. {@return the channel, or null when the file went away}
     */
    private static FileChannel open(Path file, Path shown, CurrentUser user) throws IOException {
        try {
            return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), OwnerOnlyFiles.ownerOnly(file));
        } catch (FileAlreadyExistsException exists) {
            // Left by a JVM that died, or held now; in a directory others share, a file of theirs is refused.
            if (!user.ownsRegularFile(file)) {
                throw new InvalidSnapshotException(shown, "its lock file " + file + " is not a plain file of"
                        + " yours (another user's, a link or a FIFO); remove it, or write snapshot files in a"
                        + " directory only you can write", null);
            }
            try {
                return FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException removed) {
                return null;
            }
        }
    }

    private static String keyOrNull(Path file) {
        try {
            return SnapshotRecord.fileKey(file);
        } catch (IOException gone) {
            return null;
        }
    }

    private static InvalidSnapshotException held(Path shown) {
        return new InvalidSnapshotException(shown, "another open TempSnapshot, in this JVM or another process,"
                + " already holds this path; close it first or give each snapshot its own path", null);
    }

    /**
     * Removes the lock file if it is still the one locked (one that replaced it is someone else's), then releases
     * the lock: whoever locks the removed file next sees it was removed.
     */
    @Override
    public void close() throws IOException {
        try {
            if (key.equals(keyOrNull(file))) {
                Files.deleteIfExists(file);
            }
        } finally {
            try {
                probe.close();
            } finally {
                try {
                    channel.close();
                } finally {
                    HELD.remove(file);
                }
            }
        }
    }
}
