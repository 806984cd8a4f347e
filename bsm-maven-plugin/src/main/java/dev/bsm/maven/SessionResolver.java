package dev.bsm.maven;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.BsmException;
import dev.bsm.core.CredentialsNetworkException;
import dev.bsm.core.InvalidConfigurationException;
import dev.bsm.core.NoCredentialsException;
import dev.bsm.core.UnknownProfileException;
import dev.bsm.testkit.ExternalEndpoint;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Resolves the build's session in Maven's JVM: the profile's credentials (or the default chain's), then the role,
 * once. Every failure is a {@link MojoExecutionException} that names the parameter to fix; none shows a secret
 * (bsm's messages never do, and STS's error messages carry none).
 */
final class SessionResolver {
    private SessionResolver() {
    }

    /** Where the MFA code comes from; asked only when the role needs one, so once per build. */
    interface MfaCodeSource {
        String code() throws MojoExecutionException;
    }

    /** {@return a manager on the session's credentials, resolved now; the caller closes it} */
    static BotoSesManager resolve(SessionSettings settings, MfaCodeSource mfaCode) throws MojoExecutionException {
        BotoSesManager base = base(settings);
        try {
            credentials(settings, base);
            if (settings.assumeRole().isEmpty()) {
                return base;
            }
            try (BotoSesManager parent = base) {
                Optional<String> code = settings.mfaSerialNumber().isPresent() ? Optional.of(mfaCode.code())
                        : Optional.empty();
                return assume(settings, parent, code);
            }
        } catch (MojoExecutionException | RuntimeException e) {
            base.close();
            throw e;
        }
    }

    private static BotoSesManager base(SessionSettings settings) throws InvalidParameterException {
        BotoSesManager.Builder builder = BotoSesManager.builder();
        settings.profile().ifPresent(builder::profileName);
        settings.region().ifPresent(builder::region);
        settings.endpoint().map(ExternalEndpoint::parse).ifPresent(builder::endpointOverride);
        try {
            return builder.build();
        } catch (UnknownProfileException e) {
            throw new InvalidParameterException(Parameters.PROFILE, "names a profile that is not there: "
                    + e.getMessage(), e);
        }
    }

    /** The base session's credentials now, so that a missing or broken profile fails here, naming it. */
    private static void credentials(SessionSettings settings, BotoSesManager base) throws MojoExecutionException {
        try {
            base.expiration();
        } catch (NoCredentialsException | CredentialsNetworkException e) {
            String source = settings.profile().isPresent() ? InvalidParameterException.describe(Parameters.PROFILE)
                    : "bsm-maven-plugin: the SDK's default credentials chain (no parameter 'profile' is set)";
            throw new MojoExecutionException(source + " gives no credentials for the build's session: "
                    + e.getMessage(), e);
        }
    }

    private static BotoSesManager assume(SessionSettings settings, BotoSesManager parent, Optional<String> code)
            throws MojoExecutionException {
        String role = settings.assumeRole().get();
        try {
            return parent.assumeRole(role, options -> settings.applyTo(options, code));
        } catch (InvalidConfigurationException e) {
            // Every option was checked before; what is left is the code typed or passed.
            throw new InvalidParameterException(Parameters.MFA_SERIAL_NUMBER, "needs a code of six digits from"
                    + " the MFA device (property " + MfaCode.PROPERTY + ", or typed when asked): " + e.getMessage(),
                    e);
        } catch (SdkServiceException e) {
            throw new InvalidParameterException(Parameters.ASSUME_ROLE, "could not be assumed: STS refused"
                    + " AssumeRole of " + role + " (HTTP " + e.statusCode() + "): " + e.getMessage(), e);
        } catch (SdkClientException | BsmException e) {
            throw new InvalidParameterException(Parameters.ASSUME_ROLE, "could not be assumed: AssumeRole of "
                    + role + " did not reach STS" + settings.endpoint().map(ep -> " at " + ep).orElse("") + ": "
                    + e.getMessage(), e);
        }
    }
}
