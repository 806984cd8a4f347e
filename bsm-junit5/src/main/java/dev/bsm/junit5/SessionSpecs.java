package dev.bsm.junit5;

import static dev.bsm.junit5.WithAwsSessionParameters.ASSUME_ROLE;
import static dev.bsm.junit5.WithAwsSessionParameters.AUTO_REFRESH;
import static dev.bsm.junit5.WithAwsSessionParameters.DURATION_SECONDS;
import static dev.bsm.junit5.WithAwsSessionParameters.ENDPOINT;
import static dev.bsm.junit5.WithAwsSessionParameters.ENV;
import static dev.bsm.junit5.WithAwsSessionParameters.EXTERNAL_ID;
import static dev.bsm.junit5.WithAwsSessionParameters.GUARD;
import static dev.bsm.junit5.WithAwsSessionParameters.LOCALSTACK;
import static dev.bsm.junit5.WithAwsSessionParameters.PROFILE;
import static dev.bsm.junit5.WithAwsSessionParameters.REGION;
import static dev.bsm.junit5.WithAwsSessionParameters.ROLE_SESSION_NAME;
import static dev.bsm.junit5.WithAwsSessionParameters.SNAPSHOT;

import dev.bsm.core.AssumeRoleOptions;
import dev.bsm.core.BotoSesManager;
import dev.bsm.core.InvalidConfigurationException;
import dev.bsm.core.internal.Checks;
import dev.bsm.testkit.ExternalEndpoint;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Finds the {@link WithAwsSession}s that apply to a test (nearest declaration of each name wins), fills defaults
 * from configuration parameters and checks them, failing with an {@link ExtensionConfigurationException} that
 * names the test and the attribute.
 */
final class SessionSpecs {
    private SessionSpecs() {
    }

    /** @return the sessions of the test, by name, in declaration order (nearest first) */
    static Map<String, SessionSpec> of(ExtensionContext context) {
        WithAwsSessionParameters.check(context);
        Map<String, SessionSpec> specs = new LinkedHashMap<>();
        for (AnnotatedElement element : levels(context.getTestMethod(), context.getTestClass())) {
            Set<String> declaredHere = new HashSet<>();
            for (WithAwsSession annotation : declaredOn(element)) {
                if (!declaredHere.add(annotation.name())) {
                    throw new ExtensionConfigurationException(testName(context) + ": @WithAwsSession(name = \""
                            + annotation.name() + "\") is declared twice on " + describe(element)
                            + " (directly or through a composed annotation); give each session its own name");
                }
                if (!specs.containsKey(annotation.name())) {
                    specs.put(annotation.name(), resolve(context, annotation, describe(element)));
                }
            }
        }
        checkSessionsDoNotLeakIntoEachOther(context, specs);
        return specs;
    }

    /**
     * The annotations that apply to a class or method, nearest declaration of each name, in the order of
     * {@link #of}, from annotations alone: what JUnit's resource locks are decided from, before any configuration
     * parameter can be read. Declaring a name twice on one element is left to {@link #of} to report.
     */
    static Map<String, WithAwsSession> declared(Optional<Method> method, Class<?> testClass) {
        Map<String, WithAwsSession> found = new LinkedHashMap<>();
        for (AnnotatedElement element : levels(method, Optional.of(testClass))) {
            for (WithAwsSession annotation : declaredOn(element)) {
                found.putIfAbsent(annotation.name(), annotation);
            }
        }
        return found;
    }

    /**
     * Nearest first: the test method; the test class, its superclasses, then their interfaces; then the same for
     * each enclosing class of a {@code @Nested} class.
     */
    private static List<AnnotatedElement> levels(Optional<Method> method, Optional<Class<?>> testClass) {
        List<AnnotatedElement> levels = new ArrayList<>();
        method.ifPresent(levels::add);
        Optional<Class<?>> type = testClass;
        while (type.isPresent()) {
            Class<?> current = type.get();
            List<Class<?>> interfaces = new ArrayList<>();
            for (Class<?> c = current; c != null && c != Object.class; c = c.getSuperclass()) {
                levels.add(c);
                interfaces.addAll(List.of(c.getInterfaces()));
            }
            for (int i = 0; i < interfaces.size(); i++) {
                if (!levels.contains(interfaces.get(i))) {
                    levels.add(interfaces.get(i));
                    interfaces.addAll(List.of(interfaces.get(i).getInterfaces()));
                }
            }
            type = current.getEnclosingClass() != null && !Modifier.isStatic(current.getModifiers())
                    ? Optional.of(current.getEnclosingClass()) : Optional.empty();
        }
        return levels;
    }

