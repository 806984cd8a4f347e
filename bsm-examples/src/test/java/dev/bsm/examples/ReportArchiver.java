package dev.bsm.examples;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** "Production" code: builds its own S3 client from the SDK's default chains, as application code does. */
final class ReportArchiver {
    void archive(String bucket, String key, String report) {
        try (S3Client s3 = S3Client.create()) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromString(report));
        }
    }
}
