package com.example;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;

/** Run by Failsafe beside {@link ContestedBucketHolderIT}: expects the bucket name it holds to be taken. */
@WithAwsSession(localstack = true)
class ContestedBucketLateComerIT {
    @Test
    void failsToCreateTheHeldNameWithBsmsHint(BotoSesManager bsm) throws Exception {
        ContestedBucket.contest(getClass(), bsm);
    }
}
