package dev.bsm.bench.fallback;

import dev.bsm.bench.Forks;
import dev.bsm.bench.Stats;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 6, side by side: the emulator choice in a fresh JVM with Testcontainers on the class path where no
 * Docker answers, against the same with {@code -Dbsm.localstack.enabled=false} (no Docker check at all). Both
 * variants run {@link ChooseMain} with {@code -Dbsm.moto.executable=/nonexistent}, so no moto_server starts and
 * the difference is the LocalStack step alone. Interleaved so drift hits both alike; reports the median of the
 * in-process time of {@code Emulators.choose} and of the whole process (start to exit), with the MAD, and fails
 * if a run took the other path (Docker found, or the skip not seen).
 *
 * <p>The child's class path is this jar plus the Testcontainers jars and slf4j-simple that the build lists in
 * {@code testcontainers.classpath} beside it (they are not shaded into the jar, so the other benchmarks run
 * without Testcontainers, as before). With a logging binding, as in a real test run, the runner also counts the
 * runs whose output has Testcontainers' "Could not find a valid Docker environment".
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.bsm.bench.fallback.FallbackRunner [runs] [warmups]} (default 20
 * and 3 per variant).
 */
public final class FallbackRunner {
    static final String CLASSPATH_FILE = "testcontainers.classpath";
    static final String TESTCONTAINERS_ERROR = "Could not find a valid Docker environment";

    private FallbackRunner() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String classPath = System.getProperty("java.class.path") + File.pathSeparator + testcontainersClassPath();
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("no-docker", List.of("-Dbsm.moto.executable=/nonexistent"));
        variants.put("skipped", List.of("-Dbsm.moto.executable=/nonexistent", "-Dbsm.localstack.enabled=false"));
        Map<String, List<Double>> choose = new LinkedHashMap<>();
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        String sample = "";
        int testcontainersErrors = 0;
        for (int i = -warmups; i < runs; i++) {
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                Forks.Run run = Forks.runCheckedOn(classPath, variant.getValue(), ChooseMain.class.getName());
                if (!run.result("localstack").equals(variant.getKey())) {
                    throw new IllegalStateException(variant.getKey() + ": the choice took another path:\n"
                            + run.output());
                }
                if (variant.getKey().equals("no-docker")) {
                    sample = run.output();
                }
                if (i >= 0 && run.output().contains(TESTCONTAINERS_ERROR)) {
                    testcontainersErrors++;
                }
                if (i >= 0) {
                    choose.computeIfAbsent(variant.getKey(), k -> new ArrayList<>())
                            .add(Double.parseDouble(run.result("chooseMs")));
                    wall.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(run.wallMillis());
                }
            }
        }
        System.out.println("Benchmark 6: Emulators.choose in a fresh JVM, Testcontainers on the class path, no Docker; "
                + runs + " runs each after " + warmups + " warm-ups, interleaved");
        System.out.println("| variant | choose(), median ms | MAD | min..max | process wall, median ms | MAD |"
                + " min..max |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String name : variants.keySet()) {
            List<Double> c = choose.get(name);
            List<Double> w = wall.get(name);
            System.out.printf("| %s | %.1f | %.1f | %.1f..%.1f | %.0f | %.0f | %.0f..%.0f |%n", name,
                    Stats.median(c), Stats.mad(c), Stats.min(c), Stats.max(c), Stats.median(w), Stats.mad(w),
                    Stats.min(w), Stats.max(w));
        }
        System.out.printf("difference of the medians: choose() %+.1f ms, process %+.0f ms%n",
                Stats.median(choose.get("no-docker")) - Stats.median(choose.get("skipped")),
                Stats.median(wall.get("no-docker")) - Stats.median(wall.get("skipped")));
        System.out.println("measured runs whose output has \"" + TESTCONTAINERS_ERROR + "\": " + testcontainersErrors
                + " of " + 2 * runs);
        System.out.println("Output of the last no-docker run:");
        System.out.println(sample.strip());
    }

    private static String testcontainersClassPath() {
        Path file;
        try {
            Path jar = Path.of(FallbackRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            file = jar.resolveSibling(CLASSPATH_FILE);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("No " + file + ": build the jar with ./mvnw -q -pl bsm-bench -am package"
                    + " -DskipTests, which lists the Testcontainers jars there", e);
        }
    }
}