    /** The sessions declared on exactly this element: directly, repeated, or through composed annotations. */
    static List<WithAwsSession> declaredOn(AnnotatedElement element) {
        List<WithAwsSession> found = new ArrayList<>();
        for (java.lang.annotation.Annotation annotation : element.getDeclaredAnnotations()) {
            if (annotation instanceof WithAwsSession session) {
                found.add(session);
            } else if (annotation instanceof WithAwsSession.List list) {
                found.addAll(List.of(list.value()));
            } else if (!annotation.annotationType().getName().startsWith("java.lang.annotation")) {
                found.addAll(AnnotationSupport.findRepeatableAnnotations(annotation.annotationType(),
                        WithAwsSession.class));
            }
        }
        return found;
    }

    /**
     * Cached managers resolve region, endpoint and credentials from the SDK's chains, which read the variables
     * and properties that the environment session sets during the test. A second session that relied on those
     * chains would be captured by the first session's settings for the rest of the run, so such mixes are refused.
     */
    private static void checkSessionsDoNotLeakIntoEachOther(ExtensionContext context, Map<String, SessionSpec> specs) {
        Optional<SessionSpec> environment = specs.values().stream().filter(SessionSpec::env).findFirst();
        for (SessionSpec spec : specs.values()) {
            if (environment.isEmpty() || spec == environment.get()) {
                continue;
            }
            if (!spec.emulator() && spec.profile().isEmpty()) {
                throw new ExtensionConfigurationException(testName(context) + ": " + spec.label()
                        + " uses the default credentials chain while " + environment.get().label()
                        + " sets the environment, which that chain reads; give it attribute 'profile', or set"
                        + " env = false on the other session");
            }
            if (!spec.emulator() && environment.get().emulator()) {
                throw new ExtensionConfigurationException(testName(context) + ": " + spec.label()
                        + " talks to AWS while " + environment.get().label() + " points AWS_ENDPOINT_URL and"
                        + " aws.endpointUrl at an emulator, which its clients would follow; set env = false on the"
                        + " emulator session");
            }
        }
    }

    private static SessionSpec resolve(ExtensionContext context, WithAwsSession a, String declaredOn) {
        Check check = new Check(context, a, declaredOn);
        Optional<String> endpoint = Optional.of(a.endpoint()).filter(e -> !e.isEmpty());
        if (!a.profile().isEmpty() && a.localstack()) {
            check.fail("profile", "conflicts with localstack: an emulator session uses the emulator's credentials;"
                    + " drop one of them, or give the profile an endpoint instead of localstack");
        }
        // With a profile, an endpoint is where the profile session's calls go; without, it names an emulator.
        boolean emulatorAttribute = a.localstack() || endpoint.isPresent() && a.profile().isEmpty();
        // An attribute beats a configuration parameter: bsm.profile does not apply to an emulator session, and
        // bsm.localstack does not apply to a session with its own profile.
        Optional<String> profile = emulatorAttribute ? Optional.empty() : text(a.profile(), context, PROFILE);
        boolean emulator = emulatorAttribute || a.profile().isEmpty() && flag(false, context, LOCALSTACK);
        if (profile.isPresent() && emulator) {
            check.fail("profile", "(configuration parameter " + PROFILE + ") conflicts with the configuration"
                    + " parameter " + LOCALSTACK + "=true; drop one of them");
        }
        Optional<String> region = text(a.region(), context, REGION);
        Optional<String> assumeRole = text(a.assumeRole(), context, ASSUME_ROLE);
        Optional<String> roleSessionName = text(a.roleSessionName(), context, ROLE_SESSION_NAME);
        Optional<String> externalId = text(a.externalId(), context, EXTERNAL_ID);
        Optional<Integer> duration = a.durationSeconds() != 0 ? Optional.of(a.durationSeconds())
                : WithAwsSessionParameters.integer(context, DURATION_SECONDS);
        boolean autoRefresh = flag(a.autoRefresh(), context, AUTO_REFRESH);
        boolean snapshot = flag(a.snapshot(), context, SNAPSHOT);
        boolean env = a.env() && WithAwsSessionParameters.flag(context, ENV).orElse(true);
        // Like env: false on the annotation or the parameter turns it off. Real AWS is never guarded.
        boolean guard = emulator && a.guard() && WithAwsSessionParameters.flag(context, GUARD).orElse(true);
        // Real AWS has no accounts to hand out: profile sessions ignore isolation.
        Isolation isolation = !emulator ? Isolation.NONE : a.isolation() != Isolation.DEFAULT ? a.isolation()
                : WithAwsSessionParameters.isolation(context).orElse(Isolation.CLASS);

        // Core's checks, called: the extension accepts exactly what the manager accepts, and says it in core's words.
        region.ifPresent(r -> check.core("region", a.region().isEmpty() ? REGION : null,
                () -> BotoSesManager.builder().region(r)));
        // A profile session sends every call to the endpoint, bsm.endpoint's too: never silently to AWS instead.
        if (profile.isPresent() && endpoint.isEmpty()) {
            endpoint = WithAwsSessionParameters.text(context, ENDPOINT);
        }
        String endpointSource = a.endpoint().isEmpty() ? "(configuration parameter " + ENDPOINT + ") " : "";
        endpoint.ifPresent(e -> check.require("endpoint", isHttpUri(e), endpointSource + "is not an absolute"
                + " http(s) URI with a host and no user info, query or fragment, e.g. http://localhost:4566"));
        assumeRole.ifPresent(r -> check.core("assumeRole", a.assumeRole().isEmpty() ? ASSUME_ROLE : null,
                Checks.roleArnProblem(r)));
        duration.ifPresent(d -> check.core("durationSeconds", a.durationSeconds() == 0 ? DURATION_SECONDS : null,
                () -> AssumeRoleOptions.builder().duration(Duration.ofSeconds(d)).build()));
        profile.ifPresent(p -> check.core("profile", a.profile().isEmpty() ? PROFILE : null,
                () -> BotoSesManager.builder().profileName(p)));
        roleSessionName.filter(n -> assumeRole.isPresent()).ifPresent(n -> check.core("roleSessionName",
                a.roleSessionName().isEmpty() ? ROLE_SESSION_NAME : null,
                () -> AssumeRoleOptions.builder().roleSessionName(n).build()));
        externalId.filter(n -> assumeRole.isPresent()).ifPresent(id -> check.core("externalId",
                a.externalId().isEmpty() ? EXTERNAL_ID : null,
                () -> AssumeRoleOptions.builder().externalId(id).build()));
        if (assumeRole.isEmpty()) {
            check.require("roleSessionName", a.roleSessionName().isEmpty(), "needs assumeRole");
            check.require("durationSeconds", a.durationSeconds() == 0, "needs assumeRole");
            check.require("externalId", a.externalId().isEmpty(), "needs assumeRole");
            check.require("autoRefresh", !a.autoRefresh(), "needs assumeRole");
        }
        // Role settings from configuration parameters apply to sessions with a role only, and are no part of the
        // key of one without: otherwise a suite-wide bsm.roleSessionName would split one profile into two managers.
        return new SessionSpec(a.name(), declaredOn, profile, region, assumeRole,
                assumeRole.isPresent() ? roleSessionName : Optional.empty(),
                assumeRole.isPresent() ? duration : Optional.empty(),
                assumeRole.isPresent() ? externalId : Optional.empty(),
                assumeRole.isPresent() && autoRefresh, emulator, endpoint, snapshot, env, isolation, guard);
    }

