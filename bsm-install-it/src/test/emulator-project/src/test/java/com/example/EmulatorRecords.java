package com.example;

import dev.bsm.core.BotoSesManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a test JVM saw of the build's emulator, written to the directory named by EMULATOR_RECORDS (as
 * {@code <name>.properties}) for the test that built this project to check.
 */
final class EmulatorRecords {
    private EmulatorRecords() {
    }

    static void record(String name, BotoSesManager bsm) {
        Properties record = new Properties();
        record.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        record.setProperty("endpoint", String.valueOf(System.getenv("AWS_ENDPOINT_URL")));
        record.setProperty("handedEndpoint", String.valueOf(System.getProperty("bsm.emulator.endpoint")));
        record.setProperty("handedLease", String.valueOf(System.getProperty("bsm.emulator.lease")));
        record.setProperty("account", bsm.awsAccountId());
        try (OutputStream out = Files.newOutputStream(Path.of(System.getenv("EMULATOR_RECORDS"))
                .resolve(name + ".properties"))) {
            record.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
