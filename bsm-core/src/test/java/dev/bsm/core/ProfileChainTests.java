package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A profile chain that cannot work at an endpoint override fails with a typed error naming the profile and the
 * fix, before any call (the endpoint is a port nothing listens on, never reached).
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class ProfileChainTests {
    private static final String ROLE = "role_arn = arn:aws:iam::111122223333:role/r\n";

    @TempDir
    Path dir;

    private void failsNaming(String config, String profile, String... fragments) throws IOException {
        System.setProperty("aws.configFile", Files.writeString(dir.resolve("config"), config).toString());
        System.setProperty("aws.sharedCredentialsFile", Files.writeString(dir.resolve("credentials"), "").toString());
        try (BotoSesManager bsm = BotoSesManager.builder().profileName(profile).region("us-east-1")
                .endpointOverride(URI.create("http://127.0.0.1:9")).build()) {
            assertThatThrownBy(bsm::expiration).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContainingAll(fragments);
        } finally {
            System.clearProperty("aws.configFile");
            System.clearProperty("aws.sharedCredentialsFile");
        }
    }

    @Test
    void aCircleOfSourceProfilesIsNamed() throws IOException {
        failsNaming("[profile a]\n" + ROLE + "source_profile = b\n[profile b]\n" + ROLE + "source_profile = a\n",
                "a", "[a, b]", "circle");
    }

    @Test
    void aMissingSourceProfileIsNamedWithItsReferrer() throws IOException {
        failsNaming("[profile a]\n" + ROLE + "source_profile = gone\n", "a", "'a' names source_profile 'gone'",
                "neither AWS file");
    }

    @Test
    void bothSourcesAtOnceAreRefused() throws IOException {
        failsNaming("[profile a]\n" + ROLE + "source_profile = b\ncredential_source = Environment\n[profile b]\n",
                "a", "'a'", "both source_profile and credential_source");
    }

    @ParameterizedTest
    @CsvSource({"Ec2Metadata", "env"})
    void anUnknownCredentialSourceListsTheKnownOnes(String source) throws IOException {
        failsNaming("[profile a]\n" + ROLE + "credential_source = " + source + "\n", "a", source,
                "Environment, Ec2InstanceMetadata or EcsContainer");
    }

    @Test
    void aMalformedRoleArnIsRefusedBeforeAnyCall() throws IOException {
        failsNaming("[profile a]\nrole_arn = not-an-arn\ncredential_source = Environment\n", "a", "not-an-arn");
    }
}
