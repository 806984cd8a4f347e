package dev.bsm.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who owns the files this JVM makes, as a directory's file system sees it: the owner of a file just made there.
 * (A user name or uid from elsewhere can differ: a file system may map users, as NFS does for root.) On Unix the
 * uid, compared without a user-database lookup; elsewhere the owner principal.
 */
final class CurrentUser {
    /** Per directory: the owner of this JVM's files does not change while it runs. Bounded by clearing. */
    private static final Map<Path, CurrentUser> KNOWN = new ConcurrentHashMap<>();
    private static final int MAX_KNOWN = 256;

    private final Object id;

    private CurrentUser(Object id) {
        this.id = id;
    }

    /** {@return the owner of the files this JVM makes in the directory} */
    static CurrentUser in(Path directory) throws IOException {
        CurrentUser known = KNOWN.get(directory);
        if (known != null) {
            return known;
        }
        Path probe = Files.createTempFile(directory, ".bsm-owner-", ".tmp");
        CurrentUser user;
        try {
            user = new CurrentUser(idOf(probe));
        } finally {
            Files.delete(probe);
        }
        if (KNOWN.size() >= MAX_KNOWN) {
            KNOWN.clear();
        }
        KNOWN.put(directory, user);
        return user;
    }

    private static Object idOf(Path file) throws IOException {
        return file.getFileSystem().supportedFileAttributeViews().contains("unix")
                ? Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                : Files.getOwner(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * {@return the file's own attributes (a link's, not what it points to) where it is a regular file or a
     * symbolic link of the user's; null where it is missing, anything else, or someone else's}
     */
    BasicFileAttributes owned(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        return (attributes.isRegularFile() || attributes.isSymbolicLink()) && Objects.equals(idOf(file), id)
                ? attributes : null;
    }

    /** {@return whether the file itself exists, is a regular file or a symbolic link, and is the user's} */
    boolean owns(Path file) throws IOException {
        return owned(file) != null;
    }

    /** {@return whether the file exists, is a regular file (not a link) and is the user's} */
    boolean ownsRegularFile(Path file) throws IOException {
        BasicFileAttributes attributes = owned(file);
        return attributes != null && attributes.isRegularFile();
    }

    @Override
    public String toString() {
        return "CurrentUser[" + id + "]";
    }
}
