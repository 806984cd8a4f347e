package dev.bsm.bench.suite;

import dev.bsm.bench.Forks;
import dev.bsm.bench.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 5, side by side: runs {@link SuiteMain} {@code shared} and {@code per-class} in fresh JVMs (so the
 * shared emulator's start is always counted), interleaved, {@code runs} times each, and reports the medians of
 * the whole-process wall time and of the launcher's own time, and their ratio.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.bsm.bench.suite.SuiteRunner [runs]} (default 5).
 */
public final class SuiteRunner {
    private static final List<String> VARIANTS = List.of("shared", "per-class");

    private SuiteRunner() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        Map<String, List<Double>> launcher = new LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            for (String variant : VARIANTS) {
                Forks.Run run = Forks.runChecked(Forks.ADD_OPENS, SuiteMain.class.getName(), variant);
                System.out.printf("%s: %.0f ms process, %s ms launcher%n", variant, run.wallMillis(),
                        run.result("launcherMillis"));
                wall.computeIfAbsent(variant, k -> new ArrayList<>()).add(run.wallMillis());
                launcher.computeIfAbsent(variant, k -> new ArrayList<>())
                        .add(Double.parseDouble(run.result("launcherMillis")));
            }
        }
        System.out.println();
        System.out.println("Benchmark 5: 50 test classes, one S3 call each; " + runs + " fresh JVMs per variant");
        System.out.println("| variant | median process wall, ms | MAD | median launcher time, ms | MAD |");
        System.out.println("|---|---|---|---|---|");
        for (String variant : VARIANTS) {
            System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f |%n", variant, Stats.median(wall.get(variant)),
                    Stats.mad(wall.get(variant)), Stats.median(launcher.get(variant)),
                    Stats.mad(launcher.get(variant)));
        }
        System.out.printf("ratio per-class / shared: %.1fx (process wall), %.1fx (launcher)%n",
                Stats.median(wall.get("per-class")) / Stats.median(wall.get("shared")),
                Stats.median(launcher.get("per-class")) / Stats.median(launcher.get("shared")));
    }
}
