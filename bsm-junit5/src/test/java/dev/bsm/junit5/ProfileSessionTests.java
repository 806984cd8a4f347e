package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.CredentialsNetworkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A profile session with an endpoint ({@code bsm.endpoint} or the attribute) sends every call there, the STS call
 * of a {@code role_arn} profile included, for the injected manager and for clients the test builds itself.
 */
@Isolated("changes system properties around fixture runs")
class ProfileSessionTests {
    private static final String PROFILE = "bsm-role-on-endpoint";
    private static final String SECRET = "bsmProfileSessionSecret6a1f";

    /** A role profile on a profile with keys; moto issues the role's credentials in its account. */
    private static EngineExecutionResults withRoleProfile(Path dir, Map<String, String> parameters,
            Class<?> fixture) throws IOException {
        String account = BsmTestKit.moto().accountId();
        Path config = Files.writeString(dir.resolve("config"), "[profile bsm-keys]\naws_access_key_id = AKIDKEYS\n"
                + "aws_secret_access_key = " + SECRET + "\n[profile " + PROFILE + "]\nrole_arn = arn:aws:iam::"
                + account + ":role/deployer\nsource_profile = bsm-keys\nrole_session_name = deployer-session\n"
                + "region = us-east-1\n");
        Path credentials = Files.writeString(dir.resolve("credentials"), "");
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            return BsmTestKit.run(parameters, fixture);
        } finally {
            System.clearProperty("aws.configFile");
            System.clearProperty("aws.sharedCredentialsFile");
        }
    }

    private static String deployer() {
        return "arn:aws:sts::" + BsmTestKit.moto().accountId() + ":assumed-role/deployer/deployer-session";
    }

    @WithAwsSession(profile = PROFILE)
    static class OnTheRunsEndpointTestCase {
        @Test
        void theRoleIsAssumedAtTheEndpoint(BotoSesManager bsm) {
            assertThat(bsm.principalArn()).isEqualTo(deployer());
        }

        @Test
        void soIsTheRoleOfAClientTheTestBuilds() {
            try (StsClient sts = StsClient.create()) {
                assertThat(sts.getCallerIdentity().arn()).isEqualTo(deployer());
            }
        }
    }

    @Test
    void aProfileSessionUnderBsmEndpointAssumesItsRoleThere(@TempDir Path dir) throws IOException {
        withRoleProfile(dir, Map.of(), OnTheRunsEndpointTestCase.class).testEvents()
                .assertStatistics(s -> s.started(2).succeeded(2));
    }

    /** Nothing listens on the discard port: the endpoint attribute beats bsm.endpoint, and the role fails there. */
    @WithAwsSession(profile = PROFILE, endpoint = "http://127.0.0.1:9")
    static class OnAClosedEndpointTestCase {
        @Test
        void test(BotoSesManager bsm) {
        }
    }

    @Test
    void aRoleProfilesStsCallRefusedAtTheEndpointIsANetworkFailureNamingTheHost(@TempDir Path dir)
            throws IOException {
        withRoleProfile(dir, Map.of(), OnAClosedEndpointTestCase.class).allEvents().assertThatEvents()
                .haveExactly(1, event(container(), finishedWithFailure(
                        instanceOf(CredentialsNetworkException.class),
                        message(m -> m.contains("profile " + PROFILE) && m.contains("network failure")
                                && m.contains("127.0.0.1:9") && !m.contains("No AWS credentials found")
                                && !m.contains(SECRET)))));
    }

    @Test
    void aMalformedBsmEndpointFailsAProfileSessionNamingTheParameter(@TempDir Path dir) throws IOException {
        withRoleProfile(dir, Map.of("bsm.endpoint", "localhost:4566"), OnTheRunsEndpointTestCase.class).allEvents()
                .assertThatEvents().haveExactly(1, event(container(), finishedWithFailure(
                        instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("attribute 'endpoint' (configuration parameter bsm.endpoint)")))));
    }
}
