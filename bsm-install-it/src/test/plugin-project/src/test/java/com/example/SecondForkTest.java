package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;

/** One of three Surefire classes, which forkCount=3 spreads over three JVMs: each uses the build's session. */
@WithAwsSession
class SecondForkTest {
    @Test
    void usesTheBuildsSession(BotoSesManager bsm) throws InterruptedException {
        SessionRecords.record(getClass().getSimpleName(), bsm);
        assertThat(bsm.principalArn()).contains(":assumed-role/");
        Thread.sleep(2000); // long enough for the other classes to start in forks of their own
    }
}
