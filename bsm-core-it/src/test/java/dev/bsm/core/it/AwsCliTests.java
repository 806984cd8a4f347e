package dev.bsm.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.bsm.core.AwsCliEnvironment;
import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.MotoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** The real AWS CLI v2 (/usr/bin/aws) run as a child process sees the manager's session. */
@ResourceLock("java.lang.System.environment")
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class AwsCliTests {
    private static final Path AWS_CLI = Path.of("/usr/bin/aws");

    private final CallCounter counter = new CallCounter();
    private BotoSesManager bsm;
    private MotoServer moto;

    @BeforeEach
    void managerOnFreshMoto() {
        if (!Files.isExecutable(AWS_CLI)) {
            String reason = AWS_CLI + " is missing: install the AWS CLI v2 with 'apt-get update && apt-get install -y awscli'";
            if (Boolean.getBoolean("bsm.requireEmulator")) {
                fail(reason);
            }
            abort(reason);
        }
        bsm = Moto.freshManager(counter);
        moto = Moto.server();
    }

    @AfterEach
    void close() {
        if (bsm != null) { // null when @BeforeEach aborted: no emulator
            bsm.close();
        }
    }

    /** CLI v2.9 ignores AWS_ENDPOINT_URL, so the endpoint goes on the command line. */
    private String callerIdentityArn(ProcessBuilder builder) throws Exception {
        builder.command(AWS_CLI.toString(), "sts", "get-caller-identity", "--endpoint-url",
                moto.endpoint().toString(), "--query", "Arn", "--output", "text");
        builder.redirectErrorStream(true);
        Process cli = builder.start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void theCliInsideAwscliReportsTheAssumedRolesIdentity() throws Exception {
        try (BotoSesManager deployer = bsm.assumeRole("arn:aws:iam::" + bsm.awsAccountId() + ":role/deployer",
                o -> o.roleSessionName("cli-session"))) {
            String beforeBlock = System.getenv("AWS_ACCESS_KEY_ID");
            try (AwsCliEnvironment ignored = deployer.awscli()) {
                // A ProcessBuilder whose environment() is never touched: the child gets the OS environment.
                assertThat(callerIdentityArn(new ProcessBuilder())).isEqualTo(deployer.principalArn())
                        .endsWith(":assumed-role/deployer/cli-session");
            }
            assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo(beforeBlock);
        }
    }

    @Test
    void theCliWithProcessBuilderVariablesNeedsNoGlobalState() throws Exception {
        try (BotoSesManager deployer = bsm.assumeRole("arn:aws:iam::" + bsm.awsAccountId() + ":role/deployer",
                o -> o.roleSessionName("pb-session"))) {
            ProcessBuilder builder = deployer.awscliVariables().applyTo(new ProcessBuilder());
            assertThat(callerIdentityArn(builder)).isEqualTo(deployer.principalArn());
        }
    }
}
