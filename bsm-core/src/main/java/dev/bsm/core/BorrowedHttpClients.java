package dev.bsm.core;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * The HTTP clients of a manager built with {@link BotoSesManager.Builder#httpClientsOf}: views of the lender's,
 * which the lender builds when first asked and closes itself. Closing a view closes nothing of the lender's; after
 * it, requests fail with the manager-closed error of {@link ClosedManager}, as on the manager's own closed
 * clients, so a client kept after its manager was closed still stops.
 */
final class BorrowedHttpClients {
    private BorrowedHttpClients() {
    }

    /** The sync view. */
    static final class Sync implements SdkHttpClient {
        private final Supplier<SdkHttpClient> lender;
        private volatile boolean closed;

        Sync(Supplier<SdkHttpClient> lender) {
            this.lender = lender;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            if (closed) {
                throw ClosedManager.used("HTTP client");
            }
            return lender.get().prepareRequest(request);
        }

        @Override
        public String clientName() {
            return lender.get().clientName();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** The async view. */
    static final class Async implements SdkAsyncHttpClient {
        private final Supplier<SdkAsyncHttpClient> lender;
        private volatile boolean closed;

        Async(Supplier<SdkAsyncHttpClient> lender) {
            this.lender = lender;
        }

        @Override
        public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
            if (closed) {
                // As an async HTTP client reports a failure: to the response handler and in the returned future.
                IllegalStateException error = ClosedManager.used("async HTTP client");
                request.responseHandler().onError(error);
                return CompletableFuture.failedFuture(error);
            }
            return lender.get().execute(request);
        }

        @Override
        public String clientName() {
            return lender.get().clientName();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
