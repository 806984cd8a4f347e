package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.TempSnapshot;
import dev.bsm.testkit.MotoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM picks up the parent's assumed-role session from the file named by BSM_SNAPSHOT_FILE. */
class SnapshotHandoffTests {

    @Test
    void aChildJvmSeesTheParentsAssumedRole(@TempDir Path dir) throws Exception {
        MotoServer moto = Moto.server();
        try (BotoSesManager bsm = Moto.freshManager(new CallCounter());
                BotoSesManager deployer = bsm.assumeRole("arn:aws:iam::" + bsm.awsAccountId() + ":role/deployer",
                        o -> o.roleSessionName("child-session"));
                TempSnapshot snapshot = deployer.tempSnapshot(dir.resolve("session.json"))) {
            ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PrintCallerArn.class.getName());
            child.environment().put(BotoSesManager.SNAPSHOT_FILE_VARIABLE, snapshot.path().toString());
            // Snapshots carry credentials and region, as in Python; the endpoint goes the SDK's usual way.
            child.environment().put("AWS_ENDPOINT_URL", moto.endpoint().toString());
            child.redirectErrorStream(true);
            Process process = child.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).as(output).isZero();
            // The SDK may log to stderr first (SLF4J's no-binding notice); the ARN is the last line.
            assertThat(output.lines().reduce((first, second) -> second)).as(output)
                    .contains(deployer.principalArn());
            assertThat(deployer.principalArn()).endsWith(":assumed-role/deployer/child-session");
        }
        assertThat(dir).isEmptyDirectory();
    }

    /** The child: reads the snapshot named by BSM_SNAPSHOT_FILE and asks STS who it is. */
    static final class PrintCallerArn {
        public static void main(String[] args) {
            try (BotoSesManager bsm = BotoSesManager.fromSnapshotFile()) {
                System.out.println(bsm.principalArn());
            }
        }
    }
}
