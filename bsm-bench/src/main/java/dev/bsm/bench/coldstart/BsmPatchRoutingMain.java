package dev.bsm.bench.coldstart;

import dev.bsm.bench.proposals.PatchRoutingHttpClient;
import dev.bsm.core.BotoSesManager;
import java.net.URI;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Benchmark 4, reference: bsm given the proposed default HTTP client ({@link PatchRoutingHttpClient}), to show
 * what it would give. Arg: the endpoint.
 */
public final class BsmPatchRoutingMain {
    private BsmPatchRoutingMain() {
    }

    public static void main(String[] args) {
        try (SdkHttpClient http = new PatchRoutingHttpClient();
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
