package dev.bsm.core;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * The manager's own async HTTP client (Netty, built on the first async client). After {@link #close()} a request
 * fails with the manager-closed error of {@link ClosedManager}, as the sync {@link RoutingHttpClient} does, instead
 * of Netty's "event executor terminated". An async HTTP client the user passed in is used as given.
 */
final class ManagerAsyncHttpClient implements SdkAsyncHttpClient {
    private final SdkAsyncHttpClient delegate;
    private volatile boolean closed;

    ManagerAsyncHttpClient(SdkAsyncHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        return closed ? refuse(request) : delegate.execute(request);
    }

    /** Fails a request of a closed manager as an async HTTP client reports a failure: to its handler and future. */
    static CompletableFuture<Void> refuse(AsyncExecuteRequest request) {
        IllegalStateException error = ClosedManager.used("async HTTP client");
        request.responseHandler().onError(error);
        return CompletableFuture.failedFuture(error);
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        closed = true;
        delegate.close();
    }
}
