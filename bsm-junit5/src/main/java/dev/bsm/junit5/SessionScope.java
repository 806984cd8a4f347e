package dev.bsm.junit5;

import dev.bsm.core.AwsCliEnvironment;
import dev.bsm.core.AwsCliVariables;
import dev.bsm.core.BotoSesManager;
import dev.bsm.core.EnvironmentAccessException;
import dev.bsm.core.TempSnapshot;
import dev.bsm.testkit.Emulator;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The sessions open for one scope, a test class (from its first callback to its last) or a test method (from its
 * {@code beforeEach} to its {@code afterEach}): their managers, snapshot files, environment and thread binding,
 * and an undo stack of everything opening them changed, which {@link #close()} unwinds in reverse order whatever
 * the outcome.
 *
 * <p>What a scope does to the environment always matches the locks {@link SessionLocks} gave it: a scope that
 * only joins the {@link SharedEnvironment} holds read locks, a scope that sets its own environment holds write
 * locks. Where a configuration parameter (which the locks cannot see) asks for more than the locks give, and tests
 * run in parallel, the scope fails before changing anything.
 */
final class SessionScope extends StoredResource {
    private final String description;
    private final Map<String, SessionSpec> specs;
    private final Map<String, BotoSesManager> managers = new LinkedHashMap<>();
    private final Map<String, Path> snapshots = new LinkedHashMap<>();
    private final Deque<AutoCloseable> toUndo = new ArrayDeque<>();
    private SessionBinding binding;
    private boolean ownEnvironment;

    private SessionScope(String description, Map<String, SessionSpec> specs) {
        this.description = description;
        this.specs = specs;
    }

    /**
     * Opens the scope of a test class: called at its first callback (the construction of a {@code PER_CLASS}
     * instance, else {@code beforeAll}), on the thread that runs the class. Binds that thread until closed.
     */
    static SessionScope openClass(ExtensionContext context, Map<String, SessionSpec> specs) {
        SessionScope scope = new SessionScope("class " + context.getRequiredTestClass().getSimpleName(), specs);
        return open(scope, () -> scope.startClass(context));
    }

    /**
     * Opens the scope of a test method inside its class's scope (null when the class has no sessions of its own);
     * binds the test's thread until closed.
     *
     * @param pending a binding made for this test before its instance was constructed, or null: the test's thread
     *     goes back to what it had before that one
     */
    static SessionScope openMethod(ExtensionContext context, Map<String, SessionSpec> specs, SessionScope classScope,
            SessionBinding.Restore pending) {
        SessionScope scope = new SessionScope("test " + context.getRequiredTestMethod().getName(), specs);
        if (pending != null) {
            scope.toUndo.push(pending);
        }
        return open(scope, () -> scope.startMethod(context, classScope));
    }

    private static SessionScope open(SessionScope scope, Runnable start) {
        try {
            start.run();
            return scope;
        } catch (RuntimeException | Error e) {
            try {
                scope.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void startClass(ExtensionContext context) {
        Optional<SessionSpec> environmentSession = environmentSession();
        Optional<Boolean> byAnnotation = SessionLocks.classChangesEnvironment(context.getRequiredTestClass());
        // Per-test snapshots come from the annotation or from bsm.snapshot: either way this class sets its own.
        ownEnvironment = environmentSession.isPresent()
                && (byAnnotation.orElse(true) || environmentSession.get().snapshot());
        boolean granted = SessionLocks.providersSupported() && byAnnotation.orElse(false);
        if (ownEnvironment) {
            requireExclusive(context, environmentSession.get(), granted, false);
        }
        specs.forEach((name, spec) -> managers.put(name, RunResources.manager(context, spec, account(context, spec))));
        binding = binding(context, environmentSession);
        environmentSession.ifPresent(spec -> {
            if (ownEnvironment) {
                setEnvironment(context, spec, Optional.empty());
            } else {
                AwsCliVariables shared = RunResources.sharedVariables(context, spec);
                environment(context, spec, () -> SharedEnvironment.join(shared));
            }
        });
        toUndo.push(EmulatorGuard.open(binding.guard()));
        toUndo.push(SessionBinding.bind(binding));
    }

    private void startMethod(ExtensionContext context, SessionScope classScope) {
        Optional<SessionSpec> environmentSession = environmentSession();
        boolean declaredHere = environmentSession.filter(spec -> classScope == null
                || !spec.equals(classScope.specs.get(spec.name()))).isPresent();
        boolean perTest = environmentSession.filter(spec -> spec.isolation() == Isolation.TEST).isPresent();
        ownEnvironment = environmentSession.isPresent() && (declaredHere || environmentSession.get().snapshot()
                || perTest && classScope != null && classScope.ownEnvironment);
        boolean granted = SessionLocks.providersSupported()
                && (SessionLocks.methodChangesEnvironment(context.getRequiredTestClass(),
                        context.getRequiredTestMethod()).orElse(false)
                        || SessionLocks.classChangesEnvironment(context.getRequiredTestClass()).orElse(false));
        if (ownEnvironment) {
            requireExclusive(context, environmentSession.get(), granted, declaredHere);
        }
        specs.forEach((name, spec) -> {
            boolean fromClass = classScope != null && spec.equals(classScope.specs.get(name))
                    && spec.isolation() != Isolation.TEST;
            managers.put(name, fromClass ? classScope.managers.get(name)
                    : RunResources.manager(context, spec, account(context, spec)));
        });
        specs.forEach((name, spec) -> {
            if (spec.snapshot()) {
                snapshots.put(name, writeSnapshot(RunResources.snapshotDirectory(context), managers.get(name)));
            }
        });
        binding = classScope != null && !declaredHere && !perTest ? classScope.binding
                : binding(context, environmentSession);
        if (ownEnvironment) {
            setEnvironment(context, environmentSession.get(), Optional.ofNullable(snapshots.get(
                    environmentSession.get().name())));
        }
        toUndo.push(EmulatorGuard.open(binding.guard()));
        toUndo.push(SessionBinding.bind(binding));
    }

    /** The first declared session with {@code env = true}: the one that sets the environment. */
    private Optional<SessionSpec> environmentSession() {
        return specs.values().stream().filter(SessionSpec::env).findFirst();
    }

    private static Optional<Accounts.Account> account(ExtensionContext context, SessionSpec spec) {
        if (spec.isolation() == Isolation.NONE) {
            return Optional.empty();
        }
        return Optional.of(Accounts.of(context, spec.isolation(), RunResources.emulator(context, spec)));
    }

    /**
     * What the scope means for the clients the code under test builds: for an emulator environment session, its
     * account (isolated, no role) and the credentials to sign with (isolated or a role: the injected manager's, so
     * both act alike); for real AWS, {@code env = false} or no session, nothing but which emulator is in use.
     */
    private SessionBinding binding(ExtensionContext context, Optional<SessionSpec> environmentSession) {
        EmulatorGuard guard = EmulatorGuard.of(description, specs.values(),
                spec -> RunResources.emulator(context, spec).endpoint());
        if (environmentSession.isEmpty() || !environmentSession.get().emulator()) {
            Optional<SessionSpec> emulatorSession = specs.values().stream().filter(SessionSpec::emulator).findFirst();
            return new SessionBinding(Optional.empty(), null,
                    emulatorSession.map(spec -> RunResources.emulator(context, spec).endpoint()), description, guard);
        }
        SessionSpec spec = environmentSession.get();
        Emulator emulator = RunResources.emulator(context, spec);
        boolean isolated = spec.isolation() != Isolation.NONE;
        if (!isolated && spec.assumeRole().isEmpty()) {
            // The shared environment's keys are this session's: nothing to change.
            return new SessionBinding(Optional.empty(), null, Optional.of(emulator.endpoint()), description, guard);
        }
        Optional<String> account = isolated && spec.assumeRole().isEmpty()
                ? Optional.of(account(context, spec).orElseThrow().id()) : Optional.empty();
        // The account's keys are known; a role's credentials only its manager has (reached through a client).
        return new SessionBinding(account, account.isPresent()
                ? RunResources.isolatedCredentials(emulator, account.get())
                : managers.get(spec.name()).client(StsClient.class).serviceClientConfiguration().credentialsProvider(),
                Optional.of(emulator.endpoint()), description, guard);
    }

    /**
     * Fails before anything changes when this scope must set the environment for itself but JUnit did not give it
     * the write locks for that, and other tests may run meanwhile.
     */
    private static void requireExclusive(ExtensionContext context, SessionSpec spec, boolean granted,
            boolean declaredOnMethod) {
        if (granted || !SessionLocks.parallel(context)) {
            return;
        }
        String why = SessionSpecs.testName(context) + ": " + spec.label() + " sets the environment for its own"
                + " scope (" + reason(context, spec, declaredOnMethod) + "), which needs JUnit's write locks on the"
                + " environment and the system properties while tests run in parallel"
                + " (junit.jupiter.execution.parallel.enabled=true);";
        if (!SessionLocks.providersSupported()) {
            throw new ExtensionConfigurationException(why + " JUnit before 5.12 has only static locks, so bsm cannot"
                    + " ask for them. Upgrade JUnit to 5.12 or later, or turn off parallel execution"
                    + " (junit.jupiter.execution.parallel.enabled=false).");
        }
        throw new ExtensionConfigurationException(why + " JUnit decides locks from annotations before the run, so"
                + " they cannot follow the configuration parameter " + WithAwsSessionParameters.SNAPSHOT + ". Set"
                + " snapshot = true on the annotation instead, or turn off parallel execution"
                + " (junit.jupiter.execution.parallel.enabled=false).");
    }

    /** Why a scope sets its own environment, from what its annotation says. */
    private static String reason(ExtensionContext context, SessionSpec spec, boolean declaredOnMethod) {
        if (declaredOnMethod) {
            return "a session declared on the test method";
        }
        WithAwsSession annotation = SessionSpecs.declared(Optional.empty(), context.getRequiredTestClass())
                .get(spec.name());
        if (annotation == null || spec.snapshot() && !annotation.snapshot()) {
            return "BSM_SNAPSHOT_FILE names a snapshot file per test, from the configuration parameter "
                    + WithAwsSessionParameters.SNAPSHOT;
        }
        if (annotation.snapshot()) {
            return "BSM_SNAPSHOT_FILE names a snapshot file per test";
        }
        if (!annotation.endpoint().isEmpty()) {
            return "an endpoint of its own";
        }
        if (!annotation.region().isEmpty()) {
            return "a region of its own";
        }
        return spec.emulator() ? "an emulator session without localstack = true on the annotation"
                : "a session on real AWS";
    }

    /** Sets this scope's own environment: the session's variables, with only its own snapshot file (or none). */
    private void setEnvironment(ExtensionContext context, SessionSpec spec, Optional<Path> snapshot) {
        AwsCliVariables variables = managers.get(spec.name()).awscliVariables()
                // Only this session's snapshot; none removes one inherited from a parent process, which would name
                // another session than the AWS_* variables do.
                .with(BotoSesManager.SNAPSHOT_FILE_VARIABLE, snapshot.map(Path::toString));
        environment(context, spec, () -> AwsCliEnvironment.open(variables));
    }

    private void environment(ExtensionContext context, SessionSpec spec, EnvironmentChange change) {
        try {
            toUndo.push(change.apply());
        } catch (EnvironmentAccessException e) {
            throw new ExtensionConfigurationException(SessionSpecs.testName(context) + ": " + spec.label()
                    + " sets the AWS environment for its scope, but " + e.getMessage()
                    + " Or set env = false on the annotation (or the configuration parameter " + WithAwsSessionParameters.ENV + "=false)"
                    + " to leave the environment alone.", e);
        }
    }

    /** A change of the environment, undone by closing what it returns. */
    private interface EnvironmentChange {
        AutoCloseable apply();
    }

    /**
     * An owner-only snapshot with a name of its own in the run's owner-only directory, so parallel tests never
     * share a path. (A directory per test cost 190 microseconds a test: bsm-bench's SessionPartsBenchmark.)
     */
    private Path writeSnapshot(Path directory, BotoSesManager manager) {
        TempSnapshot snapshot = manager.tempSnapshot(directory.resolve("session-" + UUID.randomUUID() + ".json"));
        toUndo.push(snapshot);
        return snapshot.path();
    }

    Optional<BotoSesManager> manager(String name) {
        return Optional.ofNullable(managers.get(name));
    }

    Optional<Path> snapshot(String name) {
        return Optional.ofNullable(snapshots.get(name));
    }

    /** {@return what this scope binds its threads to} */
    SessionBinding binding() {
        return binding;
    }

    @Override
    void release() {
        RuntimeException failure = null;
        while (!toUndo.isEmpty()) {
            try {
                toUndo.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Restoring after the " + description + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
