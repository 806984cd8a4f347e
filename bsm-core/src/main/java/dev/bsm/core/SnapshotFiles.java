package dev.bsm.core;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/** Snapshot files: which one is the default, and reading one into the checked values of {@link SnapshotCodec}. */
final class SnapshotFiles {
    private SnapshotFiles() {
    }

    /**
     * The variable wins when it is set, so that a child JVM finds the file its parent wrote for it (and a test the
     * file of its own session); then the system property, which is all a build tool's {@code argLine} can pass to
     * the test JVMs it forks (bsm-maven-plugin's build session).
     */
    static Path defaultPath() {
        String fromEnvironment = System.getenv(BotoSesManager.SNAPSHOT_FILE_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        String fromProperty = System.getProperty(BotoSesManager.SNAPSHOT_FILE_PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Path.of(fromProperty);
        }
        return Path.of(System.getProperty("user.home"), ".bsm-snapshot.json");
    }

    /**
     * Reads, parses and checks a snapshot file. The path is made absolute first, so that every message names the
     * file whatever the working directory.
     */
    static Map<String, String> read(Path path) {
        Path file = Objects.requireNonNull(path, "path").toAbsolutePath();
        return SnapshotCodec.validate(file, SnapshotCodec.parse(file, SnapshotCodec.read(file)));
    }
}
