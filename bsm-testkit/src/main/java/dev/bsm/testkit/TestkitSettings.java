package dev.bsm.testkit;

import dev.bsm.testkit.internal.PositiveDuration;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every system property and environment variable that bsm-testkit reads: its name, type, default and meaning.
 *
 * <p>System properties are read with {@code System.getProperty} when they are needed, so a {@code -D} of the test
 * JVM sets them (not {@code junit-platform.properties}); what is decided once per JVM, such as
 * {@link Emulators#shared()} or the Docker check, sees the value of that moment. Values are stripped of white space
 * around them, and a blank value counts as not set.
 *
 * <pre>{@code
 * ./mvnw verify -Dbsm.localstack.enabled=false -Dbsm.moto.startTimeout=PT60S
 * }</pre>
 *
 * <p>Besides these, the testkit reads what the JVM and the operating system define: {@code PATH} (and
 * {@code PATHEXT} on Windows) to find {@code moto_server}, and {@code os.name}, {@code java.home},
 * {@code java.class.path} and {@code java.io.tmpdir}.
 */
public final class TestkitSettings {

    /**
     * An absolute {@code http} or {@code https} URI with a host; default none: an emulator that runs already, such
     * as {@code http://localhost:4566}, which {@link Emulators#explicitEndpoint()} and {@link Emulators#shared()}
     * use instead of starting one. A value that is no such URI fails them with an
     * {@code IllegalArgumentException}.
     */
    public static final String ENDPOINT_PROPERTY = "bsm.endpoint";

    /**
     * {@code true} or {@code false} in any case; default {@code true}: {@code false} skips LocalStack in the choice
     * of {@link Emulators#choose(Optional)}, straight to {@code moto_server} without a Docker check. Any other value
     * fails the choice with an {@code IllegalArgumentException}, so a typo is not taken for either.
     */
    public static final String LOCALSTACK_ENABLED_PROPERTY = "bsm.localstack.enabled";

    /**
     * A Docker image; default {@code localstack/localstack:4.9.2}, the last community tag before LocalStack
     * required an account: the image of {@link LocalStackEmulator#create()} and {@link LocalStackEmulator#shared()}.
     */
    public static final String LOCALSTACK_IMAGE_PROPERTY = "bsm.localstack.image";

    /**
     * Environment variable, a LocalStack auth token; default none: passed to the LocalStack container, for images
     * from 4.15 on, {@code latest} and Pro. It never appears in a message.
     */
    public static final String LOCALSTACK_AUTH_TOKEN_VARIABLE = "LOCALSTACK_AUTH_TOKEN";

    /**
     * A positive duration, in seconds ({@code 20}, {@code 2.5}) or ISO-8601 ({@code PT20S}); default 20 seconds:
     * how long the once-per-JVM Docker check of {@link LocalStackEmulator#unavailableReason()} may take; where
     * nothing answers at {@value #DOCKER_HOST_VARIABLE} or the usual sockets, it ends in milliseconds.
     */
    public static final String DOCKER_DETECT_TIMEOUT_PROPERTY = "bsm.docker.detectTimeout";

    /**
     * Environment variable, the Docker daemon's address; default Testcontainers' own choice: the daemon that
     * Testcontainers uses. bsm does not set it; it pings that daemon before asking Testcontainers, and names it in
     * the reasons why Docker is not available.
     */
    public static final String DOCKER_HOST_VARIABLE = "DOCKER_HOST";

    /**
     * A path; default none: the {@code moto_server} executable of {@link MotoServer}, before
     * {@value #MOTO_EXECUTABLE_VARIABLE} and the {@code PATH}. A path that is not an executable file is reported,
     * not skipped.
     */
    public static final String MOTO_EXECUTABLE_PROPERTY = "bsm.moto.executable";

    /**
     * Environment variable, a path; default none: the {@code moto_server} executable of {@link MotoServer} when
     * {@value #MOTO_EXECUTABLE_PROPERTY} is not set, before the {@code PATH}.
     */
    public static final String MOTO_EXECUTABLE_VARIABLE = "BSM_MOTO_SERVER";

    /**
     * A positive duration, in seconds ({@code 30}, {@code 2.5}) or ISO-8601 ({@code PT30S}); default 30 seconds: how
     * long {@link MotoServer#start()} and {@link MotoServer#shared()} wait for the server to answer.
     */
    public static final String MOTO_START_TIMEOUT_PROPERTY = "bsm.moto.startTimeout";

    /**
     * {@code build} or {@code jvm}, in any case; default {@code build}: who shares {@link MotoServer#shared()} and
     * {@link LocalStackEmulator#shared()}, and so the emulator that {@link Emulators} and
     * {@code @WithAwsSession(localstack = true)} use. With {@code build}, the first test JVM of a build that asks
     * starts it and every other JVM of the same build (Surefire's and Failsafe's forks, Gradle's test workers,
     * several modules built at once) attaches to it; it stops within seconds of the last of them exiting, however
     * they exit, and it cannot be reset. With {@code jvm}, each JVM starts its own and may reset it. Where the shared
     * emulator cannot be kept safe (Windows, a temporary directory that is not POSIX), {@code build} acts as
     * {@code jvm}. Any other value fails {@link MotoServer#shared()} and {@link LocalStackEmulator#shared()} with an
     * {@code IllegalArgumentException}.
     */
    public static final String EMULATOR_SHARE_PROPERTY = "bsm.emulator.share";

    /**
     * Text; default the project directory: the build whose test JVMs share one {@code moto_server} (with
     * {@value #EMULATOR_SHARE_PROPERTY}{@code =build}). JVMs share when they have the same build, the same
     * {@code moto_server} executable, the same {@code java.io.tmpdir} and the same user. Without this property the
     * build is the project directory: {@code maven.multiModuleProjectDirectory} where it is set (in the Maven JVM,
     * not in the forks), else the nearest directory at or above the working directory ({@code user.dir}) that holds
     * {@code .mvn}, {@code settings.gradle} or {@code settings.gradle.kts}, else the working directory itself. So the
     * forks of every module of a project with {@code .mvn} (as the Maven wrapper makes) share one server; in a
     * multi-module project without one, each module's forks share theirs. Set it to the same value for JVMs that
     * should share otherwise, or to a unique one (such as a CI job id) to keep two builds of one directory apart.
     */
    public static final String EMULATOR_BUILD_ID_PROPERTY = "bsm.emulator.buildId";

    /**
     * A path, set by bsm-maven-plugin ({@code <emulator>moto</emulator>}) in the test JVMs' {@code argLine} together
     * with {@value #BUILD_EMULATOR_ENDPOINT_PROPERTY}; default none: the lease directory of the build's
     * {@code moto_server} that the build tool's JVM started and holds (see {@link BuildEmulator}). With it,
     * {@link MotoServer#shared()} joins that server (this JVM becomes one of its users) instead of starting or
     * attaching to one of its own, whatever {@value #EMULATOR_SHARE_PROPERTY} says, and never starts one: if the
     * server is gone it fails with an {@link EmulatorStartException} saying so. {@link Emulators#choose(Optional)}
     * then takes it right after an explicit endpoint, LocalStack not considered. A path, never a secret.
     */
    public static final String BUILD_EMULATOR_LEASE_PROPERTY = "bsm.emulator.lease";

    /**
     * An {@code http://127.0.0.1:<port>} URI, set with {@value #BUILD_EMULATOR_LEASE_PROPERTY}; default none: where
     * the build's {@code moto_server} answers. The lease must name the same endpoint, or joining fails. Setting one of
     * the two without the other fails {@link MotoServer#shared()} with an {@code IllegalArgumentException}.
     */
    public static final String BUILD_EMULATOR_ENDPOINT_PROPERTY = "bsm.emulator.endpoint";

    /**
     * The newest community tag Testcontainers 2.0.x tests against; before 4.15, so no auth token is needed. The
     * image's entry point and "Ready." log line are what {@code LocalStackContainer} expects.
     */
    static final String DEFAULT_LOCALSTACK_IMAGE = "localstack/localstack:4.9.2";
    static final Duration DEFAULT_MOTO_START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_DOCKER_DETECT_TIMEOUT = Duration.ofSeconds(20);

    /** The values of {@value #EMULATOR_SHARE_PROPERTY}. */
    enum EmulatorShare {
        /** One server for every test JVM of the build. */
        BUILD,
        /** One server per JVM. */
        JVM
    }

    private TestkitSettings() {
    }

    // -------------------------------------------------------------------------------------------------- readers

    /**
     * {@return {@value #ENDPOINT_PROPERTY}, empty when it is not set}
     *
     * @throws IllegalArgumentException if it is not an absolute http(s) URI with a host
     */
    static Optional<URI> endpoint() {
        return property(ENDPOINT_PROPERTY).map(value -> {
            try {
                return ExternalEndpoint.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("System property " + ENDPOINT_PROPERTY + ": " + e.getMessage(), e);
            }
        });
    }

    /** {@return whether {@value #ENDPOINT_PROPERTY} is set, usable or not} */
    static boolean endpointSet() {
        return property(ENDPOINT_PROPERTY).isPresent();
    }

    /**
     * {@return {@value #LOCALSTACK_ENABLED_PROPERTY}, true when it is not set}
     *
     * @throws IllegalArgumentException if it is neither {@code true} nor {@code false}
     */
    static boolean localStackEnabled() {
        return property(LOCALSTACK_ENABLED_PROPERTY).map(value -> {
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            throw new IllegalArgumentException("System property " + LOCALSTACK_ENABLED_PROPERTY + "='" + value
                    + "' is not a boolean: use true, or false to skip LocalStack");
        }).orElse(true);
    }

    /**
     * {@return {@value #EMULATOR_SHARE_PROPERTY}, {@code BUILD} when it is not set}
     *
     * @throws IllegalArgumentException if it is neither {@code build} nor {@code jvm}
     */
    static EmulatorShare emulatorShare() {
        return property(EMULATOR_SHARE_PROPERTY).map(value -> {
            for (EmulatorShare share : EmulatorShare.values()) {
                if (share.name().equalsIgnoreCase(value)) {
                    return share;
                }
            }
            throw new IllegalArgumentException("System property " + EMULATOR_SHARE_PROPERTY + "='" + value
                    + "' is neither build nor jvm: use build (the default) for one moto_server per build, or jvm for"
                    + " one per test JVM");
        }).orElse(EmulatorShare.BUILD);
    }

    /** The build's emulator as a build tool handed it to this JVM: its lease directory and endpoint. */
    record BuildEmulatorHandoff(Path lease, URI endpoint) {
    }

    /**
     * {@return {@value #BUILD_EMULATOR_LEASE_PROPERTY} and {@value #BUILD_EMULATOR_ENDPOINT_PROPERTY}, empty when
     * neither is set}
     *
     * @throws IllegalArgumentException if only one is set, the lease is not an absolute path or the endpoint no URI
     */
    static Optional<BuildEmulatorHandoff> buildEmulator() {
        Optional<String> lease = property(BUILD_EMULATOR_LEASE_PROPERTY);
        Optional<String> endpoint = property(BUILD_EMULATOR_ENDPOINT_PROPERTY);
        if (lease.isEmpty() && endpoint.isEmpty()) {
            return Optional.empty();
        }
        if (lease.isEmpty() || endpoint.isEmpty()) {
            throw new IllegalArgumentException("System properties " + BUILD_EMULATOR_LEASE_PROPERTY + " and "
                    + BUILD_EMULATOR_ENDPOINT_PROPERTY + " go together (bsm-maven-plugin sets both), but only "
                    + (lease.isPresent() ? BUILD_EMULATOR_LEASE_PROPERTY : BUILD_EMULATOR_ENDPOINT_PROPERTY)
                    + " is set");
        }
        Path path = Path.of(lease.get());
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("System property " + BUILD_EMULATOR_LEASE_PROPERTY + "='" + lease.get()
                    + "' is not an absolute path");
        }
        try {
            return Optional.of(new BuildEmulatorHandoff(path.normalize(), ExternalEndpoint.parse(endpoint.get())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("System property " + BUILD_EMULATOR_ENDPOINT_PROPERTY + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@return {@value #EMULATOR_BUILD_ID_PROPERTY}, empty when it is not set} */
    static Optional<String> emulatorBuildId() {
        return property(EMULATOR_BUILD_ID_PROPERTY);
    }

    /** {@return {@value #LOCALSTACK_IMAGE_PROPERTY}, else {@code localstack/localstack:4.9.2}} */
    static String localStackImage() {
        return property(LOCALSTACK_IMAGE_PROPERTY).orElse(DEFAULT_LOCALSTACK_IMAGE);
    }

    /** {@return {@value #LOCALSTACK_AUTH_TOKEN_VARIABLE}, empty when it is not set} */
    static Optional<String> localStackAuthToken() {
        return nonBlank(System.getenv(LOCALSTACK_AUTH_TOKEN_VARIABLE));
    }

    /** {@return {@value #MOTO_EXECUTABLE_PROPERTY} as it is: the executable lookup tells a path from nothing} */
    static String motoExecutableProperty() {
        return System.getProperty(MOTO_EXECUTABLE_PROPERTY);
    }

    /** {@return {@value #MOTO_EXECUTABLE_VARIABLE} as it is: the executable lookup tells a path from nothing} */
    static String motoExecutableVariable() {
        return System.getenv(MOTO_EXECUTABLE_VARIABLE);
    }

    /**
     * {@return {@value #MOTO_START_TIMEOUT_PROPERTY}, 30 seconds when it is not set}
     *
     * @throws IllegalArgumentException if it is not a positive duration
     */
    static Duration motoStartTimeout() {
        return positiveDuration(MOTO_START_TIMEOUT_PROPERTY, System.getProperty(MOTO_START_TIMEOUT_PROPERTY),
                DEFAULT_MOTO_START_TIMEOUT);
    }

    /**
     * {@return {@value #DOCKER_DETECT_TIMEOUT_PROPERTY}, 20 seconds when it is not set}
     *
     * @throws IllegalArgumentException if it is not a positive duration
     */
    static Duration dockerDetectTimeout() {
        return positiveDuration(DOCKER_DETECT_TIMEOUT_PROPERTY, System.getProperty(DOCKER_DETECT_TIMEOUT_PROPERTY),
                DEFAULT_DOCKER_DETECT_TIMEOUT);
    }

    /**
     * Reads a system property's value as a positive duration.
     *
     * @param property the property's name, for the message
     * @param value its value, or null
     * @param defaultValue what a value that is not set or blank means
     * @return the duration
     * @throws IllegalArgumentException if the value is set but not a positive duration
     */
    static Duration positiveDuration(String property, String value, Duration defaultValue) {
        Optional<String> text = nonBlank(value);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            return PositiveDuration.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("System property " + property + " must be a positive ISO-8601 "
                    + "duration such as PT45S or a number of seconds such as 45, but is '" + value + "'.", e);
        }
    }

    private static Optional<String> property(String name) {
        return nonBlank(System.getProperty(name));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
