package dev.bsm.bench.coldstart;

import dev.bsm.core.BotoSesManager;
import java.net.URI;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/**
 * Benchmark 4, reference: bsm given the SDK's Apache 5 client, which was bsm's own default before issue 6 and is
 * still what it uses for PATCH and {@code Expect: 100-continue}. Arg: the endpoint.
 */
public final class BsmApache5Main {
    private BsmApache5Main() {
    }

    public static void main(String[] args) {
        try (SdkHttpClient http = Apache5HttpClient.builder().build();
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
