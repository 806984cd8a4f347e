package dev.bsm.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run in a child JVM: opens a snapshot, then dies without closing it, as a killed JVM does. With a second argument
 * {@code hold} it keeps the snapshot open instead, says {@code open} on its output, and closes it and exits when
 * its input ends: another JVM with a snapshot open at the same path.
 */
final class KilledWhileOpen {
    private KilledWhileOpen() {
    }

    public static void main(String[] args) throws Exception {
        BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDKILLED", Canary.SECRET).region("us-east-1")
                .build();
        TempSnapshot snapshot = bsm.tempSnapshot(Path.of(args[0]));
        if (args.length > 1 && args[1].equals("hold")) {
            System.out.println("open");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            snapshot.close();
            System.exit(0);
        }
        Runtime.getRuntime().halt(9); // no close, no shutdown hooks
    }
}
