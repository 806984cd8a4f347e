package dev.bsm.bench.suite;

import dev.bsm.bench.Forks;
import dev.bsm.bench.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 8 (issue 13), what clean state per class costs: {@link SuiteMain} in fresh JVMs, the variants
 * interleaved, {@code runs} times each: 50 classes of one small test on one shared emulator with
 * {@code bsm.isolation=none} and {@code =class} ({@link SharedEmulatorClasses}), with a reset of the emulator before
 * each class ({@link ResetPerClassClasses}), and with an emulator per class ({@link PerClassEmulatorClasses}).
 * Reports medians and MADs of the process wall time, the launcher's time and the time per class after the first
 * (wall, and this JVM's CPU time), what each class after the first allocated, built and sent (SDK clients, HTTP
 * requests, threads started: counts that a loaded machine does not change), and the isolation's cost per class:
 * {@code class} minus {@code none}, both per further class and as the launcher time's difference over the 50
 * classes.
 *
 * <p>Goal: isolation ({@code class}) costs at most 2 ms per class more than {@code none}, judged on the larger of
 * the two wall-time differences.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.bsm.bench.suite.IsolationCostRunner [runs] [variant...]}
 * (default 10 runs of {@code none class reset per-class}; the emulator per class takes about 30 s a run).
 */
public final class IsolationCostRunner {
    /** Variant name → SuiteMain's arguments. */
    private static final Map<String, String[]> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put("none", new String[] {"shared", "none"});
        VARIANTS.put("class", new String[] {"shared", "class"});
        VARIANTS.put("reset", new String[] {"reset"});
        VARIANTS.put("per-class", new String[] {"per-class"});
    }

    private IsolationCostRunner() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> variants = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.copyOf(VARIANTS.keySet());
        variants.forEach(v -> {
            if (!VARIANTS.containsKey(v)) {
                throw new IllegalArgumentException("no variant " + v + ": " + VARIANTS.keySet());
            }
        });
        Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>(); // variant -> figure -> runs
        for (int i = 0; i < runs; i++) {
            for (String variant : variants) {
                Forks.Run run = Forks.runChecked(Forks.ADD_OPENS_ON_MOTO, SuiteMain.class.getName(),
                        VARIANTS.get(variant));
                System.out.printf("%s: %.0f ms process, %s ms launcher, %s ms per further class (CPU %s ms; %s KiB,"
                        + " %s SDK clients, %s HTTP requests, %s threads)%n", variant, run.wallMillis(),
                        run.result("launcherMillis"), run.result("perFurtherClassMillis"),
                        run.result("perFurtherClassCpuMillis"), run.result("perFurtherClassKib"),
                        run.result("perFurtherClassClients"), run.result("perFurtherClassRequests"),
                        run.result("perFurtherClassThreads"));
                Map<String, List<Double>> of = figures.computeIfAbsent(variant, k -> new LinkedHashMap<>());
                of.computeIfAbsent("wall", k -> new ArrayList<>()).add(run.wallMillis());
                for (String key : List.of("launcherMillis", "firstClassMillis", "firstClassCpuMillis",
                        "perFurtherClassMillis", "perFurtherClassCpuMillis",
                        "perFurtherClassKib", "perFurtherClassClients", "perFurtherClassRequests",
                        "perFurtherClassThreads")) {
                    of.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(run.result(key)));
                }
            }
        }
        int classes = SharedEmulatorClasses.all().length;
        System.out.println();
        System.out.println("Benchmark 8: " + classes + " test classes, one S3 call each; " + runs
                + " fresh JVMs per variant; median (MAD), ms");
        System.out.println("| variant | process wall | launcher time | first class | first class, JVM CPU "
                + "| per further class | per further class, JVM CPU |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String variant : variants) {
            Map<String, List<Double>> of = figures.get(variant);
            System.out.printf("| %s | %.0f (%.0f) | %.0f (%.0f) | %.0f (%.0f) | %.0f (%.0f) | %.2f (%.2f) "
                    + "| %.2f (%.2f) |%n", variant,
                    Stats.median(of.get("wall")), Stats.mad(of.get("wall")),
                    Stats.median(of.get("launcherMillis")), Stats.mad(of.get("launcherMillis")),
                    Stats.median(of.get("firstClassMillis")), Stats.mad(of.get("firstClassMillis")),
                    Stats.median(of.get("firstClassCpuMillis")), Stats.mad(of.get("firstClassCpuMillis")),
                    Stats.median(of.get("perFurtherClassMillis")), Stats.mad(of.get("perFurtherClassMillis")),
                    Stats.median(of.get("perFurtherClassCpuMillis")), Stats.mad(of.get("perFurtherClassCpuMillis")));
        }
        System.out.println();
        System.out.println("Per further class, counted (load does not change these; allocations of the thread that"
                + " runs the classes); median (MAD)");
        System.out.println("| variant | allocated KiB | SDK clients built | HTTP requests | threads started |");
        System.out.println("|---|---|---|---|---|");
        for (String variant : variants) {
            Map<String, List<Double>> of = figures.get(variant);
            System.out.printf("| %s | %.0f (%.0f) | %.2f (%.2f) | %.2f (%.2f) | %.2f (%.2f) |%n", variant,
                    Stats.median(of.get("perFurtherClassKib")), Stats.mad(of.get("perFurtherClassKib")),
                    Stats.median(of.get("perFurtherClassClients")), Stats.mad(of.get("perFurtherClassClients")),
                    Stats.median(of.get("perFurtherClassRequests")), Stats.mad(of.get("perFurtherClassRequests")),
                    Stats.median(of.get("perFurtherClassThreads")), Stats.mad(of.get("perFurtherClassThreads")));
        }
        if (!variants.contains("none")) {
            return;
        }
        for (String variant : variants) {
            if (!variant.equals("none")) {
                double steady = difference(figures, variant, "perFurtherClassMillis");
                double total = difference(figures, variant, "launcherMillis") / classes;
                System.out.printf("%s - none: %+.2f ms per class (per further class; JVM CPU %+.2f), %+.2f ms per "
                        + "class (launcher time / %d)%s%n", variant, steady,
                        difference(figures, variant, "perFurtherClassCpuMillis"), total, classes,
                        variant.equals("class") ? goal(Math.max(steady, total)) : "");
            }
        }
    }

    private static double difference(Map<String, Map<String, List<Double>>> figures, String variant, String key) {
        return Stats.median(figures.get(variant).get(key)) - Stats.median(figures.get("none").get(key));
    }

    private static String goal(double costPerClass) {
        return "; goal <= 2 ms per class: " + (costPerClass <= 2 ? "met" : "MISSED");
    }
}
