package dev.bsm.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.PolicyDescriptorType;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * Everything {@link BotoSesManager#assumeRole(String, Consumer)} can send to STS AssumeRole, plus how the new
 * manager behaves. Immutable; every value is checked by {@link Builder#build()} before any network call.
 */
public final class AssumeRoleOptions {
    /** The duration used when none is given, as in the Python library. */
    public static final Duration DEFAULT_DURATION = Duration.ofHours(1);
    /** How long before expiry an auto-refreshing manager replaces its credentials when not told otherwise. */
    public static final Duration DEFAULT_REFRESH_WINDOW = Duration.ofMinutes(5);

    private static final Pattern MFA_CODE = Pattern.compile("\\d{6}");
    private static final int MAX_TAGS = 50;

    private final String roleSessionName;
    private final Duration duration;
    private final Map<String, String> tags;
    private final List<String> transitiveTagKeys;
    private final Optional<String> externalId;
    private final Optional<String> mfaSerialNumber;
    private final Optional<Supplier<String>> mfaTokenCode;
    private final Optional<String> sourceIdentity;
    private final Optional<String> policy;
    private final List<String> policyArns;
    private final Optional<String> region;
    private final boolean autoRefresh;
    private final Duration refreshWindow;

    private AssumeRoleOptions(Builder b) {
        this.roleSessionName = b.roleSessionName == null
                ? "bsm-" + UUID.randomUUID().toString().replace("-", "")
                : Validation.roleSessionName(b.roleSessionName);
        this.duration = Validation.roleDuration(b.duration);
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
        this.transitiveTagKeys = List.copyOf(b.transitiveTagKeys);
        this.externalId = Optional.ofNullable(b.externalId).map(Validation::externalId);
        this.mfaSerialNumber = Optional.ofNullable(b.mfaSerialNumber);
        this.mfaTokenCode = Optional.ofNullable(b.mfaTokenCode);
        this.sourceIdentity = Optional.ofNullable(b.sourceIdentity);
        this.policy = Optional.ofNullable(b.policy);
        this.policyArns = List.copyOf(b.policyArns);
        this.region = Optional.ofNullable(b.region).map(Validation::region);
        this.autoRefresh = b.autoRefresh;
        this.refreshWindow = b.refreshWindow;
        check();
    }

    private void check() {
        if (tags.size() > MAX_TAGS) {
            throw new InvalidConfigurationException("Too many session tags (" + tags.size() + "): STS accepts "
                    + MAX_TAGS + " at most");
        }
        tags.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > 128 || value == null || value.length() > 256) {
                throw new InvalidConfigurationException("Invalid session tag '" + key
                        + "': keys have 1 to 128 characters, values 0 to 256");
            }
        });
        for (String key : transitiveTagKeys) {
            if (!tags.containsKey(key)) {
                throw new InvalidConfigurationException("Transitive tag key '" + key
                        + "' is not one of the session tags " + tags.keySet() + "; add it with tags(...)");
            }
        }
        if (mfaSerialNumber.isPresent() != mfaTokenCode.isPresent()) {
            throw new InvalidConfigurationException("mfaSerialNumber and mfaTokenCode go together: give both or"
                    + " neither");
        }
        mfaSerialNumber.ifPresent(serial -> Validation.nonBlank("mfaSerialNumber", serial));
        sourceIdentity.ifPresent(identity -> Validation.nonBlank("sourceIdentity", identity));
        policy.ifPresent(p -> Validation.nonBlank("policy", p));
        for (String arn : policyArns) {
            if (arn == null || !arn.startsWith("arn:")) {
                throw new InvalidConfigurationException("Invalid policy ARN '" + arn
                        + "': expected arn:<partition>:iam::<account or aws>:policy/<name>");
            }
        }
        if (refreshWindow.isNegative() || refreshWindow.isZero() || refreshWindow.compareTo(duration) >= 0) {
            throw new InvalidConfigurationException("Invalid refresh window " + refreshWindow
                    + ": it must be positive and shorter than the session duration " + duration);
        }
    }

    /** {@return a builder with the defaults: a unique session name, one hour, no auto-refresh} */
    public static Builder builder() {
        return new Builder();
    }

    static AssumeRoleOptions of(Consumer<Builder> options) {
        Builder builder = builder();
        Objects.requireNonNull(options, "options").accept(builder);
        return builder.build();
    }

    /** {@return the role session name; unique ("bsm-" and 32 hex digits) when none was given} */
    public String roleSessionName() {
        return roleSessionName;
    }

    /** {@return how long the credentials last} */
    public Duration duration() {
        return duration;
    }

    /** {@return the region of the new manager, when it differs from the parent's} */
    public Optional<String> region() {
        return region;
    }

    /** {@return whether the new manager refreshes its credentials before they expire} */
    public boolean autoRefresh() {
        return autoRefresh;
    }

    /** {@return with auto-refresh, credentials with less than this left are never used: they are replaced first} */
    public Duration refreshWindow() {
        return refreshWindow;
    }

    /** Builds the STS request; the MFA code supplier is asked each time, so refreshes get a fresh code. */
    AssumeRoleRequest toRequest(String roleArn) {
        AssumeRoleRequest.Builder request = AssumeRoleRequest.builder()
                .roleArn(roleArn)
                .roleSessionName(roleSessionName)
                .durationSeconds(Math.toIntExact(duration.getSeconds()));
        if (!tags.isEmpty()) {
            List<Tag> sessionTags = new ArrayList<>();
            tags.forEach((key, value) -> sessionTags.add(Tag.builder().key(key).value(value).build()));
            request.tags(sessionTags);
        }
        if (!transitiveTagKeys.isEmpty()) {
            request.transitiveTagKeys(transitiveTagKeys);
        }
        externalId.ifPresent(request::externalId);
        mfaSerialNumber.ifPresent(request::serialNumber);
        mfaTokenCode.ifPresent(code -> request.tokenCode(mfaCode(code.get())));
        sourceIdentity.ifPresent(request::sourceIdentity);
        policy.ifPresent(request::policy);
        if (!policyArns.isEmpty()) {
            request.policyArns(policyArns.stream().map(arn -> PolicyDescriptorType.builder().arn(arn).build())
                    .toList());
        }
        return request.build();
    }

    private static String mfaCode(String code) {
        if (code == null || !MFA_CODE.matcher(code).matches()) {
            throw new InvalidConfigurationException("The MFA token code supplier gave a value that is not six"
                    + " digits");
        }
        return code;
    }

    @Override
    public String toString() {
        return "AssumeRoleOptions[roleSessionName=" + roleSessionName + ", duration=" + duration
                + ", tags=" + tags.keySet() + ", transitiveTagKeys=" + transitiveTagKeys
                + ", externalId=" + (externalId.isPresent() ? "<set>" : "<none>")
                + ", mfaSerialNumber=" + mfaSerialNumber.orElse("<none>")
                + ", sourceIdentity=" + sourceIdentity.orElse("<none>")
                + ", policy=" + (policy.isPresent() ? "<set>" : "<none>") + ", policyArns=" + policyArns
                + ", region=" + region.orElse("<parent's>") + ", autoRefresh=" + autoRefresh
                + (autoRefresh ? ", refreshWindow=" + refreshWindow : "") + "]";
    }

    /** Builds {@link AssumeRoleOptions}. Not thread-safe. */
    public static final class Builder {
        private String roleSessionName;
        private Duration duration = DEFAULT_DURATION;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final List<String> transitiveTagKeys = new ArrayList<>();
        private String externalId;
        private String mfaSerialNumber;
        private Supplier<String> mfaTokenCode;
        private boolean fixedMfaTokenCode;
        private String sourceIdentity;
        private String policy;
        private final List<String> policyArns = new ArrayList<>();
        private String region;
        private boolean autoRefresh;
        private Duration refreshWindow = DEFAULT_REFRESH_WINDOW;

        private Builder() {
        }

        /**
         * Sets the role session name.
         *
         * @param roleSessionName STS RoleSessionName: 2 to 64 of letters, digits and +=,.@_- (default unique)
         * @return this builder
         */
        public Builder roleSessionName(String roleSessionName) {
            this.roleSessionName = roleSessionName;
            return this;
        }

        /**
         * Sets how long the credentials last.
         *
         * @param duration STS DurationSeconds: 15 minutes to 12 hours, whole seconds (default one hour)
         * @return this builder
         */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /**
         * Sets the session tags.
         *
         * @param tags STS session Tags, key to value; replaces earlier tags
         * @return this builder
         */
        public Builder tags(Map<String, String> tags) {
            Objects.requireNonNull(tags, "tags"); // before clearing: a null leaves the builder as it was
            this.tags.clear();
            this.tags.putAll(tags);
            return this;
        }

        /**
         * Sets the session tags that pass on to chained roles.
         *
         * @param keys STS TransitiveTagKeys: keys of {@link #tags(Map)} that pass on to chained roles
         * @return this builder
         */
        public Builder transitiveTagKeys(Collection<String> keys) {
            Objects.requireNonNull(keys, "keys"); // before clearing: a null leaves the builder as it was
            this.transitiveTagKeys.clear();
            this.transitiveTagKeys.addAll(keys);
            return this;
        }

        /**
         * Sets the external id the role requires.
         *
         * @param externalId STS ExternalId, sent under its right name in both modes (Python's bug #1)
         * @return this builder
         */
        public Builder externalId(String externalId) {
            this.externalId = externalId;
            return this;
        }

        /**
         * Sets the MFA device.
         *
         * @param serialNumber STS SerialNumber: the MFA device's serial number or ARN
         * @return this builder
         */
        public Builder mfaSerialNumber(String serialNumber) {
            this.mfaSerialNumber = serialNumber;
            return this;
        }

        /**
         * Sets a fixed MFA code.
         *
         * @param tokenCode STS TokenCode: the six-digit code, for a one-shot assume-role
         * @return this builder
         */
        public Builder mfaTokenCode(String tokenCode) {
            this.mfaTokenCode = tokenCode == null ? null : () -> tokenCode;
            this.fixedMfaTokenCode = tokenCode != null;
            return this;
        }

        /**
         * Sets where MFA codes come from.
         *
         * @param tokenCode asked for a fresh six-digit code at every (re)fetch; use this with auto-refresh
         * @return this builder
         */
        public Builder mfaTokenCode(Supplier<String> tokenCode) {
            this.mfaTokenCode = tokenCode;
            this.fixedMfaTokenCode = false;
            return this;
        }

        /**
         * Sets the source identity.
         *
         * @param sourceIdentity STS SourceIdentity
         * @return this builder
         */
        public Builder sourceIdentity(String sourceIdentity) {
            this.sourceIdentity = sourceIdentity;
            return this;
        }

        /**
         * Sets an inline session policy.
         *
         * @param policy STS Policy: an inline session policy (JSON)
         * @return this builder
         */
        public Builder policy(String policy) {
            this.policy = policy;
            return this;
        }

        /**
         * Sets managed session policies.
         *
         * @param arns STS PolicyArns: managed session policies
         * @return this builder
         */
        public Builder policyArns(Collection<String> arns) {
            Objects.requireNonNull(arns, "arns"); // before clearing: a null leaves the builder as it was
            this.policyArns.clear();
            this.policyArns.addAll(arns);
            return this;
        }

        /**
         * Sets the new manager's region.
         *
         * @param region region of the new manager (default: the parent's)
         * @return this builder
         */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /**
         * Sets whether the credentials refresh themselves.
         *
         * @param autoRefresh whether the new manager fetches new credentials before they expire, through the
         *     SDK's {@code StsAssumeRoleCredentialsProvider} (default false: one set of credentials)
         * @return this builder
         */
        public Builder autoRefresh(boolean autoRefresh) {
            this.autoRefresh = autoRefresh;
            return this;
        }

        /**
         * Sets how early auto-refresh replaces credentials.
         *
         * @param window with auto-refresh, credentials with less than this left are never used: callers wait for
         *     new ones (default 5 minutes). Up to 5 minutes before that, one caller refreshes them in passing.
         * @return this builder
         */
        public Builder refreshWindow(Duration window) {
            this.refreshWindow = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * {@return the options}
         *
         * @throws InvalidConfigurationException when a value is not valid
         */
        public AssumeRoleOptions build() {
            if (autoRefresh && fixedMfaTokenCode) {
                throw new InvalidConfigurationException("A fixed MFA token code cannot be reused at every refresh:"
                        + " with autoRefresh(true), pass mfaTokenCode(Supplier<String>) that returns a fresh code");
            }
            return new AssumeRoleOptions(this);
        }
    }
}
