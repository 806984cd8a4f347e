package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The 30-second example: a session against the emulator, who am I, and a cached S3 client. */
class QuickStartExampleTests {

    @Test
    void thirtySecondExample() {
        EmbeddedEmulator.fresh(); // skips with the reason when moto_server is missing; empties it otherwise
        // tag::quick-start[]
        MotoServer moto = MotoServer.shared();              // a local moto_server, one per build
        try (BotoSesManager bsm = BotoSesManager.builder()
                .credentials(moto.accessKeyId(), moto.secretAccessKey())
                .region(moto.region())
                .endpointOverride(moto.endpoint())          // every client goes to the emulator
                .build()) {
            bsm.printWhoAmI();                              // masked user id, account id and ARN

            S3Client s3 = bsm.client(S3Client.class);       // built once, cached, thread-safe
            s3.createBucket(b -> b.bucket("reports"));
            s3.putObject(p -> p.bucket("reports").key("hello.txt"), RequestBody.fromString("hi"));

            assertThat(bsm.client(S3Client.class)).isSameAs(s3);
            assertThat(s3.listObjectsV2(l -> l.bucket("reports")).contents()).hasSize(1);
        }
        // end::quick-start[]
    }
}
