package dev.bsm.bench.manyservices;

import dev.bsm.bench.Forks;
import dev.bsm.bench.Stats;
import dev.bsm.testkit.MotoServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 2, all variants side by side: starts one moto_server, then runs {@link ManyServices} for bsm, plain,
 * plain-shared-http and bsm-proposed-http (bsm with benchmark 4's proposed HTTP client) in fresh JVMs,
 * interleaved, {@code jvms} times each, and prints the medians.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.bsm.bench.manyservices.ManyServicesRunner [jvms] [rounds]}.
 */
public final class ManyServicesRunner {
    private static final List<String> VARIANTS = List.of("bsm", "plain", "plain-shared-http");
    private static final List<String> KEYS = List.of("retainedKiB", "retainedAfterCallsKiB", "connections",
            "connectionsMotoCloses", "liveThreads");

    private ManyServicesRunner() {
    }

    public static void main(String[] args) {
        int jvms = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String rounds = args.length > 1 ? args[1] : "5";
        Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
        Map<String, String> newThreads = new LinkedHashMap<>();
        String jvmThreads = "";
        try (MotoServer moto = MotoServer.start()) {
            for (int jvm = 0; jvm < jvms; jvm++) {
                for (String variant : VARIANTS) {
                    Forks.Run run = Forks.runChecked(List.of(), ManyServices.class.getName(), variant,
                            moto.endpoint().toString(), rounds);
                    System.out.print(run.output());
                    Map<String, List<Double>> byKey = results.computeIfAbsent(variant, v -> new LinkedHashMap<>());
                    for (String key : KEYS) {
                        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(run.result(key)));
                    }
                    newThreads.put(variant, run.result("newThreads"));
                    jvmThreads = run.result("jvmThreads");
                }
            }
        }
        System.out.println();
        System.out.println("Benchmark 2: 20 services, 200 calls; medians over " + jvms + " JVMs x " + rounds
                + " rounds (min..max over JVMs); a fresh JVM has " + jvmThreads + " threads");
        System.out.println("| variant | heap retained, KiB | after 200 calls, KiB | TCP connections (keep-alive front)"
                + " | TCP connections (moto closes each) | live threads | threads the clients started |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String variant : VARIANTS) {
            StringBuilder row = new StringBuilder("| " + variant + " |");
            for (String key : KEYS) {
                List<Double> values = results.get(variant).get(key);
                row.append(String.format(" %.0f (%.0f..%.0f) |", Stats.median(values), Stats.min(values),
                        Stats.max(values)));
            }
            row.append(' ').append(newThreads.get(variant)).append(" |");
            System.out.println(row);
        }
    }
}
