package dev.bsm.examples;

import static dev.bsm.testkit.assertj.BsmAssertions.assertThat;
import static dev.bsm.testkit.assertj.BsmAssertions.assertThatSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.TempSnapshot;
import dev.bsm.testkit.MotoServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AssertJ assertions on who a session is and on the snapshot files that hand it over. */
class AssertionsExampleTests {

    @Test
    void assertions(@TempDir Path dir) {
        MotoServer moto = EmbeddedEmulator.fresh();
        try (BotoSesManager bsm = EmbeddedEmulator.session(moto)) {
            String account = bsm.awsAccountId();
            // tag::assertions[]
            try (BotoSesManager deployer = bsm.assumeRole("arn:aws:iam::" + account + ":role/deployer",
                            o -> o.duration(Duration.ofMinutes(30)));
                    TempSnapshot snapshot = deployer.tempSnapshot(dir.resolve("session.json"))) {
                assertThat(deployer)                        // BsmAssertions.assertThat(BotoSesManager)
                        .hasAccountId(account)
                        .isAssumedRole("deployer")
                        .hasRegion("us-east-1")
                        .isNotExpired()
                        .expiresWithin(Duration.ofMinutes(30));
                assertThatSnapshot(snapshot.path())         // AssertJ's assertThat(Path) stays usable
                        .isOwnerOnly()
                        .holdsSessionOf(deployer);

                assertThatThrownBy(() -> assertThat(deployer).isAssumedRole("auditor"))
                        .hasMessageContaining("but it is a session of role:\n  \"deployer\""); // never a secret
            }
            // end::assertions[]
        }
    }

    @Test
    void failureMessagesNeverShowSecrets(@TempDir Path dir) {
        MotoServer moto = EmbeddedEmulator.fresh();
        try (BotoSesManager bsm = EmbeddedEmulator.session(moto);
                BotoSesManager deployer = bsm.assumeRole("arn:aws:iam::" + moto.accountId() + ":role/deployer");
                BotoSesManager auditor = bsm.assumeRole("arn:aws:iam::" + moto.accountId() + ":role/auditor");
                TempSnapshot snapshot = deployer.tempSnapshot(dir.resolve("session.json"))) {
            String secret = deployer.toSnapshot().get("aws_secret_access_key");
            String token = deployer.toSnapshot().get("aws_session_token");

            assertThatThrownBy(() -> assertThatSnapshot(snapshot.path()).holdsSessionOf(auditor))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("aws_access_key_id: expected \"" + auditor.toSnapshot()
                            .get("aws_access_key_id") + "\"")
                    .hasMessageContaining("aws_secret_access_key: the file has a different secret access key")
                    .hasMessageNotContaining(secret)
                    .hasMessageNotContaining(token);
            assertThat(snapshot.path()).exists();           // AssertJ's own Path assertion, same import
        }
    }
}
