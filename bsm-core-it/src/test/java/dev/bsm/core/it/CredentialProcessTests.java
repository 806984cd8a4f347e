package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.NoCredentialsException;
import dev.bsm.testkit.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** A credential_process profile: an owner-only script printing JSON credentials, used against moto. */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class CredentialProcessTests {
    @TempDir
    Path dir;

    private static BotoSesManager onMoto(String profile) {
        MotoServer moto = Moto.server();
        return BotoSesManager.builder().profileName(profile).region(moto.region()).endpointOverride(moto.endpoint())
                .build();
    }

    @Test
    void theProcessCredentialsSignTheCalls() throws Exception {
        try (ProfileFiles files = ProfileFiles.in(dir)) {
            String process = files.script("credentials.sh", "{\"Version\": 1, \"AccessKeyId\": \"AKIDFROMPROCESS\","
                    + " \"SecretAccessKey\": \"" + Moto.CANARY_SECRET + "\", \"SessionToken\": \"token-from-process\","
                    + " \"Expiration\": \"2099-01-01T00:00:00Z\"}");
            assertThat(Files.getPosixFilePermissions(Path.of(process)))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            files.config("[profile tool]\ncredential_process = " + process + "\n");
            try (BotoSesManager bsm = onMoto("tool")) {
                assertThat(bsm.awsAccountId()).isEqualTo(Moto.server().accountId()); // GetCallerIdentity on moto
                assertThat(bsm.toSnapshot()).containsEntry("aws_access_key_id", "AKIDFROMPROCESS");
                assertThat(bsm.expiration()).hasValueSatisfying(at -> assertThat(at).hasToString("2099-01-01T00:00:00Z"));
            }
        }
    }

    @Test
    void aFailingProcessNamesTheProfileAndWhatToFix() {
        try (ProfileFiles files = ProfileFiles.in(dir)) {
            files.config("[profile tool]\ncredential_process = " + files.script("fails.sh", "not json") + "\n");
            try (BotoSesManager bsm = onMoto("tool")) {
                assertThatThrownBy(bsm::awsAccountId).hasMessageNotContaining(Moto.CANARY_SECRET);
                assertThatThrownBy(bsm::expiration).isInstanceOf(NoCredentialsException.class)
                        .hasMessageStartingWith("No AWS credentials found for profile tool: ")
                        .hasMessageContaining("Fix the profile in " + dir.resolve("config"))
                        .hasMessageNotContaining("Configure one of them");
            }
        }
    }
}
