package dev.bsm.core;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileLocation;
import software.amazon.awssdk.profiles.ProfileFileSupplier;

/**
 * Where the credentials of a manager from {@link BotoSesManager.Builder} come from: one value of exactly one kind,
 * which knows how to make its provider, which part of that the manager owns, and a description without secrets.
 */
sealed interface CredentialsSource {
    /** A provider, and what of it the manager closes: what it made, never what the caller passed in. */
    record Made(AwsCredentialsProvider provider, List<AutoCloseable> owned) {
    }

    /**
     * {@return a new provider, with what the manager must close}
     *
     * @param settings the manager's settings: a profile's roles are assumed at its endpoint override
     * @param scheduler the manager's scheduler, for the clients a provider builds
     * @throws UnknownProfileException when a profile is in neither AWS file (checked here, at build time)
     */
    Made make(SessionSettings settings, ManagerScheduler scheduler);

    /** {@return how the credentials are obtained, for {@code toString} and error messages; never a secret} */
    String description();

    /** {@return the profile's name, which the region chain and {@code AWS_PROFILE} use too; empty for others} */
    default Optional<String> profileName() {
        return Optional.empty();
    }

    /** A profile of {@code ~/.aws/config} or {@code ~/.aws/credentials}. */
    record Profile(String name) implements CredentialsSource {
        /**
         * The SDK's provider; with an endpoint override, one that assumes the profile's roles at that endpoint
         * too. Either way a network failure on the way to the credentials says so, naming the host.
         */
        @Override
        public Made make(SessionSettings settings, ManagerScheduler scheduler) {
            checkExists();
            if (settings.endpoint().isPresent()) {
                ProfileChain chain = new ProfileChain(name, settings, scheduler);
                return new Made(chain, List.of(chain));
            }
            ProfileCredentialsProvider provider = ProfileCredentialsProvider.builder()
                    .profileName(name)
                    .profileFile(ProfileFileSupplier.defaultSupplier()) // rotated keys are picked up
                    .build();
            return new Made(NetworkFailures.reporting(name, Optional.empty(), provider), List.of(provider));
        }

        /** The SDK would only fail on the first call; a misspelt name should fail where it was given. */
        private void checkExists() {
            ProfileFile profiles;
            try {
                profiles = ProfileFile.defaultProfileFile();
            } catch (RuntimeException e) {
                throw new InvalidConfigurationException("The AWS config files " + filesRead()
                        + " cannot be read: " + e.getMessage(), e);
            }
            if (profiles.profile(name).isEmpty()) {
                throw new UnknownProfileException("AWS profile '" + name + "' not found in "
                        + filesRead() + "; profiles there: " + profiles.profiles().keySet()
                        + ". Fix the name, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at the right files.");
            }
        }

        private static String filesRead() {
            return ProfileFileLocation.configurationFilePath() + " and " + ProfileFileLocation.credentialsFilePath();
        }

        @Override
        public String description() {
            return "profile " + name;
        }

        @Override
        public Optional<String> profileName() {
            return Optional.of(name);
        }
    }

    /** Keys given to the builder, or read from a snapshot. */
    record StaticKeys(AwsCredentials credentials) implements CredentialsSource {
        @Override
        public Made make(SessionSettings settings, ManagerScheduler scheduler) {
            return new Made(StaticCredentialsProvider.create(credentials), List.of());
        }

        /**
         * The access key id masked as a user id is: in a snapshot with key and secret swapped, it is the secret.
         */
        @Override
        public String description() {
            return "explicit keys " + Masking.maskUserId(credentials.accessKeyId());
        }

        /** Not the record's own: that would print the credentials' fields. */
        @Override
        public String toString() {
            return "StaticKeys[" + description() + "]";
        }
    }

    /** The caller's provider, which the caller closes. */
    record Provider(AwsCredentialsProvider provider) implements CredentialsSource {
        @Override
        public Made make(SessionSettings settings, ManagerScheduler scheduler) {
            return new Made(provider, List.of());
        }

        @Override
        public String description() {
            return "provider " + provider.getClass().getSimpleName();
        }
    }

    /** The SDK's default chain: what a builder with no credentials set uses. */
    record DefaultChain() implements CredentialsSource {
        @Override
        public Made make(SessionSettings settings, ManagerScheduler scheduler) {
            DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
            return new Made(chain, List.of(chain));
        }

        @Override
        public String description() {
            return "the default credentials chain";
        }
    }
}
