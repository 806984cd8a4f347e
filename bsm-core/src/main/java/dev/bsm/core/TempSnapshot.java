package dev.bsm.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

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
    private final Path path;
    private final Optional<Path> movedAside;
    private boolean closed;

    private TempSnapshot(Path path, Optional<Path> movedAside) {
        this.path = path;
        this.movedAside = movedAside;
    }

    static TempSnapshot write(Path path, String json) {
        Path target = path.toAbsolutePath();
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
            OwnerOnlyFiles.write(target, json.getBytes(StandardCharsets.UTF_8));
            return new TempSnapshot(target, movedAside);
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

    /** Removes the snapshot file and puts back the file that was at its path before, if any. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(path);
            if (movedAside.isPresent()) {
                move(movedAside.get(), path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove snapshot file " + path
                    + movedAside.map(aside -> " or put back " + aside).orElse(""), e);
        }
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
