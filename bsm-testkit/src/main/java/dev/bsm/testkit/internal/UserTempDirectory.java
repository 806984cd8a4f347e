package dev.bsm.testkit.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Set;

/**
 * Not API (see the {@linkplain dev.bsm.testkit.internal package}): the per-user directory {@code bsm-<uid>} in a
 * temporary directory, where bsm keeps what only the user may read, rename or remove. It is made owner-only (0700)
 * and checked before each use: the user's, exactly 0700, not a link; and the temporary directory must not let other
 * users replace it: the user's or root's, and writable by its group (unless that is the owner's private group, named
 * as the owner) or by every user only if sticky, as {@code /tmp} is. Other users can then put nothing in it, nor
 * rename anything in it.
 *
 * @param path the checked directory
 * @param user who owns the files this JVM makes there (a user name or uid from elsewhere can differ: a file system
 *     may map users, as NFS does for root)
 */
public record UserTempDirectory(Path path, UserPrincipal user) {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final int OTHERS_WRITE = 0002;
    private static final int GROUP_WRITE = 0020;
    private static final Integer ROOT = 0;
    private static final int STICKY = 01000;

    /** The per-user directory, or the temporary directory holding it, is not safe to use; the message says why. */
    public static final class UnsafeException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsafeException(String message) {
            super(message);
        }
    }

    /**
     * Checks the per-user directory in a temporary directory, making it owner-only where it is missing.
     *
     * @param tempDirectory the temporary directory, typically {@code java.io.tmpdir}
     * @return the checked directory and the user
     * @throws UnsafeException when the file system is not POSIX, the temporary directory is another user's than
     *     this one or root, or writable by every user or by a group but not sticky, or the per-user directory is not
     *     the user's, not exactly 0700, or not a directory
     * @throws IOException when it cannot be made or read
     */
    public static UserTempDirectory of(Path tempDirectory) throws IOException {
        if (!supported(tempDirectory)) {
            throw new UnsafeException("The temporary directory " + tempDirectory + " is not on a POSIX file system,"
                    + " where bsm can keep files that only you can read: set java.io.tmpdir to one");
        }
        Map<String, Object> temporary = Files.readAttributes(tempDirectory, "unix:mode,uid,owner,group");
        int mode = (Integer) temporary.get("mode");
        if ((mode & OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
            throw new UnsafeException("The temporary directory " + tempDirectory + " is writable by every user but"
                    + " not sticky (as /tmp is, mode 1777), so another user could rename or replace what bsm keeps"
                    + " in it: set java.io.tmpdir to a directory only you can write, or make it sticky (chmod +t)");
        }
        String ownerName = ((UserPrincipal) temporary.get("owner")).getName();
        String groupName = ((UserPrincipal) temporary.get("group")).getName();
        // A group named as the owner is taken for the owner's private group (umask 002 makes such directories).
        if ((mode & GROUP_WRITE) != 0 && (mode & STICKY) == 0 && !groupName.equals(ownerName)) {
            throw new UnsafeException("The temporary directory " + tempDirectory + " is writable by its group "
                    + groupName + " but not sticky, so the group's other users could rename or replace what bsm"
                    + " keeps in it: set java.io.tmpdir to a directory only you can write, or make it sticky"
                    + " (chmod +t)");
        }
        Map<String, Object> owner = owner(tempDirectory);
        if (!temporary.get("uid").equals(owner.get("uid")) && !temporary.get("uid").equals(ROOT)) {
            throw new UnsafeException("The temporary directory " + tempDirectory + " belongs to " + ownerName
                    + " (uid " + temporary.get("uid") + "), not to you or root, so its owner could rename or replace"
                    + " what bsm keeps in it, sticky or not: set java.io.tmpdir to a directory of your own");
        }
        Path base = tempDirectory.resolve("bsm-" + owner.get("uid"));
        try {
            Files.createDirectory(base, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // Made by an earlier run, or by someone else: checked below.
        }
        Map<String, Object> found = Files.readAttributes(base, "unix:isDirectory,uid,mode", LinkOption.NOFOLLOW_LINKS);
        if (!(Boolean) found.get("isDirectory")) {
            throw unsafe(base, "is not a directory (it is a symbolic link or a file)");
        }
        if (!found.get("uid").equals(owner.get("uid"))) {
            throw unsafe(base, "belongs to another user (uid " + found.get("uid") + ")");
        }
        int permissions = (Integer) found.get("mode") & 07777;
        if (permissions != 0700) {
            throw unsafe(base, "has the permissions " + Integer.toOctalString(permissions) + " ("
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(base, LinkOption.NOFOLLOW_LINKS))
                    + "), not 700 (rwx------)");
        }
        return new UserTempDirectory(base, (UserPrincipal) owner.get("owner"));
    }

    /**
     * Opens the owner-only directory {@code name} in this one, making it (0700) where it is missing. It is checked
     * once open, so that what is checked is what is used: a directory (never a symbolic link, which is not
     * followed), the user's, exactly 0700. Everything in it is then the user's alone.
     *
     * @param name a file name, no separator
     * @return the open directory, for use relative to it; the caller closes it
     * @throws UnsafeException when it is a link or a file, another user's, or not exactly 0700
     * @throws IOException when it cannot be made or opened, or the platform has no {@link SecureDirectoryStream}
     */
    public SecureDirectoryStream<Path> openOwnerOnly(String name) throws IOException {
        Path directory = path.resolve(name);
        if (!directory.getParent().equals(path)) {
            throw new IllegalArgumentException("not a file name: " + name);
        }
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // Made by an earlier run, or by someone else: checked below.
        }
        try (SecureDirectoryStream<Path> parent = OwnedTree.open(path)) {
            PosixFileAttributes found = parent.getFileAttributeView(directory.getFileName(),
                    PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
            if (!found.isDirectory()) {
                throw unsafe("owner-only directory", directory,
                        "is not a directory (it is a symbolic link or a file)");
            }
            SecureDirectoryStream<Path> opened = parent.newDirectoryStream(directory.getFileName(),
                    LinkOption.NOFOLLOW_LINKS);
            try {
                PosixFileAttributes attributes = opened.getFileAttributeView(PosixFileAttributeView.class)
                        .readAttributes();
                if (!attributes.owner().equals(user)) {
                    throw unsafe("owner-only directory", directory, "belongs to another user ("
                            + attributes.owner().getName() + ")");
                }
                if (!attributes.permissions().equals(OWNER_ONLY)) {
                    throw unsafe("owner-only directory", directory, "has the permissions "
                            + PosixFilePermissions.toString(attributes.permissions()) + ", not rwx------");
                }
                return opened;
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
        }
    }

    /**
     * Tells whether the directory's file system can hold a per-user directory at all.
     *
     * @param tempDirectory the temporary directory
     * @return whether it is POSIX, with the {@code unix} attribute view
     */
    public static boolean supported(Path tempDirectory) {
        return tempDirectory.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    private static UnsafeException unsafe(Path base, String problem) {
        return unsafe("per-user directory", base, problem);
    }

    private static UnsafeException unsafe(String what, Path directory, String problem) {
        return new UnsafeException("bsm's " + what + " " + directory + " " + problem + ": someone else may have"
                + " made it to read or replace your files. Remove it, or set java.io.tmpdir to a directory only you"
                + " can write.");
    }

    /** The uid and owner of a file just made in the directory: who owns what this JVM makes there. */
    private static Map<String, Object> owner(Path directory) throws IOException {
        Path probe = Files.createTempFile(directory, ".bsm-owner-", ".tmp", new FileAttribute<?>[0]);
        try {
            return Files.readAttributes(probe, "unix:uid,owner", LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.delete(probe);
        }
    }
}
