package dev.bsm.testkit;

import dev.bsm.testkit.internal.OwnedFiles;
import dev.bsm.testkit.internal.OwnedTree;
import dev.bsm.testkit.internal.UserTempDirectory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes what killed JVMs left in the user's directory (see {@link MotoLogs}): a log directory is a dead run's only
 * when bsm's stamp in it names a JVM that is not running here, and its lock can be taken, so no JVM holds it, in
 * any PID namespace. The servers that a stamp beside a log names, and that still run (the same pid, start time and
 * PID namespace, this user's), are stopped with their descendants; no other process is. Then the directory is removed,
 * through directories opened once and without following a symbolic link, and only what the user owns.
 */
final class MotoLogSweep {

    private static final Pattern DIRECTORY_NAME = Pattern.compile(Pattern.quote(MotoLogs.DIRECTORY_PREFIX) + "\\d{1,18}-.+");

    private MotoLogSweep() {
    }

    /** What a sweep removed and stopped. */
    record Sweep(List<Path> removed, List<Long> stopped) {
    }

    /**
     * Sweeps the user's directory.
     *
     * @param base the checked user's directory
     * @param keep the name of this JVM's own log directory in it, or {@code null}
     * @return the directories removed and the pids of the leftover processes stopped
     */
    static Sweep sweep(UserTempDirectory base, Path keep) {
        List<Path> removed = new ArrayList<>();
        List<Long> stopped = new ArrayList<>();
        try (SecureDirectoryStream<Path> entries = OwnedTree.open(base.path())) {
            List<Path> names = new ArrayList<>();
            entries.forEach(entry -> names.add(entry.getFileName()));
            for (Path name : names) {
                if (!name.equals(keep) && DIRECTORY_NAME.matcher(name.toString()).matches()) {
                    try {
                        if (sweepOne(entries, name, base.user(), stopped)) {
                            removed.add(base.path().resolve(name));
                        }
                    } catch (IOException | RuntimeException e) {
                        // Best effort, one entry at a time: what cannot be removed now stays for a later run.
                    }
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // The user's directory cannot be listed: nothing to sweep.
        }
        return new Sweep(removed, stopped);
    }

    private static boolean sweepOne(SecureDirectoryStream<Path> entries, Path name, UserPrincipal user,
            List<Long> stopped) throws IOException {
        if (!ownedDirectory(entries, name, user)) {
            return false;
        }
        try (SecureDirectoryStream<Path> directory = entries.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
            if (!directory.getFileAttributeView(PosixFileAttributeView.class).readAttributes().owner().equals(user)) {
                return false;
            }
            Optional<ProcessStamp> jvm = ProcessStamp.read(directory, Path.of(MotoLogs.OWNER), user);
            // The lock is not even opened for a JVM that runs here: closing it would release that JVM's lock, if
            // it were this one.
            if (jvm.isEmpty() || jvm.get().isCurrentJvm() || mayRunHere(jvm.get())) {
                return false;
            }
            try (FileChannel lock = openLock(directory, user).orElse(null)) {
                FileLock taken = lock == null ? null : lock.tryLock();
                if (taken == null) {
                    return false; // a JVM holds it: it runs, in another PID namespace
                }
                stopServers(directory, user, stopped);
                return OwnedTree.delete(entries, name, user);
            } catch (OverlappingFileLockException e) {
                return false; // this JVM holds it (another class loader's MotoLogs)
            }
        }
    }

    private static boolean mayRunHere(ProcessStamp jvm) {
        return jvm.pidNamespace().isEmpty() ? ProcessHandle.of(jvm.pid()).isPresent() : jvm.running().isPresent();
    }

    private static boolean ownedDirectory(SecureDirectoryStream<Path> entries, Path name, UserPrincipal user)
            throws IOException {
        PosixFileAttributes attributes = entries.getFileAttributeView(name, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS).readAttributes();
        return attributes.isDirectory() && attributes.owner().equals(user);
    }

    /** @return the lock file, opened without following a link, if it is a regular file of the user's */
    private static Optional<FileChannel> openLock(SecureDirectoryStream<Path> directory, UserPrincipal user)
            throws IOException {
        return OwnedFiles.open(directory, Path.of(MotoLogs.LOCK), user, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** Stops the servers the {@code .server} stamps name that still run, with their descendants. */
    private static void stopServers(SecureDirectoryStream<Path> directory, UserPrincipal user, List<Long> stopped) {
        Optional<String> currentUser = ProcessHandle.current().info().user();
        List<ProcessHandle> servers = new ArrayList<>();
        for (Path entry : directory) {
            Path name = entry.getFileName();
            if (name.toString().endsWith(MotoLogs.SERVER_SUFFIX)) {
                ProcessStamp.read(directory, name, user).flatMap(ProcessStamp::running)
                        .filter(server -> currentUser.isPresent() && currentUser.equals(server.info().user()))
                        .ifPresent(server -> servers.addAll(ProcessTrees.tree(server)));
            }
        }
        ProcessTrees.terminate(servers);
        servers.forEach(server -> stopped.add(server.pid()));
    }
}
