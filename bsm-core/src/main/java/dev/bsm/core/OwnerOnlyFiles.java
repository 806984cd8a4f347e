package dev.bsm.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/** Writes files that hold secrets: created owner-only (0600) with the permission, never chmod-ed afterwards. */
final class OwnerOnlyFiles {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /**
     * Writes to a new owner-only file beside the target, then moves it into place atomically, so the target is
     * never seen half-written or with wider permissions.
     *
     * @param temp the new file's name beside the target; it must not exist
     */
    static void write(Path target, Path temp, byte[] content) throws IOException {
        createNew(temp, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Creates an owner-only file that does not exist yet (never through a symbolic link) holding the content. */
    static void createNew(Path file, byte[] content) throws IOException {
        // Opened apart from the writing: a file that was there already is someone else's, never removed here.
        SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnly(file));
        try (channel) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Reads a file without following a symbolic link. {@return its bytes, or empty when it is longer than the
     * limit}: no file bsm wrote is that long, so there is no need to read it
     */
    static Optional<byte[]> readAtMost(Path file, int limit) throws IOException {
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] content = in.readNBytes(limit + 1);
            return content.length > limit ? Optional.empty() : Optional.of(content);
        }
    }

    static FileAttribute<?>[] ownerOnly(Path path) {
        // Without POSIX permissions (Windows), the file inherits the directory's ACL: the user's home is private.
        return path.getFileSystem().supportedFileAttributeViews().contains("posix") ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }
}
