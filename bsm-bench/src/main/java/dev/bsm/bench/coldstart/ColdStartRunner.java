package dev.bsm.bench.coldstart;

import dev.bsm.bench.Forks;
import dev.bsm.bench.Stats;
import dev.bsm.testkit.MotoServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 4, side by side: starts one moto_server, then runs each main class in a fresh JVM ({@code java -cp
 * benchmarks.jar <main> <endpoint>}), interleaved round-robin so drift hits all alike, and reports the median
 * whole-process wall time (from {@code ProcessBuilder.start()} to exit) with its median absolute deviation.
 * Every run must print moto's account id.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.bsm.bench.coldstart.ColdStartRunner [runs] [warmups]}
 * (default 40 and 3 per main).
 */
public final class ColdStartRunner {
    private static final Map<String, Class<?>> MAINS = new LinkedHashMap<>();

    static {
        MAINS.put("bsm (defaults)", BsmMain.class);
        MAINS.put("plain SDK (defaults)", PlainMain.class);
        MAINS.put("plain SDK + UrlConnectionHttpClient", PlainUrlConnectionMain.class);
        MAINS.put("bsm + httpClient(Apache 5): bsm's default before issue 6", BsmApache5Main.class);
        MAINS.put("JVM only (no AWS work)", JvmOnlyMain.class);
    }

    private ColdStartRunner() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        try (MotoServer moto = MotoServer.start()) {
            String endpoint = moto.endpoint().toString();
            for (int i = -warmups; i < runs; i++) {
                for (Map.Entry<String, Class<?>> main : MAINS.entrySet()) {
                    Forks.Run run = Forks.runChecked(List.of(), main.getValue().getName(), endpoint);
                    if (!run.output().strip().endsWith(moto.accountId())) {
                        throw new IllegalStateException(main.getKey() + " printed " + run.output());
                    }
                    if (i >= 0) {
                        millis.computeIfAbsent(main.getKey(), k -> new ArrayList<>()).add(run.wallMillis());
                    }
                }
            }
        }
        double plain = Stats.median(millis.get("plain SDK (defaults)"));
        System.out.println("Benchmark 4: fresh JVM printing the account id from STS (moto); " + runs
                + " runs each after " + warmups + " warm-ups, interleaved");
        System.out.println("| main | median wall, ms | MAD, ms | min..max, ms | / plain SDK (defaults) |");
        System.out.println("|---|---|---|---|---|");
        millis.forEach((name, values) -> System.out.printf("| %s | %.0f | %.0f | %.0f..%.0f | %.2f |%n", name,
                Stats.median(values), Stats.mad(values), Stats.min(values), Stats.max(values),
                Stats.median(values) / plain));
    }
}
