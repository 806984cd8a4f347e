package dev.bsm.maven;

import static dev.bsm.maven.Parameters.ASSUME_ROLE;
import static dev.bsm.maven.Parameters.DURATION_SECONDS;
import static dev.bsm.maven.Parameters.ENDPOINT;
import static dev.bsm.maven.Parameters.EXTERNAL_ID;
import static dev.bsm.maven.Parameters.MFA_SERIAL_NUMBER;
import static dev.bsm.maven.Parameters.POLICY;
import static dev.bsm.maven.Parameters.POLICY_ARNS;
import static dev.bsm.maven.Parameters.PROFILE;
import static dev.bsm.maven.Parameters.REGION;
import static dev.bsm.maven.Parameters.ROLE_SESSION_NAME;
import static dev.bsm.maven.Parameters.SOURCE_IDENTITY;
import static dev.bsm.maven.Parameters.TAGS;
import static dev.bsm.maven.Parameters.TRANSITIVE_TAG_KEYS;

import dev.bsm.core.AssumeRoleOptions;
import dev.bsm.core.BotoSesManager;
import dev.bsm.core.InvalidConfigurationException;
import dev.bsm.core.internal.Checks;
import dev.bsm.testkit.ExternalEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The build's session as the goal's parameters ask for it: a profile (or the SDK's default chain), a region, an
 * endpoint, and a role with every AssumeRole option. {@link #check()} applies bsm-core's own rules to each value, so
 * the goal accepts exactly what {@link BotoSesManager} accepts and names the parameter that is wrong. Equal settings
 * are one session: the build resolves it once.
 *
 * <p>Auto-refresh is not offered: the test JVMs get the credentials in a file, which nothing would refresh.
 */
record SessionSettings(Optional<String> profile, Optional<String> region, Optional<String> endpoint,
        Optional<String> assumeRole, Optional<String> roleSessionName, Optional<Integer> durationSeconds,
        Optional<String> externalId, Map<String, String> tags, List<String> transitiveTagKeys,
        Optional<String> mfaSerialNumber, Optional<String> sourceIdentity, Optional<String> policy,
        List<String> policyArns) {

    SessionSettings {
        tags = tags == null ? Map.of() : new LinkedHashMap<>(tags);
        transitiveTagKeys = transitiveTagKeys == null ? List.of() : new ArrayList<>(transitiveTagKeys);
        policyArns = policyArns == null ? List.of() : new ArrayList<>(policyArns);
    }

    /** {@return the value trimmed, empty when null or blank}: an unset property reaches the goal as blank */
    static Optional<String> text(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * Checks every value before anything is resolved or written.
     *
     * @return these settings
     * @throws InvalidParameterException naming the first parameter that is not valid
     */
    SessionSettings check() throws InvalidParameterException {
        if (profile.isPresent()) {
            core(PROFILE, () -> BotoSesManager.builder().profileName(profile.get()));
        }
        if (region.isPresent()) {
            core(REGION, () -> BotoSesManager.builder().region(region.get()));
        }
        if (endpoint.isPresent()) {
            try {
                BotoSesManager.builder().endpointOverride(ExternalEndpoint.parse(endpoint.get()));
            } catch (IllegalArgumentException e) { // InvalidConfigurationException included
                throw new InvalidParameterException(ENDPOINT, "is not valid: " + e.getMessage(), e);
            }
        }
        if (assumeRole.isEmpty()) {
            List<String> options = roleOptionsSet();
            if (!options.isEmpty()) {
                throw new InvalidParameterException(options.get(0), "needs parameter '" + ASSUME_ROLE + "': it is"
                        + " an option of the role to assume");
            }
            return this;
        }
        Optional<String> arnProblem = Checks.roleArnProblem(assumeRole.get());
        if (arnProblem.isPresent()) {
            throw new InvalidParameterException(ASSUME_ROLE, "is not valid: " + arnProblem.get());
        }
        role(ROLE_SESSION_NAME, o -> roleSessionName.ifPresent(o::roleSessionName));
        role(DURATION_SECONDS, o -> durationSeconds.ifPresent(d -> o.duration(Duration.ofSeconds(d))));
        role(EXTERNAL_ID, o -> externalId.ifPresent(o::externalId));
        role(TAGS, o -> o.tags(tags));
        role(TRANSITIVE_TAG_KEYS, o -> o.tags(tags).transitiveTagKeys(transitiveTagKeys));
        // The code is asked for when the role is assumed; any six digits stand for it here.
        role(MFA_SERIAL_NUMBER, o -> mfaSerialNumber.ifPresent(s -> o.mfaSerialNumber(s).mfaTokenCode("000000")));
        role(SOURCE_IDENTITY, o -> sourceIdentity.ifPresent(o::sourceIdentity));
        role(POLICY, o -> policy.ifPresent(o::policy));
        role(POLICY_ARNS, o -> o.policyArns(policyArns));
        return this;
    }

    /** The role's options as {@link BotoSesManager#assumeRole(String, Consumer)} takes them, with the MFA code. */
    void applyTo(AssumeRoleOptions.Builder options, Optional<String> mfaTokenCode) {
        roleSessionName.ifPresent(options::roleSessionName);
        durationSeconds.ifPresent(d -> options.duration(Duration.ofSeconds(d)));
        externalId.ifPresent(options::externalId);
        options.tags(tags).transitiveTagKeys(transitiveTagKeys);
        mfaSerialNumber.ifPresent(options::mfaSerialNumber);
        mfaTokenCode.ifPresent(options::mfaTokenCode);
        sourceIdentity.ifPresent(options::sourceIdentity);
        policy.ifPresent(options::policy);
        options.policyArns(policyArns);
    }

    private List<String> roleOptionsSet() {
        List<String> set = new ArrayList<>();
        roleSessionName.ifPresent(v -> set.add(ROLE_SESSION_NAME));
        durationSeconds.ifPresent(v -> set.add(DURATION_SECONDS));
        externalId.ifPresent(v -> set.add(EXTERNAL_ID));
        if (!tags.isEmpty()) {
            set.add(TAGS);
        }
        if (!transitiveTagKeys.isEmpty()) {
            set.add(TRANSITIVE_TAG_KEYS);
        }
        mfaSerialNumber.ifPresent(v -> set.add(MFA_SERIAL_NUMBER));
        sourceIdentity.ifPresent(v -> set.add(SOURCE_IDENTITY));
        policy.ifPresent(v -> set.add(POLICY));
        if (!policyArns.isEmpty()) {
            set.add(POLICY_ARNS);
        }
        return set;
    }

    private static void role(String parameter, Consumer<AssumeRoleOptions.Builder> option)
            throws InvalidParameterException {
        core(parameter, () -> {
            AssumeRoleOptions.Builder builder = AssumeRoleOptions.builder();
            option.accept(builder);
            builder.build();
        });
    }

    private static void core(String parameter, Runnable coreCheck) throws InvalidParameterException {
        try {
            coreCheck.run();
        } catch (InvalidConfigurationException | NullPointerException e) {
            throw new InvalidParameterException(parameter, "is not valid: " + e.getMessage(), e);
        }
    }
}
