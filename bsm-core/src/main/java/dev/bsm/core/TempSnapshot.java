package dev.bsm.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
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
 * If the JVM is killed while the snapshot is open, the next snapshot written to the same path first removes the
 * leftover and puts the moved-aside file back.
 *
 * <pre>{@code
 * try (TempSnapshot snapshot = bsm.tempSnapshot()) {
 *     // a child process calls BotoSesManager.fromSnapshotFile(snapshot.path())
 * }
 * }</pre>
 */
public final class TempSnapshot implements AutoCloseable {
    private static final String NOTHING_WAS_HERE = ".none";

    /** Paths with an open snapshot in this JVM: a second one at the same path would lose the first's backup. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Optional<Path> movedAside;
    private final Optional<Path> marker;
    private final Object fileKey;
    private final byte[] content;
    private boolean closed;

    private TempSnapshot(Path path, Optional<Path> movedAside, Optional<Path> marker, Object fileKey, byte[] content) {
        this.path = path;
        this.movedAside = movedAside;
        this.marker = marker;
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
        Path marker = null;
        try {
            recoverFromKilledJvms(target);
            String aside = asidePrefix(target) + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                movedAside = Optional.of(target.resolveSibling(aside));
                move(target, movedAside.get());
            } else {
                // Says "nothing was here", so a JVM killed before close() can be cleaned up after.
                marker = Files.createFile(target.resolveSibling(aside + NOTHING_WAS_HERE));
            }
            byte[] content = json.getBytes(StandardCharsets.UTF_8);
            OwnerOnlyFiles.write(target, content);
            return new TempSnapshot(target, movedAside, Optional.ofNullable(marker),
                    fileKey(target), content);
        } catch (IOException e) {
            try {
                if (movedAside.isPresent()) {
                    move(movedAside.get(), target);
                }
                if (marker != null) {
                    Files.deleteIfExists(marker);
                }
            } catch (IOException restoreFailure) {
                e.addSuppressed(restoreFailure);
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
            if (marker.isPresent()) {
                Files.deleteIfExists(marker.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove snapshot file " + path
                    + movedAside.map(aside -> " or put back " + aside).orElse(""), e);
        } finally {
            OPEN.remove(path);
        }
    }

    private static String asidePrefix(Path target) {
        return "." + target.getFileName() + ".bsm-aside-";
    }

    /**
     * A JVM killed while its snapshot was open left the snapshot at the path, and either the file it moved aside
     * or a marker saying nothing was there. Puts things back as they were before that JVM, so no secret lingers.
     */
    private static void recoverFromKilledJvms(Path target) throws IOException {
        String prefix = asidePrefix(target);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(target.getParent(), prefix + "*")) {
            for (Path leftover : leftovers) {
                String rest = leftover.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, Math.max(dash, 0)));
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                if (ProcessHandle.of(pid).isPresent()) {
                    continue; // that JVM still runs: its snapshot is open
                }
                if (rest.endsWith(NOTHING_WAS_HERE)) {
                    Files.deleteIfExists(target);
                    Files.delete(leftover);
                } else {
                    move(leftover, target);
                }
            }
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
