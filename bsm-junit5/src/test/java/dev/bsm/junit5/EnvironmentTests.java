package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.bsm.core.BotoSesManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.TestAbortedException;

/** Parallel tests with different sessions, missing credentials, a missing emulator, and a JVM without add-opens. */
@Isolated("changes system properties around fixture runs and compares global state")
class EnvironmentTests {

    /** Each test sleeps inside its session: without the resource locks, another test's region would show. */
    static class ParallelRegionsTestCase {
        private static void holds(String region, BotoSesManager bsm) throws InterruptedException {
            for (int i = 0; i < 5; i++) {
                assertThat(System.getenv("AWS_REGION")).isEqualTo(region);
                assertThat(System.getProperty("aws.region")).isEqualTo(region);
                assertThat(bsm.awsRegion()).isEqualTo(region);
                Thread.sleep(10);
            }
        }

        @Test
        @WithAwsSession(localstack = true, region = "eu-west-1")
        void one(BotoSesManager bsm) throws Exception {
            holds("eu-west-1", bsm);
        }

        @Test
        @WithAwsSession(localstack = true, region = "eu-west-2")
        void two(BotoSesManager bsm) throws Exception {
            holds("eu-west-2", bsm);
        }

        @Test
        @WithAwsSession(localstack = true, region = "eu-west-3")
        void three(BotoSesManager bsm) throws Exception {
            holds("eu-west-3", bsm);
        }

        @Test
        @WithAwsSession(localstack = true, region = "eu-south-1")
        void four(BotoSesManager bsm) throws Exception {
            holds("eu-south-1", bsm);
        }

        @Test
        @WithAwsSession(localstack = true, region = "eu-north-1")
        void five(BotoSesManager bsm) throws Exception {
            holds("eu-north-1", bsm);
        }

        @Test
        @WithAwsSession(localstack = true, region = "ap-east-1")
        void six(BotoSesManager bsm) throws Exception {
            holds("ap-east-1", bsm);
        }
    }

    @Test
    void parallelTestsEachSeeTheirOwnSessionAndNothingIsLeftBehind() {
        GlobalState before = GlobalState.capture();
        BsmTestKit.run(ParallelRegionsTestCase.class).testEvents().assertStatistics(s -> s.started(6).succeeded(6));
        assertThat(GlobalState.capture().differencesFrom(before)).as("changed and not restored").isEmpty();
    }

    @WithAwsSession(profile = "nokeys", region = "us-east-1")
    static class MissingCredentialsTestCase {
        @Test
        void test(BotoSesManager bsm) {
        }
    }

    private static EngineExecutionResults withProfileFiles(Path dir, Map<String, String> parameters) throws IOException {
        Path config = Files.writeString(dir.resolve("config"), "[profile nokeys]\nregion = us-east-1\n");
        Path credentials = Files.writeString(dir.resolve("credentials"), "");
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            return BsmTestKit.run(parameters, MissingCredentialsTestCase.class);
        } finally {
            System.clearProperty("aws.configFile");
            System.clearProperty("aws.sharedCredentialsFile");
        }
    }

    @Test
    void missingCredentialsFailByDefaultNamingWhereBsmLooked(@TempDir Path dir) throws IOException {
        // The class's session fails the class at its first callback: one failure, its test does not run.
        withProfileFiles(dir, Map.of()).allEvents().assertThatEvents().haveExactly(1, event(container(),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("No AWS credentials found for profile nokeys")
                                && m.contains("bsm.missingCredentials=abort")))));
    }

    @Test
    void missingCredentialsAbortWhenConfiguredSo(@TempDir Path dir) throws IOException {
        withProfileFiles(dir, Map.of("bsm.missingCredentials", "abort")).allEvents().assertThatEvents()
                .haveExactly(1, event(container(), abortedWithReason(instanceOf(TestAbortedException.class),
                        message(m -> m.contains("No AWS credentials found for profile nokeys")))));
    }

    @WithAwsSession(profile = "nokeys", region = "us-east-1", assumeRole = "arn:aws:iam::111122223333:role/x")
    static class MissingCredentialsUnderARoleTestCase {
        @Test
        void test(BotoSesManager bsm) {
        }
    }

    @Test
    void missingCredentialsUnderARoleAbortWithBsmsMessage(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("config"), "[profile nokeys]\nregion = us-east-1\n");
        Path credentials = Files.writeString(dir.resolve("credentials"), "");
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            BsmTestKit.run(Map.of("bsm.missingCredentials", "abort"), MissingCredentialsUnderARoleTestCase.class)
                    .allEvents().assertThatEvents().haveExactly(1, event(container(), abortedWithReason(
                            instanceOf(TestAbortedException.class),
                            message(m -> m.contains("No AWS credentials found for profile nokeys")))));
        } finally {
            System.clearProperty("aws.configFile");
            System.clearProperty("aws.sharedCredentialsFile");
        }
    }

    @WithAwsSession(localstack = true)
    static class NoEmulatorTestCase {
        @Test
        void test(BotoSesManager bsm) {
        }
    }

    @Test
    void withoutAnyEmulatorTheTestIsAbortedListingWhatWasTried() {
        System.setProperty("bsm.moto.executable", "/nonexistent/moto_server");
        System.setProperty("bsm.localstack.enabled", "false");
        try {
            BsmTestKit.runWithoutEndpoint(Map.of(), NoEmulatorTestCase.class).allEvents().assertThatEvents()
                    .haveExactly(1, event(container(), abortedWithReason(instanceOf(TestAbortedException.class),
                            message(m -> m.contains("No AWS emulator is available") && m.contains("bsm.endpoint")
                                    && m.contains("LocalStack") && m.contains("/nonexistent/moto_server")))));
        } finally {
            System.clearProperty("bsm.moto.executable");
            System.clearProperty("bsm.localstack.enabled");
        }
    }

    @Test
    void withoutAddOpensTheFailureNamesTheFlagsAndTheEnvFalseAlternative() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                RunWithoutAddOpens.class.getName(), BsmTestKit.moto().endpoint().toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("--add-opens java.base/java.util=ALL-UNNAMED").contains("env = false")
                .contains("RESULT failed=1 succeeded=1");
    }
}
