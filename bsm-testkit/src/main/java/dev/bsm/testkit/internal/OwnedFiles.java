package dev.bsm.testkit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Not API (see the {@linkplain dev.bsm.testkit.internal package}): the files bsm keeps in directories it opened
 * with {@link OwnedTree#open}, each named relative to the open directory and never reached through a symbolic
 * link: only a regular file of the user's is read or opened, and a file bsm makes is owner-only (0600) from the
 * moment it exists.
 */
public final class OwnedFiles {

    /** The permissions of every file bsm makes in such a directory: read and write for the owner only. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnedFiles() {
    }

    /**
     * Reads an entry's attributes without following a link.
     *
     * @param directory the open directory
     * @param name the file's name in it
     * @return the attributes, or empty when there is no such entry
     * @throws IOException if they cannot be read
     */
    public static Optional<PosixFileAttributes> attributes(SecureDirectoryStream<Path> directory, Path name)
            throws IOException {
        try {
            return Optional.of(directory.getFileAttributeView(name, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Opens a regular file of the user's without following a link.
     *
     * @param directory the open directory
     * @param name the file's name in it
     * @param user who must own it
     * @param options how to open it; {@link LinkOption#NOFOLLOW_LINKS} is added
     * @return the open file, or empty when it is missing, not a regular file, not the user's, or not a file channel
     * @throws IOException if it cannot be read or opened
     */
    public static Optional<FileChannel> open(SecureDirectoryStream<Path> directory, Path name, UserPrincipal user,
            OpenOption... options) throws IOException {
        Optional<PosixFileAttributes> attributes = attributes(directory, name);
        if (attributes.isEmpty() || !attributes.get().isRegularFile() || !attributes.get().owner().equals(user)) {
            return Optional.empty();
        }
        Set<OpenOption> all = new HashSet<>(Arrays.asList(options));
        all.add(LinkOption.NOFOLLOW_LINKS);
        return asFileChannel(directory.newByteChannel(name, all));
    }

    /**
     * Opens a file of the user's for reading and writing, making it owner-only where it is missing; an existing one
     * must be a regular file of the user's, open to nobody else.
     *
     * @param directory the open directory
     * @param name the file's name in it
     * @param user who must own it
     * @param shownAs the file's path, for the message
     * @return the open file
     * @throws IOException if it cannot be made or opened, or the existing entry is not such a file (the message
     *     says what it is)
     */
    public static FileChannel openOrCreate(SecureDirectoryStream<Path> directory, Path name, UserPrincipal user,
            Path shownAs) throws IOException {
        Optional<PosixFileAttributes> found = attributes(directory, name);
        if (found.isPresent()) {
            checkOwnerOnly(found.get(), user, shownAs);
        }
        SeekableByteChannel channel = directory.newByteChannel(name, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            // Checked again once open: a file made meanwhile by someone else is refused as well.
            checkOwnerOnly(attributes(directory, name).orElseThrow(() -> new NoSuchFileException(shownAs.toString())),
                    user, shownAs);
            return asFileChannel(channel).orElseThrow(() -> new IOException(shownAs + " is not a file channel"));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads at most {@code maxBytes} of a regular file of the user's, without following a link.
     *
     * @param directory the open directory
     * @param name the file's name in it
     * @param user who must own it
     * @param maxBytes the most it may hold
     * @return the content, or empty when the file is missing, not a regular file, not the user's, or larger
     * @throws IOException if it cannot be read
     */
    public static Optional<byte[]> read(SecureDirectoryStream<Path> directory, Path name, UserPrincipal user,
            int maxBytes) throws IOException {
        Optional<PosixFileAttributes> attributes = attributes(directory, name);
        if (attributes.isEmpty() || !attributes.get().isRegularFile() || !attributes.get().owner().equals(user)
                || attributes.get().size() > maxBytes) {
            return Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.allocate(maxBytes + 1);
        try (SeekableByteChannel channel = directory.newByteChannel(name,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            while (bytes.hasRemaining() && channel.read(bytes) > 0) {
                // read all of it, at most maxBytes + 1
            }
        }
        return bytes.position() > maxBytes ? Optional.empty()
                : Optional.of(Arrays.copyOf(bytes.array(), bytes.position()));
    }

    /**
     * Reads at most {@code maxBytes} of an owner-only file of the user's, without following a link; an entry there
     * that is anything else is refused, not passed over.
     *
     * @param directory the open directory
     * @param name the file's name in it
     * @param user who must own it
     * @param maxBytes the most it may hold
     * @param shownAs the file's path, for the message
     * @return the content, or empty when the file is missing or larger
     * @throws UserTempDirectory.UnsafeException when the entry is not a regular file of the user's, open to nobody
     *     else (the message says what it is)
     * @throws IOException if it cannot be read
     */
    public static Optional<byte[]> readOwnerOnly(SecureDirectoryStream<Path> directory, Path name,
            UserPrincipal user, int maxBytes, Path shownAs) throws IOException {
        Optional<PosixFileAttributes> found = attributes(directory, name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        checkOwnerOnly(found.get(), user, shownAs);
        return read(directory, name, user, maxBytes);
    }

    private static void checkOwnerOnly(PosixFileAttributes attributes, UserPrincipal user, Path shownAs)
            throws IOException {
        if (!attributes.isRegularFile()) {
            throw new UserTempDirectory.UnsafeException(shownAs + " is not a regular file (it is a symbolic link, a"
                    + " directory or a special file): bsm never follows or uses it. Remove it.");
        }
        if (!attributes.owner().equals(user)) {
            throw new UserTempDirectory.UnsafeException(shownAs + " belongs to " + attributes.owner().getName()
                    + ", not to you: bsm never uses it. Remove it.");
        }
        if (!OWNER_ONLY.containsAll(attributes.permissions())) {
            throw new UserTempDirectory.UnsafeException(shownAs + " has the permissions "
                    + PosixFilePermissions.toString(attributes.permissions()) + ", open to others: bsm never uses"
                    + " it. Remove it.");
        }
    }

    private static Optional<FileChannel> asFileChannel(SeekableByteChannel channel) throws IOException {
        if (channel instanceof FileChannel file) {
            return Optional.of(file);
        }
        channel.close();
        return Optional.empty();
    }
}
