package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.junit5.AwsSession;
import dev.bsm.junit5.WithAwsSession;
import org.junit.jupiter.api.Test;

// tag::named-sessions[]
@WithAwsSession(name = "source", localstack = true)
@WithAwsSession(name = "target", localstack = true,
        assumeRole = "arn:aws:iam::111122223333:role/deployer", roleSessionName = "copy-it")
class CrossAccountExampleTests {

    @Test
    void copies(@AwsSession("source") BotoSesManager from, @AwsSession("target") BotoSesManager to) {
        assertThat(to.principalArn()).endsWith(":assumed-role/deployer/copy-it");
        assertThat(from.principalArn()).doesNotContain("assumed-role");
    }
}
// end::named-sessions[]
