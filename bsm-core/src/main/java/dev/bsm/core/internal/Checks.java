package dev.bsm.core.internal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Not API: core's checks that bsm's other modules make too, so that bsm-junit5 accepts exactly what the manager
 * accepts. Only what has no public way in yet; bsm-core's own checks call these.
 */
public final class Checks {
    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    private Checks() {
    }

    /**
     * Checks a role ARN.
     *
     * @param roleArn a role ARN, e.g. {@code arn:aws:iam::111122223333:role/deployer}, or null
     * @return the problem with it and the expected form, or empty when it is a role ARN
     */
    public static Optional<String> roleArnProblem(String roleArn) {
        if (roleArn == null || !ROLE_ARN.matcher(roleArn).matches()) {
            return Optional.of("Invalid role ARN '" + roleArn
                    + "': expected arn:<partition>:iam::<12-digit account id>:role/<role name>,"
                    + " e.g. arn:aws:iam::111122223333:role/deployer");
        }
        return Optional.empty();
    }

    /**
     * Checks an environment variable for what no operating system accepts.
     *
     * @param name a variable name, not blank
     * @param value its value, or null for "removed"
     * @return the problem ('=' or a character no environment can carry in the name; such a character in the value),
     *     never showing the value; empty when both are fine
     */
    public static Optional<String> environmentVariableProblem(String name, String value) {
        if (name.indexOf('=') >= 0) {
            return Optional.of("The environment variable name '" + name
                    + "' contains '=', which no operating system accepts in a name");
        }
        return uncarriable("The environment variable name '" + name.replaceAll("[\\x00\\p{Cs}]", "?") + "'", name)
                .or(() -> value == null ? Optional.empty()
                        : uncarriable("The value of the environment variable " + name, value));
    }

    /**
     * Finds what no environment variable can carry: a NUL (it ends a C string, so the operating system would keep
     * a truncated value) or a lone UTF-16 surrogate (it has no encoding in the bytes of a POSIX environment, so it
     * would arrive as '?').
     *
     * @param what names the value in the problem, e.g. {@code 'aws_secret_access_key'}
     * @param value the value to check
     * @return {@code "<what> contains <the character>, which no environment variable can carry"}, or empty when
     *     the value is fine; never the value or any part of it
     */
    public static Optional<String> uncarriable(String what, String value) {
        String found = null;
        if (value.indexOf('\0') >= 0) {
            found = "a NUL character";
        } else if (value.codePoints().anyMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
            found = "a lone UTF-16 surrogate"; // code points pair surrogates up: one left alone is lone
        }
        return Optional.ofNullable(found)
                .map(character -> what + " contains " + character + ", which no environment variable can carry");
    }
}
