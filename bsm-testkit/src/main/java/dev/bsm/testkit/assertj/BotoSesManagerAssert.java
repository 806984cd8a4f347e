package dev.bsm.testkit.assertj;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.NoRegionException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link BotoSesManager}'s identity, region and expiry; get one from
 * {@link BsmAssertions#assertThat(BotoSesManager)}.
 *
 * <pre>{@code
 * assertThat(deployer)
 *         .hasAccountId(moto.accountId())
 *         .isAssumedRole("deployer")
 *         .hasRegion("us-east-1")
 *         .isNotExpired()
 *         .expiresWithin(Duration.ofHours(1));
 * }</pre>
 *
 * <p>The identity assertions ask STS once per manager (GetCallerIdentity, cached by the manager); a call that fails
 * throws the SDK's exception rather than an {@link AssertionError}. Failure messages show the manager (its
 * {@code toString}: credentials source, region, endpoint), the expected and the actual value, and never a secret
 * access key or session token.
 */
public class BotoSesManagerAssert extends AbstractAssert<BotoSesManagerAssert, BotoSesManager> {

    /** {@code arn:<partition>:sts::<account>:assumed-role/<role name>/<session name>}. */
    private static final Pattern ASSUMED_ROLE_ARN =
            Pattern.compile("arn:[^:]+:sts::[^:]*:assumed-role/([^/]+)/(.+)");

    /**
     * Creates assertions on a manager.
     *
     * @param actual the manager under test; {@link BsmAssertions#assertThat(BotoSesManager)} is the usual way in
     */
    public BotoSesManagerAssert(BotoSesManager actual) {
        super(actual, BotoSesManagerAssert.class);
    }

    /**
     * Verifies the account id of the caller identity (STS GetCallerIdentity).
     *
     * @param expected the 12-digit account id, e.g. {@code moto.accountId()}
     * @return this assertion
     */
    public BotoSesManagerAssert hasAccountId(String expected) {
        Objects.requireNonNull(expected, "expected account id");
        isNotNull();
        String accountId = actual.awsAccountId();
        if (!expected.equals(accountId)) {
            fail(expecting() + "to have account id:\n  " + quote(expected) + "\nbut it has:\n  " + quote(accountId)
                    + "\n(principal ARN " + actual.principalArn() + ")");
        }
        return myself;
    }

    /**
     * Verifies the ARN of the caller identity (STS GetCallerIdentity), e.g.
     * {@code arn:aws:sts::123456789012:assumed-role/deployer/nightly}.
     *
     * @param expected the principal ARN
     * @return this assertion
     */
    public BotoSesManagerAssert hasPrincipalArn(String expected) {
        Objects.requireNonNull(expected, "expected principal ARN");
        isNotNull();
        String arn = actual.principalArn();
        if (!expected.equals(arn)) {
            fail(expecting() + "to have principal ARN:\n  " + quote(expected) + "\nbut it has:\n  " + quote(arn));
        }
        return myself;
    }

    /**
     * Verifies that the caller identity is a session of the role with this name: its principal ARN is
     * {@code arn:<partition>:sts::<account>:assumed-role/<roleName>/<session name>}.
     *
     * @param roleName the role's name without its path, e.g. {@code deployer} (not its ARN: an assumed-role ARN
     *     has neither the role's path nor its ARN)
     * @return this assertion
     * @throws IllegalArgumentException when {@code roleName} is blank, an ARN or contains a {@code /}
     */
    public BotoSesManagerAssert isAssumedRole(String roleName) {
        Objects.requireNonNull(roleName, "roleName");
        if (roleName.isBlank() || roleName.startsWith("arn:") || roleName.contains("/")) {
            throw new IllegalArgumentException("isAssumedRole takes a role name without path, e.g. \"deployer\","
                    + " but got \"" + roleName + "\"");
        }
        isNotNull();
        String arn = actual.principalArn();
        Matcher matcher = ASSUMED_ROLE_ARN.matcher(arn);
        if (!matcher.matches()) {
            fail(expecting() + "to be a session of assumed role:\n  " + quote(roleName)
                    + "\nbut its principal is not an assumed role:\n  " + quote(arn));
        } else if (!matcher.group(1).equals(roleName)) {
            fail(expecting() + "to be a session of assumed role:\n  " + quote(roleName)
                    + "\nbut it is a session of role:\n  " + quote(matcher.group(1)) + "\n(principal ARN " + arn
                    + ")");
        }
        return myself;
    }

