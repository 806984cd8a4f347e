package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.ForkedJvm;
import dev.bsm.testkit.MotoServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Handing an assumed-role session to code that runs in its own JVM. */
class ForkedJvmExampleTests {
    private MotoServer moto;
    private BotoSesManager bsm;
    private String account;

    @BeforeEach
    void session() {
        moto = EmbeddedEmulator.fresh();
        bsm = EmbeddedEmulator.session(moto);
        account = bsm.awsAccountId();
    }

    @AfterEach
    void close() {
        if (bsm != null) { // null when @BeforeEach aborted: no emulator
            bsm.close();
        }
    }

    // tag::forked-jvm[]
    static class PrintCallerArn {                  // the child: any main class on the test class path
        public static void main(String[] args) {
            try (BotoSesManager bsm = BotoSesManager.fromSnapshotFile()) { // the file named by BSM_SNAPSHOT_FILE
                System.out.println(bsm.principalArn());                   // sent to AWS_ENDPOINT_URL, if set
            }
        }
    }

    @Test
    void theChildJvmSeesTheAssumedRole() {
        try (BotoSesManager deployer = bsm.assumeRole("arn:aws:iam::" + account + ":role/deployer")) {
            ForkedJvm.Result result = ForkedJvm.mainClass(PrintCallerArn.class) // this JVM's java and class path
                    .session(deployer)               // owner-only snapshot file, endpoint in AWS_ENDPOINT_URL
                    .timeout(Duration.ofMinutes(1))  // then the child and its descendants are stopped
                    .run();                          // the snapshot file is gone once the child has exited
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).contains(deployer.principalArn()); // ...:assumed-role/deployer/bsm-...
        }
    }
    // end::forked-jvm[]

    @Test
    void theChildSeesTheRoleAndNotTheParent() {
        try (BotoSesManager deployer = bsm.assumeRole("arn:aws:iam::" + account + ":role/deployer",
                o -> o.roleSessionName("forked-example"))) {
            ForkedJvm.Result result = ForkedJvm.run(PrintCallerArn.class, jvm -> jvm.session(deployer));

            assertThat(result.succeeded()).as(result.stderr()).isTrue();
            assertThat(result.stdout().strip())
                    .isEqualTo("arn:aws:sts::" + moto.accountId() + ":assumed-role/deployer/forked-example")
                    .isNotEqualTo(bsm.principalArn());
        }
    }
}
