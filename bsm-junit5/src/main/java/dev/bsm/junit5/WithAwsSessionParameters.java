package dev.bsm.junit5;

import dev.bsm.testkit.internal.PositiveDuration;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every JUnit configuration parameter that {@link WithAwsSession} reads, from {@code junit-platform.properties},
 * {@code -D} or the launcher. Each attribute of the annotation that is left at its default takes the parameter of
 * the same name; an attribute that is set beats its parameter. Values are trimmed; a value that does not fit its
 * type fails the test with an {@code ExtensionConfigurationException} naming the parameter.
 *
 * <pre>{@code
 * # src/test/resources/junit-platform.properties
 * bsm.localstack=true
 * bsm.region=eu-west-1
 * }</pre>
 */
public final class WithAwsSessionParameters {
    /** Text; default none (the SDK's default credentials chain): a profile, for sessions that are not emulator sessions. */
    public static final String PROFILE = "bsm.profile";

    /** Text; default the SDK's region chain, or the emulator's region: the session's region. */
    public static final String REGION = "bsm.region";

    /** Text; default none: a role ARN to assume on top of the session. */
    public static final String ASSUME_ROLE = "bsm.assumeRole";

    /** Text; default unique ({@code bsm-} and 32 hex digits): the assumed role's session name. */
    public static final String ROLE_SESSION_NAME = "bsm.roleSessionName";

    /** Whole number; default 3600: the assumed role's duration in seconds, 900 to 43200. */
    public static final String DURATION_SECONDS = "bsm.durationSeconds";

    /** Text; default none: the external id sent with AssumeRole. */
    public static final String EXTERNAL_ID = "bsm.externalId";

    /** {@code true} or {@code false}; default false: the assumed role refreshes itself before it expires. */
    public static final String AUTO_REFRESH = "bsm.autoRefresh";

    /** {@code true} or {@code false}; default false: every session without a profile goes to an emulator. */
    public static final String LOCALSTACK = "bsm.localstack";

    /**
     * An http(s) URI; default none: the emulator of emulator sessions, used instead of starting one, and where
     * every call of a profile session goes (its roles' STS calls included).
     */
    public static final String ENDPOINT = "bsm.endpoint";

    /** {@code true} or {@code false}; default false: an owner-only snapshot file per test. */
    public static final String SNAPSHOT = "bsm.snapshot";

    /** {@code true} or {@code false}; default true: {@code false} leaves the environment and system properties alone. */
    public static final String ENV = "bsm.env";

    /**
     * {@code true} or {@code false}; default true: {@code false} lets the SDK requests of emulator tests go to other
     * endpoints (real AWS), which bsm's guard otherwise refuses with an {@link EmulatorGuardException}.
     */
    public static final String GUARD = "bsm.guard";

    /**
     * {@code none}, {@code class} or {@code test}, in any case; default {@code class}: the {@link Isolation} of
     * emulator sessions whose attribute {@code isolation} is not set.
     */
    public static final String ISOLATION = "bsm.isolation";

    /**
     * A whole number from 0 to 899; default none: this CI machine's shard id, for builds split across machines that
     * share one emulator ({@code bsm.endpoint}). The accounts of isolated scopes are 12 digits: the shard (three
     * digits), a slot that each test JVM claims for itself in an owner-only file of the user's temporary directory
     * (six digits), and a counter (three). So machines with different shard ids, and the test JVMs of one machine,
     * never use the same account. Without it the three leading digits are random from 900 to 999 (never a shard
     * id's): two machines with J and K test JVMs then share an account with a chance of at most J·K / 10^8. The
     * emulator's default account is never used either way. Any other value fails the test with an
     * {@code ExtensionConfigurationException}.
     */
    public static final String SHARD = "bsm.shard";

    /**
     * {@code fail} or {@code abort}; default {@code fail}: what a test whose session finds no credentials does;
     * {@code abort} skips it with the reason.
     */
    public static final String MISSING_CREDENTIALS = "bsm.missingCredentials";

