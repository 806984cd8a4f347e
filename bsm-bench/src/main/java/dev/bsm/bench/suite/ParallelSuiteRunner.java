package dev.bsm.bench.suite;

import dev.bsm.bench.Forks;
import dev.bsm.bench.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 7 (issue 13), side by side: {@link ParallelSuiteMain} {@code serial} and {@code parallel} in fresh
 * JVMs, interleaved, {@code runs} times each; reports the medians and MADs of the launcher's time (the suite, the
 * emulator already started) and of the whole process, their parallel / serial ratios, the most classes that
 * overlapped, and the leaks, which must be 0: a run that saw another class's items stops the runner with its
 * output. Beside them, the emulator's CPU time during the launcher's run (its share of the launcher's time is how
 * busy it was; {@link EmulatorThroughputRunner} shows what it does with requests that arrive at once).
 *
 * <p>Goal: parallel ≤ 0.35 × serial (8 × 5 × 200 ms of waiting: 8 s serially, 2 s at best with 4 workers, so
 * 0.25 is the floor), zero cross-class leaks.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.bsm.bench.suite.ParallelSuiteRunner [runs] [isolation]} (default 5
 * runs, the default isolation; {@code none} makes every run after the first class leak and the runner fail).
 */
public final class ParallelSuiteRunner {
    private static final List<String> VARIANTS = List.of("serial", "parallel");

    private ParallelSuiteRunner() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> isolation = args.length > 1 ? List.of(args[1]) : List.of();
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        Map<String, List<Double>> launcher = new LinkedHashMap<>();
        Map<String, List<Double>> emulatorCpu = new LinkedHashMap<>();
        List<Integer> overlap = new ArrayList<>();
        long requests = 0;
        for (int i = 0; i < runs; i++) {
            for (String variant : VARIANTS) {
                List<String> mainArgs = new ArrayList<>(List.of(variant));
                mainArgs.addAll(isolation);
                Forks.Run run = Forks.runChecked(Forks.ADD_OPENS_ON_MOTO, ParallelSuiteMain.class.getName(),
                        mainArgs.toArray(String[]::new));
                System.out.printf("%s: %.0f ms process, %s ms launcher, emulator CPU %s ms for %s requests, at most"
                        + " %s classes at once, %s leaks%n", variant, run.wallMillis(), run.result("launcherMillis"),
                        run.result("emulatorCpuMillis"), run.result("emulatorRequests"),
                        run.result("maxConcurrentClasses"), run.result("leaks"));
                emulatorCpu.computeIfAbsent(variant, k -> new ArrayList<>())
                        .add(Double.parseDouble(run.result("emulatorCpuMillis")));
                requests = Long.parseLong(run.result("emulatorRequests"));
                wall.computeIfAbsent(variant, k -> new ArrayList<>()).add(run.wallMillis());
                launcher.computeIfAbsent(variant, k -> new ArrayList<>())
                        .add(Double.parseDouble(run.result("launcherMillis")));
                if (variant.equals("parallel")) {
                    overlap.add(Integer.parseInt(run.result("maxConcurrentClasses")));
                }
            }
        }
        double launcherRatio = Stats.median(launcher.get("parallel")) / Stats.median(launcher.get("serial"));
        double wallRatio = Stats.median(wall.get("parallel")) / Stats.median(wall.get("serial"));
        System.out.println();
        System.out.printf("Benchmark 7: %d classes x %d tests, %d ms of waiting and 5 emulator calls each; parallel:"
                + " classes concurrent, fixed parallelism %d; %d fresh JVMs per variant%n",
                ParallelSuiteClasses.all().size(), ParallelSuiteClasses.TESTS, ParallelSuiteClasses.WAIT_MILLIS,
                ParallelSuiteMain.PARALLELISM, runs);
        System.out.println("| variant | median launcher time, ms | MAD | median process wall, ms | MAD |"
                + " emulator CPU during the launcher, ms | MAD | emulator busy |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String variant : VARIANTS) {
            double cpu = Stats.median(emulatorCpu.get(variant));
            System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f %% |%n", variant,
                    Stats.median(launcher.get(variant)), Stats.mad(launcher.get(variant)),
                    Stats.median(wall.get(variant)), Stats.mad(wall.get(variant)), cpu,
                    Stats.mad(emulatorCpu.get(variant)), 100 * cpu / Stats.median(launcher.get(variant)));
        }
        System.out.printf("emulator CPU per request: %.1f ms (serial), %.1f ms (parallel); %d requests per run%n",
                Stats.median(emulatorCpu.get("serial")) / requests,
                Stats.median(emulatorCpu.get("parallel")) / requests, requests);
        System.out.printf("parallel / serial: %.2f (launcher), %.2f (process); goal <= 0.35: %s; cross-class leaks: 0"
                + " in %d runs; classes at once (parallel): %.0f..%.0f%n", launcherRatio, wallRatio,
                launcherRatio <= 0.35 ? "met" : "MISSED", 2 * runs, Stats.min(overlap), Stats.max(overlap));
    }
}
