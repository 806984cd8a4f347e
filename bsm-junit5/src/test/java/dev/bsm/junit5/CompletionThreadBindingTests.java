package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.StsClient;

class CompletionThreadBindingTests {
    static final String ACCOUNT = "431654987299";
    static final String EARLIER = "987600001299";
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
                Optional.of(moto.endpoint()), "test " + account);
    }

    private BotoSesManager manager() {
        BotoSesManager manager = BotoSesManager.builder().credentials(moto.accessKeyId(), moto.secretAccessKey())
                .region(moto.region()).endpointOverride(moto.endpoint()).build();
        managers.add(manager);
        return manager;
    }

    @Test
    void aCallChainedOnAStreamingDownloadLandsInTheCallersAccount() throws Exception {
        BotoSesManager manager = manager();
        S3AsyncClient s3 = manager.client(S3AsyncClient.class);
        StsAsyncClient sts = manager.client(StsAsyncClient.class);
        StsClient syncSts = manager.client(StsClient.class);
        String bucket = "stream-" + System.nanoTime();
        try (SessionBinding.Restore earlierClass = SessionBinding.bind(account(EARLIER))) {
            assertThat(sts.getCallerIdentity().get().account()).isEqualTo(EARLIER); // the SDK's threads are made now
        }
        SessionBinding.bind(account(ACCOUNT));
        s3.createBucket(b -> b.bucket(bucket)).get();
        s3.putObject(p -> p.bucket(bucket).key("k"), AsyncRequestBody.fromString("hello")).get();
        AtomicReference<String> thread = new AtomicReference<>();
        String chained = s3.getObject(g -> g.bucket(bucket).key("k"), AsyncResponseTransformer.toBytes())
                .thenApply(bytes -> {
                    thread.set(Thread.currentThread().getName());
                    return syncSts.getCallerIdentity().account();
                }).get();
        assertThat(chained).as("account of a call chained on thread " + thread).isEqualTo(ACCOUNT);
    }

    @Test
    void aCallMadeWhileReadingAStreamingDownloadLandsInTheCallersAccount() throws Exception {
        BotoSesManager manager = manager();
        S3AsyncClient s3 = manager.client(S3AsyncClient.class);
        StsAsyncClient sts = manager.client(StsAsyncClient.class);
        StsClient syncSts = manager.client(StsClient.class);
        String bucket = "publisher-" + System.nanoTime();
        try (SessionBinding.Restore earlierClass = SessionBinding.bind(account(EARLIER))) {
            assertThat(sts.getCallerIdentity().get().account()).isEqualTo(EARLIER); // the SDK's threads are made now
        }
        SessionBinding.bind(account(ACCOUNT));
        s3.createBucket(b -> b.bucket(bucket)).get();
        s3.putObject(p -> p.bucket(bucket).key("k"), AsyncRequestBody.fromString("hello")).get();
        AtomicReference<String> thread = new AtomicReference<>();
        java.util.concurrent.CompletableFuture<String> seen = new java.util.concurrent.CompletableFuture<>();
        s3.getObject(g -> g.bucket(bucket).key("k"), AsyncResponseTransformer.toPublisher()).get()
                .subscribe(new org.reactivestreams.Subscriber<java.nio.ByteBuffer>() {
                    @Override
                    public void onSubscribe(org.reactivestreams.Subscription s) {
                        s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(java.nio.ByteBuffer b) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        seen.completeExceptionally(t);
                    }

                    @Override
                    public void onComplete() {
                        thread.set(Thread.currentThread().getName());
                        try {
                            seen.complete(syncSts.getCallerIdentity().account());
                        } catch (RuntimeException e) {
                            seen.completeExceptionally(e);
                        }
                    }
                });
        assertThat(seen.get()).as("account of a call made on thread " + thread).isEqualTo(ACCOUNT);
    }

    /**
     * The SDK's threads are made once for the JVM, from whichever thread first needs one: made while a class is
     * bound, they must not keep its binding (its account, its guard) for every later class and after the run.
     */
    @Test
    void threadsTheSdkMakesInheritNoBinding() throws Exception {
        SessionBinding.bind(account(ACCOUNT));
        AtomicReference<SessionBinding> inherited = new AtomicReference<>(account(EARLIER));
        Thread thread = new software.amazon.awssdk.utils.ThreadFactoryBuilder().threadNamePrefix("sdk-like").build()
                .newThread(() -> inherited.set(SessionBinding.current()));
        thread.start();
        thread.join();
        assertThat(inherited.get()).isNull();
    }
}