    /**
     * A positive duration, in seconds ({@code 60}) or ISO-8601 ({@code PT60S}); default 60 seconds: the API call
     * timeout of emulator sessions, so a hung emulator fails the test instead of blocking the run.
     */
    public static final String API_CALL_TIMEOUT = "bsm.apiCallTimeout";

    static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(60);

    private WithAwsSessionParameters() {
    }

    /**
     * Reads every typed parameter, so a value that does not fit its type fails every test at once, also where the
     * parameter would only be read later (bsm.missingCredentials when credentials are missing).
     */
    static void check(ExtensionContext context) {
        for (String name : new String[] {AUTO_REFRESH, LOCALSTACK, SNAPSHOT, ENV, GUARD}) {
            flag(context, name);
        }
        integer(context, DURATION_SECONDS);
        isolation(context);
        shard(context);
        abortOnMissingCredentials(context);
        apiCallTimeout(context);
    }

    /** {@return the trimmed value, empty when the parameter is not set or blank} */
    static Optional<String> text(ExtensionContext context, String name) {
        return context.getConfigurationParameter(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** Only {@code true} or {@code false} in any case: a typo must not silently turn a feature off. */
    static Optional<Boolean> flag(ExtensionContext context, String name) {
        return context.getConfigurationParameter(name).map(String::trim).map(value -> {
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            throw invalid(context, name, value, "is not a boolean: use true or false");
        });
    }

    static Optional<Integer> integer(ExtensionContext context, String name) {
        return text(context, name).map(value -> {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw invalid(context, name, value, value.matches("[-+]?\\d+")
                        ? "is out of range for a whole number" : "is not a whole number");
            }
        });
    }

    /** {@code bsm.isolation}: the isolation of emulator sessions that do not set one; empty when not set. */
    static Optional<Isolation> isolation(ExtensionContext context) {
        return text(context, ISOLATION).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> Isolation.NONE;
            case "class" -> Isolation.CLASS;
            case "test" -> Isolation.TEST;
            default -> throw invalid(context, ISOLATION, value, "is none of none, class or test");
        });
    }

    /** {@code bsm.shard}: this machine's shard id; empty when not set. */
    static OptionalInt shard(ExtensionContext context) {
        Optional<String> value = text(context, SHARD);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(AccountIds.parseShard(value.get()));
        } catch (IllegalArgumentException e) {
            throw invalid(context, SHARD, value.get(), e.getMessage());
        }
    }

    /** {@code bsm.missingCredentials}: whether such tests are aborted rather than failed. */
    static boolean abortOnMissingCredentials(ExtensionContext context) {
        return text(context, MISSING_CREDENTIALS).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "fail" -> false;
            case "abort" -> true;
            default -> throw invalid(context, MISSING_CREDENTIALS, value, "is neither fail nor abort");
        }).orElse(false);
    }

    static Duration apiCallTimeout(ExtensionContext context) {
        Optional<String> value = text(context, API_CALL_TIMEOUT);
        if (value.isEmpty()) {
            return DEFAULT_API_CALL_TIMEOUT;
        }
        try {
            return PositiveDuration.parse(value.get());
        } catch (PositiveDuration.InvalidException e) {
            String problem = e.notPositive() ? "must be positive" : e.tooLong()
                    ? "is longer than " + PositiveDuration.MAX.toHours() + " hours (" + PositiveDuration.MAX + ")"
                    : "is not a duration";
            throw invalid(context, API_CALL_TIMEOUT, value.get(), problem + ": use seconds (60) or ISO-8601 (PT60S)");
        }
    }

    /** Names the test (or class) whose run read the value, as every configuration error of the extension does. */
    private static ExtensionConfigurationException invalid(ExtensionContext context, String name, String value,
            String problem) {
        return new ExtensionConfigurationException(SessionSpecs.testName(context) + ": the configuration parameter "
                + name + "='" + value + "' " + problem);
    }
}
