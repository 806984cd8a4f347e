package dev.bsm.junit5;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * What the session of the scope running on a thread means for SDK clients that bsm did not build (the ones the code
 * under test builds itself with the default chains), as {@link SessionInterceptor} applies it to each of their
 * requests. Immutable. The current one is held per thread and inherited by threads that the test starts (an
 * {@link InheritableThreadLocal}); the workers of shared pools (JUnit's, the common ForkJoinPool) do not inherit
 * it: bsm binds JUnit's explicitly, and the common pool belongs to no class. The SDK's threads that complete async
 * calls are bound by {@link SessionInterceptor} as the call's caller, each time they complete one.
 *
 * <p>The per-class identity lives here, not in the environment: the environment is shared by every class that
 * runs at the same time, a thread is not.
 *
 * @param account the account to put requests in (the header {@code x-moto-account-id}), empty to leave them in
 *     whatever account their credentials name
 * @param credentials the credentials to sign requests with instead of the client's own, or null to keep the
 *     client's: for LocalStack-kind emulators an access key id equal to the account, for a role its credentials
 * @param emulator the emulator the scope's clients go to, empty for a session on real AWS or none
 * @param description what the scope is, for messages, e.g. {@code class ReportTests}
 * @param guard where the scope's requests may go ({@link EmulatorGuard})
 */
record SessionBinding(Optional<String> account, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
        Optional<URI> emulator, String description, EmulatorGuard guard) {

    /** A binding whose requests are not guarded (a manager's, whose clients the guard leaves alone). */
    SessionBinding(Optional<String> account, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
            Optional<URI> emulator, String description) {
        this(account, credentials, emulator, description, EmulatorGuard.OFF);
    }

    /** A scope that leaves clients alone: real AWS, {@code env = false}, or no session. */
    static SessionBinding none(String description) {
        return new SessionBinding(Optional.empty(), null, Optional.empty(), description);
    }

    private static final InheritableThreadLocal<SessionBinding> CURRENT = new InheritableThreadLocal<>() {
        /**
         * Threads of shared pools do not inherit: a ForkJoinPool's workers (JUnit's own, the common pool's, which
         * parallel streams and {@code CompletableFuture.*Async} without an executor use) and anything else JUnit's
         * engine starts run work of many classes, so a binding taken from whichever thread made them would put
         * another class's requests in the wrong account. bsm binds JUnit's threads around every callback. The
         * SDK's own threads (its Netty event loops, async completion and scheduler threads, made by its or Netty's
         * thread factories) are JVM-wide too: whichever class made the first async call would otherwise stay
         * bound on them for good; {@link SessionInterceptor} binds them per call where they run the caller's code.
         */
        @Override
        protected SessionBinding childValue(SessionBinding parentValue) {
            return sharedPoolThread() ? null : parentValue;
        }
    };

    /** Whether the thread being made is a ForkJoinPool worker, or started by JUnit's engine, the SDK or Netty. */
    private static boolean sharedPoolThread() {
        return StackWalker.getInstance().walk(frames -> {
            for (StackWalker.StackFrame frame : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                String name = frame.getClassName();
                if (name.equals("java.util.concurrent.ForkJoinPool") && frame.getMethodName().equals("createWorker")) {
                    return true;
                }
                if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")
                        && !name.startsWith(SessionBinding.class.getName())) {
                    return name.startsWith("org.junit.platform.") || name.startsWith("software.amazon.awssdk.")
                            || name.startsWith("io.netty.");
                }
            }
            return false;
        });
    }

    /** {@return the binding of the current thread, or null} */
    static SessionBinding current() {
        return CURRENT.get();
    }

    /**
     * Binds this thread; {@link Restore#close()} puts back exactly what was there before (null included).
     *
     * @param binding the binding, or null to unbind
     * @return what restores the previous binding; closing it on another thread does nothing
     */
    static Restore bind(SessionBinding binding) {
        Restore restore = new Restore(Thread.currentThread(), CURRENT.get());
        set(binding);
        return restore;
    }

    /**
     * Binds this thread for good, with nothing to restore: for the SDK's threads that complete async calls, which
     * belong to no scope and take the binding of each call they complete.
     *
     * @param binding the binding, or null to unbind
     */
    static void adopt(SessionBinding binding) {
        set(binding);
    }

    private static void set(SessionBinding binding) {
        if (binding == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(binding);
        }
    }

    /** The binding a thread had before {@link #bind}, put back by {@link #close()}, once. */
    static final class Restore implements AutoCloseable {
        private final Thread thread;
        private final SessionBinding previous;
        private boolean closed;

        private Restore(Thread thread, SessionBinding previous) {
            this.thread = thread;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed && Thread.currentThread() == thread) {
                closed = true;
                set(previous);
            }
        }
    }
}
