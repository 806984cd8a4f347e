package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

// tag::with-aws-session[]
@WithAwsSession(localstack = true)   // LocalStack where Docker runs, else a local moto_server
class ArchiveExampleTests {

    @Test
    void archivesReports(BotoSesManager bsm) {
        bsm.printWhoAmI();                                              // masked who-am-i
        new ReportArchiver().archive("reports", "daily.csv", "a,b");   // builds its own S3Client.create()

        S3Client s3 = bsm.client(S3Client.class);
        assertThat(s3.getObject(g -> g.bucket("reports").key("daily.csv"), ResponseTransformer.toBytes())
                .asUtf8String()).isEqualTo("a,b");
    }
}
// end::with-aws-session[]
