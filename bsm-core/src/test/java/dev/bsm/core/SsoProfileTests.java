package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;

/**
 * What bsm says when an SSO profile cannot give credentials: the login to run when there is no valid login, the SDK
 * modules to add when they are missing (seen from child JVMs whose class path lacks them), and, for any profile,
 * a fix that refers to something. No network: without a cached token the SDK fails before calling anyone.
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class SsoProfileTests {
    @TempDir
    Path dir;
    private Path config;
    private Path credentials;

    /**
     * An sso_session profile, a legacy SSO profile and a role on the first. The session name and start URLs are
     * unique, so no token the SDK cached in this user's ~/.aws/sso/cache can match them.
     */
    @BeforeEach
    void profiles() throws IOException {
        String unique = UUID.randomUUID().toString();
        config = Files.writeString(dir.resolve("config"), "[profile dev-sso]\nsso_session = bsm-" + unique + "\n"
                + "sso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n"
                + "[sso-session bsm-" + unique + "]\nsso_start_url = https://" + unique + ".awsapps.com/start\n"
                + "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
                + "[profile legacy-sso]\nsso_start_url = https://legacy-" + unique + ".awsapps.com/start\n"
                + "sso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n"
                + "[profile deployer]\nrole_arn = arn:aws:iam::111122223333:role/deployer\n"
                + "source_profile = dev-sso\nregion = us-east-1\n"
                + "[profile nokeys]\nregion = us-east-1\n");
        credentials = Files.writeString(dir.resolve("credentials"), "");
    }

    private String failureOf(String profile) {
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try (BotoSesManager bsm = BotoSesManager.builder().profileName(profile).build()) {
            return catchNoCredentials(bsm);
        } finally {
            System.clearProperty("aws.configFile");
            System.clearProperty("aws.sharedCredentialsFile");
        }
    }

    private static String catchNoCredentials(BotoSesManager bsm) {
        NoCredentialsException[] caught = new NoCredentialsException[1];
        assertThatThrownBy(bsm::expiration).isInstanceOfSatisfying(NoCredentialsException.class, e -> caught[0] = e);
        return caught[0].getMessage();
    }

    @Test
    void anSsoSessionProfileWithoutALoginSaysWhichLoginToRun() {
        assertThat(failureOf("dev-sso")).startsWith("No AWS credentials found for profile dev-sso: ")
                .contains("no valid IAM Identity Center (SSO) login")
                .contains("Log in with `aws sso login --profile dev-sso`");
    }

    @Test
    void aLegacySsoProfileWithoutALoginSaysTheSame() {
        assertThat(failureOf("legacy-sso")).contains("Log in with `aws sso login --profile legacy-sso`");
    }

    @Test
    void aRoleOnAnSsoProfileNamesTheProfileToLogInWith() {
        assertThat(failureOf("deployer")).startsWith("No AWS credentials found for profile deployer: ")
                .contains("through its source profile dev-sso")
                .contains("`aws sso login --profile dev-sso`");
    }

    /** The old wording ended every profile's failure with "Configure one of them", which named nothing. */
    @Test
    void aProfileWithoutCredentialsIsToldWhatToFixAndWhere() {
        assertThat(failureOf("nokeys")).startsWith("No AWS credentials found for profile nokeys: ")
                .doesNotContain("Configure one of them").doesNotContain("Looked at")
                .contains("Fix the profile in " + config).contains(credentials.toString());
    }

    @Test
    void withoutTheSsoModulesTheMessageNamesBoth() throws Exception {
        assertThat(inChildWithout(List.of(SsoClient.class, SsoOidcClient.class), "dev-sso"))
                .contains("No AWS credentials found for profile dev-sso: ")
                .contains("needs the AWS SDK modules software.amazon.awssdk:sso and software.amazon.awssdk:ssooidc"
                        + " on the class path")
                .doesNotContain("aws sso login");
    }

    @Test
    void withoutSsoOidcAnSsoSessionProfileNamesThatModule() throws Exception {
        assertThat(inChildWithout(List.of(SsoOidcClient.class), "dev-sso"))
                .contains("needs the AWS SDK module software.amazon.awssdk:ssooidc on the class path")
                .doesNotContain("software.amazon.awssdk:sso ");
    }

    @Test
    void aLegacySsoProfileNeedsOnlyTheSsoModule() throws Exception {
        assertThat(inChildWithout(List.of(SsoOidcClient.class), "legacy-sso"))
                .contains("Log in with `aws sso login --profile legacy-sso`");
        assertThat(inChildWithout(List.of(SsoClient.class), "legacy-sso"))
                .contains("needs the AWS SDK module software.amazon.awssdk:sso on the class path");
    }

    /** The child's output: this test class path without the jars (or directories) of the given classes. */
    private String inChildWithout(List<Class<?>> absent, String profile) throws IOException, InterruptedException {
        List<String> dropped = absent.stream().map(SsoProfileTests::location).toList();
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !dropped.contains(Path.of(entry).toAbsolutePath().toString()))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath.split(File.pathSeparator)).as("the modules left out")
                .hasSize(System.getProperty("java.class.path").split(File.pathSeparator).length - absent.size());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", classPath, SsoProfileChild.class.getName(),
                config.toString(), credentials.toString(), profile).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath()
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
