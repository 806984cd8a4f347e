package dev.bsm.junit5;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The extension's view of bsm-testkit's {@link dev.bsm.testkit.internal.SnapshotDirectories} (shared with
 * bsm-maven-plugin, whose per-build directories the same sweep serves): a per-user directory that is not safe to
 * use fails the test with an {@link ExtensionConfigurationException} naming it.
 */
final class SnapshotDirectories {
    static final String PREFIX = dev.bsm.testkit.internal.SnapshotDirectories.PREFIX;

    private SnapshotDirectories() {
    }

    static Path create(Path tempDirectory) {
        return safely(() -> dev.bsm.testkit.internal.SnapshotDirectories.create(tempDirectory));
    }

    static void delete(Path directory) {
        dev.bsm.testkit.internal.SnapshotDirectories.delete(directory);
    }

    static int sweepOrphans(Path tempDirectory) {
        return safely(() -> dev.bsm.testkit.internal.SnapshotDirectories.sweepOrphans(tempDirectory));
    }

    static Path perUserDirectory(Path tempDirectory) {
        return safely(() -> dev.bsm.testkit.internal.SnapshotDirectories.perUserDirectory(tempDirectory));
    }

    private static <T> T safely(Supplier<T> action) {
        try {
            return action.get();
        } catch (dev.bsm.testkit.internal.SnapshotDirectories.UnsafeException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
    }
}
