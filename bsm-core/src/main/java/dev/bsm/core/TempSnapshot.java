package dev.bsm.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A snapshot file that exists while this object is open: written owner-only (0600) from the moment it exists,
 * removed by {@link #close()}. A file that was already at the path is moved aside first and put back on close.
 *
 * <pre>{@code
 * try (TempSnapshot snapshot = bsm.tempSnapshot()) {
 *     // a child process calls BotoSesManager.fromSnapshotFile(snapshot.path())
 * }
 * }</pre>
 */
public final class TempSnapshot implements AutoCloseable {
    /** Paths with an open snapshot in this JVM: a second one at the same path would lose the first's backup. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Optional<Path> movedAside;
    private final Object fileKey;
    private final byte[] content;
    private boolean closed;

    private TempSnapshot(Path path, Optional<Path> movedAside, Object fileKey, byte[] content) {
        this.path = path;
        this.movedAside = movedAside;
        this.fileKey = fileKey;
        this.content = content;
    }

    static TempSnapshot write(Path path, String json) {
        Path target = path.toAbsolutePath().normalize();
        if (!OPEN.add(target)) {
            throw new InvalidSnapshotException(target, "another open TempSnapshot already holds this path; close it"
                    + " first or give each snapshot its own path", null);
        }
        try {
            return writeHeld(target, json);
        } catch (RuntimeException | Error e) {
            OPEN.remove(target);
            throw e;
        }
    }

    private static TempSnapshot writeHeld(Path target, String json) {
        if (Files.isDirectory(target)) {
            throw new InvalidSnapshotException(target, "the path is a directory; give a file path", null);
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InvalidSnapshotException(target, "its directory does not exist; create it first", null);
        }
        Optional<Path> movedAside = Optional.empty();
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Path aside = target.resolveSibling("." + target.getFileName() + ".bsm-aside-" + UUID.randomUUID());
                move(target, aside);
                movedAside = Optional.of(aside);
            }
            byte[] content = json.getBytes(StandardCharsets.UTF_8);
            OwnerOnlyFiles.write(target, content);
            return new TempSnapshot(target, movedAside, fileKey(target), content);
        } catch (IOException e) {
            try {
                if (movedAside.isPresent()) {
                    move(movedAside.get(), target);
                }
            } catch (IOException restoreFailure) {
                e.addSuppressed(restoreFailure);
            }
            throw new BsmException("Could not write snapshot file " + target + ": " + e, e);
        }
    }

    /** @return the absolute path of the snapshot file */
    public Path path() {
        return path;
    }

    /**
     * Removes the snapshot file and puts back the file that was at its path before, if any. A file that another
     * process put at the path meanwhile is left alone. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (isStillOurs()) {
                Files.delete(path);
            }
            if (movedAside.isPresent() && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                move(movedAside.get(), path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove snapshot file " + path
                    + movedAside.map(aside -> " or put back " + aside).orElse(""), e);
        } finally {
            OPEN.remove(path);
        }
    }

    /** Same file (inodes are reused at once, so the content must match too): no one else's file is deleted. */
    private boolean isStillOurs() throws IOException {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Objects.equals(fileKey(path), fileKey)
                && Files.size(path) == content.length && Arrays.equals(Files.readAllBytes(path), content);
    }

    /** The file's identity (device and inode on Unix), or its creation time where the system has none. */
    private static Object fileKey(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return "TempSnapshot[" + path + (closed ? ", closed" : "") + "]";
    }
}
