package dev.bsm.junit5;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.auth.signer.AwsSignerExecutionAttribute;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Puts the SDK requests of a test into its scope's account. Not for direct use: bsm-junit5 registers it for every
 * SDK client of the JVM through the SDK's classpath file
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}, and adds it to the clients of the managers
 * it builds for an account.
 *
 * <p>For a client that bsm did not build (one the code under test builds itself), the {@link SessionBinding} of
 * the calling thread is read once, in {@code beforeExecution} (the thread that makes the call; the SDK's own
 * threads, which run async responses and retries, carry no reliable binding), and kept with the request. Then
 * {@code modifyRequest} signs the request with the binding's credentials (for LocalStack-kind emulators an access
 * key id that is the account) unless the request carries credentials of its own, and {@code modifyHttpRequest}
 * adds the header {@code x-moto-account-id} (moto's), before signing, except to presigned requests, whose URLs
 * must stay usable without extra headers. Without a binding, every hook returns at once, except that
 * {@code afterExecution} and {@code modifyException} note S3's CreateBucket and DeleteBucket for
 * {@link BucketCleanup} (an isolated account's buckets are deleted when its class ends), and {@code modifyException}
 * explains a bucket name held by another account ({@link BucketNameHint}).
 *
 * <p>What the caller chains on an async call ({@code thenCompose}, {@code handle}, ...) runs on the thread that
 * completes the call, one of the SDK's: the SDK makes those from its JVM-wide Netty threads, so what they inherited
 * is the binding of whichever scope first made an async call, not the caller's. {@code afterExecution} and
 * {@code onExecutionFailure}, which run on that thread just before it completes the caller's future, bind it as
 * the caller was bound (none included), so calls chained there land where the caller's call did. On the caller's
 * own thread (every sync call) they change nothing.
 *
 * <p>The clients of bsm's own managers carry their account themselves ({@link #MANAGED}): this class's global
 * instance leaves them alone, and their own instance adds their account's header.
 *
 * <p>This is the one place bsm-junit5 looks at every SDK request of the JVM (bsm-testkit's {@code MotoQuirks}
 * adapts requests to moto's wire formats); checks on requests (where they go) and on
 * failures (S3 bucket names taken by another class) belong in these hooks, reading the same binding:
 * {@code beforeTransmission} asks {@link EmulatorGuard} whether the request may leave the JVM.
 */
public final class SessionInterceptor implements ExecutionInterceptor {
    /** moto's header for the account of a request. */
    static final String ACCOUNT_HEADER = "x-moto-account-id";

    /** Set on the clients of bsm's managers (client execution attribute): they carry their account themselves. */
    static final ExecutionAttribute<Boolean> MANAGED = new ExecutionAttribute<>("dev.bsm.junit5.managed");

    /**
     * Set beside {@link #MANAGED} on the clients of bsm's emulator managers: the emulator they are pointed at.
     * Their requests go there, unless the caller sends one elsewhere (a request-level plugin may set an endpoint
     * of its own); such a request is checked as any other client's.
     */
    static final ExecutionAttribute<URI> MANAGED_EMULATOR = new ExecutionAttribute<>("dev.bsm.junit5.managedEmulator");

    /** The binding of one execution, read once on the calling thread. */
    private static final ExecutionAttribute<SessionBinding> BINDING = new ExecutionAttribute<>("dev.bsm.junit5.binding");

    /** The thread that made one execution and its binding then, for the thread that completes it. */
    private static final ExecutionAttribute<Caller> CALLER = new ExecutionAttribute<>("dev.bsm.junit5.caller");

    private record Caller(Thread thread, SessionBinding binding) {
    }

    private final SessionBinding fixed;
    private final boolean assumeRoleOnly;

    /** The global instance, made by the SDK for each client it builds: reads the calling thread's binding. */
    public SessionInterceptor() {
        this(null, false);
    }

    private SessionInterceptor(SessionBinding fixed, boolean assumeRoleOnly) {
        this.fixed = fixed;
        this.assumeRoleOnly = assumeRoleOnly;
    }

    /**
     * The instance of a manager's clients, with the manager's account.
     *
     * @param assumeRoleOnly true for the manager a role is assumed from: only its AssumeRole calls go from the
     *     account; the role's own requests (which inherit this interceptor) go where the role's credentials say
     */
    static SessionInterceptor forManager(SessionBinding binding, boolean assumeRoleOnly) {
        return new SessionInterceptor(binding, assumeRoleOnly);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SessionBinding binding;
        if (fixed != null) {
            if (assumeRoleOnly && !"AssumeRole".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                return;
            }
            binding = fixed;
        } else {
            attributes.putAttribute(CALLER, new Caller(Thread.currentThread(), SessionBinding.current()));
            if (attributes.getAttribute(MANAGED) != null) {
                return; // a client of bsm's: its own instance does the work
            }
            binding = SessionBinding.current();
        }
        if (binding != null) {
            attributes.putAttribute(BINDING, binding); // also where it changes nothing: checks read it too
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SessionBinding binding = bindingOf(attributes);
        SdkRequest request = context.request();
        if (binding == null || binding.credentials() == null || !(request instanceof AwsRequest awsRequest)) {
            return request;
        }
        if (awsRequest.overrideConfiguration().flatMap(AwsRequestOverrideConfiguration::credentialsIdentityProvider)
                .isPresent()) {
            return request; // credentials chosen for this very request win
        }
        AwsRequestOverrideConfiguration configuration = awsRequest.overrideConfiguration()
                .map(AwsRequestOverrideConfiguration::toBuilder)
                .orElseGet(AwsRequestOverrideConfiguration::builder)
                .credentialsProvider(binding.credentials())
                .build();
        return awsRequest.toBuilder().overrideConfiguration(configuration).build();
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SessionBinding binding = bindingOf(attributes);
        if (binding == null || binding.account().isEmpty() || presigned(attributes)) {
            return context.httpRequest();
        }
        return context.httpRequest().toBuilder().putHeader(ACCOUNT_HEADER, binding.account().get()).build();
    }

    /**
     * {@link EmulatorGuard}: here the host is final and nothing has left the JVM. Presigners never get here. The
     * clients of bsm's emulator managers pass to their own emulator; a request of theirs that the caller sent
     * elsewhere is checked as the caller's (its thread's binding). Those of bsm's real-AWS managers are not
     * checked: they go where their session says.
     */
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (fixed != null) {
            return; // the global instance checks, once
        }
        SdkHttpRequest request = context.httpRequest();
        if (attributes.getAttribute(MANAGED) == null) {
            EmulatorGuard.check(attributes.getAttribute(BINDING), request, attributes);
            return;
        }
        URI emulator = attributes.getAttribute(MANAGED_EMULATOR);
        if (emulator != null && !EmulatorHosts.isEmulator(emulator, request.host(), request.port())) {
            Caller caller = attributes.getAttribute(CALLER);
            EmulatorGuard.check(caller == null ? null : caller.binding(), request, attributes);
        }
    }

    /**
     * A streaming async response is read on the SDK's Netty threads: its subscriber is called as the caller was
     * bound ({@link BoundPublisher}).
     */
    @Override
    public Optional<Publisher<ByteBuffer>> modifyAsyncHttpResponseContent(Context.ModifyHttpResponse context,
            ExecutionAttributes attributes) {
        Optional<Publisher<ByteBuffer>> body = context.responsePublisher();
        Caller caller = fixed == null ? attributes.getAttribute(CALLER) : null; // the global instance does it, once
        return caller == null ? body : body.map(publisher -> new BoundPublisher(publisher, caller.binding()));
    }

    /** Notes CreateBucket and DeleteBucket for {@link BucketCleanup}. */
    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        BucketCleanup.note(bindingOf(attributes), context.request(), attributes, true);
        bindCompletingThread(attributes);
    }

    /** Notes a failed CreateBucket (it may have made the bucket all the same) and explains a name held elsewhere. */
    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        SessionBinding binding = bindingOf(attributes);
        BucketCleanup.note(binding, context.request(), attributes, false);
        return BucketNameHint.apply(binding, context, attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        bindCompletingThread(attributes);
    }

    /** Binds a thread that completes another thread's call as that caller was bound; see the class comment. */
    private void bindCompletingThread(ExecutionAttributes attributes) {
        Caller caller = fixed == null ? attributes.getAttribute(CALLER) : null; // the global instance does it, once
        if (caller != null && caller.thread() != Thread.currentThread()) {
            SessionBinding.adopt(caller.binding());
        }
    }

    /** The binding this instance acts on: each request is handled by the global instance or by a manager's. */
    private SessionBinding bindingOf(ExecutionAttributes attributes) {
        if (fixed == null && attributes.getAttribute(MANAGED) != null) {
            return null;
        }
        return attributes.getAttribute(BINDING);
    }

    @SuppressWarnings("deprecation") // the SDK's only mark of a presigned request
    private static boolean presigned(ExecutionAttributes attributes) {
        return attributes.getAttribute(AwsSignerExecutionAttribute.PRESIGNER_EXPIRATION) != null;
    }
}
