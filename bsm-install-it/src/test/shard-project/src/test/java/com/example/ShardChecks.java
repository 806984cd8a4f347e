package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;

/** The checks of every class: an emulator session of its own account, on the shards' one external emulator. */
@WithAwsSession(localstack = true)
abstract class ShardChecks {

    @Test
    void seesOnlyItsOwnQueueAndTable(BotoSesManager bsm) throws Exception {
        ShardWork.exercise(getClass(), bsm);
    }

    @Test
    void aSelfBuiltClientIsInTheClassAccountOfThisShard(BotoSesManager bsm) {
        String shard = String.format("%03d", Integer.parseInt(ShardWork.shard()));
        assertThat(bsm.awsAccountId()).as("the class's account").matches(shard + "\\d{9}");
        assertThat(ShardWork.selfBuiltAccount()).as("a self-built client's account").isEqualTo(bsm.awsAccountId());
    }
}
