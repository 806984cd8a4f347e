package dev.bsm.bench.coldstart;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/** Benchmark 4, reference: the hand-written code with the SDK's URLConnection HTTP client. Arg: the endpoint. */
public final class PlainUrlConnectionMain {
    private PlainUrlConnectionMain() {
    }

    public static void main(String[] args) {
        try (StsClient sts = StsClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(URI.create(args[0]))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            System.out.println(sts.getCallerIdentity().account());
        }
    }
}
