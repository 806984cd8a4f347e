package dev.bsm.core;

import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The manager's own sync HTTP client, chosen for start-up time without giving up any request the SDK's default
 * (Apache 5) can send. Requests go through the JDK's URLConnection client, which loads a fraction of Apache 5's
 * classes. The two kinds of request that client handles worse go to an Apache 5 client built the first time one
 * is sent: PATCH, which {@code HttpURLConnection} refuses (API Gateway updates), and {@code Expect: 100-continue}
 * (S3 uploads above 1 MiB), where URLConnection drops the body of an early refusal, and with it the service's
 * error code. Both clients load the trust store on their first TLS handshake ({@link LazyTrustManagers}), so a
 * session against an {@code http://} emulator never reads it.
 */
final class DefaultHttpClient implements SdkHttpClient {
    private final SdkHttpClient urlConnection = UrlConnectionHttpClient.builder()
            .tlsTrustManagersProvider(new LazyTrustManagers())
            .build();
    private final Lazy<SdkHttpClient> apache5 = new Lazy<>(() -> Apache5HttpClient.builder()
            .tlsTrustManagersProvider(new LazyTrustManagers())
            .build());

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return needsApache5(request.httpRequest())
                ? apache5.get().prepareRequest(request)
                : urlConnection.prepareRequest(request);
    }

    static boolean needsApache5(SdkHttpRequest request) {
        return request.method() == SdkHttpMethod.PATCH
                || request.firstMatchingHeader("Expect").filter("100-continue"::equalsIgnoreCase).isPresent();
    }

    @Override
    public String clientName() {
        return urlConnection.clientName();
    }

    @Override
    public void close() {
        try {
            urlConnection.close();
        } finally {
            apache5.ifBuilt().ifPresent(SdkHttpClient::close);
        }
    }
}
