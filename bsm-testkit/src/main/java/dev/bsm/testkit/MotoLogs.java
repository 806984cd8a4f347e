package dev.bsm.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulators' log files: each JVM keeps them in one owner-only directory of its own,
 * {@code bsm-moto-<pid>-<random>} in the temporary directory, so that a later run can prove a leftover is its
 * user's and that the JVM which made it is gone.
 *
 * <p>A JVM that is killed cannot remove its logs; the watchdog of each server usually does (see
 * {@link OwnerWatchdog}), and the first server a JVM starts sweeps what is left: every directory with that name,
 * owned by the current user, not a symbolic link, whose pid no longer runs. On Linux the sweep first stops the
 * processes of this user that still write into such a directory (servers whose watchdog was killed too), then
 * removes the entries in it that the user owns, without following symbolic links, then the directory if it is
 * empty. A directory of another user, or of a pid that runs, is never touched.
 */
final class MotoLogs {

    static final String DIRECTORY_PREFIX = "bsm-moto-";
    private static final Pattern DIRECTORY_NAME = Pattern.compile(Pattern.quote(DIRECTORY_PREFIX) + "(\\d{1,18})-.+");
    private static final Path PROC = Path.of("/proc");

    private static Path directory; // guarded by MotoLogs.class
    private static boolean swept; // guarded by MotoLogs.class

    private MotoLogs() {
    }

    /**
     * Creates an owner-only log file in this JVM's log directory, creating the directory (and sweeping the
     * leftovers of dead JVMs) first if needed.
     */
    static synchronized Path createLogFile() {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            if (directory == null || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                directory = createDirectory(temporary);
            }
            if (!swept) {
                swept = true;
                sweep(temporary, Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS), directory);
            }
            // On POSIX file systems createTempFile makes the file readable and writable by the owner only.
            return Files.createTempFile(directory, "moto-server-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a log file for moto_server in " + temporary + ": "
                    + e.getMessage(), e);
        }
    }

    /** Removes this JVM's log directory if no log is left in it; runs in the JVM shutdown hook. */
    static synchronized void deleteDirectoryIfEmpty() {
        if (directory != null) {
            try {
                Files.deleteIfExists(directory);
                directory = null;
            } catch (IOException e) {
                // not empty (a log that could not be removed) or already gone: the next run's sweep removes it
            }
        }
    }

    private static Path createDirectory(Path temporary) throws IOException {
        String prefix = DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-";
        if (!Files.getFileStore(temporary).supportsFileAttributeView("posix")) {
            return Files.createTempDirectory(temporary, prefix);
        }
        FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        return Files.createTempDirectory(temporary, prefix, ownerOnly);
    }

    /** What a sweep removed and stopped. */
    record Sweep(List<Path> removed, List<Long> stopped) {
    }

    /**
     * Removes the log directories of dead JVMs that {@code owner} owns in {@code temporary}, except {@code keep}.
     *
     * @return the directories removed and the pids of the leftover processes stopped
     */
    static Sweep sweep(Path temporary, UserPrincipal owner, Path keep) {
        List<Path> removed = new ArrayList<>();
        List<Long> stopped = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(temporary, DIRECTORY_PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher name = DIRECTORY_NAME.matcher(entry.getFileName().toString());
                if (entry.equals(keep) || !name.matches() || !ownedDirectory(entry, owner)
                        || ProcessHandle.of(Long.parseLong(name.group(1))).isPresent()) {
                    continue;
                }
                List<ProcessHandle> writers = writersInto(entry);
                ProcessTrees.terminate(writers);
                writers.forEach(writer -> stopped.add(writer.pid()));
                if (deleteOwned(entry, owner)) {
                    removed.add(entry);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // The temporary directory cannot be listed: nothing to sweep.
        }
        return new Sweep(removed, stopped);
    }

    private static boolean ownedDirectory(Path entry, UserPrincipal owner) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isDirectory() && owner.equals(Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Removes what {@code owner} owns in the directory (links, not their targets), then the directory if empty. */
    private static boolean deleteOwned(Path directory, UserPrincipal owner) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                try {
                    BasicFileAttributes attributes =
                            Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!attributes.isDirectory()
                            && owner.equals(Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS))) {
                        Files.deleteIfExists(entry);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // not ours to remove, or gone meanwhile
                }
            }
            Files.deleteIfExists(directory);
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false; // something that is not ours is left in it
        } catch (IOException | DirectoryIteratorException e) {
            return false;
        }
    }

    /**
     * The processes of this user, in this JVM's pid and mount namespaces, whose stdout or stderr is a file in
     * {@code directory}: the servers (and their watchdogs) that logged there. Linux only; empty elsewhere.
     */
    static List<ProcessHandle> writersInto(Path directory) {
        if (!Files.isDirectory(PROC.resolve("self").resolve("fd"))) {
            return List.of();
        }
        Path real;
        try {
            real = directory.toRealPath(); // the kernel names files by their real paths
        } catch (IOException e) {
            return List.of();
        }
        Optional<String> user = ProcessHandle.current().info().user();
        Optional<String> pidNamespace = link(PROC.resolve("self/ns/pid"));
        Optional<String> mountNamespace = link(PROC.resolve("self/ns/mnt"));
        if (user.isEmpty() || pidNamespace.isEmpty() || mountNamespace.isEmpty()) {
            return List.of();
        }
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> writers = new ArrayList<>();
        ProcessHandle.allProcesses()
                .filter(process -> process.pid() != self && user.equals(process.info().user()))
                .forEach(process -> {
                    Path proc = PROC.resolve(Long.toString(process.pid()));
                    if (pidNamespace.equals(link(proc.resolve("ns/pid")))
                            && mountNamespace.equals(link(proc.resolve("ns/mnt")))
                            && (writesInto(proc.resolve("fd/1"), real) || writesInto(proc.resolve("fd/2"), real))) {
                        writers.add(process);
                    }
                });
        return writers;
    }

    private static boolean writesInto(Path fd, Path directory) {
        Optional<String> target = link(fd).map(text -> text.endsWith(" (deleted)")
                ? text.substring(0, text.length() - " (deleted)".length()) : text);
        try {
            return target.filter(text -> text.startsWith("/"))
                    .map(text -> Objects.equals(Path.of(text).getParent(), directory))
                    .orElse(false);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static Optional<String> link(Path path) {
        try {
            return Optional.of(Files.readSymbolicLink(path).toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone, not a link, or not ours to read
        }
    }
}
