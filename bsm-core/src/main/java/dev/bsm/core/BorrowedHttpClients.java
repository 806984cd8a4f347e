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

    /** What both views share: the lender's client, and whether this view was closed. */
    private abstract static class View<T> {
        private final Supplier<T> lender;
        private volatile boolean closed;

        View(Supplier<T> lender) {
            this.lender = lender;
        }

        /**
         * {@return the lender's client}
         *
         * @param part what the request needs, for the error
         * @throws IllegalStateException once this view is closed
         */
        final T lent(String part) {
            if (closed) {
                throw ClosedManager.used(part);
            }
            return lender.get();
        }

        final boolean closed() {
            return closed;
        }

        public final void close() {
            closed = true;
        }
    }

    /** The sync view. */
    static final class Sync extends View<SdkHttpClient> implements SdkHttpClient {
        Sync(Supplier<SdkHttpClient> lender) {
            super(lender);
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return lent("HTTP client").prepareRequest(request);
        }

        @Override
        public String clientName() {
            return lent("HTTP client").clientName();
        }
    }

    /** The async view. */
    static final class Async extends View<SdkAsyncHttpClient> implements SdkAsyncHttpClient {
        Async(Supplier<SdkAsyncHttpClient> lender) {
            super(lender);
        }

        @Override
        public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
            return closed() ? ManagerAsyncHttpClient.refuse(request) : lent("async HTTP client").execute(request);
        }

        @Override
        public String clientName() {
            return lent("async HTTP client").clientName();
        }
    }
}
