package dev.bsm.bench.coldstart;

import dev.bsm.core.BotoSesManager;
import java.net.URI;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Benchmark 4, reference: bsm given the URLConnection HTTP client ({@code httpClient(...)}), to show what a
 * start-up-friendly default would give. Arg: the endpoint.
 */
public final class BsmUrlConnectionMain {
    private BsmUrlConnectionMain() {
    }

    public static void main(String[] args) {
        try (SdkHttpClient http = UrlConnectionHttpClient.create();
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
