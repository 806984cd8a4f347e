package dev.bsm.bench.coldstart;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Benchmark 4, the baseline: hand-written SDK code with default settings (the SDK picks its default HTTP client,
 * Apache 5 in 2.57.8). Arg: the endpoint.
 */
public final class PlainMain {
    private PlainMain() {
    }

    public static void main(String[] args) {
        try (StsClient sts = StsClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(URI.create(args[0]))
                .build()) {
            System.out.println(sts.getCallerIdentity().account());
        }
    }
}
