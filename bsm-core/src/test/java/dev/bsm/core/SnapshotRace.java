package dev.bsm.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens and closes snapshots at one path in a loop, checking while each is open that the file is its own. */
final class SnapshotRace {
    private SnapshotRace() {
    }

    /** {@return "held=H refused=R foreign=F": F counts the times the file held was not this one's} */
    static String run(Path path, String accessKeyId, int times) throws IOException {
        int held = 0;
        int refused = 0;
        int foreign = 0;
        try (BotoSesManager bsm = BotoSesManager.builder().credentials(accessKeyId, "SK").region("us-east-1")
                .build()) {
            for (int i = 0; i < times; i++) {
                try (TempSnapshot snapshot = bsm.tempSnapshot(path)) {
                    held++;
                    if (!Files.readString(path).contains("\"" + accessKeyId + "\"")) {
                        foreign++;
                    }
                } catch (InvalidSnapshotException e) {
                    refused++;
                }
            }
        }
        return "held=" + held + " refused=" + refused + " foreign=" + foreign;
    }
}
