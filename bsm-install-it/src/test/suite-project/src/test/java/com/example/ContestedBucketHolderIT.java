package com.example;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;

/** Run by Failsafe beside {@link ContestedBucketLateComerIT}: holds the bucket name both take. */
@WithAwsSession(localstack = true)
class ContestedBucketHolderIT {
    @Test
    void holdsTheBucketNameUntilTheLateComerTriedIt(BotoSesManager bsm) throws Exception {
        ContestedBucket.hold(getClass(), bsm);
    }
}
