package dev.bsm.bench.coldstart;

import dev.bsm.bench.proposals.LazyTrustManagers;
import dev.bsm.core.BotoSesManager;
import java.net.URI;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Benchmark 4, reference: bsm given the URLConnection client whose trust store is loaded on the first handshake
 * ({@link LazyTrustManagers}), to show what that proposed default would give. Arg: the endpoint.
 */
public final class BsmUrlConnectionLazyTrustMain {
    private BsmUrlConnectionLazyTrustMain() {
    }

    public static void main(String[] args) {
        try (SdkHttpClient http = UrlConnectionHttpClient.builder()
                        .tlsTrustManagersProvider(new LazyTrustManagers())
                        .build();
                BotoSesManager bsm = BotoSesManager.builder()
                        .credentials("testing", "testing")
                        .region("us-east-1")
                        .endpointOverride(URI.create(args[0]))
                        .httpClient(http)
                        .build()) {
            System.out.println(bsm.awsAccountId());
        }
    }
}
