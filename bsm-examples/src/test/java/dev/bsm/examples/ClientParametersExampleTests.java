package dev.bsm.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

// tag::client-parameters[]
@WithAwsSession(localstack = true)
class ClientParametersExampleTests {

    @BeforeAll
    static void createBucket(S3Client s3) {                    // any SDK client or presigner type
        s3.createBucket(b -> b.bucket("invoices"));
    }

    @Test
    void sharesADownloadLink(S3Client s3, S3Presigner presigner, BotoSesManager bsm) throws Exception {
        assertThat(s3).isSameAs(bsm.client(S3Client.class));   // the manager's cached client: do not close it
        s3.putObject(p -> p.bucket("invoices").key("42.txt"), RequestBody.fromString("due"));

        URL link = presigner.presignGetObject(g -> g.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(o -> o.bucket("invoices").key("42.txt"))).url();
        try (InputStream in = link.openStream()) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("due");
        }
    }

    @AfterAll
    static void removeBucket(S3Client s3) {                    // bucket names are global: leave none behind
        s3.deleteObject(d -> d.bucket("invoices").key("42.txt"));
        s3.deleteBucket(d -> d.bucket("invoices"));
    }
}
// end::client-parameters[]
