package dev.bsm.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileLocation;
import software.amazon.awssdk.profiles.ProfileProperty;

/**
 * The message of a {@link NoCredentialsException}: what failed, for the source that failed, and the fix for that
 * source. An SSO profile (or a role on one) gets the SDK modules it is missing, or the login command to run.
 */
final class MissingCredentials {
    /** The classes the SDK loads by name for SSO profiles, by the module that has them. */
    private static final Map<String, String> SSO_MODULES = Map.of(
            "software.amazon.awssdk:sso", "software.amazon.awssdk.services.sso.auth.SsoProfileCredentialsProviderFactory",
            "software.amazon.awssdk:ssooidc", "software.amazon.awssdk.services.ssooidc.SsoOidcProfileTokenProviderFactory");

    private MissingCredentials() {
    }

    static String message(SessionSettings settings, RuntimeException failure) {
        String reason = sentence(failure.getMessage());
        if (settings.profileName().isEmpty()) {
            if (settings.credentialsSource().equals(new CredentialsSource.DefaultChain().description())) {
                // The SDK's message lists every provider of the chain and why each found nothing.
                return "No AWS credentials found by " + settings.credentialsSource() + ". It looked at: " + reason
                        + " Set up one of those, or pass credentials to BotoSesManager.builder().";
            }
            return "No AWS credentials from " + settings.credentialsSource() + ": " + reason;
        }
        String profile = settings.profileName().get();
        String prefix = "No AWS credentials found for profile " + profile + ": ";
        Optional<Profile> sso = ssoProfile(profile);
        if (sso.isPresent()) {
            String via = sso.get().name().equals(profile) ? "" : " (through its source profile " + sso.get().name() + ")";
            List<String> missing = missingModules(sso.get());
            if (!missing.isEmpty()) {
                return prefix + "it gets them from IAM Identity Center (SSO)" + via + ", which needs the AWS SDK"
                        + " module" + (missing.size() == 1 ? " " : "s ") + String.join(" and ", missing) + " on the"
                        + " class path. Add " + (missing.size() == 1 ? "it" : "them") + " (runtime scope is enough),"
                        + " in the version of your other AWS SDK modules. The SDK said: " + reason;
            }
            if (isLoginProblem(failure)) {
                return prefix + "there is no valid IAM Identity Center (SSO) login" + via + ". Log in with `aws sso"
                        + " login --profile " + sso.get().name() + "`, then run again. The SDK said: " + reason;
            }
        }
        return prefix + reason + " Fix the profile in " + ProfileFileLocation.configurationFilePath() + " or "
                + ProfileFileLocation.credentialsFilePath() + ", or pass credentials to BotoSesManager.builder().";
    }

    /** The profile, or the first profile on its chain of source profiles, that gets credentials through SSO. */
    private static Optional<Profile> ssoProfile(String name) {
        ProfileFile files;
        try {
            files = ProfileFile.defaultProfileFile();
        } catch (RuntimeException unreadable) {
            return Optional.empty(); // the failure at hand says so
        }
        Set<String> seen = new HashSet<>();
        Optional<Profile> profile = files.profile(name);
        while (profile.isPresent() && seen.add(profile.get().name())) {
            Map<String, String> properties = profile.get().properties();
            if (properties.containsKey("sso_session") || properties.containsKey(ProfileProperty.SSO_START_URL)
                    || properties.containsKey(ProfileProperty.SSO_ACCOUNT_ID)) {
                return profile;
            }
            profile = Optional.ofNullable(properties.get(ProfileProperty.SOURCE_PROFILE)).flatMap(files::profile);
        }
        return Optional.empty();
    }

    /** sso for every SSO profile; ssooidc too for one with an sso_session (the SDK refreshes its token). */
    private static List<String> missingModules(Profile sso) {
        List<String> missing = new ArrayList<>();
        if (!loadable(SSO_MODULES.get("software.amazon.awssdk:sso"))) {
            missing.add("software.amazon.awssdk:sso");
        }
        if (sso.properties().containsKey("sso_session")
                && !loadable(SSO_MODULES.get("software.amazon.awssdk:ssooidc"))) {
            missing.add("software.amazon.awssdk:ssooidc");
        }
        return missing;
    }

    /** As the SDK looks: the thread's context class loader, then the SDK's own. */
    private static boolean loadable(String className) {
        for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                ProfileFile.class.getClassLoader()}) {
            try {
                Class.forName(className, false, loader);
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next
            }
        }
        return false;
    }

    /** No cached token, an expired one, or one IAM Identity Center no longer accepts: a new login fixes each. */
    private static boolean isLoginProblem(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String type = cause.getClass().getSimpleName();
            String text = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (type.equals("ExpiredTokenException") || type.equals("UnauthorizedException")
                    || text.contains("sso login") || text.contains("unable to load sso token")) {
                return true;
            }
        }
        return false;
    }

    /** The SDK's message ending with a full stop, so bsm's next sentence reads as one. */
    private static String sentence(String message) {
        String text = message == null ? "(no message)" : message.strip();
        return text.endsWith(".") ? text : text + ".";
    }
}
