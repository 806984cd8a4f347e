package dev.bsm.junit5;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The owner-only directories that hold per-test snapshot files: {@code bsm-snapshot-<pid>-<random>} in the
 * temporary directory. A JVM that is killed cannot remove its own, so each run first sweeps the ones whose JVM is
 * gone.
 */
final class SnapshotDirectories {
    static final String PREFIX = "bsm-snapshot-";

    private SnapshotDirectories() {
    }

    static Path create() {
        try {
            return Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create an owner-only directory for snapshot files in "
                    + System.getProperty("java.io.tmpdir"), e);
        }
    }

    /** Removes a snapshot directory and whatever is left in it. */
    static void delete(Path directory) {
        try {
            deleteTree(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the snapshot directory " + directory, e);
        }
    }

    /** Removes the snapshot directories of JVMs that no longer run. @return how many were removed */
    static int sweepOrphans(Path tempDirectory) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tempDirectory, PREFIX + "*")) {
            for (Path entry : entries) {
                Optional<Long> pid = ownerPid(entry.getFileName().toString());
                if (pid.isPresent() && ProcessHandle.of(pid.get()).isEmpty() && Files.isDirectory(entry)) {
                    try {
                        deleteTree(entry);
                        removed++;
                    } catch (IOException e) {
                        // Best effort, one entry at a time: another user's directory is not ours to remove.
                    }
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // The temporary directory itself cannot be listed: nothing to sweep.
        }
        return removed;
    }

    private static Optional<Long> ownerPid(String name) {
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return dash > 0 ? Optional.of(Long.parseLong(rest.substring(0, dash))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
