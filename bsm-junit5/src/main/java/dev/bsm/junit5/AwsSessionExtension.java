package dev.bsm.junit5;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.internal.ClientTypes;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.jupiter.api.extension.TestInstancePreDestroyCallback;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The extension behind {@link WithAwsSession}.
 *
 * <p><b>Class scope.</b> The sessions that apply to a test class open at its first callback
 * ({@link #preConstructTestInstance} of a {@code PER_CLASS} instance, else {@link #beforeAll}), on the thread that
 * runs the class, and are stored in the class's context: JUnit closes them after the class's last callback (after
 * {@code @AfterAll} and every extension's {@code afterAll}), also when a callback failed. Opening binds that thread
 * to the class's {@link SessionBinding}; closing restores exactly what it had.
 *
 * <p><b>Method scope.</b> {@link #beforeEach} opens the test's scope (its own sessions, accounts or snapshot files
 * where it has them, else the class's) and binds the test's thread, {@link #afterEach} closes it. A
 * {@code PER_METHOD} instance is constructed on the test's thread before that: {@link #preConstructTestInstance}
 * binds it to the class's session first, so other extensions' {@code postProcessTestInstance} (where a framework
 * builds its context) see it.
 *
 * <p><b>Every invocation.</b> As an {@link InvocationInterceptor}, constructors, lifecycle methods, tests, test
 * templates, factories and dynamic tests run bound to their scope on whatever thread JUnit runs them.
 *
 * <p><b>Order.</b> JUnit runs "before" callbacks in the order extensions are registered and "after" callbacks in
 * reverse. Put {@code @WithAwsSession} before other extensions' annotations, so their {@code beforeAll} and
 * {@code beforeEach} run inside its session; whatever the order, the class's session is there for their
 * {@code postProcessTestInstance} and their {@code afterAll} (it closes with the class's context).
 */
final class AwsSessionExtension implements TestInstancePreConstructCallback, BeforeAllCallback, BeforeEachCallback,
        AfterEachCallback, TestInstancePreDestroyCallback, TestWatcher, ParameterResolver, InvocationInterceptor {

    private static final Namespace NAMESPACE = Namespace.create(AwsSessionExtension.class);
    private static final String CLASS_SCOPE = "class scope";
    private static final String METHOD_SCOPE = "method scope";

    /** The binding a test's thread got before its {@code PER_METHOD} instance was constructed, for its scope. */
    private static final ThreadLocal<SessionBinding.Restore> PENDING = new ThreadLocal<>();

    // ------------------------------------------------------------------------------------------------ class scope

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        Optional<SessionScope> scope = classScope(classContext);
        if (scope.isEmpty() || classContext.getTestInstanceLifecycle().orElse(null) != TestInstance.Lifecycle.PER_METHOD) {
            return; // PER_CLASS: the class's thread is bound since the scope opened, here
        }
        if (PENDING.get() != null) {
            if (factoryContext.getOuterInstance().isPresent()) {
                return; // the inner instance of a @Nested test: bound for its outer instance a moment ago
            }
            releasePending(); // left by a test whose instance was made but that never started
        }
        PENDING.set(SessionBinding.bind(scope.get().binding()));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        classScope(context);
    }

    /** The class's scope, opened on first use; empty when the class itself declares or inherits no session. */
    private static Optional<SessionScope> classScope(ExtensionContext classContext) {
        ExtensionContext.Store store = classContext.getStore(NAMESPACE);
        String key = classScopeKey(classContext);
        SessionScope open = store.get(key, SessionScope.class);
        if (open != null) {
            return Optional.of(open);
        }
        Map<String, SessionSpec> specs = SessionSpecs.of(classContext);
        if (specs.isEmpty()) {
            return Optional.empty();
        }
        SessionScope scope = SessionScope.openClass(classContext, specs);
        store.put(key, scope);
        return Optional.of(scope);
    }

    /**
     * The key of a class's scope in its context's store: one per class, since a store also shows what its
     * ancestors hold, and a {@code @Nested} class's context must not take its enclosing class's scope for its own.
     */
    private static String classScopeKey(ExtensionContext classContext) {
        return CLASS_SCOPE + " " + classContext.getUniqueId();
    }

    /** The scope of the class a context belongs to, where it has one. */
    private static SessionScope openClassScope(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return context.getStore(NAMESPACE).get(classScopeKey(classContext), SessionScope.class);
    }

    /** The context of the class a context belongs to (a method's, a test template invocation's, a dynamic test's). */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    // ------------------------------------------------------------------------------------------------ method scope

    @Override
    public void beforeEach(ExtensionContext context) {
        SessionBinding.Restore pending = PENDING.get();
        PENDING.remove();
        try {
            Map<String, SessionSpec> specs = SessionSpecs.of(context);
            // Check every parameter before changing anything: bad configuration fails the test with nothing to undo.
            context.getTestMethod().ifPresent(method -> checkParameters(context, method, specs));
            SessionScope classScope = openClassScope(context);
            // Stored before anything else can fail, so JUnit closes it even if a later extension breaks.
            context.getStore(NAMESPACE).put(METHOD_SCOPE, SessionScope.openMethod(context, specs, classScope, pending));
            pending = null;
        } finally {
            if (pending != null) {
                pending.close();
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        SessionScope scope = context.getStore(NAMESPACE).get(METHOD_SCOPE, SessionScope.class);
        if (scope != null) {
            scope.close(); // and again, doing nothing, when JUnit closes the test's context
        }
    }

    /** A test whose instance was made but that never got to {@code beforeEach} gives its thread back here... */
    @Override
    public void preDestroyTestInstance(ExtensionContext context) {
        releasePending();
    }

    /** ... or here, when it ended before its instance was complete (another extension's post-processing failed). */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        releasePending();
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        releasePending();
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        releasePending();
    }

    private static void releasePending() {
        SessionBinding.Restore pending = PENDING.get();
        if (pending != null) {
            PENDING.remove();
            pending.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ invocations

    @Override
    public <T> T interceptTestClassConstructor(Invocation<T> invocation,
            ReflectiveInvocationContext<Constructor<T>> invocationContext, ExtensionContext context) throws Throwable {
        try {
            return bound(invocation, context);
        } catch (Throwable e) {
            releasePending(); // no test will start on this instance
            throw e;
        }
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bound(invocation, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bound(invocation, context);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        bound(invocation, context);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        return bound(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bound(invocation, context);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
            ExtensionContext context) throws Throwable {
        bound(invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bound(invocation, context);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bound(invocation, context);
    }

    /** Runs an invocation bound to the nearest open scope of its context, restoring the thread's binding after. */
    private static <T> T bound(Invocation<T> invocation, ExtensionContext context) throws Throwable {
        Optional<SessionScope> scope = scope(context);
        if (scope.isEmpty()) {
            return invocation.proceed();
        }
        SessionBinding.Restore restore = SessionBinding.bind(scope.get().binding());
        try {
            return invocation.proceed();
        } finally {
            restore.close();
        }
    }

    /** The method's scope where one is open, else the class's (a nested class's own, else its enclosing one's). */
    private static Optional<SessionScope> scope(ExtensionContext context) {
        SessionScope method = context.getStore(NAMESPACE).get(METHOD_SCOPE, SessionScope.class);
        if (method != null && !method.isClosed()) {
            return Optional.of(method);
        }
        return Optional.ofNullable(openClassScope(context)).filter(scope -> !scope.isClosed());
    }

    // ------------------------------------------------------------------------------------------------ parameters

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return fromManager(type) || type == Path.class && parameter.isAnnotated(SnapshotFile.class);
    }

    /**
     * A manager or a client type: the session's, by name. Any other type is left to JUnit and other resolvers, so
     * a {@code String} or an interface of one's own gets JUnit's "No ParameterResolver registered".
     */
    private static boolean fromManager(Class<?> type) {
        return type == BotoSesManager.class || ClientTypes.isClientType(type);
    }

    /**
     * A session's manager, a client of it ({@code S3Client}, {@code S3AsyncClient}, {@code S3Presigner}, ...: the
     * very instance {@code bsm.client(type)} returns, so tests and the manager share one), or its snapshot file.
     */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // A constructor takes the class's sessions only, whichever context JUnit passes (the class's by default, the
        // test's with junit.jupiter.extensions.testinstantiation.extensioncontextscope.default=test_method): a
        // test's own sessions open after its instance is made, so the constructor would get another account.
        ExtensionContext owner = parameter.getDeclaringExecutable() instanceof Constructor ? classContext(context)
                : context;
        Map<String, SessionSpec> specs = SessionSpecs.of(owner);
        String name;
        try {
            name = sessionName(owner, parameter.getParameter(), specs);
        } catch (ExtensionConfigurationException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        Optional<SessionScope> scope = scope(owner);
        if (parameter.isAnnotated(SnapshotFile.class)) {
            if (!specs.get(name).snapshot()) {
                throw new ParameterResolutionException(snapshotMissing(context, parameter.getParameter(), specs.get(name)));
            }
            return scope.flatMap(s -> s.snapshot(name)).orElseThrow(() -> new ParameterResolutionException(
                    "@SnapshotFile is available in test methods and @BeforeEach/@AfterEach methods only"));
        }
        // Every parameter JUnit resolves falls in an open scope; should one not, it gets the run's manager.
        BotoSesManager manager = scope.flatMap(s -> s.manager(name))
                .orElseGet(() -> RunResources.manager(owner, specs.get(name)));
        Class<?> type = parameter.getParameter().getType();
        return type == BotoSesManager.class ? manager : manager.client(type);
    }

    private static void checkParameters(ExtensionContext context, Executable method, Map<String, SessionSpec> specs) {
        for (Parameter parameter : method.getParameters()) {
            boolean snapshotFile = parameter.isAnnotationPresent(SnapshotFile.class);
            if (!fromManager(parameter.getType()) && !snapshotFile) {
                continue;
            }
            String name = sessionName(context, parameter, specs);
            if (snapshotFile && !specs.get(name).snapshot()) {
                throw new ExtensionConfigurationException(snapshotMissing(context, parameter, specs.get(name)));
            }
        }
    }

    private static String snapshotMissing(ExtensionContext context, Parameter parameter, SessionSpec spec) {
        return SessionSpecs.testName(context) + ": parameter '" + parameter.getName() + "' is @SnapshotFile but "
                + spec.label() + " has no snapshot; set attribute 'snapshot = true'";
    }

    /** {@code [a, b]}, with the session of no name said in words: {@code []} would read as "no session". */
    private static String describeNames(Set<String> names) {
        Set<String> named = new LinkedHashSet<>(names);
        boolean unnamed = named.remove("");
        if (!unnamed) {
            return named.toString();
        }
        return "the unnamed session" + (named.isEmpty() ? "" : " and " + named);
    }

    /** The session a parameter asks for: by {@link AwsSession} or {@link SnapshotFile} name, else the default. */
    private static String sessionName(ExtensionContext context, Parameter parameter, Map<String, SessionSpec> specs) {
        Optional<String> asked = Optional.ofNullable(parameter.getAnnotation(AwsSession.class)).map(AwsSession::value)
                .or(() -> Optional.ofNullable(parameter.getAnnotation(SnapshotFile.class)).map(SnapshotFile::value)
                        .filter(value -> !value.isEmpty()));
        if (specs.isEmpty() && parameter.getDeclaringExecutable() instanceof Constructor) {
            throw new ExtensionConfigurationException(SessionSpecs.testName(context) + ": constructor parameter '"
                    + parameter.getName() + "' needs a @WithAwsSession on the class or an enclosing class; a session"
                    + " declared on a test method opens after the test instance is constructed");
        }
        if (specs.isEmpty()) {
            throw new ExtensionConfigurationException(SessionSpecs.testName(context) + ": parameter '"
                    + parameter.getName() + "' needs a @WithAwsSession on the test, its class or an enclosing class");
        }
        if (asked.isPresent()) {
            if (!specs.containsKey(asked.get())) {
                throw new ExtensionConfigurationException(SessionSpecs.testName(context) + ": parameter '"
                        + parameter.getName() + "' asks for session \"" + asked.get() + "\" but the test has only "
                        + describeNames(specs.keySet())
                        + "; fix the name in @AwsSession / @SnapshotFile or attribute 'name'");
            }
            return asked.get();
        }
        if (specs.containsKey("")) {
            return "";
        }
        if (specs.size() == 1) {
            return specs.keySet().iterator().next();
        }
        throw new ExtensionConfigurationException(SessionSpecs.testName(context) + ": parameter '"
                + parameter.getName() + "' could be any of the sessions " + specs.keySet()
                + "; pick one with @AwsSession(\"name\")");
    }
}
