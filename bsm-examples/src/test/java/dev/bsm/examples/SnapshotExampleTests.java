package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.TempSnapshot;
import dev.bsm.testkit.MotoServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handing a session to another process through a snapshot file the Python library can read too. */
class SnapshotExampleTests {

    @Test
    void snapshots(@TempDir Path dir) {
        MotoServer moto = EmbeddedEmulator.fresh();
        Path file = dir.resolve("session.json");
        try (BotoSesManager bsm = EmbeddedEmulator.session(moto)) {
            // tag::snapshot[]
            Map<String, String> snapshot = bsm.toSnapshot();   // region_name, aws_access_key_id, ... as in Python
            try (BotoSesManager copy = BotoSesManager.fromSnapshot(snapshot)) {
                assertThat(copy.toSnapshot()).isEqualTo(snapshot);
            }
            try (TempSnapshot temp = bsm.tempSnapshot(file)) {  // owner-only (0600) from the moment it exists
                // a child process: BotoSesManager.fromSnapshotFile() reads the file named by BSM_SNAPSHOT_FILE
                try (BotoSesManager child = BotoSesManager.fromSnapshotFile(temp.path())) {
                    assertThat(child.toSnapshot()).isEqualTo(snapshot);
                }
            }                                                  // removed; a file that was there before comes back
            // end::snapshot[]
        }
        assertThat(file).doesNotExist();
    }
}
