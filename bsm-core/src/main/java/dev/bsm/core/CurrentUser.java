package dev.bsm.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;

/**
 * Who owns the files this JVM makes, as a directory's file system sees it: the owner of a file just made there.
 * (A user name or uid from elsewhere can differ: a file system may map users, as NFS does for root.)
 */
final class CurrentUser {
    private CurrentUser() {
    }

    /** {@return the owner of the files this JVM makes in the directory} */
    static UserPrincipal in(Path directory) throws IOException {
        Path probe = Files.createTempFile(directory, ".bsm-owner-", ".tmp");
        try {
            return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.delete(probe);
        }
    }

    /**
     * {@return whether the file itself (a link, not what it points to) exists, is a regular file or a symbolic
     * link, and belongs to the user}
     */
    static boolean owns(UserPrincipal user, Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        return (attributes.isRegularFile() || attributes.isSymbolicLink())
                && Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).equals(user);
    }
}
