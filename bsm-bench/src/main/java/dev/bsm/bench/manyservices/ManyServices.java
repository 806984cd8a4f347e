package dev.bsm.bench.manyservices;

import dev.bsm.bench.Stats;
import dev.bsm.core.BotoSesManager;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Benchmark 2, one variant in a fresh JVM: 20 different service clients, then 200 calls spread over them (10
 * rounds over the 20 services) through a {@link CountingProxy} in front of moto. Measures the heap the clients
 * retain after a full GC (after two discarded warm-up rounds, so class loading is not counted), the live threads
 * while they are open, and the TCP connections the 200 calls opened: to moto itself (which closes every
 * connection) in the warm-up round, and to a keep-alive front of moto (as LocalStack and AWS keep connections
 * open) in the measured rounds.
 *
 * <p>Usage: {@code ManyServices bsm|bsm-proposed-http|plain|plain-shared-http <moto endpoint> [rounds]}; prints one
 * {@code RESULT} line with the medians of the measured rounds. {@link ManyServicesRunner} runs all variants.
 */
public final class ManyServices {
    static final int CALL_ROUNDS = 10; // 10 x 20 services = 200 calls

    private ManyServices() {
    }

    /** 20 open clients and what closes them. */
    private record Clients(List<Object> clients, AutoCloseable closer) {
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        URI moto = URI.create(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Set<String> jvmThreads = new TreeSet<>(threadNames());
        List<Long> retainedBuilt = new ArrayList<>();
        List<Long> retainedAfterCalls = new ArrayList<>();
        List<Integer> connections = new ArrayList<>();
        List<Integer> liveThreads = new ArrayList<>();
        Set<String> newThreads = new TreeSet<>();
        int connectionsWithoutKeepAlive;
        // Round 0 warms up (class loading; discarded) and counts what moto itself sees: it closes every connection.
        try (CountingProxy transparent = new CountingProxy(moto, CountingProxy.Mode.TRANSPARENT)) {
            Clients clients = open(variant, transparent.endpoint());
            transparent.resetCount();
            callAll(clients);
            connectionsWithoutKeepAlive = transparent.accepted();
            clients.closer().close();
            System.out.printf("warm-up round, moto closes connections: %d connections%n",
                    connectionsWithoutKeepAlive);
        }
        try (CountingProxy proxy = new CountingProxy(moto, CountingProxy.Mode.KEEP_ALIVE)) {
            for (int round = 0; round <= rounds; round++) { // round 0 on this proxy: warm-up, discarded
                long before = usedHeapAfterGc();
                Clients clients = open(variant, proxy.endpoint());
                long built = usedHeapAfterGc() - before;
                proxy.resetCount();
                callAll(clients);
                int opened = proxy.accepted();
                long afterCalls = usedHeapAfterGc() - before;
                List<String> threads = threadNames();
                clients.closer().close();
                System.out.printf("round %d: retained %d KiB built, %d KiB after 200 calls, %d connections,"
                        + " %d live threads%n", round, built / 1024, afterCalls / 1024, opened, threads.size());
                if (round == 0) {
                    continue;
                }
                retainedBuilt.add(built);
                retainedAfterCalls.add(afterCalls);
                connections.add(opened);
                liveThreads.add(threads.size());
                threads.stream().filter(t -> !jvmThreads.contains(t)).forEach(newThreads::add);
            }
        }
        System.out.println("jvm threads at start: " + jvmThreads);
        System.out.println("threads started by the clients: " + newThreads);
        System.out.printf("RESULT variant=%s retainedKiB=%.0f retainedAfterCallsKiB=%.0f connections=%.0f"
                        + " connectionsMotoCloses=%d liveThreads=%.0f jvmThreads=%d newThreads=%s%n", variant,
                Stats.median(retainedBuilt) / 1024, Stats.median(retainedAfterCalls) / 1024,
                Stats.median(connections), connectionsWithoutKeepAlive, Stats.median(liveThreads), jvmThreads.size(),
                newThreads.stream().map(n -> n.replace(' ', '_')).collect(Collectors.joining(",", "[", "]")));
    }

    /** 200 calls: 10 rounds over the 20 services, in order. */
    private static void callAll(Clients clients) {
        for (int i = 0; i < CALL_ROUNDS; i++) {
            for (int s = 0; s < Services.ALL.size(); s++) {
                Services.ALL.get(s).callOn(clients.clients().get(s));
            }
        }
    }

    private static Clients open(String variant, URI endpoint) {
        List<Object> clients = new ArrayList<>();
        switch (variant) {
            case "bsm" -> {
                BotoSesManager bsm = BotoSesManager.builder()
                        .credentials("testing", "testing")
                        .region("us-east-1")
                        .endpointOverride(endpoint)
                        .build();
                Services.ALL.forEach(service -> clients.add(bsm.client(service.type())));
                return new Clients(clients, bsm);
            }
            case "plain" -> {
                Services.ALL.forEach(service -> clients.add(plain(service, endpoint, null)));
                return new Clients(clients, () -> clients.forEach(c -> ((SdkAutoCloseable) c).close()));
            }
            case "plain-shared-http" -> {
                SdkHttpClient http = Apache5HttpClient.builder().build();
                Services.ALL.forEach(service -> clients.add(plain(service, endpoint, http)));
                return new Clients(clients, () -> {
                    clients.forEach(c -> ((SdkAutoCloseable) c).close());
                    http.close();
                });
            }
            default -> throw new IllegalArgumentException(
                    "variant: bsm, plain or plain-shared-http, not " + variant);
        }
    }

    /** What a hand-written test does: the service's builder with region, keys and endpoint. */
    private static Object plain(Services.Service<?> service, URI endpoint, SdkHttpClient http) {
        AwsClientBuilder<?, ?> builder = service.plainBuilder().get()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(endpoint);
        if (builder instanceof S3ClientBuilder s3) {
            s3.forcePathStyle(true);
        }
        if (http != null) {
            ((SdkSyncClientBuilder<?, ?>) builder).httpClient(http);
        }
        return builder.build();
    }

    /** The names of the live threads, without the proxy's. */
    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> !name.startsWith(CountingProxy.THREAD_PREFIX))
                .sorted()
                .collect(Collectors.toList());
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
