package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;

/** Failsafe's JVM: the same session, through the extension and through fromSnapshotFile() alone. */
class SessionIT {
    @Test
    @WithAwsSession
    void usesTheBuildsSession(BotoSesManager bsm) {
        SessionRecords.record("SessionIT", bsm);
    }

    @Test
    void aPlainTestReadsItFromTheSnapshotFile() {
        try (BotoSesManager bsm = BotoSesManager.fromSnapshotFile()) { // bsm.snapshotFile, from the plugin
            assertThat(bsm.principalArn()).contains(":assumed-role/");
        }
    }
}
