package dev.bsm.testkit.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

/**
 * Not API (see the {@linkplain dev.bsm.testkit.internal package}): removes a directory tree of the user's through
 * open directories ({@link SecureDirectoryStream}): every removal is relative to a directory already open, and every
 * directory is opened without following a symbolic link, so no link is ever followed, not even one swapped for a
 * subdirectory while the removal runs. Removes regular files, symbolic links themselves and directories that belong
 * to the user; leaves anything else, and what holds it.
 */
public final class OwnedTree {
    private OwnedTree() {
    }

    /**
     * Tells whether this platform opens directories for use relative to them ({@link SecureDirectoryStream}), as
     * everything here needs.
     *
     * @param directory an existing directory on the file system in question
     * @return whether it does; false also when the directory cannot be listed
     */
    public static boolean supported(Path directory) {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            return stream instanceof SecureDirectoryStream;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Opens a directory without following a symbolic link, for removals relative to it.
     *
     * @param directory the directory to open
     * @return the open directory
     * @throws IOException if it cannot be opened, is a link, or the platform has no {@link SecureDirectoryStream}
     */
    public static SecureDirectoryStream<Path> open(Path directory) throws IOException {
        try (DirectoryStream<Path> parent = Files.newDirectoryStream(directory.toAbsolutePath().getParent())) {
            if (!(parent instanceof SecureDirectoryStream<Path> secure)) {
                throw new IOException("this platform cannot remove files without following symbolic links (it has"
                        + " no SecureDirectoryStream), so bsm leaves " + directory + " alone");
            }
            return secure.newDirectoryStream(directory.getFileName(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * Removes an entry of an open directory, and all in it, where all of it is the user's.
     *
     * @param parent the open directory holding the entry
     * @param name the entry's name in it
     * @param user who must own everything removed
     * @return whether it is gone; false when something in it is not the user's or not a file bsm could have made
     * @throws IOException if an entry cannot be read or removed
     */
    public static boolean delete(SecureDirectoryStream<Path> parent, Path name, UserPrincipal user)
            throws IOException {
        PosixFileAttributes attributes = parent.getFileAttributeView(name, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS).readAttributes();
        if (!attributes.owner().equals(user)) {
            return false;
        }
        if (attributes.isRegularFile() || attributes.isSymbolicLink()) {
            parent.deleteFile(name); // a link itself, never what it points to
            return true;
        }
        if (!attributes.isDirectory()) {
            return false;
        }
        boolean emptied = true;
        try (SecureDirectoryStream<Path> directory = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
            // Checked again once open: the name may have been given to another directory since it was read.
            if (!directory.getFileAttributeView(PosixFileAttributeView.class).readAttributes().owner().equals(user)) {
                return false;
            }
            List<Path> entries = new ArrayList<>();
            for (Path entry : directory) {
                entries.add(entry.getFileName());
            }
            for (Path entry : entries) {
                emptied &= delete(directory, entry, user);
            }
        }
        if (emptied) {
            parent.deleteDirectory(name); // a link swapped in meanwhile is not a directory: refused, not followed
        }
        return emptied;
    }
}
