package com.example;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;

/** The two tests of every class in the suite; each subclass builds its clients at another point of the class. */
@WithAwsSession(localstack = true)
abstract class SessionChecks {
    abstract Clients clients();

    @Test
    void seesOnlyItsOwnQueueTableAndBuckets(BotoSesManager bsm) throws Exception {
        SuiteWork.exercise(getClass(), bsm, clients());
    }

    @Test
    void aThreadItStartsIsInTheClassAccount(BotoSesManager bsm) throws Exception {
        SuiteWork.checkThreadsItStarts(getClass(), bsm);
    }
}
