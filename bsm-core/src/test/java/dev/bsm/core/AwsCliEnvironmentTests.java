package dev.bsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

@ResourceLock(GlobalState.ENVIRONMENT_LOCK)
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class AwsCliEnvironmentTests {
    private static final String SECRET = Canary.SECRET;

    private GlobalState before;

    @BeforeEach
    void captureGlobalState() {
        before = GlobalState.capture();
    }

    @AfterEach
    void globalStateIsExactlyAsBefore() {
        assertThat(GlobalState.capture().differencesFrom(before)).as("changed and not restored").isEmpty();
    }

    @Test
    void exportsKeysAndBothRegionsAndRemovesTokenAndProfileThenRestoresThem() {
        JvmEnvironment.LOCK.lock();
        try {
            // A state like Python's verified example: profile, old token and a region already set.
            try (AwsCliEnvironment outer = AwsCliEnvironment.open(new AwsCliVariables(java.util.Map.of(
                    "AWS_PROFILE", Optional.of("foo"), "AWS_SESSION_TOKEN", Optional.of("old"),
                    "AWS_REGION", Optional.of("eu-west-1"))));
                    BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDEXAMPLE", SECRET)
                            .region("ap-south-1").build()) {
                try (AwsCliEnvironment env = bsm.awscli()) {
                    assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo("AKIDEXAMPLE");
                    assertThat(System.getenv("AWS_SECRET_ACCESS_KEY")).isEqualTo(SECRET);
                    assertThat(System.getenv("AWS_SESSION_TOKEN")).isNull();
                    assertThat(System.getenv("AWS_PROFILE")).isNull();
                    assertThat(System.getenv("AWS_REGION")).isEqualTo("ap-south-1");
                    assertThat(System.getenv("AWS_DEFAULT_REGION")).isEqualTo("ap-south-1");
                    assertThat(System.getProperty("aws.accessKeyId")).isEqualTo("AKIDEXAMPLE");
                    assertThat(System.getProperty("aws.region")).isEqualTo("ap-south-1");
                    assertThat(System.getProperty("aws.sessionToken")).isNull();
                    assertThat(env.toString()).doesNotContain(SECRET).doesNotContain("AKIDEXAMPLE");
                    assertThat(env.variables().variables().toString()).doesNotContain(SECRET);
                    assertThat(env.variables().systemProperties().toString()).doesNotContain(SECRET);
                }
                assertThat(System.getenv("AWS_PROFILE")).isEqualTo("foo");
                assertThat(System.getenv("AWS_SESSION_TOKEN")).isEqualTo("old");
                assertThat(System.getenv("AWS_REGION")).isEqualTo("eu-west-1");
                assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo(before.environment().get("AWS_ACCESS_KEY_ID"));
            }
        } finally {
            JvmEnvironment.LOCK.unlock();
        }
    }

    @Test
    void temporaryCredentialsExportTheSessionTokenAndTheEndpoint() {
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("ASIAEXAMPLE", SECRET, "TOKEN1")
                .region("us-east-1").endpointOverride(java.net.URI.create("http://127.0.0.1:4566")).build();
                AwsCliEnvironment ignored = bsm.awscli()) {
            assertThat(System.getenv("AWS_SESSION_TOKEN")).isEqualTo("TOKEN1");
            assertThat(System.getProperty("aws.sessionToken")).isEqualTo("TOKEN1");
            assertThat(System.getenv("AWS_ENDPOINT_URL")).isEqualTo("http://127.0.0.1:4566");
            assertThat(System.getProperty("aws.endpointUrl")).isEqualTo("http://127.0.0.1:4566");
        }
    }

    @Test
    void childProcessesAndSdkClientsBuiltInsideTheBlockSeeTheSession() throws Exception {
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDCHILD", SECRET, "TOKEN2")
                .region("eu-central-1").build();
                AwsCliEnvironment ignored = bsm.awscli()) {
            Process env = new ProcessBuilder("env").redirectErrorStream(true).start();
            String childEnvironment = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(env.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(childEnvironment.lines()).contains("AWS_ACCESS_KEY_ID=AKIDCHILD", "AWS_SESSION_TOKEN=TOKEN2",
                    "AWS_REGION=eu-central-1", "AWS_DEFAULT_REGION=eu-central-1");

            try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
                AwsCredentials credentials = chain.resolveCredentials();
                assertThat(credentials.accessKeyId()).isEqualTo("AKIDCHILD");
            }
            assertThat(new DefaultAwsRegionProviderChain().getRegion().id()).isEqualTo("eu-central-1");
        }
    }

    @Test
    void aProfileManagerExportsTheProfileAndRemovesKeys(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("config"), "[profile dev]\nregion = sa-east-1\n");
        Path credentials = Files.writeString(dir.resolve("credentials"),
                "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = " + SECRET + "\n");
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            JvmEnvironment.LOCK.lock();
            try (AwsCliEnvironment keysBefore = AwsCliEnvironment.open(new AwsCliVariables(java.util.Map.of(
                    "AWS_ACCESS_KEY_ID", Optional.of("AKIDOUTER"), "AWS_SECRET_ACCESS_KEY", Optional.of("outer"))));
                    BotoSesManager bsm = BotoSesManager.builder().profileName("dev").build()) {
                try (AwsCliEnvironment ignored = bsm.awscli()) {
                    assertThat(System.getenv("AWS_PROFILE")).isEqualTo("dev");
                    assertThat(System.getProperty("aws.profile")).isEqualTo("dev");
                    assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isNull();
                    assertThat(System.getenv("AWS_REGION")).isEqualTo("sa-east-1");
                }
                assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo("AKIDOUTER");
            } finally {
                JvmEnvironment.LOCK.unlock();
            }
        } finally {
            System.clearProperty("aws.configFile");
            System.clearProperty("aws.sharedCredentialsFile");
        }
    }

    @Test
    void aManagerWithoutEndpointRemovesAnEndpointSetForAnotherSession() {
        try (BotoSesManager local = BotoSesManager.builder().credentials("test", "test").region("us-east-1")
                .endpointOverride(java.net.URI.create("http://127.0.0.1:4566")).build();
                BotoSesManager real = BotoSesManager.builder().credentials("AKIDREAL", SECRET).region("us-east-1")
                        .build();
                AwsCliEnvironment outer = local.awscli();
                AwsCliEnvironment inner = real.awscli()) {
            assertThat(System.getenv("AWS_ENDPOINT_URL")).isNull();
            assertThat(System.getProperty("aws.endpointUrl")).isNull();
        }
    }

    @Test
    void nestedBlocksUnwindInOrderAndAnExceptionInsideStillRestores() {
        try (BotoSesManager first = BotoSesManager.builder().credentials("AKID1", "S1").region("us-east-1").build();
                BotoSesManager second = BotoSesManager.builder().credentials("AKID2", "S2", "T2")
                        .region("us-west-2").build()) {
            assertThatThrownBy(() -> {
                try (AwsCliEnvironment outer = first.awscli()) {
                    try (AwsCliEnvironment inner = second.awscli()) {
                        assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo("AKID2");
                        throw new IllegalStateException("boom inside the block");
                    } finally {
                        assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo("AKID1");
                        assertThat(System.getenv("AWS_SESSION_TOKEN")).isNull();
                        assertThat(System.getenv("AWS_REGION")).isEqualTo("us-east-1");
                    }
                }
            }).hasMessage("boom inside the block");
        }
    }

    @Test
    void closingAnOuterBlockFirstRestoresBothAndSaysSo() {
        try (BotoSesManager first = BotoSesManager.builder().credentials("AKID1", "S1").region("us-east-1").build();
                BotoSesManager second = BotoSesManager.builder().credentials("AKID2", "S2").region("us-west-2").build()) {
            AwsCliEnvironment outer = first.awscli();
            AwsCliEnvironment inner = second.awscli();
            assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("reverse order");
            inner.close(); // already restored: a no-op
        }
    }

    @Test
    void processBuilderVariablesChangeNoGlobalState() throws Exception {
        try (BotoSesManager bsm = BotoSesManager.builder().credentials("AKIDPB", SECRET).region("us-east-2").build()) {
            AwsCliVariables variables = bsm.awscliVariables();
            ProcessBuilder builder = variables.applyTo(new ProcessBuilder("env"));
            Process env = builder.start();
            String childEnvironment = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            env.waitFor(10, TimeUnit.SECONDS);

            assertThat(childEnvironment.lines()).contains("AWS_ACCESS_KEY_ID=AKIDPB", "AWS_REGION=us-east-2")
                    .noneMatch(line -> line.startsWith("AWS_SESSION_TOKEN="));
            assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo(before.environment().get("AWS_ACCESS_KEY_ID"));
            assertThat(variables.removed()).contains("AWS_SESSION_TOKEN", "AWS_PROFILE");
            assertThat(variables.toString()).doesNotContain(SECRET).doesNotContain("AKIDPB");
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aRefusedNativeCallNamesTheVariableAndTheErrorNumberButNeverTheValue() {
        // POSIX refuses a name with '=' (EINVAL) and changes nothing; a nonzero number proves errno was kept.
        String name = "BSM_TEST=REFUSED";
        JvmEnvironment.LOCK.lock();
        try {
            assertThatThrownBy(() -> NativeEnvironment.put(name, SECRET))
                    .isInstanceOf(EnvironmentAccessException.class)
                    .hasMessageContaining("set the environment variable " + name + " (error ")
                    .hasMessageMatching("(?s).*\\(error [1-9][0-9]*\\)")
                    .message().doesNotContain(SECRET);
            assertThatThrownBy(() -> NativeEnvironment.put(name, null))
                    .isInstanceOf(EnvironmentAccessException.class)
                    .hasMessageMatching("(?s).*remove the environment variable " + Pattern.quote(name)
                            + " \\(error [1-9][0-9]*\\)");
        } finally {
            JvmEnvironment.LOCK.unlock();
        }
    }

    @Test
    void withoutAddOpensTheFailureNamesTheFlags() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                AwscliWithoutAddOpens.class.getName()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(output).isEqualTo(AwscliWithoutAddOpens.EXIT_ENVIRONMENT_ACCESS);
        assertThat(output).contains("--add-opens java.base/java.util=ALL-UNNAMED")
                .contains("--add-opens java.base/java.lang=ALL-UNNAMED")
                .contains("awscliVariables()")
                .contains("environment unchanged")
                .doesNotContain(AwscliWithoutAddOpens.SECRET);
    }

    /** The value a child process inherits from the operating system's environment ({@code env}); never printed. */
    private static Optional<String> nativeValue(String name) throws Exception {
        Process env = new ProcessBuilder("env").redirectErrorStream(true).start();
        String childEnvironment = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(env.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return childEnvironment.lines().filter(line -> line.startsWith(name + "="))
                .map(line -> line.substring(name.length() + 1)).findFirst();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aSecretNoEnvironmentCanCarryFailsTypedAndLeavesTheNativeEnvironmentAlone() throws Exception {
        Optional<String> nativeBefore = nativeValue("AWS_SECRET_ACCESS_KEY");
        // A provider is not checked by the builder: its secret reaches awscli() as it is.
        StaticCredentialsProvider provider = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDNUL", SECRET + "\0tail"));
        Throwable thrown;
        try (BotoSesManager bsm = BotoSesManager.builder().credentialsProvider(provider).region("us-east-1").build()) {
            thrown = catchThrowable(() -> bsm.awscli().close());
        }
        assertThat(nativeValue("AWS_SECRET_ACCESS_KEY").equals(nativeBefore))
                .as("the native AWS_SECRET_ACCESS_KEY is as before").isTrue();
        assertThat(String.valueOf(thrown)).as("the failure").doesNotContain(SECRET);
        assertThat(thrown).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("AWS_SECRET_ACCESS_KEY contains a NUL character");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aChangeTheJvmRefusesAfterTheNativeOneIsUndone() throws Exception {
        String name = "BSM_TEST_REFUSED_BY_THE_JVM";
        Throwable thrown;
        JvmEnvironment.LOCK.lock();
        try {
            // A later step failing: the operating system takes the value up to the NUL, Java's map then refuses it.
            thrown = catchThrowable(() -> JvmEnvironment.put(name, Optional.of(SECRET + "\0tail")));
        } finally {
            JvmEnvironment.LOCK.unlock();
        }
        assertThat(nativeValue(name).isPresent()).as("the native " + name + " is still set").isFalse();
        assertThat(String.valueOf(thrown)).as("the failure").doesNotContain(SECRET);
        assertThat(thrown).isInstanceOf(EnvironmentAccessException.class).hasMessageContaining(name)
                .hasMessageContaining("nothing was changed").hasNoCause();
    }
}
