package dev.bsm.maven;

import java.util.Set;

/** The names of the goals' parameters, where messages and the code meet. */
final class Parameters {
    /** Every scalar parameter is also the user property {@code bsm.<name>}, as bsm-junit5's are. */
    static final String PREFIX = "bsm.";
    static final String PROFILE = "profile";
    static final String REGION = "region";
    static final String ENDPOINT = "endpoint";
    static final String ASSUME_ROLE = "assumeRole";
    static final String ROLE_SESSION_NAME = "roleSessionName";
    static final String DURATION_SECONDS = "durationSeconds";
    static final String EXTERNAL_ID = "externalId";
    static final String TAGS = "tags";
    static final String TRANSITIVE_TAG_KEYS = "transitiveTagKeys";
    static final String MFA_SERIAL_NUMBER = "mfaSerialNumber";
    /** Read from properties only, never a field: Maven's {@code -X} prints every field's value. */
    static final String MFA_TOKEN_CODE = "mfaTokenCode";
    static final String SOURCE_IDENTITY = "sourceIdentity";
    static final String POLICY = "policy";
    static final String POLICY_ARNS = "policyArns";
    static final String TEMP_DIRECTORY = "tempDirectory";
    static final String PROPERTY_NAME = "propertyName";
    static final String EMULATOR = "emulator";

    private static final Set<String> WITHOUT_PROPERTY = Set.of(TAGS, TRANSITIVE_TAG_KEYS, POLICY_ARNS);

    private Parameters() {
    }

    static boolean hasProperty(String parameter) {
        return !WITHOUT_PROPERTY.contains(parameter);
    }
}
