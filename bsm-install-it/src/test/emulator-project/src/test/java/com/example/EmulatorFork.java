package com.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What each of the three Surefire classes does, which forkCount=3 spreads over three JVMs: use the emulator of
 * {@code @WithAwsSession(localstack = true)} and record which one its JVM was given.
 */
@WithAwsSession(localstack = true)
abstract class EmulatorFork {
    /** Whether this class fails when EMULATOR_FAIL=true: the build's moto_server must stop all the same. */
    boolean failsOnDemand() {
        return false;
    }

    @Test
    void usesTheBuildsEmulator(BotoSesManager bsm) throws InterruptedException {
        String bucket = "emulator-" + getClass().getSimpleName().toLowerCase();
        S3Client s3 = S3Client.create(); // the environment @WithAwsSession set: the emulator's endpoint
        s3.createBucket(b -> b.bucket(bucket));
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(bucket);
        EmulatorRecords.record(getClass().getSimpleName(), bsm);
        Thread.sleep(2000); // long enough for the other classes to start in forks of their own
        if (failsOnDemand() && "true".equals(System.getenv("EMULATOR_FAIL"))) {
            fail("failing on purpose: the build's moto_server must stop all the same");
        }
    }
}
