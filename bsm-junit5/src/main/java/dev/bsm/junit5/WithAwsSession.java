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
import org.junit.jupiter.api.parallel.ResourceAccessMode;

/**
 * Gives a test class or method an AWS session: a cached {@code BotoSesManager} and its clients injected as
 * parameters, the session's AWS variables in the environment and {@code aws.*} system properties (restored exactly afterwards, also
 * when something fails), optionally a snapshot file per test, and optionally every client sent to an emulator, each
 * test class in an AWS account of its own there.
 *
 * <pre>{@code
 * @WithAwsSession(profile = "dev", region = "us-east-1")
 * class BucketIT {
 *     @Test void lists(BotoSesManager bsm) { bsm.client(S3Client.class).listBuckets(); }
 *     @Test void listsToo(S3Client s3) { s3.listBuckets(); }   // the same client: bsm.client(S3Client.class)
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
 * <p><b>Scope.</b> A session declared on a class (or inherited by it) is active from the class's first callback to
 * its last: constructors ({@code PER_CLASS} too), field initialisers, static initialisers that run then,
 * {@code @BeforeAll}, the tests, {@code @AfterAll}, and other extensions' callbacks in between (a framework's test
 * context), including the clients all of them build themselves with the SDK's default chains. A session declared on
 * a test method is active for that test only; then the class's session is back. A {@code @Nested} class has a scope
 * of its own, inside its enclosing class's.
 *
 * <p><b>Isolation.</b> Emulator sessions put each test class in an AWS account of its own on the shared emulator
 * (see {@link Isolation}, {@link #isolation()}); clients that the code under test builds itself land in the same
 * account as the injected manager, on the test's thread and on threads it starts.
 *
 * <p><b>Guard.</b> While a scope runs on emulators only, an SDK request of the JVM to any other endpoint fails
 * before it leaves the JVM, with an {@link EmulatorGuardException}; see {@link #guard()}.
 *
 * <p><b>Several sessions.</b> The first declared session with {@code env = true} sets the environment. The others
 * must not depend on it: each needs a {@code profile} or an emulator, and if the environment session is an
 * emulator, they must be emulators too; otherwise the test fails with an {@code ExtensionConfigurationException}.
 *
 * <p><b>Injection.</b> A {@code BotoSesManager} parameter gets the session named by its {@link AwsSession}, or
 * the only (or unnamed) session when it has none; a parameter of an SDK client or presigner type
 * ({@code S3Client}, {@code SqsAsyncClient}, {@code S3Presigner}, ...) gets that session's manager's
 * {@code client(type)}, the same instance, which the manager closes (do not close it yourself). Test methods,
 * lifecycle methods and constructors take both; a constructor gets the class's sessions, since a test method's own
 * open after its instance is made. Any other type is left to JUnit's other resolvers. Managers are created on first use and cached by their
 * configuration and account: without isolation, classes with equal settings share one manager for the whole run, so
 * one AssumeRole and one GetCallerIdentity per configuration per run; an isolated class has managers of its own,
 * closed after it.
 *
 * <p><b>Environment and parallel execution.</b> With {@link #env()} (the default) the session's variables are set
 * for its scope. Emulator sessions ({@code localstack = true}) without an explicit {@code region},
 * {@code endpoint} or {@code snapshot} all set the same variables (the emulator's endpoint, region and keys): bsm
 * sets them when the first such class starts and restores them when the last one running ends, and these classes
 * run in parallel, holding read locks on JUnit Pioneer's {@code java.lang.System.environment} and on the system
 * properties. Sessions that change the environment for their own scope (real AWS, an explicit region or endpoint,
 * {@code snapshot = true}, a session declared on a method) hold those locks for writing and run alone;
 * {@code env = false} sessions hold neither. Changing the environment needs the JVM flags {@code --add-opens
 * java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(WithAwsSession.List.class)
@ExtendWith(AwsSessionExtension.class)
// value is required up to JUnit 5.11, whose @ResourceLock has no providers (ignored there); see BsmResourceLocks.
@ResourceLock(value = SessionLocks.SESSIONS, mode = ResourceAccessMode.READ, providers = BsmResourceLocks.class)
public @interface WithAwsSession {

    /** {@return the session's name, for {@link AwsSession}; empty for the unnamed session} */
    String name() default "";

    /**
     * {@return a profile of the AWS config files (configuration parameter {@code bsm.profile}); with an
     * {@link #endpoint()} or {@code bsm.endpoint}, every call goes there with the profile's credentials, the STS
     * calls of its {@code role_arn} included}
     */
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

    /**
     * {@return an emulator endpoint such as {@code http://localhost:4566} ({@code bsm.endpoint}); implies localstack,
     * except beside a {@link #profile()}: then it is where that profile session's every call goes}
     */
    String endpoint() default "";

    /**
     * {@return whether to write an owner-only snapshot file before each test, removed after it, injectable as
     * {@code @SnapshotFile Path} and exported as {@code BSM_SNAPSHOT_FILE} ({@code bsm.snapshot})}
     */
    boolean snapshot() default false;

    /** {@return false to leave the environment and system properties alone ({@code bsm.env=false} for all)} */
    boolean env() default true;

    /**
     * {@return the isolation of an emulator session ({@code bsm.isolation}); {@link Isolation#DEFAULT}: the
     * parameter, else {@link Isolation#CLASS}, an account per test class. Sessions on real AWS ignore it}
     */
    Isolation isolation() default Isolation.DEFAULT;

    /**
     * {@return false to let this session's scope send SDK requests to endpoints other than its emulator
     * ({@code bsm.guard=false} for all)} By default, while a scope whose sessions are all emulator sessions runs,
     * any SDK request to another endpoint ({@code *.amazonaws.com}, from a client built with a region and no
     * endpoint, say) fails before it leaves the JVM with an {@link EmulatorGuardException} naming the service,
     * the endpoint and this switch. {@code false} on any session of a scope turns its guard off. Sessions on real
     * AWS are never guarded.
     */
    boolean guard() default true;

    /** Holds several {@link WithAwsSession}s; written by the compiler when the annotation repeats. */
    @Documented
    @Inherited
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ExtendWith(AwsSessionExtension.class)
    @ResourceLock(value = SessionLocks.SESSIONS, mode = ResourceAccessMode.READ,
            providers = BsmResourceLocks.class)
    @interface List {
        /** {@return the sessions} */
        WithAwsSession[] value();
    }
}
