package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.SnapshotFile;
import dev.bsm.junit5.WithAwsSession;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

// tag::snapshot-file[]
@WithAwsSession(localstack = true, snapshot = true)
class SnapshotFileExampleTests {

    @Test
    void handsTheSessionToAChild(@SnapshotFile Path snapshot, BotoSesManager bsm) {
        // BSM_SNAPSHOT_FILE names the file: a child JVM calls BotoSesManager.fromSnapshotFile()
        assertThat(System.getenv("BSM_SNAPSHOT_FILE")).isEqualTo(snapshot.toString());
        try (BotoSesManager child = BotoSesManager.fromSnapshotFile()) {
            assertThat(child.toSnapshot()).isEqualTo(bsm.toSnapshot());
        }
    }   // the file is gone after the test, whatever its outcome
}
// end::snapshot-file[]
