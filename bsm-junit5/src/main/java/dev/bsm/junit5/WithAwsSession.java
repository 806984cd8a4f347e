package dev.bsm.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * Gives a test an AWS session: a cached {@code BotoSesManager} injected as a parameter, the session's AWS
 * variables in the environment and {@code aws.*} system properties for the duration of each test (restored
 * exactly afterwards, also when the test fails), optionally a snapshot file, and optionally every client sent to
 * an emulator.
 *
 * <pre>{@code
 * @WithAwsSession(profile = "dev", region = "us-east-1")
 * class BucketIT {
 *     @Test void lists(BotoSesManager bsm) { bsm.client(S3Client.class).listBuckets(); }
 * }
 * }</pre>
 *
 * <p><b>Where it goes.</b> On a test class, a test method, a superclass ({@code @Inherited}), an enclosing class of
 * a {@code @Nested} class, or another annotation (compose your own {@code @DevAccountTest}). Sessions are matched by
 * {@link #name()}: the nearest declaration of a name wins as a whole (method, then class, then superclasses, then
 * enclosing classes); attributes are never merged across levels. Any attribute left at its default takes the
 * configuration parameter of the same name ({@code bsm.profile}, {@code bsm.region}, {@code bsm.localstack=true}
 * ...; {@link WithAwsSessionParameters} lists them all), from {@code junit-platform.properties} or {@code -D}; an
 * attribute that is set beats its parameter. A boolean
 * attribute cannot tell {@code false} from "not set", so {@code localstack}, {@code snapshot} and {@code autoRefresh}
 * can turn on what a parameter leaves off, but not turn off what a parameter turns on ({@code env = false} always
 * wins).
 *
 * <p><b>Several sessions.</b> The first declared session with {@code env = true} sets the environment. The others
 * must not depend on it: each needs a {@code profile} or an emulator, and if the environment session is an
 * emulator, they must be emulators too; otherwise the test fails with an {@code ExtensionConfigurationException}.
 *
 * <p><b>Injection.</b> A {@code BotoSesManager} parameter gets the session named by its {@link AwsSession}, or
 * the only (or unnamed) session when it has none. Managers are created on first use and cached for the whole test
 * run by their configuration: classes with equal settings share one manager, so one AssumeRole and one
 * GetCallerIdentity per configuration per run. They are closed when the run ends.
 *
 * <p><b>Environment.</b> With {@link #env()} (the default) the session's variables are set before each test and
 * restored after it; with several sessions, the first declared one with {@code env = true} is used. Changing the
 * environment needs the JVM flags {@code --add-opens java.base/java.util=ALL-UNNAMED --add-opens
 * java.base/java.lang=ALL-UNNAMED}; this annotation holds JUnit Pioneer's {@code java.lang.System.environment}
 * lock and the system-properties lock, so parallel tests stay safe.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(WithAwsSession.List.class)
@ExtendWith(AwsSessionExtension.class)
@ResourceLock(AwsSessionExtension.ENVIRONMENT_LOCK)
@ResourceLock(Resources.SYSTEM_PROPERTIES)
public @interface WithAwsSession {

    /** {@return the session's name, for {@link AwsSession}; empty for the unnamed session} */
    String name() default "";

    /** {@return a profile of the AWS config files (configuration parameter {@code bsm.profile})} */
    String profile() default "";

    /** {@return the region (configuration parameter {@code bsm.region}; default: the SDK's region chain)} */
    String region() default "";

    /** {@return a role to assume on top of the profile or emulator session ({@code bsm.assumeRole})} */
    String assumeRole() default "";

    /** {@return the role session name ({@code bsm.roleSessionName}; default unique)} */
    String roleSessionName() default "";

    /** {@return the assumed role's duration in seconds, 900 to 43200 ({@code bsm.durationSeconds}; default 3600)} */
    int durationSeconds() default 0;

    /** {@return the external id sent with AssumeRole ({@code bsm.externalId})} */
    String externalId() default "";

    /** {@return whether the assumed role refreshes its credentials before they expire ({@code bsm.autoRefresh})} */
    boolean autoRefresh() default false;

    /**
     * {@return whether every client goes to an emulator ({@code bsm.localstack}): the {@link #endpoint()}, else the
     * parameter {@code bsm.endpoint}, else LocalStack in a container when Docker is available, else a local
     * {@code moto_server}; when none is there the test is aborted with what was tried. Started once per run.
     * Also SDK clients the code under test builds itself ({@code S3Client.create()}) go there.}
     */
    boolean localstack() default false;

    /** {@return an emulator endpoint such as {@code http://localhost:4566} ({@code bsm.endpoint}); implies localstack} */
    String endpoint() default "";

    /**
     * {@return whether to write an owner-only snapshot file before each test, removed after it, injectable as
     * {@code @SnapshotFile Path} and exported as {@code BSM_SNAPSHOT_FILE} ({@code bsm.snapshot})}
     */
    boolean snapshot() default false;

    /** {@return false to leave the environment and system properties alone ({@code bsm.env=false} for all)} */
    boolean env() default true;

    /** Holds several {@link WithAwsSession}s; written by the compiler when the annotation repeats. */
    @Documented
    @Inherited
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ExtendWith(AwsSessionExtension.class)
    @ResourceLock(AwsSessionExtension.ENVIRONMENT_LOCK)
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    @interface List {
        /** {@return the sessions} */
        WithAwsSession[] value();
    }
}
