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
}
