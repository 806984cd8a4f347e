package dev.bsm.maven;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.BsmException;
import dev.bsm.core.internal.BuildSession;
import dev.bsm.testkit.BuildEmulator;
import dev.bsm.testkit.ExternalEndpoint;
import dev.bsm.testkit.internal.SnapshotDirectories;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Resolves the build's AWS session once, in Maven's JVM, and hands it to every test JVM that Surefire and Failsafe
 * fork: writes it to an owner-only snapshot file outside the project (in the per-user directory {@code bsm-<uid>}
 * of {@link #tempDirectory}) and appends to the {@code argLine} property the file's path (never a secret), the
 * endpoint, and the JVM flags bsm needs ({@code --add-opens java.base/java.util=ALL-UNNAMED},
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, {@code --enable-native-access=ALL-UNNAMED}). In the test
 * JVMs, {@code BotoSesManager.fromSnapshotFile()} and {@code @WithAwsSession} use that session: one AssumeRole and
 * one MFA prompt per build instead of one per test JVM.
 *
 * <p>The session is a profile's (or the SDK's default chain's: SSO, {@code credential_process}, {@code role_arn}
 * profiles alike), with a role assumed on top if {@link #assumeRole} says so, with every AssumeRole option. The file
 * is removed by the {@code cleanup} goal, and in any case when Maven's JVM exits, also after a failed build.
 *
 * <p>Or, with {@link #emulator} {@code moto}, instead of a session: starts the build's {@code moto_server} in Maven's
 * JVM (or attaches to the one the build runs already) through the same build lease the test JVMs use, holds it until
 * {@code cleanup} (or until Maven's JVM exits, however it exits) and appends its lease directory and endpoint, so
 * that every test JVM of the build, Surefire's and Failsafe's, joins that one server.
 */
@Mojo(name = "prepare", defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES, threadSafe = true)
public class PrepareMojo extends AbstractMojo {
    /** The endpoint of bsm-junit5's emulator and profile sessions (and this goal's parameter). */
    private static final String ENDPOINT_PROPERTY = Parameters.PREFIX + Parameters.ENDPOINT;
    /** The SDK's endpoint for every client, as {@code AWS_ENDPOINT_URL} is for a child process of ForkedJvm. */
    private static final String SDK_ENDPOINT_PROPERTY = "aws.endpointUrl";

    /** Creates the goal; Maven sets its parameters. */
    public PrepareMojo() {
    }

    /** A profile of the AWS config files; none: the SDK's default credentials chain. */
    @Parameter(property = "bsm.profile")
    private String profile;

    /** The session's region; none: the profile's, or the SDK's region chain. */
    @Parameter(property = "bsm.region")
    private String region;

    /**
     * An endpoint standing for AWS (an emulator such as {@code http://localhost:4566}): every call of the session goes
     * there, the STS calls of a {@code role_arn} profile and of {@link #assumeRole} included, and so do the test
     * JVMs' (passed as {@code bsm.endpoint} and {@code aws.endpointUrl}).
     */
    @Parameter(property = "bsm.endpoint")
    private String endpoint;

    /** A role to assume on top of the profile's session, e.g. {@code arn:aws:iam::111122223333:role/deployer}. */
    @Parameter(property = "bsm.assumeRole")
    private String assumeRole;

    /** The role's session name; default: unique ({@code bsm-} and 32 hex digits). */
    @Parameter(property = "bsm.roleSessionName")
    private String roleSessionName;

    /** The role's duration in seconds, 900 to 43200; default 3600. The tests must end before it does. */
    @Parameter(property = "bsm.durationSeconds")
    private Integer durationSeconds;

    /** The external id sent with AssumeRole. */
    @Parameter(property = "bsm.externalId")
    private String externalId;

    /** Session tags sent with AssumeRole. */
    @Parameter
    private Map<String, String> tags;

    /** Keys of {@link #tags} that pass on to roles assumed from this one. */
    @Parameter
    private List<String> transitiveTagKeys;

    /**
     * The MFA device's serial number or ARN. The code is taken from the property {@code bsm.mfaTokenCode}
     * ({@code -Dbsm.mfaTokenCode=123456}, read once and then removed from the build's properties), else asked for
     * once on the console; in batch mode without the property the goal fails, saying so.
     */
    @Parameter(property = "bsm.mfaSerialNumber")
    private String mfaSerialNumber;

    /** The source identity sent with AssumeRole. */
    @Parameter(property = "bsm.sourceIdentity")
    private String sourceIdentity;

    /** An inline session policy (JSON) sent with AssumeRole. */
    @Parameter(property = "bsm.policy")
    private String policy;

    /** ARNs of managed session policies sent with AssumeRole. */
    @Parameter
    private List<String> policyArns;

    /**
     * Where the owner-only snapshot directory is made (in its per-user {@code bsm-<uid>}): outside the project, never
     * inside it. On CI, a runner's own temporary directory ({@code ${env.RUNNER_TEMP}}) is a good choice.
     */
    @Parameter(property = "bsm.tempDirectory", defaultValue = "${java.io.tmpdir}")
    private File tempDirectory;

    /** The property to append to; Surefire and Failsafe read {@code argLine}. */
    @Parameter(property = "bsm.propertyName", defaultValue = "argLine")
    private String propertyName;

    /**
     * Whether to add the {@code --add-opens} and {@code --enable-native-access} flags that bsm's tests need (where the
     * property does not have them yet).
     */
    @Parameter(property = "bsm.addJvmFlags", defaultValue = "true")
    private boolean addJvmFlags;

    /**
     * {@code moto}: start the build's {@code moto_server} here, instead of resolving a session, and hand it to every
     * test JVM ({@code bsm.emulator.lease} and {@code bsm.emulator.endpoint} in argLine), where
     * {@code @WithAwsSession(localstack = true)}, {@code Emulators} and {@code MotoServer.shared()} use it, LocalStack
     * not considered; it lives until {@code cleanup} of the reactor's last module that runs the plugin or until
     * Maven's JVM exits (with a Maven daemon: until the next build, or the daemon's end). {@code none} (the
     * default): no emulator. Conflicts with the session's parameters.
     */
    @Parameter(property = "bsm.emulator")
    private String emulator;

    /** Skips the session (the JVM flags are still added); also skipped with {@code skipTests} or {@code maven.test.skip}. */
    @Parameter(property = "bsm.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(property = "skipTests", defaultValue = "false", readonly = true)
    private boolean skipTests;

    @Parameter(property = "maven.test.skip", defaultValue = "false", readonly = true)
    private boolean mavenTestSkip;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException {
        checkPropertyName();
        if ("pom".equals(project.getPackaging())) {
            // A parent declaring the goal for its modules: it has no tests of its own to hand a session to.
            getLog().info("bsm: nothing to prepare in a pom project, which runs no tests");
            return;
        }
        if (skip || skipTests || mavenTestSkip) {
            getLog().info("bsm: no build session (" + (skip ? "bsm.skip" : skipTests ? "skipTests"
                    : "maven.test.skip") + ")");
            appendToArgLine(List.of());
            return;
        }
        if (EmulatorKind.parse(emulator).isPresent()) {
            prepareEmulator();
            return;
        }
        SessionSettings settings = settings().check();
        Path temp = tempDirectory();
        BuildState.Written written;
        try {
            written = BuildState.of(session).snapshot(projectId(), settings, temp,
                    s -> SessionResolver.resolve(s, () -> MfaCode.obtain(s.mfaSerialNumber().get(), session)));
        } catch (SnapshotDirectories.UnsafeException e) {
            throw new InvalidParameterException(Parameters.TEMP_DIRECTORY, "cannot hold the snapshot: "
                    + e.getMessage(), e);
        } catch (UncheckedIOException | BsmException e) {
            throw new MojoExecutionException("bsm-maven-plugin: could not write the build session's snapshot in "
                    + temp + ": " + e.getMessage(), e);
        }
        BuildSession handed = new BuildSession(written.file(), settings.profile(), settings.assumeRole(),
                settings.roleSessionName(), settings.durationSeconds(), settings.externalId(), settings.endpoint());
        List<String> arguments = new ArrayList<>();
        arguments.add("-D" + BotoSesManager.SNAPSHOT_FILE_PROPERTY + "=" + written.file());
        arguments.addAll(handed.jvmArguments());
        settings.endpoint().ifPresent(e -> {
            // Given on the command line, Surefire passes it on already (and warns when argLine repeats it).
            if (!e.equals(session.getUserProperties().getProperty(ENDPOINT_PROPERTY))) {
                arguments.add("-D" + ENDPOINT_PROPERTY + "=" + e);
            }
            arguments.add("-D" + SDK_ENDPOINT_PROPERTY + "=" + e);
        });
        getLog().info("bsm: build session " + describe(settings, written) + "; snapshot " + written.file()
                + " (owner-only, removed by the cleanup goal or when Maven exits)");
        appendToArgLine(arguments);
    }

    private void prepareEmulator() throws MojoExecutionException {
        EmulatorSetup.checkAlone(settings(), session);
        BuildEmulator moto = BuildState.of(session).emulator(projectId(), EmulatorSetup::startMoto);
        List<String> arguments = new ArrayList<>();
        for (Map.Entry<String, String> property : moto.testJvmProperties().entrySet()) {
            if (property.getValue().indexOf('"') >= 0) {
                throw new InvalidParameterException(Parameters.EMULATOR, "needs the path " + property.getValue()
                        + " in argLine, which cannot pass a double quote: set java.io.tmpdir for Maven (MAVEN_OPTS)"
                        + " to a directory without one");
            }
            arguments.add("-D" + property.getKey() + "=" + property.getValue());
        }
        getLog().info("bsm: build emulator " + moto.description() + ", held by Maven's JVM until the cleanup goal"
                + " (or until Maven exits) for every test JVM of the build");
        appendToArgLine(arguments);
    }

    private void appendToArgLine(List<String> arguments) {
        String value = ArgLine.append(project.getProperties(), propertyName, addJvmFlags, arguments);
        getLog().info("bsm: " + propertyName + " set to " + value);
        if (session.getUserProperties().containsKey(propertyName)) {
            getLog().warn("bsm: " + propertyName + " is also set on the command line (-D" + propertyName + "), which"
                    + " Surefire and Failsafe take instead of the project property bsm sets: the test JVMs will not"
                    + " get the build session");
        }
    }

    private SessionSettings settings() {
        return new SessionSettings(SessionSettings.text(profile), SessionSettings.text(region),
                SessionSettings.text(endpoint), SessionSettings.text(assumeRole), SessionSettings.text(roleSessionName),
                Optional.ofNullable(durationSeconds), SessionSettings.text(externalId), tags, transitiveTagKeys,
                SessionSettings.text(mfaSerialNumber), SessionSettings.text(sourceIdentity),
                SessionSettings.text(policy), policyArns);
    }

    private void checkPropertyName() throws InvalidParameterException {
        if (propertyName == null || !propertyName.matches("[A-Za-z0-9_.-]+")) {
            throw new InvalidParameterException(Parameters.PROPERTY_NAME, "must name a property, such as argLine");
        }
    }

    /** An existing directory outside the project, whose path Surefire's argLine can carry. */
    private Path tempDirectory() throws InvalidParameterException {
        if (tempDirectory == null) {
            throw new InvalidParameterException(Parameters.TEMP_DIRECTORY, "is not set: give a directory outside the"
                    + " project, such as ${java.io.tmpdir}");
        }
        Path temp = tempDirectory.toPath().toAbsolutePath().normalize();
        if (!Files.isDirectory(temp)) {
            throw new InvalidParameterException(Parameters.TEMP_DIRECTORY, "is not an existing directory: " + temp);
        }
        Path real;
        try {
            real = temp.toRealPath(); // a link into the project is inside it
        } catch (IOException e) {
            throw new InvalidParameterException(Parameters.TEMP_DIRECTORY, "cannot be read: " + e, e);
        }
        if (temp.toString().indexOf('"') >= 0) {
            throw new InvalidParameterException(Parameters.TEMP_DIRECTORY, "holds a double quote, which argLine"
                    + " cannot pass: " + temp);
        }
        for (Path project : List.of(this.project.getBasedir().toPath(), Path.of(session.getExecutionRootDirectory()))) {
            Path root = realPath(project.toAbsolutePath().normalize());
            if (real.startsWith(root)) {
                throw new InvalidParameterException(Parameters.TEMP_DIRECTORY, "is inside the project (" + root
                        + "), where a snapshot of the session's secrets could be packaged, committed or archived:"
                        + " give a directory outside it, such as ${java.io.tmpdir}");
            }
        }
        return temp;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    private String projectId() {
        return project.getGroupId() + ":" + project.getArtifactId();
    }

    /** What the log may say: names and the expiry, never a key. */
    private static String describe(SessionSettings settings, BuildState.Written written) {
        String source = settings.profile().map(p -> "profile " + p).orElse("the default credentials chain");
        String what = settings.assumeRole().map(r -> "role " + r + " (from " + source + ")").orElse(source);
        return what + settings.endpoint().map(e -> " at " + ExternalEndpoint.parse(e)).orElse("")
                + written.session().expiration().map(t -> ", expires " + t).orElse("")
                + (written.resolvedNow() ? "" : ", resolved earlier in this build");
    }
}
