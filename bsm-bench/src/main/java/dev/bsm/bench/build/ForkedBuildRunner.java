package dev.bsm.bench.build;

import dev.bsm.bench.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 10 (issue 14), one emulator per build: a sample Maven project of {@code classes} test classes
 * ({@link SampleBuild}: each creates a queue and a table in its own account on {@code @WithAwsSession}'s emulator,
 * {@code moto_server} here) built with {@code ./mvnw -o test}, Surefire at {@code forkCount} with
 * {@code reuseForks=true}, {@code runs} times with {@code -Dbsm.emulator.share=build} (the default: one
 * {@code moto_server} for every fork) and {@code runs} times with {@code =jvm} (one per fork, as before issue 14),
 * interleaved, after one warm-up build that resolves the artifacts and compiles.
 *
 * <p>Reported per mode: the {@code moto_server} processes that really ran (counted by {@link ProcessWatch}, which
 * looks at {@code /proc} every 5 ms for the processes that carry the build's environment marker), the Surefire forks
 * seen, Maven's wall time (process start to exit; median, min, max) and, where one emulator serves the build, the
 * time from the last fork's exit to the emulator's exit (both as seen by the same looks, so late by at most one
 * look each: the slowest look is printed).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.bsm.bench.build.ForkedBuildRunner [runs] [classes] [forkCount]}
 * (default 3 runs, 40 classes, forkCount 4). Linux only (needs {@code /proc}); needs {@code moto_server} and the
 * reactor's jars ({@code ./mvnw -pl bsm-bench -am package -DskipTests}). The sample project is written to a new
 * directory under {@code java.io.tmpdir} and removed afterwards unless {@code -Dbsm.bench.keep=true}.
 */
public final class ForkedBuildRunner {
    /** The values of {@code bsm.emulator.share}, in the order the runs interleave. */
    static final List<String> MODES = List.of("build", "jvm");

    private ForkedBuildRunner() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int classes = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int forkCount = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Map<String, List<SampleBuild.Measured>> results = measure(runs, classes, forkCount, true);
        System.out.println();
        System.out.println(table(results, runs, classes, forkCount));
    }

    /**
     * Builds the sample project {@code runs} times per mode.
     *
     * @return each mode's measured builds, in order
     */
    static Map<String, List<SampleBuild.Measured>> measure(int runs, int classes, int forkCount, boolean print)
            throws IOException, InterruptedException {
        if (!ProcessWatch.available()) {
            throw new IllegalStateException("/proc/self/environ is not readable: this benchmark needs Linux's /proc");
        }
        Path workspace = Files.createTempDirectory("bsm-forked-build");
        try {
            SampleBuild sample = SampleBuild.create(workspace, classes);
            sample.warmUp();
            Map<String, List<SampleBuild.Measured>> results = new LinkedHashMap<>();
            for (int i = 1; i <= runs; i++) {
                for (String mode : MODES) {
                    String load = loadAverage();
                    SampleBuild.Measured run = sample.test(mode, forkCount, mode + "-" + i + ".log");
                    results.computeIfAbsent(mode, k -> new ArrayList<>()).add(run);
                    if (print) {
                        System.out.println(line(mode, run) + "; load average before: " + load);
                    }
                }
            }
            return results;
        } finally {
            if (!Boolean.getBoolean("bsm.bench.keep")) {
                deleteTree(workspace);
            } else if (print) {
                System.out.println("kept " + workspace);
            }
        }
    }

    private static String line(String mode, SampleBuild.Measured run) {
        return String.format("share=%s: %.0f ms wall, %d tests, %d moto_server started (at most %d at once), %d forks,"
                + " last fork exit to last moto_server exit %.1f ms (%.1f..%.1f), Maven exit to nothing left %.0f ms,"
                + " slowest look %.1f ms", mode, run.wallMillis(), run.testsRun(), run.emulators().size(),
                run.mostEmulatorsAtOnce(), run.forks().size(), run.lastForkExitToEmulatorExitMillis(),
                run.lastForkExitToEmulatorExitWindowMillis()[0], run.lastForkExitToEmulatorExitWindowMillis()[1],
                run.mavenExitToNothingLeftNanos() / 1e6, run.slowestLookNanos() / 1e6);
    }

    static String table(Map<String, List<SampleBuild.Measured>> results, int runs, int classes, int forkCount) {
        StringBuilder out = new StringBuilder(String.format("Benchmark 10: ./mvnw -o test of %d test classes (a queue"
                + " and a table each), Surefire forkCount=%d reuseForks=true; %d builds per mode, interleaved%n",
                classes, forkCount, runs));
        out.append("| bsm.emulator.share | moto_server started per build | Surefire forks | build wall, median"
                + " (min..max) | last fork exit to moto_server exit, median (min..max) |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, List<SampleBuild.Measured>> mode : results.entrySet()) {
            List<SampleBuild.Measured> of = mode.getValue();
            List<Double> wall = of.stream().map(SampleBuild.Measured::wallMillis).toList();
            List<Double> latency = of.stream().map(SampleBuild.Measured::lastForkExitToEmulatorExitMillis).toList();
            out.append(String.format("| %s | %s | %s | %,.0f ms (%,.0f..%,.0f) | %s |%n", mode.getKey(),
                    distinct(of.stream().map(r -> r.emulators().size()).toList()),
                    distinct(of.stream().map(r -> r.forks().size()).toList()), Stats.median(wall), Stats.min(wall),
                    Stats.max(wall), mode.getKey().equals("build")
                            ? String.format("%.0f ms (%.0f..%.0f)", Stats.median(latency), Stats.min(latency),
                                    Stats.max(latency))
                            : String.format("each fork stops its own (last moto_server exit %.0f ms after the last"
                                    + " fork's, median)", Stats.median(latency))));
        }
        double slowest = results.values().stream().flatMap(List::stream)
                .mapToLong(SampleBuild.Measured::slowestLookNanos).max().orElse(0) / 1e6;
        List<SampleBuild.Measured> build = results.getOrDefault("build", List.of());
        double widest = build.stream().map(SampleBuild.Measured::lastForkExitToEmulatorExitWindowMillis)
                .mapToDouble(w -> w[1] - w[0]).max().orElse(0);
        out.append(String.format("/proc looked at every %d ms (the slowest gap between two looks: %.1f ms); the exit"
                + " latency's window (last look running to first look gone, both processes): at most %.1f ms wide%n",
                ProcessWatch.PERIOD_NANOS / 1_000_000, slowest, widest));
        return out.toString();
    }

    /** {@code 4} when every run gave 4, else every run's value: {@code 4, 3, 4}. */
    private static String distinct(List<Integer> values) {
        return values.stream().distinct().count() == 1 ? values.get(0).toString()
                : String.join(", ", values.stream().map(String::valueOf).toList());
    }

    /** {@return the 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} has them} */
    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
