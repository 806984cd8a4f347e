package dev.bsm.bench;

import dev.bsm.core.BotoSesManager;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmark 1 (issue 6): {@code bsm.client(S3Client.class)} on a warm manager, beside a plain field read (the
 * limit) and building the client with the plain SDK builder. No network: building a client connects nowhere.
 *
 * <p>Goal: {@link #cachedBsmClient()} 20 ns/op or less.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CachedLookupBenchmark {
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:4566");
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private BotoSesManager bsm;
    /** What the plain field read returns: the limit of any cache. */
    private S3Client s3Field;
    private SdkHttpClient sharedHttpClient;

    @Setup(Level.Trial)
    public void setUp() {
        bsm = BotoSesManager.builder()
                .credentials("testing", "testing")
                .region("us-east-1")
                .endpointOverride(ENDPOINT)
                .build();
        s3Field = bsm.client(S3Client.class); // warm: built once here
        sharedHttpClient = Apache5HttpClient.builder().build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bsm.close();
        sharedHttpClient.close();
    }

    /** The measured API: a cached lookup on a warm manager. */
    @Benchmark
    public S3Client cachedBsmClient() {
        return bsm.client(S3Client.class);
    }

    /** The limit: reading a field that holds the client. */
    @Benchmark
    public S3Client cachedFieldRead() {
        return s3Field;
    }

    /** No cache: the plain SDK builder with the SDK's default HTTP client (its own Apache 5 pool), then close. */
    @Benchmark
    public S3Client plainSdkBuild() {
        S3Client s3 = S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(ENDPOINT)
                .forcePathStyle(true)
                .build();
        s3.close();
        return s3;
    }

    /** No cache: the plain SDK builder sharing one HTTP client, then close (the shared client stays open). */
    @Benchmark
    public S3Client plainSdkBuildSharedHttpClient() {
        S3Client s3 = S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(ENDPOINT)
                .forcePathStyle(true)
                .httpClient(sharedHttpClient)
                .build();
        s3.close();
        return s3;
    }
}
