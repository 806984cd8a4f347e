package com.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;

/**
 * What each of the three Surefire classes does, which forkCount=3 spreads over three JVMs: record the build's
 * session as its JVM sees it, through @WithAwsSession (inherited by the subclasses).
 */
@WithAwsSession
abstract class ForkSession {
    /** Whether this class fails when PLUGIN_FAIL=true: the build must remove its snapshot all the same. */
    boolean failsOnDemand() {
        return false;
    }

    @Test
    void usesTheBuildsSession(BotoSesManager bsm) throws InterruptedException {
        SessionRecords.record(getClass().getSimpleName(), bsm);
        assertThat(bsm.principalArn()).contains(":assumed-role/");
        Thread.sleep(2000); // long enough for the other classes to start in forks of their own
        if (failsOnDemand() && "true".equals(System.getenv("PLUGIN_FAIL"))) {
            fail("failing on purpose: the snapshot must be removed all the same");
        }
    }
}
