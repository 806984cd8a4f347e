package dev.bsm.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.bsm.core.AwsCliEnvironment;
import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** The AWS CLI in a subprocess, on the manager's (assumed-role) session. */
@ResourceLock("java.lang.System.environment")
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class AwsCliExampleTests {

    private static void requireAwsCliV2() {
        if (!Files.isExecutable(Path.of("/usr/bin/aws"))) {
            String reason = "/usr/bin/aws is missing: install the AWS CLI v2 with 'apt-get update && apt-get install -y awscli'";
            if (Boolean.getBoolean("bsm.requireEmulator")) {
                fail(reason);
            }
            abort(reason);
        }
    }

    @Test
    void awsCliInASubprocess() throws Exception {
        requireAwsCliV2();
        MotoServer moto = EmbeddedEmulator.fresh();
        try (BotoSesManager bsm = EmbeddedEmulator.session(moto);
                BotoSesManager role = bsm.assumeRole("arn:aws:iam::" + bsm.awsAccountId() + ":role/deployer")) {
            String endpoint = moto.endpoint().toString();
            // tag::awscli[]
            try (AwsCliEnvironment env = role.awscli()) {   // keys, token, region in the JVM's environment
                Process cli = new ProcessBuilder("/usr/bin/aws", "sts", "get-caller-identity",
                        "--endpoint-url", endpoint, "--query", "Arn", "--output", "text").start();
                String arn = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertThat(arn).isEqualTo(role.principalArn());
            }                                                // every variable and property restored here
            // end::awscli[]

            // tag::awscli-variables[]
            ProcessBuilder threadSafe = new ProcessBuilder("/usr/bin/aws", "s3", "ls", "--endpoint-url", endpoint);
            role.awscliVariables().applyTo(threadSafe);      // only this child's environment changes
            // end::awscli-variables[]
            assertThat(threadSafe.start().waitFor()).isZero();
        }
    }
}
