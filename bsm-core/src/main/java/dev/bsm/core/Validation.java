package dev.bsm.core;

import dev.bsm.core.internal.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks done before any network call, each failing with a message that names the value's problem and the fix. */
final class Validation {
    static final Duration MIN_ROLE_DURATION = Duration.ofMinutes(15);
    static final Duration MAX_ROLE_DURATION = Duration.ofHours(12);
    static final int MIN_PORT = 1;
    static final int MAX_PORT = 65535;

    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PROFILE = Pattern.compile("[^\\s\\[\\]\\x00\\p{Cs}]+");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

    private Validation() {
    }

    /** bsm-junit5 checks role ARNs too, so the rule is in {@link Checks}. */
    static String roleArn(String roleArn) {
        Checks.roleArnProblem(roleArn).ifPresent(Validation::refuse);
        return roleArn;
    }

    static String roleSessionName(String name) {
        if (name == null || !SESSION_NAME.matcher(name).matches()) {
            throw new InvalidConfigurationException("Invalid role session name '" + name
                    + "': use 2 to 64 characters from letters, digits and +=,.@_-");
        }
        return name;
    }

    static Duration roleDuration(Duration duration) {
        if (duration == null || duration.compareTo(MIN_ROLE_DURATION) < 0
                || duration.compareTo(MAX_ROLE_DURATION) > 0 || duration.getNano() != 0) {
            throw new InvalidConfigurationException("Invalid assume-role duration " + duration
                    + ": STS accepts whole seconds from 900 (PT15M) to 43200 (PT12H),"
                    + " and no more than the role's maximum session duration");
        }
        return duration;
    }

    static String externalId(String externalId) {
        if (externalId == null || !EXTERNAL_ID.matcher(externalId).matches()) {
            throw new InvalidConfigurationException("Invalid external id: use 2 to 1224 characters from letters,"
                    + " digits and +=,.@:/_-");
        }
        return externalId;
    }

    /**
     * A region id. A region can come from a snapshot file, or be a secret passed by mistake, so a bad one is
     * described (its length and what is wrong with it), never repeated.
     */
    static String region(String region) {
        if (region == null || !REGION.matcher(region).matches()) {
            String problem = region == null ? "null" : regionProblem(region);
            throw new InvalidConfigurationException("Invalid region: " + problem
                    + "; expected a region id such as us-east-1 (lower case letters, digits and dashes)");
        }
        return region;
    }

    private static String regionProblem(String region) {
        if (region.isEmpty()) {
            return "it is empty";
        }
        List<String> problems = new ArrayList<>();
        if (region.chars().anyMatch(Character::isUpperCase)) {
            problems.add("upper case letters");
        }
        if (region.chars().anyMatch(Character::isWhitespace)) {
            problems.add("white space");
        }
        if (region.chars().anyMatch(c -> !Character.isUpperCase(c) && !Character.isWhitespace(c)
                && !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'))) {
            problems.add("characters other than letters, digits and dashes");
        }
        if (problems.isEmpty()) {
            problems.add("a dash at the start or end, or two dashes in a row");
        }
        return region.length() + " characters, with " + String.join(", ", problems);
    }

    static String profileName(String profile) {
        if (profile == null || !PROFILE.matcher(profile).matches()) {
            throw new InvalidConfigurationException("Invalid profile name '" + profile
                    + "': a profile name is non-empty and has no whitespace or brackets");
        }
        return profile;
    }

    /** An AWS account id: 12 digits. Not echoed: an account id is masked in logs. */
    static String accountId(String accountId) {
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw new InvalidConfigurationException("Invalid account id ("
                    + (accountId == null ? "null" : accountId.length() + " characters")
                    + "): an AWS account id is exactly 12 digits, e.g. 111122223333");
        }
        return accountId;
    }

    static URI endpoint(URI endpoint) {
        if (endpoint == null || endpoint.getScheme() == null || endpoint.getHost() == null
                || !("http".equalsIgnoreCase(endpoint.getScheme()) || "https".equalsIgnoreCase(endpoint.getScheme()))) {
            // Only scheme and host: the rest of a URI may carry credentials.
            throw new InvalidConfigurationException("Invalid endpoint '"
                    + (endpoint == null ? "null" : endpoint.getScheme() + "://" + endpoint.getHost() + "...")
                    + "': expected an absolute http or https URI with a host, e.g. http://localhost:4566");
        }
        if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null || endpoint.getRawUserInfo() != null) {
            throw new InvalidConfigurationException("Invalid endpoint '" + endpoint.getScheme() + "://"
                    + endpoint.getHost() + "...': an endpoint has no user info, query or fragment");
        }
        // -1 is no port (the scheme's default). Out of range, the JDK fails later with an untyped "port out of
        // range", and port 0 with a refused connection after the SDK's retries.
        int port = endpoint.getPort();
        if (port != -1 && (port < MIN_PORT || port > MAX_PORT)) {
            throw new InvalidConfigurationException("Invalid endpoint '" + endpoint.getScheme() + "://"
                    + endpoint.getHost() + "...': port " + port + " is out of range; use a port from " + MIN_PORT
                    + " to " + MAX_PORT + ", or none for the scheme's default");
        }
        return endpoint;
    }

    /**
     * A name every operating system accepts for an environment variable, and a value every environment can carry;
     * the value is never echoed.
     */
    static String environmentVariable(String name, Optional<String> value) {
        nonBlank("name", name);
        Checks.environmentVariableProblem(name, Objects.requireNonNull(value, "value").orElse(null))
                .ifPresent(Validation::refuse);
        return name;
    }

    /**
     * A credential (access key id, secret access key, session token): not blank, and something every environment
     * can carry, because {@code awscli()} puts it there. Never echoed.
     */
    static String credential(String what, String value) {
        nonBlank(what, value);
        uncarriable(what, value).ifPresent(problem -> refuse(problem + "; check how the value was read"));
        return value;
    }

    static Optional<String> uncarriable(String what, String value) {
        return Checks.uncarriable(what, value);
    }

    private static void refuse(String problem) {
        throw new InvalidConfigurationException(problem);
    }

    static String nonBlank(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException(what + " must not be null or blank");
        }
        return value;
    }
}
