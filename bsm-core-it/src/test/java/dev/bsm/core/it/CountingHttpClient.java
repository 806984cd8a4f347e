package dev.bsm.core.it;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/** A caller-owned HTTP client (think: one with a proxy) that counts the requests it sends and whether it closed. */
final class CountingHttpClient implements SdkHttpClient {
    private final SdkHttpClient delegate = Apache5HttpClient.builder().build();
    final AtomicInteger requests = new AtomicInteger();
    volatile boolean closed;

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        requests.incrementAndGet();
        return delegate.prepareRequest(request);
    }

    @Override
    public void close() {
        closed = true;
        delegate.close();
    }
}
