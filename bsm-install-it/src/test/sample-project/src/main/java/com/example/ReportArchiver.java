package com.example;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Application code: builds its own S3 client from the SDK's default chains, as applications do. */
public final class ReportArchiver {
    public void archive(String bucket, String key, String report) {
        try (S3Client s3 = S3Client.create()) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromString(report));
        }
    }
}
