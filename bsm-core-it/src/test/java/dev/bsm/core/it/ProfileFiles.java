package dev.bsm.core.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * AWS config and credentials files of a test, in its temporary directory, that the SDK reads through
 * {@code aws.configFile} and {@code aws.sharedCredentialsFile} until {@link #close()} puts the properties back as
 * they were. Callers hold {@code @ResourceLock(Resources.SYSTEM_PROPERTIES)}.
 */
final class ProfileFiles implements AutoCloseable {
    private final SystemProperties properties = new SystemProperties(Map.of());
    private final Path dir;

    private ProfileFiles(Path dir) {
        this.dir = dir;
    }

    /** Points the SDK at an empty config file and an empty credentials file in {@code dir}. */
    static ProfileFiles in(Path dir) {
        ProfileFiles files = new ProfileFiles(dir);
        try {
            files.set("aws.configFile", Files.writeString(dir.resolve("config"), "").toString());
            files.set("aws.sharedCredentialsFile", Files.writeString(dir.resolve("credentials"), "").toString());
        } catch (IOException e) {
            files.close();
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Replaces the config file's text. */
    ProfileFiles config(String text) {
        try {
            Files.writeString(dir.resolve("config"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Sets a system property until {@link #close()}. */
    ProfileFiles set(String name, String value) {
        properties.set(name, value);
        return this;
    }

    /**
     * An owner-only executable script in the directory that prints {@code json}: what a {@code credential_process}
     * runs.
     */
    String script(String name, String json) {
        Path script = dir.resolve(name);
        try {
            Files.writeString(script, "#!/bin/sh\ncat <<'JSON'\n" + json + "\nJSON\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script.toString();
    }

    @Override
    public void close() {
        properties.close();
    }
}
