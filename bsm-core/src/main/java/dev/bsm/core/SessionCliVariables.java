package dev.bsm.core;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.regions.Region;

/** The {@link AwsCliVariables} of one manager's session, as the Python library's {@code awscli()} sets them. */
final class SessionCliVariables {
    private SessionCliVariables() {
    }

    /**
     * Suppliers, called in this order and only when needed: a profile manager never resolves credentials, and a
     * region lookup (which may ask instance metadata) is not made for a manager without credentials.
     */
    static AwsCliVariables of(SessionSettings settings, Supplier<AwsCredentials> credentials,
            Supplier<Optional<Region>> region) {
        Map<String, Optional<String>> variables = new LinkedHashMap<>();
        if (settings.profileName().isPresent()) {
            // The child reads the profile itself; keys left in its environment would win over AWS_PROFILE.
            variables.put(AwsCliVariables.ACCESS_KEY_ID, Optional.empty());
            variables.put(AwsCliVariables.SECRET_ACCESS_KEY, Optional.empty());
            variables.put(AwsCliVariables.SESSION_TOKEN, Optional.empty());
        } else {
            AwsCredentials resolved = credentials.get();
            variables.put(AwsCliVariables.ACCESS_KEY_ID, Optional.of(resolved.accessKeyId()));
            variables.put(AwsCliVariables.SECRET_ACCESS_KEY, Optional.of(resolved.secretAccessKey()));
            variables.put(AwsCliVariables.SESSION_TOKEN, BotoSesManager.sessionToken(resolved));
        }
        Optional<String> regionId = region.get().map(Region::id);
        variables.put(AwsCliVariables.REGION, regionId);
        variables.put(AwsCliVariables.DEFAULT_REGION, regionId);
        variables.put(AwsCliVariables.PROFILE, settings.profileName());
        variables.put(AwsCliVariables.ENDPOINT_URL, settings.endpoint().map(URI::toString));
        // Only a manager's own choice: without one, the user's setting (or the SDK's default) stays.
        settings.cborEnabled().ifPresent(cbor -> variables.put(CborSetting.VARIABLE, Optional.of(cbor.toString())));
        return new AwsCliVariables(variables);
    }
}
