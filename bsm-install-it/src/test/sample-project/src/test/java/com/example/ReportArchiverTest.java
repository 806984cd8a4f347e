package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

@WithAwsSession(localstack = true)
class ReportArchiverTest {

    @Test
    void archivesThroughTheSessionsEmulator(BotoSesManager bsm) {
        new ReportArchiver().archive("unit-reports", "daily.csv", "a,b");

        S3Client s3 = bsm.client(S3Client.class);
        assertThat(s3.getObject(g -> g.bucket("unit-reports").key("daily.csv"), ResponseTransformer.toBytes())
                .asUtf8String()).isEqualTo("a,b");
    }
}
