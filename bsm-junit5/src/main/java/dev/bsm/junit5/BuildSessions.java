package dev.bsm.junit5;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.internal.BuildSession;
import dev.bsm.testkit.ExternalEndpoint;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * The session a build resolved once for all its test JVMs (bsm-maven-plugin's {@code prepare} goal), used instead of
 * resolving a profile or assuming a role again in each JVM: one AssumeRole and one MFA prompt per build. It serves
 * the sessions on real AWS that ask for what it is:
 * <ul>
 *   <li>a session without a role of its own, naming no profile or the build's (the profile's own credentials, when
 *       the build assumed a role on it, are not the build's: such a session resolves its profile itself);</li>
 *   <li>a session whose role is the build's, naming no profile or the build's, with no role option other than the
 *       build's (session name, duration and external id unset or equal to the build's; no auto-refresh, which a
 *       snapshot cannot do).</li>
 * </ul>
 * A session naming a profile must also name the build's endpoint (through {@code bsm.endpoint}, which the plugin
 * sets too); one naming none takes the build's endpoint. Any other role is assumed on top of the session these rules
 * give its base, which may be the build's. Emulator sessions never use it.
 */
final class BuildSessions {
    private static final String ACCESS_KEY_ID = "aws_access_key_id";
    private static final String SECRET_ACCESS_KEY = "aws_secret_access_key";
    private static final String SESSION_TOKEN = "aws_session_token";
    private static final String REGION_NAME = "region_name";

    private BuildSessions() {
    }

    /** {@return the build's session when there is one and it serves this key as it is} */
    static Optional<BuildSession> serving(SessionSpec.ManagerKey key) {
        return BuildSession.from(System.getProperties()).filter(build -> serves(build, key));
    }

    static boolean serves(BuildSession build, SessionSpec.ManagerKey key) {
        if (key.emulator()) {
            return false;
        }
        boolean namesNoProfile = key.profile().isEmpty();
        if (!namesNoProfile && !(key.profile().equals(build.profile()) && key.endpoint().equals(build.endpoint()))) {
            return false;
        }
        if (!key.assumesRole()) {
            return build.assumeRole().isEmpty() || namesNoProfile;
        }
        return key.assumeRole().equals(build.assumeRole()) && asksNothingElse(key.roleSessionName(),
                build.roleSessionName()) && asksNothingElse(key.durationSeconds(), build.durationSeconds())
                && asksNothingElse(key.externalId(), build.externalId()) && !key.autoRefresh();
    }

    /** An option the session leaves unset, or sets as the build did. */
    private static <T> boolean asksNothingElse(Optional<T> asked, Optional<T> built) {
        return asked.isEmpty() || asked.equals(built);
    }

    /**
     * A manager on the build's credentials, in the key's region (else the snapshot's) and at the build's endpoint.
     *
     * @throws dev.bsm.core.InvalidSnapshotException when the build's snapshot file cannot be read
     */
    static BotoSesManager manager(BuildSession build, SessionSpec.ManagerKey key,
            Consumer<ClientOverrideConfiguration.Builder> configuration) {
        Map<String, String> snapshot;
        try (BotoSesManager fromFile = BotoSesManager.fromSnapshotFile(build.snapshotFile())) {
            snapshot = fromFile.toSnapshot();
        }
        BotoSesManager.Builder builder = BotoSesManager.builder();
        String token = snapshot.get(SESSION_TOKEN);
        if (token == null) {
            builder.credentials(snapshot.get(ACCESS_KEY_ID), snapshot.get(SECRET_ACCESS_KEY));
        } else {
            builder.credentials(snapshot.get(ACCESS_KEY_ID), snapshot.get(SECRET_ACCESS_KEY), token);
        }
        key.region().or(() -> Optional.ofNullable(snapshot.get(REGION_NAME))).ifPresent(builder::region);
        build.endpoint().map(ExternalEndpoint::parse).ifPresent(builder::endpointOverride);
        return builder.overrideConfiguration(configuration).build();
    }
}
