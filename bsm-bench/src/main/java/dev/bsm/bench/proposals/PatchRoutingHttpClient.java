package dev.bsm.bench.proposals;

import java.util.function.Supplier;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * A sketch of a proposed bsm default HTTP client, for measurement only (benchmarks 2 and 4), not bsm code: the
 * URLConnection client (few classes, quick to start) for every request, and an Apache 5 client, built on the first
 * PATCH, for the requests the URLConnection client cannot send (API Gateway updates); both with the trust store
 * loaded on the first TLS handshake ({@link LazyTrustManagers}). Start-up cost of URLConnection, every HTTP method
 * of Apache 5.
 */
public final class PatchRoutingHttpClient implements SdkHttpClient {
    private final SdkHttpClient urlConnection = UrlConnectionHttpClient.builder()
            .tlsTrustManagersProvider(new LazyTrustManagers())
            .build();
    private final Supplier<SdkHttpClient> apache5Factory = () -> Apache5HttpClient.builder()
            .tlsTrustManagersProvider(new LazyTrustManagers())
            .build();
    private volatile SdkHttpClient apache5;

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (request.httpRequest().method() == SdkHttpMethod.PATCH) {
            return apache5().prepareRequest(request);
        }
        return urlConnection.prepareRequest(request);
    }

    private SdkHttpClient apache5() {
        SdkHttpClient client = apache5;
        if (client == null) {
            synchronized (this) {
                client = apache5;
                if (client == null) {
                    client = apache5Factory.get();
                    apache5 = client;
                }
            }
        }
        return client;
    }

    @Override
    public String clientName() {
        return urlConnection.clientName();
    }

    @Override
    public void close() {
        urlConnection.close();
        SdkHttpClient client = apache5;
        if (client != null) {
            client.close();
        }
    }
}
