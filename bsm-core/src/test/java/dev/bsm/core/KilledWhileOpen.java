package dev.bsm.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run in a child JVM: opens a snapshot, then dies without closing it, as a killed JVM does. With a second argument
 * {@code hold} it keeps the snapshot open instead, says {@code open} on its output, and closes it and exits when
 * its input ends: another JVM with a snapshot open at the same path. With {@code race N} it says {@code ready}, and once
 * a line comes in opens and closes a snapshot at the path N times, as fast as it can, then says how often it got
 * it and how often the file it held was not its own.
 */
final class KilledWhileOpen {
    private KilledWhileOpen() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        String mode = args.length > 1 ? args[1] : "kill";
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (mode.equals("race")) {
            System.out.println("ready");
            System.out.flush();
            input.readLine(); // all racers start together
            System.out.println(SnapshotRace.run(path, "AKIDRACE" + ProcessHandle.current().pid(),
                    Integer.parseInt(args[2])));
            System.exit(0);
        }
        BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDKILLED", Canary.SECRET).region("us-east-1")
                .build();
        TempSnapshot snapshot = bsm.tempSnapshot(path);
        if (mode.equals("hold")) {
            System.out.println("open");
            System.out.flush();
            input.readLine();
            snapshot.close();
            System.exit(0);
        }
        Runtime.getRuntime().halt(9); // no close, no shutdown hooks
    }
}
