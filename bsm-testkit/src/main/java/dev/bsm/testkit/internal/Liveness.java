package dev.bsm.testkit.internal;

import dev.bsm.testkit.internal.OwnedFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the JVM that made a snapshot directory still runs, told by the lock it holds on the directory's
 * {@value SnapshotDirectories#LIVE} file: taken here, it stays taken until {@link #close()}, so that the directory
 * can be removed before another sweep takes it. Opened relative to the open parent, never through a link.
 */
final class Liveness implements AutoCloseable {
    /** Channels on lock files this JVM holds under another name: kept open, as closing one releases the lock. */
    private static final List<FileChannel> PINNED = new CopyOnWriteArrayList<>();

    private final FileChannel channel;
    private final Optional<Boolean> lockFree;

    private Liveness(FileChannel channel, Optional<Boolean> lockFree) {
        this.channel = channel;
        this.lockFree = lockFree;
    }

    static Liveness of(SecureDirectoryStream<Path> parent, Path name, UserPrincipal user) throws IOException {
        Path live = Path.of(SnapshotDirectories.LIVE);
        try (SecureDirectoryStream<Path> directory = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
            if (OwnedFiles.attributes(directory, live).isEmpty()) {
                return new Liveness(null, Optional.empty()); // no lock file: made by an earlier bsm
            }
            Optional<FileChannel> opened = OwnedFiles.open(directory, live, user, StandardOpenOption.WRITE);
            if (opened.isEmpty()) {
                return new Liveness(null, Optional.of(false)); // not a lock file bsm made: left alone
            }
            FileChannel channel = opened.get();
            try {
                FileLock lock = channel.tryLock();
                return new Liveness(channel, Optional.of(lock != null));
            } catch (OverlappingFileLockException ownLock) {
                // This JVM's own directory under another name: closing the channel would release its lock.
                PINNED.add(channel);
                return new Liveness(null, Optional.of(false));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (NotDirectoryException notOne) {
            return new Liveness(null, Optional.empty());
        }
    }

    /** {@return whether the lock was free (its JVM is gone), or empty where there is no lock file to tell} */
    Optional<Boolean> lockFree() {
        return lockFree;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
