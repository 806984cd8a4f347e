package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.ThreadFactoryBuilder;

/**
 * The global interceptor against a real moto_server, without JUnit's engine: a thread bound to an account puts the
 * requests of clients that the extension did not build into that account, sync and async, on threads it starts;
 * presigned URLs stay plain; a request's own credentials and the clients marked as bsm's managers' are left
 * alone; nothing changes without a binding. The clients come from plain managers on moto's keys (what the
 * extension builds is marked; these are not), as code under test would build its own.
 */
class SessionInterceptorTests {
    static final String ACCOUNT = "431654987210";
    MotoServer moto;
    final List<BotoSesManager> managers = new ArrayList<>();

    @BeforeEach
    void moto() {
        moto = BsmTestKit.moto();
    }

    @AfterEach
    void unbind() {
        SessionBinding.bind(null);
        managers.forEach(BotoSesManager::close);
    }

    private SessionBinding account(String account) {
        return new SessionBinding(Optional.of(account),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(account, moto.secretAccessKey())),
                Optional.of(moto.endpoint()), "test");
    }

    /** A manager on moto's own keys, with the given override configuration. */
    private BotoSesManager manager(Consumer<ClientOverrideConfiguration.Builder> configuration) {
        BotoSesManager manager = BotoSesManager.builder().credentials(moto.accessKeyId(), moto.secretAccessKey())
                .region(moto.region()).endpointOverride(moto.endpoint()).overrideConfiguration(configuration).build();
        managers.add(manager);
        return manager;
    }

    private <T> T client(Class<T> type) {
        return manager(c -> { }).client(type);
    }

    @Test
    void withoutABindingRequestsAreUnchanged() {
        assertThat(client(StsClient.class).getCallerIdentity().account()).isEqualTo(moto.accountId());
    }

    @Test
    void aBoundThreadsRequestsGoToItsAccountAndTheBindingIsRestoredExactly() {
        StsClient sts = client(StsClient.class);
        SessionBinding outer = account("111100002222");
        SessionBinding.bind(outer);
        SessionBinding.Restore restore = SessionBinding.bind(account(ACCOUNT));
        assertThat(sts.getCallerIdentity().account()).isEqualTo(ACCOUNT);
        int signedWithAccount = StsCallCounter.withKey("GetCallerIdentity", ACCOUNT);
        sts.getCallerIdentity();
        assertThat(StsCallCounter.withKey("GetCallerIdentity", ACCOUNT)).as("signed with the account's key")
                .isEqualTo(signedWithAccount + 1);
        restore.close();
        assertThat(SessionBinding.current()).isSameAs(outer);
    }

    @Test
    void threadsTheTestStartsAndAsyncClientsLandInTheAccount() throws Exception {
        StsClient sts = client(StsClient.class);
        SqsAsyncClient sqs = client(SqsAsyncClient.class);
        SessionBinding.bind(account(ACCOUNT));
        AtomicReference<String> fromThread = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
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

    /**
     * What is chained on an async call runs on the SDK's completion thread, which the SDK makes from its Netty
     * threads: whatever binding those inherited (the scope that made the first async call) is not the caller's.
     * Here the client's threads are made while another account is bound, as in a suite where an earlier class made
     * the first async calls; a call chained on the caller's call (and on its failure) still lands in the caller's
     * account.
     */
    @Test
    void callsChainedOnAnAsyncCallLandInTheCallersAccount() throws Exception {
        BotoSesManager manager = manager(c -> { });
        StsAsyncClient sts = manager.client(StsAsyncClient.class);
        SqsAsyncClient sqs = manager.client(SqsAsyncClient.class);
        String earlier = "987600001234";
        try (SessionBinding.Restore earlierClass = SessionBinding.bind(account(earlier))) {
            assertThat(sts.getCallerIdentity().thenCompose(first -> sts.getCallerIdentity()).get().account())
                    .isEqualTo(earlier);
        }
        SessionBinding.bind(account(ACCOUNT));

        assertThat(sts.getCallerIdentity().thenCompose(first -> sts.getCallerIdentity()).get().account())
                .isEqualTo(ACCOUNT);
        assertThat(sqs.getQueueUrl(r -> r.queueName("no-such-queue")).handle((url, failure) -> failure)
                .thenCompose(failure -> sts.getCallerIdentity()).get().account()).isEqualTo(ACCOUNT);
    }

    /**
     * The bucket {@code bucket} with an object {@code k} in {@link #ACCOUNT}, made after the client's SDK threads
     * were made while another account was bound (as in a suite where an earlier class made the first async call);
     * the thread is left bound to {@link #ACCOUNT}.
     */
    private S3AsyncClient s3WithObjectAfterAnotherAccount(BotoSesManager manager, String bucket) throws Exception {
        S3AsyncClient s3 = manager.client(S3AsyncClient.class);
        try (SessionBinding.Restore earlierClass = SessionBinding.bind(account("987600001299"))) {
            manager.client(StsAsyncClient.class).getCallerIdentity().get();
        }
        SessionBinding.bind(account(ACCOUNT));
        s3.createBucket(b -> b.bucket(bucket)).get();
        s3.putObject(p -> p.bucket(bucket).key("k"), AsyncRequestBody.fromString("hello")).get();
        return s3;
    }

    @Test
    void aCallChainedOnADownloadIntoBytesLandsInTheCallersAccount() throws Exception {
        BotoSesManager manager = manager(c -> { });
        String bucket = "bytes-" + System.nanoTime();
        S3AsyncClient s3 = s3WithObjectAfterAnotherAccount(manager, bucket);
        StsClient sts = manager.client(StsClient.class);
        assertThat(s3.getObject(g -> g.bucket(bucket).key("k"), AsyncResponseTransformer.toBytes())
                .thenApply(bytes -> sts.getCallerIdentity().account()).get()).isEqualTo(ACCOUNT);
    }

    /**
     * A streaming response is read on the SDK's Netty threads, which serve every class: a call made while reading
     * it lands in the caller's account, not in whichever the event loop last knew.
     */
    @Test
    void aCallMadeWhileReadingAStreamingDownloadLandsInTheCallersAccount() throws Exception {
        BotoSesManager manager = manager(c -> { });
        String bucket = "publisher-" + System.nanoTime();
        S3AsyncClient s3 = s3WithObjectAfterAnotherAccount(manager, bucket);
        StsClient sts = manager.client(StsClient.class);
        AtomicReference<String> thread = new AtomicReference<>();
        CompletableFuture<String> account = new CompletableFuture<>();
        s3.getObject(g -> g.bucket(bucket).key("k"), AsyncResponseTransformer.toPublisher()).get()
                .subscribe(new Subscriber<ByteBuffer>() {
                    @Override
                    public void onSubscribe(Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(ByteBuffer buffer) {
                    }

                    @Override
                    public void onError(Throwable failure) {
                        account.completeExceptionally(failure);
                    }

                    @Override
                    public void onComplete() {
                        thread.set(Thread.currentThread().getName());
                        try {
                            account.complete(sts.getCallerIdentity().account());
                        } catch (RuntimeException e) {
                            account.completeExceptionally(e);
                        }
                    }
                });
        assertThat(account.get()).as("the account of a call made on " + thread).isEqualTo(ACCOUNT);
    }

    /**
     * The SDK makes its threads once for the JVM, from whichever thread first needs one: made while a class is
     * bound, they must not keep its binding (its account, its guard) for every later class and after the run.
     */
    @Test
    void threadsTheSdkMakesInheritNoBinding() throws Exception {
        SessionBinding.bind(account(ACCOUNT));
        AtomicReference<SessionBinding> inherited = new AtomicReference<>(account("987600001299"));
        Thread thread = new ThreadFactoryBuilder().threadNamePrefix("sdk-like").build()
                .newThread(() -> inherited.set(SessionBinding.current()));
        thread.start();
        thread.join();
        assertThat(inherited.get()).isNull();
    }

    @Test
    void workersOfForkJoinPoolsDoNotInheritABinding() throws Exception {
        SessionBinding.bind(account(ACCOUNT));
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            assertThat(pool.submit(SessionBinding::current).get()).isNull();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestsOwnCredentialsWin() {
        StsClient sts = client(StsClient.class);
        SessionBinding.bind(new SessionBinding(Optional.empty(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCOUNT, "x")), Optional.empty(), "t"));
        int own = StsCallCounter.withKey("GetCallerIdentity", "own-key");
        sts.getCallerIdentity(r -> r.overrideConfiguration(o -> o.credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("own-key", "x")))));
        assertThat(StsCallCounter.withKey("GetCallerIdentity", "own-key")).isEqualTo(own + 1);
    }

    @Test
    void clientsMarkedAsBsmsManagersAreLeftAlone() {
        StsClient managed = manager(c -> c.putExecutionAttribute(SessionInterceptor.MANAGED, Boolean.TRUE))
                .client(StsClient.class);
        SessionBinding.bind(account(ACCOUNT));
        assertThat(managed.getCallerIdentity().account()).isEqualTo(moto.accountId());
    }

    @Test
    void presignedUrlsCarryNoHeaderAndWorkInABrowser() throws Exception {
        String bucket = "presigned-" + System.nanoTime();
        BotoSesManager manager = manager(c -> { });
        S3Client s3 = manager.client(S3Client.class);
        S3Presigner presigner = manager.client(S3Presigner.class);
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

    @Test
    void clientsWithInterceptorsOfTheirOwnAreReachedToo() {
        SqsClient sqs = manager(c -> c.addExecutionInterceptor(new ExecutionInterceptor() { }))
                .client(SqsClient.class);
        SessionBinding.bind(account(ACCOUNT));
        assertThat(sqs.createQueue(r -> r.queueName("own-interceptors")).queueUrl()).contains("/" + ACCOUNT + "/");
    }
}