    /**
     * Verifies the session's region, from the builder, the assume-role options or the SDK's region chain.
     *
     * @param expected the region id, e.g. {@code us-east-1}
     * @return this assertion
     */
    public BotoSesManagerAssert hasRegion(String expected) {
        Objects.requireNonNull(expected, "expected region");
        isNotNull();
        String region;
        try {
            region = actual.awsRegion();
        } catch (NoRegionException e) {
            fail(expecting() + "to have region:\n  " + quote(expected) + "\nbut it has no region: " + e.getMessage());
            return myself;
        }
        if (!expected.equals(region)) {
            fail(expecting() + "to have region:\n  " + quote(expected) + "\nbut it has:\n  " + quote(region));
        }
        return myself;
    }

    /**
     * Verifies that the credentials have not expired ({@link BotoSesManager#isExpired()} is false). Credentials
     * without an expiry (long-term keys) never expire and pass.
     *
     * @return this assertion
     */
    public BotoSesManagerAssert isNotExpired() {
        isNotNull();
        Optional<Instant> expiration = actual.expiration();
        Instant now = Instant.now();
        if (expiration.isPresent() && !now.isBefore(expiration.get())) {
            fail(expecting() + "to have credentials that have not expired\nbut they expired at:\n  "
                    + expiration.get() + "\n" + ago(now, expiration.get()) + " (now " + now + ")");
        }
        return myself;
    }

    /**
     * Verifies that the credentials have an expiry, are not expired yet, and expire within {@code limit} from now:
     * {@code now < expiration <= now + limit}. Long-term keys, which never expire, fail.
     *
     * <pre>{@code
     * assertThat(bsm.assumeRole(arn, o -> o.duration(Duration.ofMinutes(15)))).expiresWithin(Duration.ofMinutes(15));
     * }</pre>
     *
     * @param limit how far ahead the expiry may be; positive
     * @return this assertion
     * @throws IllegalArgumentException when {@code limit} is zero or negative
     */
    public BotoSesManagerAssert expiresWithin(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isZero() || limit.isNegative()) {
            throw new IllegalArgumentException("expiresWithin needs a positive duration, but got " + limit);
        }
        isNotNull();
        Optional<Instant> expiration = actual.expiration();
        Instant now = Instant.now();
        String expectation = "to have credentials that expire within " + limit + "\n";
        if (expiration.isEmpty()) {
            fail(expecting() + expectation + "but they have no expiry (long-term credentials never expire)");
        } else if (!now.isBefore(expiration.get())) {
            fail(expecting() + expectation + "but they already expired at:\n  " + expiration.get() + "\n"
                    + ago(now, expiration.get()) + " (now " + now + ")");
        } else if (expiration.get().isAfter(now.plus(limit))) {
            fail(expecting() + expectation + "but they expire at:\n  " + expiration.get() + "\nin "
                    + round(Duration.between(now, expiration.get())) + " (now " + now + ")");
        }
        return myself;
    }

    private String expecting() {
        return "\nExpecting session:\n  " + actual + "\n";
    }

    private void fail(String message) {
        failWithMessage(message.replace("%", "%%"));
    }

    static String quote(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    private static String ago(Instant now, Instant then) {
        return round(Duration.between(then, now)) + " ago";
    }

    private static Duration round(Duration duration) {
        return duration.truncatedTo(ChronoUnit.SECONDS);
    }
}
