package dev.bsm.bench.suite;

import dev.bsm.bench.Forks;
import dev.bsm.bench.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Benchmark 7 (issue 13), side by side: {@link ParallelSuiteMain} {@code serial} and {@code parallel} in fresh
 * JVMs, for bsm's suite ({@link ParallelSuiteClasses}) and for its control, the same suite on the plain SDK
 * ({@link PlainSuiteClasses}): four variants interleaved, {@code runs} times each. Reports per suite the medians
 * and MADs of the launcher's time (the suite, the emulator already started) and of the whole process, their
 * parallel / serial ratios, the most classes that overlapped, and the leaks, which must be 0: a run that saw
 * another class's items stops the runner with its output. Beside them, the emulator's CPU time during the
 * launcher's run (its share of the launcher's time is how busy it was; {@link EmulatorThroughputRunner} shows what
 * it does with requests that arrive at once), and what bsm adds to the launcher's time over the control.
 *
 * <p>Goal: bsm's parallel ≤ 0.35 × serial (8 × 5 × 200 ms of waiting: 8 s serially, 2 s at best with 4 workers, so
 * 0.25 is the floor), zero cross-class leaks. The control's ratio is what hand-written SDK code reaches on the same
 * machine and emulator: how much of the distance to the floor is not bsm's.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.bsm.bench.suite.ParallelSuiteRunner [runs] [isolation]} (default 5
 * runs, bsm's suite with the default isolation and the control; with an isolation, bsm's suite alone with it:
 * {@code none} makes every run after the first class leak and the runner fail).
 */
public final class ParallelSuiteRunner {
    private static final List<String> MODES = List.of("serial", "parallel");

    private ParallelSuiteRunner() {
    }

    /**
     * One of the suites: {@code key} names it in the per-run lines, {@code label} in the report;
     * {@code suiteArgs} follow the mode on {@link ParallelSuiteMain}'s command line; only bsm's is judged against
     * the goal.
     */
    private record Suite(String key, String label, List<String> suiteArgs, boolean judged) {
    }

    /** A suite's figures in one mode, one entry per run. */
    private record Figures(List<Double> wall, List<Double> launcher, List<Double> emulatorCpu,
            List<Integer> overlap, List<Long> requests) {
        Figures() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Suite> suites = args.length > 1
                ? List.of(new Suite("bsm", "bsm, isolation " + args[1], List.of(args[1]), true))
                : List.of(new Suite("bsm", "bsm", List.of(), true),
                        new Suite(ParallelSuiteMain.PLAIN, "plain (control: what hand-written SDK code reaches here)",
                                List.of(ParallelSuiteMain.PLAIN), false));
        Map<Suite, Map<String, Figures>> figures = new LinkedHashMap<>();
        for (Suite suite : suites) {
            MODES.forEach(mode -> figures.computeIfAbsent(suite, s -> new LinkedHashMap<>()).put(mode, new Figures()));
        }
        for (int i = 0; i < runs; i++) {
            for (Suite suite : suites) {
                for (String mode : MODES) {
                    List<String> mainArgs = new ArrayList<>(List.of(mode));
                    mainArgs.addAll(suite.suiteArgs());
                    Forks.Run run = Forks.runChecked(Forks.ADD_OPENS_ON_MOTO, ParallelSuiteMain.class.getName(),
                            mainArgs.toArray(String[]::new));
                    System.out.printf("%s %s: %.0f ms process, %s ms launcher, emulator CPU %s ms for %s requests,"
                            + " at most %s classes at once, %s leaks%n", suite.key(), mode, run.wallMillis(),
                            run.result("launcherMillis"), run.result("emulatorCpuMillis"),
                            run.result("emulatorRequests"), run.result("maxConcurrentClasses"), run.result("leaks"));
                    Figures f = figures.get(suite).get(mode);
                    f.wall().add(run.wallMillis());
                    f.launcher().add(Double.parseDouble(run.result("launcherMillis")));
                    f.emulatorCpu().add(Double.parseDouble(run.result("emulatorCpuMillis")));
                    f.overlap().add(Integer.parseInt(run.result("maxConcurrentClasses")));
                    f.requests().add(Long.parseLong(run.result("emulatorRequests")));
                }
            }
        }
        System.out.println();
        System.out.printf("Benchmark 7: %d classes x %d tests, %d ms of waiting and 5 emulator calls each; parallel:"
                + " classes concurrent, fixed parallelism %d; %d fresh JVMs per variant, the variants interleaved%n",
                ParallelSuiteClasses.all().size(), ParallelSuiteClasses.TESTS, ParallelSuiteClasses.WAIT_MILLIS,
                ParallelSuiteMain.PARALLELISM, runs);
        for (Suite suite : suites) {
            printSuite(suite, figures.get(suite).get("serial"), figures.get(suite).get("parallel"), runs);
        }
        if (suites.size() > 1) {
            System.out.println();
            System.out.println("bsm - plain, launcher time (what bsm adds over hand-written SDK code):");
            for (String mode : MODES) {
                List<Double> bsm = figures.get(suites.get(0)).get(mode).launcher();
                List<Double> plain = figures.get(suites.get(1)).get(mode).launcher();
                // Paired by run: run i's variants ran one after another, so a load that comes and goes hits both.
                List<Double> paired = IntStream.range(0, runs).mapToObj(i -> bsm.get(i) - plain.get(i)).toList();
                System.out.printf("  %s: %+.0f ms (medians %.0f - %.0f); paired by run: median %+.0f ms, MAD %.0f%n",
                        mode, Stats.median(bsm) - Stats.median(plain), Stats.median(bsm), Stats.median(plain),
                        Stats.median(paired), Stats.mad(paired));
            }
        }
    }

    private static void printSuite(Suite suite, Figures serial, Figures parallel, int runs) {
        System.out.println();
        System.out.println(suite.label());
        System.out.println("| variant | median launcher time, ms | MAD | median process wall, ms | MAD |"
                + " emulator CPU during the launcher, ms | MAD | emulator busy | requests per run |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (String mode : MODES) {
            Figures f = mode.equals("serial") ? serial : parallel;
            double cpu = Stats.median(f.emulatorCpu());
            System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f %% | %.0f |%n", mode,
                    Stats.median(f.launcher()), Stats.mad(f.launcher()), Stats.median(f.wall()), Stats.mad(f.wall()),
                    cpu, Stats.mad(f.emulatorCpu()), 100 * cpu / Stats.median(f.launcher()),
                    Stats.median(f.requests()));
        }
        System.out.printf("emulator CPU per request: %.1f ms (serial), %.1f ms (parallel)%n",
                Stats.median(serial.emulatorCpu()) / Stats.median(serial.requests()),
                Stats.median(parallel.emulatorCpu()) / Stats.median(parallel.requests()));
        double launcherRatio = Stats.median(parallel.launcher()) / Stats.median(serial.launcher());
        double wallRatio = Stats.median(parallel.wall()) / Stats.median(serial.wall());
        System.out.printf("parallel / serial: %.2f (launcher), %.2f (process)%s; cross-class leaks: 0 in %d runs;"
                + " classes at once (parallel): %.0f..%.0f%n", launcherRatio, wallRatio,
                suite.judged() ? "; goal <= 0.35: " + (launcherRatio <= 0.35 ? "met" : "MISSED")
                        : " (the control, not judged)", 2 * runs, Stats.min(parallel.overlap()),
                Stats.max(parallel.overlap()));
    }
}
