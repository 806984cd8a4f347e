package dev.bsm.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A credentials snapshot is missing, unreadable, malformed or incomplete. The message names the file (when
 * there is one) and the problem, never the snapshot's content.
 */
public final class InvalidSnapshotException extends BsmException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    InvalidSnapshotException(Path path, String problem, Throwable cause) {
        super(path == null ? "Invalid bsm snapshot: " + problem : "Invalid bsm snapshot file " + path + ": " + problem,
                cause);
        this.path = path;
    }

    /** {@return the snapshot file, when the snapshot came from a file} */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }
}
