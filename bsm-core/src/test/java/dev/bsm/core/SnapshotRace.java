package dev.bsm.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens and closes snapshots at one path in a loop, checking while each is open that the file is its own. */
final class SnapshotRace {
    private SnapshotRace() {
    }

    /**
     * Tries {@code times} times, and on until it has held the path once (at most 30 s more): a racer that only ever
     * meets the others' snapshots in its tries says nothing about the lock, and a loaded machine can starve one.
     *
     * @return "held=H refused=R foreign=F": F counts the times the file held was not this one's
     */
    static String run(Path path, String accessKeyId, int times) throws IOException {
        int held = 0;
        int refused = 0;
        int foreign = 0;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        try (BotoSesManager bsm = BotoSesManager.builder().credentials(accessKeyId, "SK").region("us-east-1")
                .build()) {
            for (int i = 0; i < times || held == 0 && System.nanoTime() < deadline; i++) {
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
