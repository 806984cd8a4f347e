package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.bsm.core.BotoSesManager;
import dev.bsm.testkit.ExternalEndpoint;
import dev.bsm.testkit.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/** The extension, run through the Jupiter engine with parallel execution, against a real moto_server. */
@Isolated("runs fixture tests that change the environment and system properties; compares them before and after")
class AwsSessionExtensionTests {
    static final List<BotoSesManager> SEEN = new CopyOnWriteArrayList<>();
    static final Set<Path> SNAPSHOTS = ConcurrentHashMap.newKeySet();

    MotoServer moto;

    @BeforeEach
    void freshMoto() {
        moto = BsmTestKit.moto();
        moto.reset();
        SEEN.clear();
        SNAPSHOTS.clear();
    }

    /** The access key id of the emulator the fixtures run on: bsm.endpoint names this run's moto_server. */
    static String emulatorsAccessKeyId() {
        return ExternalEndpoint.of(MotoServer.shared().endpoint()).accessKeyId();
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    /** The default: an account of the class's own; the environment has the emulator's shared keys. */
    @WithAwsSession(localstack = true)
    static class InjectionTestCase {
        @Test
        void injected(BotoSesManager bsm) {
            SEEN.add(bsm);
            assertThat(bsm.awsAccountId()).matches("\\d{12}").isNotEqualTo(MotoServer.shared().accountId());
            // The access key id is the account (LocalStack's way); moto goes by the header bsm adds.
            assertThat(bsm.toSnapshot().get("aws_access_key_id")).isEqualTo(bsm.awsAccountId());
            assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo(emulatorsAccessKeyId());
            assertThat(System.getProperty("aws.endpointUrl")).isEqualTo(MotoServer.shared().endpoint().toString());
        }

        @Test
        void injectedAgain(BotoSesManager bsm) {
            SEEN.add(bsm);
        }
    }

    @WithAwsSession(localstack = true)
    static class SameSettingsTestCase {
        @Test
        void injected(BotoSesManager bsm) {
            SEEN.add(bsm);
            assertThat(bsm.awsAccountId()).matches("\\d{12}").isNotEqualTo(MotoServer.shared().accountId());
            // Known without STS; the ARN is the emulator's, asked once.
            assertThat(bsm.principalArn()).startsWith("arn:aws:sts::" + bsm.awsAccountId() + ":");
        }
    }

    /** isolation = NONE: the emulator's default account, shared, as before isolation. */
    @WithAwsSession(localstack = true, isolation = Isolation.NONE)
    static class SharedAccountTestCase {
        @Test
        void injected(BotoSesManager bsm) {
            SEEN.add(bsm);
            assertThat(bsm.awsAccountId()).isEqualTo(MotoServer.shared().accountId());
            assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo(bsm.toSnapshot().get("aws_access_key_id"));
            assertThat(System.getProperty("aws.endpointUrl")).isEqualTo(MotoServer.shared().endpoint().toString());
        }

        @Test
        void injectedAgain(BotoSesManager bsm) {
            SEEN.add(bsm);
        }
    }

    @WithAwsSession(localstack = true, isolation = Isolation.NONE)
    static class SharedAccountSameSettingsTestCase {
        @Test
        void injected(BotoSesManager bsm) {
            SEEN.add(bsm);
            assertThat(bsm.awsAccountId()).isEqualTo(MotoServer.shared().accountId());
        }
    }

    /** Two tests on a role; the subclasses say which session. */
    abstract static class RoleTests {
        @Test
        void first(BotoSesManager bsm) {
            SEEN.add(bsm);
            assertThat(bsm.principalArn()).endsWith(":assumed-role/deployer/kit");
            // The role's own credentials decide its account, also where the class has one of its own.
            assertThat(bsm.awsAccountId()).isEqualTo("111122223333");
        }

        @Test
        void second(BotoSesManager bsm) {
            SEEN.add(bsm);
        }
    }

    /** One more test on the same role, in another class. */
    abstract static class SameRoleTests {
        @Test
        void third(BotoSesManager bsm) {
            SEEN.add(bsm);
        }
    }

    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::111122223333:role/deployer", roleSessionName = "kit")
    static class AssumedRoleTestCase extends RoleTests {
    }

    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::111122223333:role/deployer", roleSessionName = "kit")
    static class SameRoleTestCase extends SameRoleTests {
    }

    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::111122223333:role/deployer", roleSessionName = "kit",
            isolation = Isolation.NONE)
    static class SharedAccountRoleTestCase extends RoleTests {
    }

    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::111122223333:role/deployer", roleSessionName = "kit",
            isolation = Isolation.NONE)
    static class SharedAccountSameRoleTestCase extends SameRoleTests {
    }

    @WithAwsSession(localstack = true)
    static class FailingAndAbortingTestCase {
        @Test
        void fails() {
            throw new AssertionError("this test fails on purpose");
        }

        @Test
        void aborts() {
            org.junit.jupiter.api.Assumptions.abort("this test aborts on purpose");
        }

        @Test
        void passes(BotoSesManager bsm) {
            assertThat(System.getenv("AWS_REGION")).isEqualTo(bsm.awsRegion());
        }
    }

    @WithAwsSession(localstack = true, snapshot = true)
    static class SnapshotTestCase {
        @Test
        void present(@SnapshotFile Path file, BotoSesManager bsm) throws Exception {
            SNAPSHOTS.add(file);
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(System.getenv("BSM_SNAPSHOT_FILE")).isEqualTo(file.toString());
            try (BotoSesManager child = BotoSesManager.fromSnapshotFile()) {
                assertThat(child.toSnapshot()).isEqualTo(bsm.toSnapshot());
            }
        }

        @Test
        void presentThenFails(@SnapshotFile Path file) {
            SNAPSHOTS.add(file);
            throw new AssertionError("fails with a snapshot on disk");
        }
    }

    /** Production code that builds its own client from the default chains, as application code does. */
    static final class ReportArchiver {
        void archive(String bucket) {
            try (S3Client s3 = S3Client.create()) {
                s3.createBucket(b -> b.bucket(bucket));
            }
        }
    }

    @WithAwsSession(localstack = true)
    static class RedirectTestCase {
        @Test
        void selfBuiltClientsGoToTheEmulator(BotoSesManager bsm) {
            new ReportArchiver().archive("archived-reports");
            assertThat(bsm.client(S3Client.class).listBuckets().buckets())
                    .anySatisfy(b -> assertThat(b.name()).isEqualTo("archived-reports"));
        }
    }

    @WithAwsSession(name = "source", localstack = true)
    @WithAwsSession(name = "target", localstack = true, assumeRole = "arn:aws:iam::111122223333:role/target")
    static class NamedSessionsTestCase {
        @Test
        void copy(@AwsSession("source") BotoSesManager from, @AwsSession("target") BotoSesManager to) {
            assertThat(from.principalArn()).doesNotContain("assumed-role");
            assertThat(from.awsAccountId()).isNotEqualTo(MotoServer.shared().accountId());
            assertThat(to.principalArn()).contains(":assumed-role/target/");
            assertThat(to.awsAccountId()).isEqualTo("111122223333");
            // The first declared session sets the environment: the emulator's shared keys; its account is bound
            // to the thread, so clients built here are in it.
            assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo(emulatorsAccessKeyId());
            try (StsClient own = StsClient.create()) {
                assertThat(own.getCallerIdentity().account()).isEqualTo(from.awsAccountId());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void injectsOneCachedManagerPerConfigurationAcrossClasses() {
        // Without isolation, as before it: one manager for the whole run.
        int identityCalls = StsCallCounter.count("GetCallerIdentity");
        BsmTestKit.run(SharedAccountTestCase.class, SharedAccountSameSettingsTestCase.class).testEvents()
                .assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(SEEN).hasSize(3);
        assertThat(Set.copyOf(SEEN)).as("one manager for equal settings").hasSize(1);
        assertThat(StsCallCounter.count("GetCallerIdentity") - identityCalls)
                .as("GetCallerIdentity calls for two classes with equal settings").isEqualTo(1);
    }

    @Test
    void anIsolatedClassHasOneManagerPerConfigurationInItsOwnAccount() {
        int identityCalls = StsCallCounter.count("GetCallerIdentity");
        int withoutHeader = StsCallCounter.withHeader("GetCallerIdentity", "");
        BsmTestKit.run(InjectionTestCase.class, SameSettingsTestCase.class).testEvents()
                .assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(SEEN).hasSize(3);
        assertThat(Set.copyOf(SEEN)).as("one manager per class").hasSize(2);
        Map<String, Integer> identityCallsPerAccount = new HashMap<>();
        for (BotoSesManager manager : Set.copyOf(SEEN)) {
            identityCallsPerAccount.put(manager.awsAccountId(),
                    StsCallCounter.withHeader("GetCallerIdentity", manager.awsAccountId()));
        }
        // InjectionTestCase asks only for its account id, which bsm chose: no call; SameSettingsTestCase also for
        // its ARN: one call.
        assertThat(identityCallsPerAccount).as("GetCallerIdentity calls per class account").hasSize(2)
                .containsValues(0, 1);
        // Once per run, without an account: the emulator's own default account, which isolation avoids. And, as
        // bsm.endpoint names an external endpoint, once per run in a fresh account of its own: whether the
        // endpoint puts requests in the account they name, so that managers may be told theirs.
        assertThat(StsCallCounter.withHeader("GetCallerIdentity", "") - withoutHeader).isEqualTo(1);
        assertThat(StsCallCounter.count("GetCallerIdentity") - identityCalls).isEqualTo(3);
    }

    @Test
    void assumesTheRoleOncePerRun() {
        // Without isolation, as before it: one AssumeRole for the whole run.
        int assumeRoleCalls = StsCallCounter.count("AssumeRole");
        BsmTestKit.run(SharedAccountRoleTestCase.class, SharedAccountSameRoleTestCase.class).testEvents()
                .assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(Set.copyOf(SEEN)).as("all tests got the manager of one AssumeRole call").hasSize(1);
        assertThat(StsCallCounter.count("AssumeRole") - assumeRoleCalls).as("AssumeRole calls").isEqualTo(1);
    }

    @Test
    void anIsolatedClassAssumesTheRoleOnceFromItsOwnAccount() {
        int assumeRoleCalls = StsCallCounter.count("AssumeRole");
        int assumeRoleCallsWithoutAccount = StsCallCounter.withHeader("AssumeRole", "");
        int identityCallsWithoutAccount = StsCallCounter.withHeader("GetCallerIdentity", "");
        BsmTestKit.run(AssumedRoleTestCase.class, SameRoleTestCase.class).testEvents()
                .assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(Set.copyOf(SEEN)).as("one role manager per class").hasSize(2);
        assertThat(StsCallCounter.count("AssumeRole") - assumeRoleCalls).as("AssumeRole calls").isEqualTo(2);
        assertThat(StsCallCounter.withHeader("AssumeRole", "") - assumeRoleCallsWithoutAccount)
                .as("AssumeRole calls that went from no account of their own").isZero();
        // The role's own requests carry no class account: its credentials decide (111122223333, checked above).
        // One GetCallerIdentity of the role, one of the emulator's own session (its default account, once a run).
        assertThat(StsCallCounter.withHeader("GetCallerIdentity", "") - identityCallsWithoutAccount).isEqualTo(2);
    }

    @Test
    void environmentAndPropertiesAreExactlyRestoredAlsoAfterFailures() {
        GlobalState before = GlobalState.capture();
        BsmTestKit.run(FailingAndAbortingTestCase.class, InjectionTestCase.class).testEvents()
                .assertStatistics(s -> s.started(5).succeeded(3).failed(1).aborted(1));
        assertThat(GlobalState.capture().differencesFrom(before)).as("changed and not restored").isEmpty();
    }

    @Test
    void snapshotFilesExistDuringTheTestAndAreGoneAfterItWhateverItsOutcome() {
        BsmTestKit.run(SnapshotTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        assertThat(SNAPSHOTS).hasSize(2).allSatisfy(file -> {
            assertThat(file).doesNotExist();
            assertThat(file.getParent()).doesNotExist();
        });
    }

    @Test
    void clientsTheCodeUnderTestBuildsItselfGoToTheEmulator() {
        BsmTestKit.run(RedirectTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void namedSessionsAreInjectedByName() {
        BsmTestKit.run(NamedSessionsTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @WithAwsSession(localstack = true, region = "eu-west-1")
    static class SubclassTestCase extends BaseTestCase {
        @Test
        void subclassWins(BotoSesManager bsm) {
            assertThat(bsm.awsRegion()).isEqualTo("eu-west-1");
            assertThat(System.getenv("AWS_REGION")).isEqualTo("eu-west-1");
        }
    }

    @EmulatedCanadaTest
    @WithAwsSession(localstack = true, region = "eu-west-1")
    static class ComposedAndDirectTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(localstack = true)
    static class DefaultRegionTestCase {
        @Test
        void test(BotoSesManager bsm) {
            SEEN.add(bsm);
        }
    }

    @WithAwsSession(localstack = true, region = "us-east-1")
    static class ExplicitSameRegionTestCase {
        @Test
        void test(BotoSesManager bsm) {
            SEEN.add(bsm);
        }
    }

    @WithAwsSession(name = "env", localstack = true)
    @WithAwsSession(name = "other", localstack = true, region = "eu-west-1", snapshot = true)
    static class OtherSessionsSnapshotTestCase {
        @Test
        void test(@SnapshotFile("other") Path other) {
            assertThat(other).exists();
            assertThat(System.getenv("BSM_SNAPSHOT_FILE")).as("names the environment session's snapshot only").isNull();
        }
    }

    @Test
    void equalSettingsAfterDefaultsShareOneManager() {
        // The run's cache of managers, which isolated classes do not share: bsm.isolation=none.
        BsmTestKit.run(Map.of("bsm.isolation", "none"), DefaultRegionTestCase.class, ExplicitSameRegionTestCase.class)
                .testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(Set.copyOf(SEEN)).hasSize(1);
    }

    @Test
    void theSnapshotVariableNamesOnlyTheEnvironmentSessionsSnapshot() {
        BsmTestKit.run(OtherSessionsSnapshotTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Nested
    class WhereTheAnnotationGoes {
        @Test
        void theSubclassDeclarationBeatsTheSuperclasses() {
            BsmTestKit.run(SubclassTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
        }

        @Test
        void onASuperclassANestedClassAndAsAMetaAnnotation() {
            BsmTestKit.run(InheritedTestCase.class, EnclosingTestCase.class, ComposedTestCase.class).testEvents()
                    .assertStatistics(s -> s.started(4).succeeded(4));
        }

        @Test
        void theMethodsDeclarationWinsAsAWhole() {
            BsmTestKit.run(OverrideTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
        }
    }

    @Test
    void aSuiteGoesToTheEmulatorByConfigurationParameter() {
        BsmTestKit.run(Map.of("bsm.localstack", "true", "bsm.region", "eu-west-3"), ParameterOnlyTestCase.class)
                .testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Nested
    class BadConfiguration {
        /**
         * The fixture fails once, naming the fragments: the test class where the class's own sessions are wrong
         * (the class fails at its first callback; its tests do not run), the test where only its parameters are.
         */
        private void failsWith(Class<?> fixture, String... fragments) {
            EngineExecutionResults results = BsmTestKit.run(fixture);
            results.testEvents().assertStatistics(s -> s.succeeded(0));
            results.allEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                    instanceOf(ExtensionConfigurationException.class), message(m -> {
                        for (String fragment : fragments) {
                            if (!m.contains(fragment)) {
                                return false;
                            }
                        }
                        return true;
                    }))));
        }

        @Test
        void anApiCallTimeoutThatIsNotPositiveNamesTheParameter() {
            for (String timeout : List.of("-PT5S", "0")) {
                EngineExecutionResults results = BsmTestKit.run(Map.of("bsm.localstack", "true",
                        "bsm.apiCallTimeout", timeout), ParameterOnlyTestCase.class);
                results.allEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                        instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("bsm.apiCallTimeout='" + timeout + "' must be positive")))));
            }
        }

        @Test
        void anEndpointParameterThatIsNotAUriFailsWithoutRepeatingIt() {
            EngineExecutionResults results = BsmTestKit.run(Map.of("bsm.localstack", "true",
                    "bsm.endpoint", "http://bsm:s3cretPass@local host:4566"), ParameterOnlyTestCase.class);
            results.testEvents().assertStatistics(s -> s.succeeded(0));
            results.allEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                    instanceOf(ExtensionConfigurationException.class),
                    message(m -> m.contains("endpoint") && !m.contains("s3cretPass")))));
        }

        @Test
        void profileWithLocalstack() {
            failsWith(ProfileAndLocalstackTestCase.class, "Test class 'AwsSessionExtensionTests$ProfileAndLocalstackTestCase'", "attribute 'profile'",
                    "localstack");
        }

        @Test
        void unknownSessionName() {
            failsWith(UnknownNameTestCase.class, "asks for session \"nope\"", "[main]");
        }

        @Test
        void negativeDuration() {
            failsWith(NegativeDurationTestCase.class, "attribute 'durationSeconds'", "-5");
        }

        @Test
        void snapshotFileWithoutSnapshot() {
            failsWith(SnapshotFileWithoutSnapshotTestCase.class, "@SnapshotFile", "snapshot = true");
        }

        @Test
        void ambiguousParameter() {
            failsWith(AmbiguousTestCase.class, "could be any of the sessions", "@AwsSession");
        }

        @Test
        void sameNameTwice() {
            failsWith(DuplicateNameTestCase.class, "declared twice");
        }

        @Test
        void malformedRegionAndRole() {
            // Core's words: a region is described, never repeated (it may come from a parameter, or be a secret).
            failsWith(BadRegionTestCase.class, "attribute 'region' is not valid: Invalid region: 4 characters,"
                    + " with upper case letters");
            failsWith(BadRoleTestCase.class, "attribute 'assumeRole' is not valid: Invalid role ARN 'deployer'");
        }

        @Test
        void aComposedAndADirectDeclarationOfOneName() {
            failsWith(ComposedAndDirectTestCase.class, "declared twice", "composed annotation");
        }

        @Test
        void aSecondSessionThatWouldFollowTheFirstOnesEnvironment() {
            failsWith(DefaultChainBesideEmulatorTestCase.class, "default credentials chain", "attribute 'profile'");
        }

        @Test
        void malformedRoleSessionNameAndExternalIdNameTheAttribute() {
            failsWith(BadRoleSessionNameTestCase.class, "Test class 'AwsSessionExtensionTests$BadRoleSessionNameTestCase'",
                    "attribute 'roleSessionName'", "2 to 64");
            failsWith(BadExternalIdTestCase.class, "Test class 'AwsSessionExtensionTests$BadExternalIdTestCase'", "attribute 'externalId'",
                    "2 to 1224");
        }

        @Test
        void roleSettingsFromConfigurationParametersNameTheParameter() {
            EngineExecutionResults results = BsmTestKit.run(Map.of("bsm.roleSessionName", "no spaces allowed"),
                    RoleWithoutOptionsTestCase.class);
            results.allEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                    instanceOf(ExtensionConfigurationException.class),
                    message(m -> m.contains("attribute 'roleSessionName' (configuration parameter"
                            + " bsm.roleSessionName)") && m.contains("2 to 64")))));
        }

        @Test
        void anUnknownOrMalformedProfileNamesTheTestAndTheAttribute() {
            failsWith(UnknownProfileTestCase.class, "Test class 'AwsSessionExtensionTests$UnknownProfileTestCase'", "attribute 'profile'",
                    "'bsm-no-such-profile-4f1c' not found");
            failsWith(MalformedProfileTestCase.class, "Test class 'AwsSessionExtensionTests$MalformedProfileTestCase'", "attribute 'profile'",
                    "no whitespace");
        }

        @Test
        void booleanParametersAcceptOnlyTrueOrFalse() {
            for (String parameter : List.of("bsm.env", "bsm.snapshot", "bsm.localstack", "bsm.autoRefresh",
                    "bsm.guard")) {
                for (String nonsense : List.of("nope", "yes", "1", "")) {
                    Map<String, String> parameters = new HashMap<>(Map.of("bsm.region", "eu-west-3"));
                    parameters.putIfAbsent("bsm.localstack", "true");
                    parameters.put(parameter, nonsense);
                    EngineExecutionResults results = BsmTestKit.run(parameters, ParameterOnlyTestCase.class);
                    results.allEvents().assertThatEvents().as("%s=%s", parameter, nonsense)
                            .haveExactly(1, event(finishedWithFailure(
                                    instanceOf(ExtensionConfigurationException.class),
                                    message(m -> m.contains("configuration parameter " + parameter + "='" + nonsense
                                            + "' is not a boolean: use true or false")))));
                }
            }
        }

        @Test
        void otherTypedParametersNameTheParameterAndTheType() {
            Map<String, String> cases = Map.of(
                    "bsm.durationSeconds", "is not a whole number",
                    "bsm.missingCredentials", "is neither fail nor abort",
                    "bsm.apiCallTimeout", "is not a duration");
            cases.forEach((parameter, problem) -> {
                EngineExecutionResults results = BsmTestKit.run(Map.of("bsm.localstack", "true",
                        "bsm.assumeRole", "arn:aws:iam::111122223333:role/x", parameter, "soon"),
                        ParameterOnlyTestCase.class);
                results.allEvents().assertThatEvents().as(parameter).haveExactly(1, event(
                        finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                                message(m -> m.contains("configuration parameter " + parameter + "='soon' "
                                        + problem)))));
            });
        }

        @Test
        void typedParameterErrorsNameTheTestClassAndSayWhatIsWrong() {
            Map<String, String> cases = Map.of(
                    "bsm.env", "nope=is not a boolean",
                    "bsm.durationSeconds", "99999999999=is out of range for a whole number",
                    "bsm.apiCallTimeout", "PT25H=is longer than 24 hours (PT24H)");
            cases.forEach((parameter, valueAndProblem) -> {
                String value = valueAndProblem.substring(0, valueAndProblem.indexOf('='));
                String problem = valueAndProblem.substring(valueAndProblem.indexOf('=') + 1);
                EngineExecutionResults results = BsmTestKit.run(Map.of("bsm.localstack", "true",
                        "bsm.assumeRole", "arn:aws:iam::111122223333:role/x", parameter, value),
                        ParameterOnlyTestCase.class);
                results.allEvents().assertThatEvents().as(parameter).haveExactly(1, event(
                        finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                                message(m -> m.startsWith("Test")
                                        && m.contains(ParameterOnlyTestCase.class.getName())
                                        && m.contains("configuration parameter " + parameter + "='" + value + "' "
                                                + problem)))));
            });
        }

        @Test
        void aRegionRoleOrDurationFromAParameterIsCheckedByCoreAndNamesTheParameter() {
            Map<String, String> cases = Map.of(
                    "bsm.region", "attribute 'region' (configuration parameter bsm.region) is not valid: Invalid"
                            + " region: 7 characters, with white space",
                    "bsm.assumeRole", "attribute 'assumeRole' (configuration parameter bsm.assumeRole) is not"
                            + " valid: Invalid role ARN 'us east'",
                    "bsm.durationSeconds", "attribute 'durationSeconds' (configuration parameter"
                            + " bsm.durationSeconds) is not valid: Invalid assume-role duration PT2M");
            cases.forEach((parameter, problem) -> {
                Map<String, String> parameters = new HashMap<>(Map.of("bsm.localstack", "true",
                        "bsm.assumeRole", "arn:aws:iam::111122223333:role/x"));
                parameters.put(parameter, parameter.equals("bsm.durationSeconds") ? "120" : "us east");
                EngineExecutionResults results = BsmTestKit.run(parameters, ParameterOnlyTestCase.class);
                results.allEvents().assertThatEvents().as(parameter).haveExactly(1, event(
                        finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                                message(m -> m.contains(problem)))));
            });
        }

        @Test
        void booleanParametersIgnoreCase() {
            BsmTestKit.run(Map.of("bsm.localstack", "TRUE", "bsm.env", "False", "bsm.snapshot", "tRuE",
                    "bsm.region", "eu-west-3"), ParameterOnlyTestCase.class)
                    .testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        }

        @Test
        void anUnknownSessionNameBesideTheUnnamedSessionSaysSo() {
            failsWith(UnknownNameBesideUnnamedTestCase.class, "asks for session \"nope\"",
                    "the test has only the unnamed session");
        }

        @Test
        void roleOptionsWithoutARole() {
            failsWith(ExternalIdWithoutRoleTestCase.class, "attribute 'externalId'", "needs assumeRole");
        }
    }

    // ------------------------------------------------------------------------------------------------ more fixtures

    @WithAwsSession(localstack = true, region = "ap-south-1")
    abstract static class BaseTestCase {
    }

    static class InheritedTestCase extends BaseTestCase {
        @Test
        void inherited(BotoSesManager bsm) {
            assertThat(bsm.awsRegion()).isEqualTo("ap-south-1");
        }
    }

    @WithAwsSession(localstack = true, region = "eu-north-1")
    static class EnclosingTestCase {
        @Nested
        class Inner {
            @Test
            void fromTheEnclosingClass(BotoSesManager bsm) {
                assertThat(bsm.awsRegion()).isEqualTo("eu-north-1");
            }
        }

        @Test
        void direct(BotoSesManager bsm) {
            assertThat(bsm.awsRegion()).isEqualTo("eu-north-1");
        }
    }

    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    @WithAwsSession(localstack = true, region = "ca-central-1")
    @interface EmulatedCanadaTest {
    }

    @EmulatedCanadaTest
    static class ComposedTestCase {
        @Test
        void composed(BotoSesManager bsm) {
            assertThat(bsm.awsRegion()).isEqualTo("ca-central-1");
        }
    }

    @WithAwsSession(localstack = true, region = "us-west-1", snapshot = true)
    static class OverrideTestCase {
        @Test
        @WithAwsSession(localstack = true, region = "us-west-2")
        void methodWins(BotoSesManager bsm) {
            assertThat(bsm.awsRegion()).isEqualTo("us-west-2");
            assertThat(System.getenv("BSM_SNAPSHOT_FILE")).as("snapshot is not merged from the class").isNull();
        }
    }

    @WithAwsSession
    static class ParameterOnlyTestCase {
        @Test
        void fromParameters(BotoSesManager bsm) {
            assertThat(bsm.awsRegion()).isEqualTo("eu-west-3");
            assertThat(bsm.awsAccountId()).matches("\\d{12}").isNotEqualTo(MotoServer.shared().accountId());
        }
    }

    @WithAwsSession(profile = "dev", localstack = true)
    static class ProfileAndLocalstackTestCase {
        @Test
        void test(BotoSesManager bsm) {
        }
    }

    @WithAwsSession(name = "main", localstack = true)
    static class UnknownNameTestCase {
        @Test
        void test(@AwsSession("nope") BotoSesManager bsm) {
        }
    }

    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::111122223333:role/x", durationSeconds = -5)
    static class NegativeDurationTestCase {
        @Test
        void test(BotoSesManager bsm) {
        }
    }

    @WithAwsSession(localstack = true)
    static class SnapshotFileWithoutSnapshotTestCase {
        @Test
        void test(@SnapshotFile Path file) {
        }
    }

    @WithAwsSession(name = "a", localstack = true)
    @WithAwsSession(name = "b", localstack = true)
    static class AmbiguousTestCase {
        @Test
        void test(BotoSesManager bsm) {
        }
    }

    @WithAwsSession(name = "a", localstack = true)
    @WithAwsSession(name = "a", localstack = true, region = "eu-west-1")
    static class DuplicateNameTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(localstack = true, region = "Mars")
    static class BadRegionTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(localstack = true, assumeRole = "deployer")
    static class BadRoleTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(name = "emulator", localstack = true)
    @WithAwsSession(name = "aws")
    static class DefaultChainBesideEmulatorTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(localstack = true, externalId = "abc")
    static class ExternalIdWithoutRoleTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::111122223333:role/x", roleSessionName = "bad name!")
    static class BadRoleSessionNameTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::111122223333:role/x", externalId = "x")
    static class BadExternalIdTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(localstack = true, assumeRole = "arn:aws:iam::111122223333:role/x")
    static class RoleWithoutOptionsTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(profile = "bsm-no-such-profile-4f1c")
    static class UnknownProfileTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(profile = "two words")
    static class MalformedProfileTestCase {
        @Test
        void test() {
        }
    }

    @WithAwsSession(localstack = true)
    static class UnknownNameBesideUnnamedTestCase {
        @Test
        void test(@AwsSession("nope") BotoSesManager bsm) {
        }
    }
}
