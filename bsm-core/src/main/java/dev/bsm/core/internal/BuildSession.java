package dev.bsm.core.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Not API: the session a build resolved once for all its test JVMs, as bsm-maven-plugin hands it to each of them and
 * bsm-junit5 finds it there: system properties, since a build tool's {@code argLine} can pass nothing else. They
 * name the owner-only snapshot file (never a secret) and what the session was resolved from, so that the extension
 * uses it only for sessions that ask for the same thing.
 *
 * @param snapshotFile the snapshot file holding the session's credentials and region
 * @param profile the profile it was resolved from; empty for the SDK's default credentials chain
 * @param assumeRole the role assumed on top of the profile, if any
 * @param roleSessionName the role's session name, when one was asked for
 * @param durationSeconds the role's duration, when one was asked for
 * @param externalId the external id sent with AssumeRole, if any (an external id is not a secret)
 * @param endpoint the endpoint every call of the session went to and must go to, if any
 */
public record BuildSession(Path snapshotFile, Optional<String> profile, Optional<String> assumeRole,
        Optional<String> roleSessionName, Optional<Integer> durationSeconds, Optional<String> externalId,
        Optional<String> endpoint) {
    /** The system property naming the snapshot file; its presence says that the build resolved a session. */
    public static final String SNAPSHOT_FILE = "bsm.build.snapshotFile";
    /** The system property naming the profile the session came from; absent for the default chain. */
    public static final String PROFILE = "bsm.build.profile";
    /** The system property naming the role assumed; absent when none was. */
    public static final String ASSUME_ROLE = "bsm.build.assumeRole";
    /** The system property naming the role's session name, when one was asked for. */
    public static final String ROLE_SESSION_NAME = "bsm.build.roleSessionName";
    /** The system property giving the role's duration in seconds, when one was asked for. */
    public static final String DURATION_SECONDS = "bsm.build.durationSeconds";
    /** The system property giving the external id sent with AssumeRole, if any. */
    public static final String EXTERNAL_ID = "bsm.build.externalId";
    /** The system property naming the endpoint of the session; absent for AWS itself. */
    public static final String ENDPOINT = "bsm.build.endpoint";

    /**
     * Checks for nulls.
     *
     * @param snapshotFile the snapshot file
     * @param profile the profile, or empty
     * @param assumeRole the role, or empty
     * @param roleSessionName the session name, or empty
     * @param durationSeconds the duration, or empty
     * @param externalId the external id, or empty
     * @param endpoint the endpoint, or empty
     */
    public BuildSession {
        Objects.requireNonNull(snapshotFile, "snapshotFile");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(assumeRole, "assumeRole");
        Objects.requireNonNull(roleSessionName, "roleSessionName");
        Objects.requireNonNull(durationSeconds, "durationSeconds");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * The build's session in these properties.
     *
     * @param properties the JVM's system properties, typically
     * @return the session, or empty when no build resolved one (no {@value #SNAPSHOT_FILE}, or a blank one)
     */
    public static Optional<BuildSession> from(Properties properties) {
        return text(properties, SNAPSHOT_FILE).map(file -> new BuildSession(Path.of(file), text(properties, PROFILE),
                text(properties, ASSUME_ROLE), text(properties, ROLE_SESSION_NAME),
                text(properties, DURATION_SECONDS).flatMap(BuildSession::integer), text(properties, EXTERNAL_ID),
                text(properties, ENDPOINT)));
    }

    /** Written by the plugin, so always a number; anything else would match no session's duration. */
    private static Optional<Integer> integer(String value) {
        try {
            return Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.of(-1);
        }
    }

    /**
     * {@return the properties as {@code -Dname=value} JVM arguments, unquoted, in a fixed order: the file, then
     * what is set of profile, role, role options and endpoint}
     */
    public List<String> jvmArguments() {
        List<String> arguments = new ArrayList<>();
        arguments.add("-D" + SNAPSHOT_FILE + "=" + snapshotFile);
        profile.ifPresent(p -> arguments.add("-D" + PROFILE + "=" + p));
        assumeRole.ifPresent(r -> arguments.add("-D" + ASSUME_ROLE + "=" + r));
        roleSessionName.ifPresent(n -> arguments.add("-D" + ROLE_SESSION_NAME + "=" + n));
        durationSeconds.ifPresent(d -> arguments.add("-D" + DURATION_SECONDS + "=" + d));
        externalId.ifPresent(id -> arguments.add("-D" + EXTERNAL_ID + "=" + id));
        endpoint.ifPresent(e -> arguments.add("-D" + ENDPOINT + "=" + e));
        return arguments;
    }

    private static Optional<String> text(Properties properties, String name) {
        return Optional.ofNullable(properties.getProperty(name)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
