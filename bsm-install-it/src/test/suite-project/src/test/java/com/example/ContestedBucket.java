package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;

/**
 * Two Failsafe classes that run at the same time and take one bucket name, as a suite does when its classes were
 * written to run one after the other: {@link ContestedBucketHolderIT} creates the bucket and keeps its class
 * running until {@link ContestedBucketLateComerIT} has tried the same name. The late comer expects S3's
 * {@code BucketAlreadyExistsException} with bsm's hint, and then, once the holder's class has ended and bsm has
 * deleted its bucket, creates the name itself. Both write down what they saw ({@code <class>.contest.properties});
 * the build checks the message.
 */
final class ContestedBucket {
    /** Long enough for the other class to get one of JUnit's workers after the {@link SessionChecks} classes. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    private ContestedBucket() {
    }

    /** Creates the bucket, says so, and holds it until the late comer has tried it. */
    static void hold(Class<?> holder, BotoSesManager bsm) throws IOException, InterruptedException {
        String bucket = bucket();
        try (S3Client s3 = S3Client.create()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        Properties record = record(holder, bsm, bucket);
        SuiteWork.write(holder.getSimpleName() + ".contest", record); // the late comer waits for this file
        assertThat(await(tried())).as("%s tried bucket %s within %s", ContestedBucketLateComerIT.class.getSimpleName(),
                bucket, WAIT).isTrue();
        // The class ends here: bsm deletes the bucket.
    }

    /** Waits for the holder, tries its bucket name, then waits until the holder's end frees it. */
    static void contest(Class<?> lateComer, BotoSesManager bsm) throws IOException, InterruptedException {
        String bucket = bucket();
        Path held = SuiteWork.records().resolve(ContestedBucketHolderIT.class.getSimpleName() + ".contest.properties");
        assertThat(await(held)).as("%s created bucket %s within %s", ContestedBucketHolderIT.class.getSimpleName(),
                bucket, WAIT).isTrue();
        Properties record = record(lateComer, bsm, bucket);
        RuntimeException failure = null;
        boolean freed = false;
        try (S3Client s3 = S3Client.create()) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                Files.createFile(tried());
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (failure instanceof BucketAlreadyExistsException && !freed && System.nanoTime() < deadline) {
                try {
                    s3.createBucket(b -> b.bucket(bucket));
                    freed = true;
                } catch (BucketAlreadyExistsException e) {
                    Thread.sleep(100); // the holder's class has not ended yet
                }
            }
        }
        record.setProperty("failure", failure == null ? "none" : failure.getClass().getName());
        record.setProperty("message", failure == null ? "" : String.valueOf(failure.getMessage()));
        record.setProperty("freedAfterTheHolderEnded", Boolean.toString(freed));
        SuiteWork.write(lateComer.getSimpleName() + ".contest", record);

        assertThat(failure).as("CreateBucket %s while %s holds it", bucket,
                ContestedBucketHolderIT.class.getSimpleName()).isInstanceOf(BucketAlreadyExistsException.class);
        assertThat(freed).as("bucket %s free once %s ended", bucket, ContestedBucketHolderIT.class.getSimpleName())
                .isTrue();
    }

    private static String bucket() {
        return "contested-" + ProcessHandle.current().pid();
    }

    private static Properties record(Class<?> testClass, BotoSesManager bsm, String bucket) {
        Properties record = new Properties();
        record.setProperty("class", testClass.getSimpleName());
        record.setProperty("fork", Long.toString(ProcessHandle.current().pid()));
        record.setProperty("account", bsm.awsAccountId());
        record.setProperty("bucket", bucket);
        return record;
    }

    private static Path tried() {
        return SuiteWork.records().resolve("contest-tried");
    }

    private static boolean await(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
