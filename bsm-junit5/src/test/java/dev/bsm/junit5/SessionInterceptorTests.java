package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.testkit.MotoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The global interceptor against a real moto_server, without JUnit's engine: a thread bound to an account puts the
 * requests of clients built with no knowledge of bsm into that account, sync and async, on threads it starts;
 * presigned URLs stay plain; a request's own credentials and bsm's managers' clients are left alone; nothing
 * changes without a binding.
 */
class SessionInterceptorTests {
    static final String ACCOUNT = "431654987210";
    MotoServer moto;
    StaticCredentialsProvider motoKeys;

    @BeforeEach
    void moto() {
        moto = BsmTestKit.moto();
        motoKeys = StaticCredentialsProvider.create(AwsBasicCredentials.create(moto.accessKeyId(),
                moto.secretAccessKey()));
    }

    @AfterEach
    void unbind() {
        SessionBinding.bind(null);
    }

    private SessionBinding account(String account) {
        return new SessionBinding(Optional.of(account),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(account, moto.secretAccessKey())),
                Optional.of(moto.endpoint()), "test");
    }

    private StsClient sts() {
        return StsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(motoKeys).build();
    }

    @Test
    void withoutABindingRequestsAreUnchanged() {
        try (StsClient sts = sts()) {
            assertThat(sts.getCallerIdentity().account()).isEqualTo(moto.accountId());
        }
    }

    @Test
    void aBoundThreadsRequestsGoToItsAccountAndTheBindingIsRestoredExactly() {
        SessionBinding outer = account("111100002222");
        SessionBinding.bind(outer);
        try (StsClient sts = sts(); SessionBinding.Restore restore = SessionBinding.bind(account(ACCOUNT))) {
            assertThat(sts.getCallerIdentity().account()).isEqualTo(ACCOUNT);
            int signedWithAccount = StsCallCounter.withKey("GetCallerIdentity", ACCOUNT);
            sts.getCallerIdentity();
            assertThat(StsCallCounter.withKey("GetCallerIdentity", ACCOUNT)).as("signed with the account's key")
                    .isEqualTo(signedWithAccount + 1);
        }
        assertThat(SessionBinding.current()).isSameAs(outer);
    }

    @Test
    void threadsTheTestStartsAndAsyncClientsLandInTheAccount() throws Exception {
        SessionBinding.bind(account(ACCOUNT));
        AtomicReference<String> fromThread = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (StsClient sts = sts(); SqsAsyncClient sqs = SqsAsyncClient.builder().endpointOverride(moto.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(motoKeys).build()) {
            Thread thread = new Thread(() -> fromThread.set(sts.getCallerIdentity().account()));
            thread.start();
            thread.join();
            assertThat(fromThread.get()).isEqualTo(ACCOUNT);
            assertThat(pool.submit(() -> sts.getCallerIdentity().account()).get()).isEqualTo(ACCOUNT);
            assertThat(CompletableFuture.supplyAsync(() -> sts.getCallerIdentity().account(), pool).get())
                    .isEqualTo(ACCOUNT);
            String queueUrl = sqs.createQueue(r -> r.queueName("async-in-account")).get().queueUrl();
            assertThat(queueUrl).contains("/" + ACCOUNT + "/");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestsOwnCredentialsWin() {
        SessionBinding.bind(new SessionBinding(Optional.empty(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCOUNT, "x")), Optional.empty(), "t"));
        try (StsClient sts = sts()) {
            int own = StsCallCounter.withKey("GetCallerIdentity", "own-key");
            sts.getCallerIdentity(r -> r.overrideConfiguration(o -> o.credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("own-key", "x")))));
            assertThat(StsCallCounter.withKey("GetCallerIdentity", "own-key")).isEqualTo(own + 1);
        }
    }

    @Test
    void clientsOfBsmsManagersAreLeftAlone() {
        SessionBinding.bind(account(ACCOUNT));
        try (StsClient managed = StsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(motoKeys)
                .overrideConfiguration(c -> c.putExecutionAttribute(SessionInterceptor.MANAGED, Boolean.TRUE))
                .build()) {
            assertThat(managed.getCallerIdentity().account()).isEqualTo(moto.accountId());
        }
    }

    @Test
    void presignedUrlsCarryNoHeaderAndWorkInABrowser() throws Exception {
        String bucket = "presigned-" + System.nanoTime();
        try (S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(motoKeys).build();
             S3Presigner presigner = S3Presigner.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                     .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                             .pathStyleAccessEnabled(true).build()).credentialsProvider(motoKeys).build()) {
            SessionBinding.bind(account(ACCOUNT));
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(p -> p.bucket(bucket).key("k"), RequestBody.fromString("hello"));
            assertThat(s3.listBuckets().buckets()).anySatisfy(b -> assertThat(b.name()).isEqualTo(bucket));
            PresignedGetObjectRequest presigned = presigner.presignGetObject(r -> r
                    .signatureDuration(Duration.ofMinutes(5)).getObjectRequest(g -> g.bucket(bucket).key("k")));
            assertThat(presigned.isBrowserExecutable()).isTrue();
            assertThat(presigned.signedHeaders()).doesNotContainKey(SessionInterceptor.ACCOUNT_HEADER);
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(presigned.url().toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("hello");
            s3.deleteObject(d -> d.bucket(bucket).key("k"));
            s3.deleteBucket(d -> d.bucket(bucket));
        }
    }

    @Test
    void clientsWithInterceptorsOfTheirOwnAreReachedToo() {
        SessionBinding.bind(account(ACCOUNT));
        try (SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(motoKeys)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new software.amazon.awssdk.core.interceptor
                        .ExecutionInterceptor() { }))
                .build()) {
            assertThat(sqs.createQueue(r -> r.queueName("own-interceptors")).queueUrl()).contains("/" + ACCOUNT + "/");
        }
    }
}
