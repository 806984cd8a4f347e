package dev.bsm.core;

import java.nio.file.Path;

/** Run in a child JVM: opens a snapshot, then dies without closing it, as a killed JVM does. */
final class KilledWhileOpen {
    private KilledWhileOpen() {
    }

    public static void main(String[] args) {
        BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDKILLED", Canary.SECRET).region("us-east-1")
                .build();
        bsm.tempSnapshot(Path.of(args[0]));
        Runtime.getRuntime().halt(9); // no close, no shutdown hooks
    }
}
