package dev.bsm.junit5;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * An SDK HTTP client that stands for the network, for endpoints a test must not reach (real AWS): it records the
 * host of every request the SDK hands it and connects nowhere (each call fails with an IOException). A request
 * that never gets here was stopped before any DNS lookup or connection.
 */
final class CountingHttpClient implements SdkHttpClient {
    private final List<String> hosts = new CopyOnWriteArrayList<>();

    /** {@return the host:port of every request handed to this client, in order} */
    List<String> hosts() {
        return List.copyOf(hosts);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        hosts.add(request.httpRequest().host() + ":" + request.httpRequest().port());
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                throw new IOException("the counting client connects nowhere");
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
    }
}
