package dev.bsm.bench.suite;

import dev.bsm.bench.Stats;
import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.Emulator;
import dev.bsm.testkit.Emulators;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Beside benchmark 7: how the emulator serves requests that arrive at once. The same {@code requests} SQS
 * {@code ListQueues} calls (one SDK client, warmed up first) from 1 thread and from 4 threads, interleaved,
 * {@code runs} times each; reports per concurrency the median wall time, the emulator's CPU time
 * ({@link EmulatorCpu}) and the throughput. If 4 threads get no more requests per second than 1 while the emulator's
 * CPU time is about the wall time, the emulator serves one request at a time: calls that parallel test classes
 * make at the same moment wait for each other there, whatever the client side does.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.bsm.bench.suite.EmulatorThroughputRunner [runs] [requests]}
 * (default 5 runs of 400 requests). Run with {@code -Dbsm.localstack.enabled=false} for moto_server.
 */
public final class EmulatorThroughputRunner {
    private static final List<Integer> CONCURRENCY = List.of(1, 4);

    private EmulatorThroughputRunner() {
    }

    /** {@return the request count rounded down to a multiple of every concurrency, at least one share each} */
    static int roundedToShares(int requests) {
        int multiple = CONCURRENCY.stream().reduce(1, (a, b) -> a * b / gcd(a, b));
        return Math.max(multiple, requests / multiple * multiple);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // A multiple of every concurrency, so that each makes exactly this many calls (one share per thread).
        int requests = roundedToShares(args.length > 1 ? Integer.parseInt(args[1]) : 400);
        Emulator emulator = Emulators.shared();
        BotoSesManager session = emulator.session();
        SqsClient sqs = session.client(SqsClient.class);
        for (int i = 0; i < 100; i++) {
            sqs.listQueues(); // the JIT and the emulator's SQS app warmed up, not measured
        }
        Map<Integer, List<Double>> wall = new LinkedHashMap<>();
        Map<Integer, List<Double>> cpu = new LinkedHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(CONCURRENCY.stream().max(Integer::compare).get());
        try {
            for (int run = 0; run < runs; run++) {
                for (int concurrency : CONCURRENCY) {
                    long cpuBefore = EmulatorCpu.millis(emulator.endpoint());
                    long start = System.nanoTime();
                    List<Future<?>> parts = new ArrayList<>();
                    for (int t = 0; t < concurrency; t++) {
                        int share = requests / concurrency;
                        parts.add(threads.submit(() -> {
                            for (int r = 0; r < share; r++) {
                                sqs.listQueues();
                            }
                        }));
                    }
                    for (Future<?> part : parts) {
                        part.get();
                    }
                    double millis = (System.nanoTime() - start) / 1e6;
                    long cpuMillis = EmulatorCpu.spent(cpuBefore, EmulatorCpu.millis(emulator.endpoint()));
                    System.out.printf("%d threads: %d requests in %.0f ms, emulator CPU %d ms%n", concurrency,
                            requests, millis, cpuMillis);
                    wall.computeIfAbsent(concurrency, k -> new ArrayList<>()).add(millis);
                    cpu.computeIfAbsent(concurrency, k -> new ArrayList<>()).add((double) cpuMillis);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        System.out.println();
        System.out.printf("Emulator throughput: %d SQS ListQueues calls, %d runs each, %s%n", requests, runs,
                emulator.endpoint());
        System.out.println("| threads | median wall, ms | MAD | requests/s | emulator CPU, ms | CPU / wall |");
        System.out.println("|---|---|---|---|---|---|");
        for (int concurrency : CONCURRENCY) {
            double millis = Stats.median(wall.get(concurrency));
            double cpuMillis = Stats.median(cpu.get(concurrency));
            System.out.printf("| %d | %.0f | %.0f | %.0f | %.0f | %.2f |%n", concurrency, millis,
                    Stats.mad(wall.get(concurrency)), requests * 1000 / millis, cpuMillis, cpuMillis / millis);
        }
        System.out.printf("4 threads / 1 thread, requests per second: %.2f%n",
                Stats.median(wall.get(1)) / Stats.median(wall.get(4)));
    }
}
