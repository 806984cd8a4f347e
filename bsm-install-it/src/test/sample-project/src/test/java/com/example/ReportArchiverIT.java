package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import dev.bsm.junit5.SnapshotFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

@WithAwsSession(localstack = true, snapshot = true)
class ReportArchiverIT {

    @Test
    void aChildSeesTheSameSession(@SnapshotFile Path snapshot, BotoSesManager bsm) {
        new ReportArchiver().archive("it-reports", "weekly.csv", "c,d");

        try (BotoSesManager child = BotoSesManager.fromSnapshotFile(snapshot)) {
            assertThat(child.toSnapshot().equals(bsm.toSnapshot())).as("the child's session is the test's").isTrue();
        }
        assertThat(bsm.client(S3Client.class).listObjectsV2(l -> l.bucket("it-reports")).contents()).hasSize(1);
    }
}
