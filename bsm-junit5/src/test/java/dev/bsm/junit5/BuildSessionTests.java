package dev.bsm.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.TempSnapshot;
import dev.bsm.core.internal.BuildSession;
import dev.bsm.testkit.MotoServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The session a build resolved (bsm-maven-plugin's system properties) serves the sessions that ask for it, with no
 * AssumeRole in the test JVM; other sessions resolve as before.
 */
@Isolated("sets the build session's system properties around fixture runs")
class BuildSessionTests {
    private static final String BUILD_ROLE = "arn:aws:iam::111122223333:role/build";
    private static final String OTHER_ROLE = "arn:aws:iam::444455556666:role/other";
    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    @WithAwsSession
    static class BareSessionTestCase {
        @Test
        void usesTheBuildsSession(BotoSesManager bsm) {
            SEEN.put("injected", bsm.principalArn());
            try (StsClient sts = StsClient.create()) { // the environment: the build's keys and endpoint
                SEEN.put("self-built", sts.getCallerIdentity().arn());
            }
            try (BotoSesManager fromFile = BotoSesManager.fromSnapshotFile()) { // bsm.snapshotFile
                SEEN.put("fromSnapshotFile", fromFile.toSnapshot().get("aws_access_key_id"));
            }
            SEEN.put("key", bsm.toSnapshot().get("aws_access_key_id"));
        }
    }

    @WithAwsSession(assumeRole = BUILD_ROLE)
    static class SameRoleTestCase {
        @Test
        void usesTheBuildsSession(BotoSesManager bsm) {
            SEEN.put("same role", bsm.principalArn());
        }
    }

    @WithAwsSession(assumeRole = OTHER_ROLE, roleSessionName = "on-top")
    static class OtherRoleTestCase {
        @Test
        void assumesItsRoleFromTheBuildsSession(BotoSesManager bsm) {
            SEEN.put("other role", bsm.principalArn());
        }
    }

    /** The build's role assumed from moto's default account, in a snapshot file, as the plugin writes it. */
    private <T> T withBuildSession(Optional<String> role, Supplier<T> run) {
        MotoServer moto = BsmTestKit.moto();
        try (BotoSesManager base = BotoSesManager.builder().credentials(moto.accessKeyId(), moto.secretAccessKey())
                .region(moto.region()).endpointOverride(moto.endpoint()).build();
                BotoSesManager build = base.assumeRole(BUILD_ROLE, o -> o.roleSessionName("the-build"));
                TempSnapshot snapshot = build.tempSnapshot(dir.resolve("build.json"))) {
            BuildSession session = new BuildSession(snapshot.path(), Optional.empty(), role,
                    Optional.of("the-build"), Optional.empty(), Optional.empty(), Optional.of(moto.endpoint().toString()));
            return withProperties(session, snapshot.path(), run);
        }
    }

    /** The system properties exactly as the plugin's argLine passes them, then cleared. */
    private static <T> T withProperties(BuildSession session, Path file, Supplier<T> run) {
        Map<String, String> properties = new HashMap<>();
        properties.put(BotoSesManager.SNAPSHOT_FILE_PROPERTY, file.toString());
        for (String argument : session.jvmArguments()) {
            int equals = argument.indexOf('=');
            properties.put(argument.substring("-D".length(), equals), argument.substring(equals + 1));
        }
        assertThat(BuildSession.from(asProperties(properties))).contains(session);
        properties.forEach(System::setProperty);
        try {
            return run.get();
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    private static Properties asProperties(Map<String, String> map) {
        Properties properties = new Properties();
        properties.putAll(map);
        return properties;
    }

    @Test
    void aSessionAskingForNothingElseUsesTheBuildsWithoutAssumingAnyRole() {
        SEEN.clear();
        int before = StsCallCounter.count("AssumeRole");
        withBuildSession(Optional.of(BUILD_ROLE), () -> BsmTestKit.run(BareSessionTestCase.class, SameRoleTestCase.class))
                .testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        String role = "arn:aws:sts::111122223333:assumed-role/build/the-build";
        assertThat(SEEN).containsEntry("injected", role).containsEntry("self-built", role)
                .containsEntry("same role", role);
        assertThat(SEEN.get("fromSnapshotFile")).isEqualTo(SEEN.get("key"));
        // The build's own AssumeRole (in withBuildSession) is the only one.
        assertThat(StsCallCounter.count("AssumeRole") - before).isEqualTo(1);
    }

    @Test
    void anotherRoleIsAssumedOnTopOfTheBuildsSession() {
        SEEN.clear();
        int before = StsCallCounter.count("AssumeRole");
        withBuildSession(Optional.of(BUILD_ROLE), () -> BsmTestKit.run(OtherRoleTestCase.class))
                .testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(SEEN).containsEntry("other role", "arn:aws:sts::444455556666:assumed-role/other/on-top");
        assertThat(StsCallCounter.count("AssumeRole") - before).as("the build's, then the test's").isEqualTo(2);
    }

    @Test
    void aBuildSessionWhoseFileIsGoneFailsTheClassNamingTheProperty() {
        Path gone = dir.resolve("gone.json");
        EngineExecutionResults results = withProperties(new BuildSession(gone, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(BsmTestKit.moto().endpoint().toString())), gone,
                () -> BsmTestKit.run(BareSessionTestCase.class));
        results.allEvents().assertThatEvents().haveExactly(1, event(container(), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.contains(BuildSession.SNAPSHOT_FILE) && m.contains(gone.toString())
                        && m.contains("bsm-maven-plugin")))));
    }

    // ------------------------------------------------------------------------------------------------ the rules

    private static SessionSpec.ManagerKey key(String profile, String endpoint, String role, String sessionName) {
        return new SessionSpec.ManagerKey(Optional.ofNullable(profile), Optional.empty(), false,
                Optional.ofNullable(endpoint), Optional.ofNullable(role), Optional.ofNullable(sessionName),
                Optional.empty(), Optional.empty(), false);
    }

    private static BuildSession build(String profile, String role) {
        return new BuildSession(Path.of("/b.json"), Optional.ofNullable(profile), Optional.ofNullable(role),
                Optional.ofNullable(role).map(r -> "ci"), Optional.empty(), Optional.empty(), Optional.of("http://e"));
    }

    @Test
    void theBuildsSessionServesWhatAsksForItAndNothingElse() {
        BuildSession profileOnly = build("dev", null);
        BuildSession withRole = build("dev", BUILD_ROLE);
        assertThat(BuildSessions.serves(profileOnly, key(null, null, null, null))).as("no profile named").isTrue();
        assertThat(BuildSessions.serves(profileOnly, key("dev", "http://e", null, null))).as("its profile").isTrue();
        assertThat(BuildSessions.serves(profileOnly, key("dev", null, null, null))).as("its profile, no endpoint")
                .isFalse();
        assertThat(BuildSessions.serves(profileOnly, key("prod", "http://e", null, null))).as("another profile")
                .isFalse();
        assertThat(BuildSessions.serves(profileOnly, key("dev", "http://e", BUILD_ROLE, null)))
                .as("a role the build did not assume: assumed on top").isFalse();
        assertThat(BuildSessions.serves(withRole, key(null, null, null, null))).as("no profile, no role").isTrue();
        assertThat(BuildSessions.serves(withRole, key("dev", "http://e", null, null)))
                .as("the profile's own credentials are not the role's").isFalse();
        assertThat(BuildSessions.serves(withRole, key("dev", "http://e", BUILD_ROLE, null))).as("the same").isTrue();
        assertThat(BuildSessions.serves(withRole, key(null, null, BUILD_ROLE, null))).as("its role").isTrue();
        assertThat(BuildSessions.serves(withRole, key(null, null, BUILD_ROLE, "mine"))).as("role options of its own")
                .isFalse();
        assertThat(BuildSessions.serves(withRole, key(null, null, BUILD_ROLE, "ci"))).as("the build's role options")
                .isTrue();
        assertThat(BuildSessions.serves(withRole, new SessionSpec.ManagerKey(Optional.empty(), Optional.empty(),
                true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                false))).as("an emulator session").isFalse();
    }
}
