package dev.bsm.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A snapshot file that exists while this object is open: written owner-only (0600) from the moment it exists,
 * removed by {@link #close()}. A file that was already at the path is moved aside first and put back on close.
 * One open snapshot holds a path at a time, across JVMs and however the path is spelled (a symbolically linked
 * directory included): a second one is refused.
 *
 * <p>If the JVM is killed while the snapshot is open, the next snapshot written to the same path first removes the
 * leftover snapshot and puts the moved-aside file back. A file that was written at the path since then is the
 * user's and stays; the moved-aside one is then put beside it as {@code NAME.bsm-recovered-<time>-<random>}, with a
 * warning logged; the user's file stays at the path, whatever it holds, when the JVM died before moving it aside. What other users or
 * running JVMs left beside the path is never touched. A JVM is known by pid and start time: one in another PID
 * namespace that shares the directory (a container) is told apart only by the path's lock.
 *
 * <pre>{@code
 * try (TempSnapshot snapshot = bsm.tempSnapshot()) {
 *     // a child process calls BotoSesManager.fromSnapshotFile(snapshot.path())
 * }
 * }</pre>
 */
public final class TempSnapshot implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TempSnapshot.class.getName());
    private static final DateTimeFormatter RECOVERED_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RECOVERED_ATTEMPTS = 10;

    private final Path path;
    private final Path real;
    private final CurrentUser user;
    private final SnapshotLock lock;
    private final SnapshotRecord record;
    private boolean closed;

    private TempSnapshot(Path path, Path real, CurrentUser user, SnapshotLock lock, SnapshotRecord record) {
        this.path = path;
        this.real = real;
        this.user = user;
        this.lock = lock;
        this.record = record;
    }

    static TempSnapshot write(Path path, String json) {
        Path target = path.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw new InvalidSnapshotException(target, "the path is a directory; give a file path", null);
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InvalidSnapshotException(target, "its directory does not exist; create it first", null);
        }
        Path real;
        CurrentUser user;
        try {
            // The lock and everything beside the file live in the real directory: a path through a linked
            // directory names the same file, so it must meet the same lock.
            real = parent.toRealPath().resolve(target.getFileName());
            user = CurrentUser.in(real.getParent());
        } catch (IOException e) {
            throw new BsmException("Could not write snapshot file " + target + ": " + e, e);
        }
        SnapshotLock lock = SnapshotLock.acquire(real, target, user);
        try {
            return new TempSnapshot(target, real, user, lock, writeLocked(target, real, user, json));
        } catch (RuntimeException | Error e) {
            release(lock, e);
            throw e;
        }
    }

    private static SnapshotRecord writeLocked(Path target, Path real, CurrentUser user, String json) {
        SnapshotRecord record = null;
        try {
            for (SnapshotRecord left : SnapshotRecord.leftBehind(real, user)) {
                undo(left, real, user);
            }
            byte[] content = json.getBytes(StandardCharsets.UTF_8);
            Optional<String> original = Files.exists(real, LinkOption.NOFOLLOW_LINKS)
                    ? Optional.of(SnapshotRecord.fileKey(real)) : Optional.empty();
            // The record first: a JVM killed from here on leaves what the next snapshot needs to undo it.
            record = SnapshotRecord.create(real, content, original);
            // The lock alone is not enough: its JVM releases it when any channel on the lock file closes, and
            // anyone may remove the file. Another open snapshot's record of a running JVM says it holds the path.
            if (record.anotherIsOpen(user)) {
                SnapshotRecord mine = record;
                record = null;
                mine.delete();
                throw new InvalidSnapshotException(target, "another open TempSnapshot, in this JVM or another"
                        + " process, already holds this path, though its lock file " + SnapshotLock.fileOf(real)
                        + " was removed or released; close it first, and leave the lock file alone", null);
            }
            if (original.isPresent()) {
                Files.move(real, record.aside()); // a fresh name: without REPLACE_EXISTING, nothing there is lost
            }
            OwnerOnlyFiles.write(real, record.temp(), content);
            return record;
        } catch (IOException e) {
            if (record != null) {
                try {
                    undo(record, real, user);
                } catch (IOException restoreFailure) {
                    e.addSuppressed(restoreFailure);
                }
            }
            throw new BsmException("Could not write snapshot file " + target + ": " + e, e);
        }
    }

    /** {@return the absolute path of the snapshot file} */
    public Path path() {
        return path;
    }

    /**
     * Removes the snapshot file and puts back the file that was at its path before, if any. A file that another
     * process put at the path meanwhile is left alone (the file from before is then put beside it as
     * {@code NAME.bsm-recovered-<time>-<random>}). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            undo(record, real, user);
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("Could not remove snapshot file " + path
                    + " or put back the file that was there before; the next snapshot at this path tries again", e);
            release(lock, failure);
            throw failure;
        }
        release(lock, null);
    }

    /**
     * Puts the path back as it was before the record's snapshot: removes the snapshot if it is still what that
     * snapshot wrote, puts back the file it moved aside, then removes the record. Anything else is left alone.
     */
    private static void undo(SnapshotRecord record, Path real, CurrentUser user) throws IOException {
        // The user's file itself, not yet moved aside when the JVM died, is never deleted, whatever it holds.
        if (!record.isOriginal(real) && record.isSnapshotAt(real, user)) {
            Files.delete(real);
        }
        try {
            if (user.owns(record.temp())) {
                Files.delete(record.temp()); // written, not yet moved into place when the JVM died
            }
        } catch (IOException unreadable) {
            // Taken for absent: putting the user's file back matters more than a leftover of bsm's.
        }
        if (record.isMovedAside(record.aside())) {
            putBack(record, real);
        }
        record.delete();
    }

    private static void putBack(SnapshotRecord record, Path real) throws IOException {
        try {
            Files.move(record.aside(), real); // without REPLACE_EXISTING: a file at the path now is kept
        } catch (FileAlreadyExistsException taken) {
            // Written at the path after the snapshot: the user's newer file wins, and the older one is theirs too.
            Path recovered = moveToRecovered(record);
            LOG.log(System.Logger.Level.WARNING, () -> "bsm: " + real + " was written while a snapshot was open"
                    + " there, or after the JVM that had it open died; that file is kept, and the file that was"
                    + " there before the snapshot is now " + recovered);
        }
    }

    /** Moves the file from before to a name no one can guess, trying another name where one is taken. */
    private static Path moveToRecovered(SnapshotRecord record) throws IOException {
        FileAlreadyExistsException clash = null;
        for (int attempt = 0; attempt < RECOVERED_ATTEMPTS; attempt++) {
            Path recovered = record.recovered(RECOVERED_TIME.format(Instant.now()),
                    HexFormat.of().formatHex(random8()));
            try {
                Files.move(record.aside(), recovered); // without REPLACE_EXISTING: a planted name is left alone
                return recovered;
            } catch (FileAlreadyExistsException taken) {
                clash = taken;
            }
        }
        throw new IOException("every name tried for the file from before the snapshot was taken (someone may be"
                + " planting names beside it); it stays at " + record.aside(), clash);
    }

    private static byte[] random8() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void release(SnapshotLock lock, Throwable failure) {
        try {
            lock.close();
        } catch (IOException e) {
            if (failure == null) {
                throw new UncheckedIOException("Could not remove the snapshot's lock file", e);
            }
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "TempSnapshot[" + path + (closed ? ", closed" : "") + "]";
    }
}
