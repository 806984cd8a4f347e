package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Assume-role in one line, one-shot or refreshing itself. */
class AssumeRoleExampleTests {

    @Test
    void assumeRole() {
        MotoServer moto = EmbeddedEmulator.fresh();
        try (BotoSesManager bsm = EmbeddedEmulator.session(moto)) {
            String account = bsm.awsAccountId();
            // tag::assume-role[]
            try (BotoSesManager deployer = bsm.assumeRole("arn:aws:iam::" + account + ":role/deployer");
                    BotoSesManager auditor = bsm.assumeRole("arn:aws:iam::" + account + ":role/auditor", o -> o
                            .roleSessionName("nightly-audit")
                            .duration(Duration.ofHours(2))
                            .externalId("3f1c")
                            .tags(Map.of("team", "qa"))
                            .region("eu-west-1")
                            .autoRefresh(true))) {      // new credentials before these expire
                deployer.printWhoAmI();                  // Principal Arn = arn:aws:sts::12********12:assumed-role/deployer/bsm-...
                auditor.awsAccountId();
            }
            // end::assume-role[]
        }
        try (BotoSesManager bsm = EmbeddedEmulator.session(moto);
                BotoSesManager auditor = bsm.assumeRole("arn:aws:iam::" + bsm.awsAccountId() + ":role/auditor",
                        o -> o.roleSessionName("nightly-audit").region("eu-west-1").autoRefresh(true))) {
            assertThat(auditor.principalArn()).endsWith(":assumed-role/auditor/nightly-audit");
            assertThat(auditor.awsRegion()).isEqualTo("eu-west-1");
            assertThat(auditor.isExpired()).isFalse();
        }
    }
}
