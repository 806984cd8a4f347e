package dev.bsm.junit5;

import dev.bsm.core.BotoSesManager;
import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link WithAwsSession}: opens the test's sessions before each test (managers from the
 * run-wide cache, snapshot files, environment), injects them, and restores everything after the test.
 */
final class AwsSessionExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    /** JUnit Pioneer's lock for the process environment, so both can run in parallel safely. */
    static final String ENVIRONMENT_LOCK = "java.lang.System.environment";

    private static final Namespace NAMESPACE = Namespace.create(AwsSessionExtension.class);
    private static final String SESSION = "session";

    @Override
    public void beforeEach(ExtensionContext context) {
        Map<String, SessionSpec> specs = SessionSpecs.of(context);
        // Check every parameter before changing anything: bad configuration fails the test with nothing to undo.
        context.getTestMethod().ifPresent(method -> checkParameters(context, method, specs));
        // Stored before anything else can fail, so JUnit closes it even if a later extension breaks.
        context.getStore(NAMESPACE).put(SESSION, SessionScope.open(context, specs));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        SessionScope session = context.getStore(NAMESPACE).remove(SESSION, SessionScope.class);
        if (session != null) {
            session.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == BotoSesManager.class || type == Path.class && parameter.isAnnotated(SnapshotFile.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Map<String, SessionSpec> specs = SessionSpecs.of(context);
        String name;
        try {
            name = sessionName(context, parameter.getParameter(), specs);
        } catch (ExtensionConfigurationException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        Optional<SessionScope> session = Optional.ofNullable(context.getStore(NAMESPACE).get(SESSION, SessionScope.class));
        if (parameter.isAnnotated(SnapshotFile.class)) {
            if (!specs.get(name).snapshot()) {
                throw new ParameterResolutionException(snapshotMissing(context, parameter.getParameter(), specs.get(name)));
            }
            return session.flatMap(s -> s.snapshot(name)).orElseThrow(() -> new ParameterResolutionException(
                    "@SnapshotFile is available in test methods and @BeforeEach/@AfterEach methods only"));
        }
        // Constructors and @BeforeAll methods run outside a test: they get the cached manager, without environment.
        return session.flatMap(s -> s.manager(name)).orElseGet(() -> RunResources.manager(context, specs.get(name)));
    }

    private static void checkParameters(ExtensionContext context, Executable method, Map<String, SessionSpec> specs) {
        for (Parameter parameter : method.getParameters()) {
            boolean snapshotFile = parameter.isAnnotationPresent(SnapshotFile.class);
            if (parameter.getType() != BotoSesManager.class && !snapshotFile) {
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
