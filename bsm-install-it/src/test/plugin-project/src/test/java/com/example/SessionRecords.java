package com.example;

import dev.bsm.core.BotoSesManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * What a test JVM saw of the build's session, written to the directory named by PLUGIN_RECORDS (as
 * {@code <module directory>.<name>.properties}) for the test that built this project to check. The keys are recorded too, so that it can look for them in Maven's log: this is a
 * sample project on an emulator, not something to do with real keys.
 */
final class SessionRecords {
    private SessionRecords() {
    }

    static void record(String name, BotoSesManager bsm) {
        Properties record = new Properties();
        Map<String, String> snapshot = bsm.toSnapshot();
        record.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        record.setProperty("principal", bsm.principalArn());
        record.setProperty("accessKeyId", snapshot.get("aws_access_key_id"));
        record.setProperty("secretAccessKey", snapshot.get("aws_secret_access_key"));
        record.setProperty("sessionToken", snapshot.getOrDefault("aws_session_token", ""));
        try (BotoSesManager fromFile = BotoSesManager.fromSnapshotFile()) {
            record.setProperty("fromSnapshotFile", fromFile.toSnapshot().get("aws_access_key_id"));
        }
        try (StsClient sts = StsClient.create()) { // the environment @WithAwsSession set
            record.setProperty("selfBuilt", sts.getCallerIdentity().arn());
        }
        Path file = Path.of(System.getProperty("bsm.snapshotFile"));
        record.setProperty("snapshotFile", file.toString());
        record.setProperty("workingDirectory", Path.of("").toAbsolutePath().toString());
        try {
            record.setProperty("snapshotPermissions", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)));
            record.setProperty("mfaTokenCode", String.valueOf(System.getProperty("bsm.mfaTokenCode")));
            // <module>.<name>: Surefire runs each module's tests in the module's directory.
            String module = Path.of("").toAbsolutePath().getFileName().toString();
            try (OutputStream out = Files.newOutputStream(Path.of(System.getenv("PLUGIN_RECORDS"))
                    .resolve(module + "." + name + ".properties"))) {
                record.store(out, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
