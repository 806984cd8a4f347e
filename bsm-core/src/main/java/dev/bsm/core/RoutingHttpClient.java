package dev.bsm.core;

import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.apache5.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The manager's own sync HTTP client: not the SDK's default, but a router between two SDK clients, chosen for
 * start-up time without giving up anything the SDK's default (Apache 5) does. Requests go through the JDK's URLConnection client, which loads a fraction of Apache 5's
 * classes. What that client would send differently goes to an Apache 5 client built the first time it is needed:
 * <ul>
 * <li>PATCH, which {@code HttpURLConnection} refuses (API Gateway updates);</li>
 * <li>{@code Expect: 100-continue} (S3 uploads of unknown length or above 1 MiB): URLConnection drops the body of
 * an early refusal, and with it the service's error code;</li>
 * <li>every request when a proxy is in play: Apache 5 uses the SDK's proxy settings ({@code http.proxyHost},
 * {@code HTTP_PROXY}, {@code NO_PROXY}) and ignores the JDK's other ones ({@code https.proxyHost},
 * {@code socksProxyHost}, {@code java.net.useSystemProxies}), while the URLConnection client would use the JDK's;
 * so proxied requests go exactly where the SDK's default sends them.</li>
 * </ul>
 * Both clients check certificates with a trust manager made on the first TLS handshake ({@link LazyTrustManagers}),
 * so a session against an {@code http://} emulator never reads the trust store. After {@link #close()} every
 * request fails, as it does on a closed Apache 5 client, and nothing is built any more.
 */
final class RoutingHttpClient implements SdkHttpClient {
    private final SdkHttpClient urlConnection = UrlConnectionHttpClient.builder()
            .tlsTrustManagersProvider(new LazyTrustManagers())
            .build();
    /** Resolved as Apache 5 resolves its default: system properties, then environment variables. */
    private final boolean sdkProxySet = ProxyConfiguration.builder().build().host() != null;
    private SdkHttpClient apache5; // guarded by this
    private volatile boolean closed;

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ensureOpen();
        SdkHttpRequest httpRequest = request.httpRequest();
        return needsApache5(httpRequest) || sdkProxySet || jdkWouldUseProxy(httpRequest.getUri())
                ? apache5().prepareRequest(request)
                : urlConnection.prepareRequest(request);
    }

    private static boolean needsApache5(SdkHttpRequest request) {
        return request.method() == SdkHttpMethod.PATCH
                || request.firstMatchingHeader("Expect").filter("100-continue"::equalsIgnoreCase).isPresent();
    }

    private static boolean jdkWouldUseProxy(URI uri) {
        ProxySelector selector = ProxySelector.getDefault();
        if (selector == null) {
            return false;
        }
        List<Proxy> proxies = selector.select(uri);
        return !proxies.isEmpty() && proxies.get(0).type() != Proxy.Type.DIRECT;
    }

    private synchronized SdkHttpClient apache5() {
        ensureOpen();
        if (apache5 == null) {
            apache5 = Apache5HttpClient.builder().tlsTrustManagersProvider(new LazyTrustManagers()).build();
        }
        return apache5;
    }

    private void ensureOpen() {
        if (closed) {
            throw ClosedManager.used("HTTP client");
        }
    }

    @Override
    public String clientName() {
        return urlConnection.clientName();
    }

    @Override
    public void close() {
        SdkHttpClient built;
        synchronized (this) {
            closed = true;
            built = apache5;
        }
        try {
            urlConnection.close();
        } finally {
            if (built != null) {
                built.close();
            }
        }
    }
}
