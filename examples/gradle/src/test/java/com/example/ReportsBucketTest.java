package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/** LocalStack where Docker runs, else a local moto_server; skipped with the reason when there is neither. */
@WithAwsSession(localstack = true)
class ReportsBucketTest {

    @Test
    void storesAndReadsAReport(BotoSesManager bsm) {
        bsm.printWhoAmI();                                   // masked account id, user id and ARN

        S3Client s3 = bsm.client(S3Client.class);           // cached, pointed at the emulator
        s3.createBucket(b -> b.bucket("gradle-example-reports"));
        s3.putObject(p -> p.bucket("gradle-example-reports").key("daily.csv"), RequestBody.fromString("a,b"));

        String body = s3.getObject(g -> g.bucket("gradle-example-reports").key("daily.csv"),
                ResponseTransformer.toBytes()).asUtf8String();
        assertThat(body).isEqualTo("a,b");
    }

    @Test
    void codeThatBuildsItsOwnClientSeesTheSameSession(BotoSesManager bsm) {
        // The session's region, keys and endpoint are in the environment and aws.* properties during the test.
        try (S3Client own = S3Client.create()) {
            own.createBucket(b -> b.bucket("gradle-example-own-client"));
        }
        assertThat(bsm.client(S3Client.class).listBuckets().buckets())
                .anyMatch(bucket -> bucket.name().equals("gradle-example-own-client"));
    }
}