    /** An attribute that is set wins; an empty one means "whatever the configuration parameter says". */
    private static Optional<String> text(String value, ExtensionContext context, String parameter) {
        return value.isEmpty() ? WithAwsSessionParameters.text(context, parameter) : Optional.of(value);
    }

    /** An attribute that is true wins; false means "whatever the configuration parameter says". */
    private static boolean flag(boolean value, ExtensionContext context, String parameter) {
        return value || WithAwsSessionParameters.flag(context, parameter).orElse(false);
    }

    private static boolean isHttpUri(String value) {
        try {
            ExternalEndpoint.parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code Test 'name()' (Class#method)}, or {@code Test class 'Name' (Class)} for the class's own scope. */
    static String testName(ExtensionContext context) {
        return (context.getTestMethod().isPresent() ? "Test '" : "Test class '") + context.getDisplayName() + "' ("
                + context.getRequiredTestClass().getName()
                + context.getTestMethod().map(m -> "#" + m.getName()).orElse("") + ")";
    }

    private static String describe(AnnotatedElement element) {
        if (element instanceof Method method) {
            return method.getDeclaringClass().getSimpleName() + "#" + method.getName();
        }
        return ((Class<?>) element).getName();
    }

    /** Failures that name the test, the session and the attribute. */
    private record Check(ExtensionContext context, WithAwsSession annotation, String declaredOn) {
        void require(String attribute, boolean ok, String problem) {
            if (!ok) {
                fail(attribute, problem);
            }
        }

        void fail(String attribute, String problem) {
            throw new ExtensionConfigurationException(testName(context) + ": "
                    + SessionSpec.label(annotation.name(), declaredOn)
                    + ": attribute '" + attribute + "' " + problem);
        }

        /**
         * Runs core's check of a value, so the extension accepts exactly what the manager accepts.
         *
         * @param parameter the configuration parameter the value came from, or null when from the attribute
         */
        void core(String attribute, String parameter, Runnable coreCheck) {
            try {
                coreCheck.run();
            } catch (InvalidConfigurationException e) {
                core(attribute, parameter, Optional.of(e.getMessage()));
            }
        }

        /** The same, for a check of core's that reports its problem instead of throwing it. */
        void core(String attribute, String parameter, Optional<String> coreProblem) {
            coreProblem.ifPresent(problem -> fail(attribute, (parameter == null ? ""
                    : "(configuration parameter " + parameter + ") ") + "is not valid: " + problem));
        }
    }
}
