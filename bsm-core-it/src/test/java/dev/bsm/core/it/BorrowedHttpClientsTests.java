package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code Builder.httpClientsOf}: managers (one per emulator account, say) send their requests through one other
 * manager's HTTP clients, its own or the caller's, sync and async, and their roles too; each borrower's clients
 * still stop when it closes, and when the lender does.
 */
class BorrowedHttpClientsTests {
    @Test
    void borrowersAndTheirRolesSendThroughTheLendersHttpClient() {
        CountingHttpClient counting = new CountingHttpClient();
        try (BotoSesManager lender = manager(BotoSesManager.builder().httpClient(counting));
                BotoSesManager borrower = manager(BotoSesManager.builder().httpClientsOf(lender));
                BotoSesManager role = borrower.assumeRole("arn:aws:iam::111122223333:role/reader")) {
            borrower.client(StsClient.class).getCallerIdentity();
            assertThat(role.awsAccountId()).isEqualTo("111122223333");
            assertThat(counting.requests).as("GetCallerIdentity, AssumeRole, the role's GetCallerIdentity")
                    .hasValue(3);
        }
        assertThat(counting.closed).as("the caller's, closed by the caller").isFalse();
        counting.close();
    }

    @Test
    void asyncBorrowersSendThroughTheLendersAsyncHttpClient() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (SdkAsyncHttpClient netty = NettyNioAsyncHttpClient.create();
                BotoSesManager lender = manager(BotoSesManager.builder().asyncHttpClient(new SdkAsyncHttpClient() {
                    @Override
                    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
                        requests.incrementAndGet();
                        return netty.execute(request);
                    }

                    @Override
                    public void close() {
                    }
                }))) {
            for (int i = 0; i < 3; i++) {
                try (BotoSesManager borrower = manager(BotoSesManager.builder().httpClientsOf(lender))) {
                    borrower.client(S3AsyncClient.class).listBuckets().get(30, TimeUnit.SECONDS);
                }
            }
            assertThat(requests).as("ListBuckets of three borrowers").hasValue(3);
        }
    }

    @Test
    void aBorrowersKeptClientsStopWhenItClosesWhileTheLenderGoesOn() throws Exception {
        try (BotoSesManager lender = manager(BotoSesManager.builder())) {
            BotoSesManager borrower = manager(BotoSesManager.builder().httpClientsOf(lender));
            StsClient sts = borrower.client(StsClient.class);
            S3AsyncClient s3 = borrower.client(S3AsyncClient.class);
            sts.getCallerIdentity();
            borrower.close();

            assertThatThrownBy(sts::getCallerIdentity).satisfies(BorrowedHttpClientsTests::saysTheManagerIsClosed);
            assertThatThrownBy(() -> s3.listBuckets().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(BorrowedHttpClientsTests::saysTheManagerIsClosed);
            assertThat(lender.client(StsClient.class).getCallerIdentity().account()).isNotBlank();
        }
    }

    @Test
    void aBorrowerOfAClosedLenderSaysTheManagerIsClosed() {
        BotoSesManager lender = manager(BotoSesManager.builder());
        lender.close();
        try (BotoSesManager borrower = manager(BotoSesManager.builder().httpClientsOf(lender))) {
            assertThatThrownBy(() -> borrower.client(StsClient.class).getCallerIdentity())
                    .satisfies(BorrowedHttpClientsTests::saysTheManagerIsClosed);
        }
    }

    private static void saysTheManagerIsClosed(Throwable thrown) {
        assertThat(Causes.of(thrown)).anySatisfy(cause -> assertThat(cause)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed BotoSesManager"));
    }

    private static BotoSesManager manager(BotoSesManager.Builder builder) {
        MotoServer moto = Moto.server();
        return builder.credentials(moto.accessKeyId(), Moto.CANARY_SECRET)
                .region(moto.region())
                .endpointOverride(moto.endpoint())
                .build();
    }
}
