package dev.bsm.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The environment variables that hand a session to the AWS CLI or any other child process: which to set and
 * which to remove. An immutable value that changes no global state, so it is safe in threaded code:
 *
 * <pre>{@code
 * ProcessBuilder pb = new ProcessBuilder("aws", "sts", "get-caller-identity");
 * bsm.awscliVariables().applyTo(pb);
 * }</pre>
 *
 * <p>{@link #toString()} shows variable names only, never values.
 */
public final class AwsCliVariables {
    static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
    static final String REGION = "AWS_REGION";
    static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";
    static final String PROFILE = "AWS_PROFILE";
    static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";
    static final String SECRET_ACCESS_KEY_PROPERTY = "aws.secretAccessKey";
    static final String SESSION_TOKEN_PROPERTY = "aws.sessionToken";

    /** The SDK for Java reads these system properties before the environment variables of the same meaning. */
    private static final Map<String, String> SYSTEM_PROPERTY_OF = Map.of(
            ACCESS_KEY_ID, "aws.accessKeyId",
            SECRET_ACCESS_KEY, SECRET_ACCESS_KEY_PROPERTY,
            SESSION_TOKEN, SESSION_TOKEN_PROPERTY,
            REGION, "aws.region",
            PROFILE, "aws.profile",
            ENDPOINT_URL, "aws.endpointUrl",
            CborSetting.VARIABLE, CborSetting.PROPERTY);

    private final Map<String, Optional<String>> variables;

    /** Every name and value is checked here, so no variable the environment cannot carry reaches it. */
    AwsCliVariables(Map<String, Optional<String>> variables) {
        variables.forEach(Validation::environmentVariable);
        this.variables = new SecretSafeMap<>(variables);
    }

    /**
     * {@return every managed variable: a value to set, or empty to remove it; in a fixed order. Values are secrets:
     * the map's {@code toString}, and AssertJ's failure messages about it, show the names and a fingerprint of each
     * value, never a value ({@link SecretHidingRepresentation}). The values themselves print the secret: JUnit
     * and Hamcrest given a value, the {@code values()} view or a copy print it, as for
     * {@link BotoSesManager#toSnapshot()}}
     */
    public Map<String, Optional<String>> variables() {
        return variables;
    }

    /**
     * Adds, replaces or removes one variable.
     *
     * @param name a variable, e.g. {@code BSM_SNAPSHOT_FILE}
     * @param value its value, or empty to remove it
     * @return these variables and that one (replacing it if it is already managed)
     * @throws InvalidConfigurationException when the name has {@code '='}, or the name or value a character no
     *     environment can carry (NUL, a lone surrogate); the value is never shown
     */
    public AwsCliVariables with(String name, Optional<String> value) {
        Map<String, Optional<String>> more = new LinkedHashMap<>(variables);
        more.put(name, value); // checked by the constructor
        return new AwsCliVariables(more);
    }

    /**
     * Looks one variable up.
     *
     * @param name a variable, e.g. {@code AWS_REGION}
     * @return the value this session gives the variable, empty when it removes it or does not manage it
     */
    public Optional<String> get(String name) {
        return variables.getOrDefault(name, Optional.empty());
    }

    /** {@return the names of the variables that are removed} */
    public Set<String> removed() {
        Set<String> removed = new java.util.LinkedHashSet<>();
        variables.forEach((name, value) -> {
            if (value.isEmpty()) {
                removed.add(name);
            }
        });
        return Collections.unmodifiableSet(removed);
    }

    /**
     * Sets and removes the variables in an environment map, such as {@link ProcessBuilder#environment()}.
     *
     * @param environment a mutable environment map
     */
    public void applyTo(Map<String, String> environment) {
        variables.forEach((name, value) -> {
            if (value.isPresent()) {
                environment.put(name, value.get());
            } else {
                environment.remove(name);
            }
        });
    }

    /**
     * Sets and removes the variables in a child process's environment; the running JVM is not touched.
     *
     * @param processBuilder the builder of the child process
     * @return the same builder
     */
    public ProcessBuilder applyTo(ProcessBuilder processBuilder) {
        applyTo(processBuilder.environment());
        return processBuilder;
    }

    /**
     * {@return the SDK system properties ({@code aws.accessKeyId} ...) that mirror these variables: a value to set,
     * or empty to clear}
     */
    public Map<String, Optional<String>> systemProperties() {
        Map<String, Optional<String>> properties = new LinkedHashMap<>();
        variables.forEach((name, value) -> {
            String property = SYSTEM_PROPERTY_OF.get(name);
            if (property != null) {
                properties.put(property, value);
            }
        });
        return new SecretSafeMap<>(properties);
    }

    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", "AwsCliVariables[", "]");
        variables.forEach((name, value) -> joiner.add(name + (value.isPresent() ? "=<set>" : "=<removed>")));
        return joiner.toString();
    }
}
