package dev.bsm.core;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSupplier;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The credentials of a profile for a manager with an endpoint override. The SDK's profile provider assumes a
 * profile's role ({@code role_arn}) through an STS client of its own, which goes to AWS whatever the manager's
 * override says; here each role of the profile's chain is assumed through an STS client on the manager's endpoint,
 * HTTP client and override configuration, so every call goes to the endpoint. What needs no STS (keys,
 * {@code credential_process}, SSO) stays with the SDK's provider, profile by profile.
 *
 * <p>The chain is read from the AWS files on first use, in the SDK's order of precedence: {@code role_arn} with
 * {@code web_identity_token_file}; any SSO setting; {@code role_arn} with {@code source_profile} or
 * {@code credential_source}; else the SDK's provider. Like the SDK's, it ignores {@code duration_seconds} and
 * {@code mfa_serial}. A change of the chain's shape in the files is seen by the next manager; rotated keys are
 * seen at once (the SDK's provider reloads them).
 */
final class ProfileChain implements AwsCredentialsProvider, SdkAutoCloseable {
    private static final Set<String> SSO_PROPERTIES = Set.of(ProfileProperty.SSO_ACCOUNT_ID,
            ProfileProperty.SSO_ROLE_NAME, ProfileProperty.SSO_REGION, ProfileProperty.SSO_START_URL, "sso_session");
    /**
     * The most {@code source_profile} hops a chain may take. The AWS CLI documents no limit; real chains take one
     * to three (keys, an organisation's role, an account's role), and each hop is one more AssumeRole call at every
     * refresh. 64 is far above any of them and far below the depth at which {@link #link}, one frame a hop, would
     * overflow a thread's stack: a file of thousands of chained profiles threw StackOverflowError.
     */
    static final int MAX_SOURCE_PROFILES = 64;

    private final String profileName;
    private final SessionSettings settings;
    private final ManagerScheduler scheduler;
    private final String endpointHost;
    private final Lazy<AwsCredentialsProvider> chain = new Lazy<>(this::readChain);
    private final Lazy<SdkHttpClient> ownHttpClient = new Lazy<>(BotoSesManager::newHttpClient);
    /** Everything built for the chain, sources before the roles on them; closed in reverse. Guarded by this. */
    private final List<AutoCloseable> built = new ArrayList<>();
    private boolean closed; // guarded by this

    ProfileChain(String profileName, SessionSettings settings, ManagerScheduler scheduler) {
        this.profileName = profileName;
        this.settings = settings;
        this.scheduler = scheduler;
        this.endpointHost = settings.endpoint().map(ProfileChain::host).orElseThrow();
    }

    static String host(URI endpoint) {
        return endpoint.getHost() + (endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort());
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return chain.get().resolveCredentials();
    }

    private AwsCredentialsProvider readChain() {
        return link(ProfileFile.defaultProfileFile(), profileName, new LinkedHashSet<>());
    }

    /** @param roles the role profiles on the way here, nearest last, to name the referrer and refuse a cycle */
    private AwsCredentialsProvider link(ProfileFile files, String name, Set<String> roles) {
        Profile profile = files.profile(name).orElseThrow(() -> new InvalidConfigurationException("AWS profile '"
                + (roles.isEmpty() ? name + "' is" : List.copyOf(roles).get(roles.size() - 1)
                        + "' names source_profile '" + name + "', which is")
                + " in neither AWS file; profiles there: " + files.profiles().keySet()));
        Map<String, String> properties = profile.properties();
        Optional<String> roleArn = Optional.ofNullable(properties.get(ProfileProperty.ROLE_ARN));
        if (roleArn.isPresent() && properties.containsKey(ProfileProperty.WEB_IDENTITY_TOKEN_FILE)) {
            return webIdentity(name, roleArn.get(), properties);
        }
        if (roleArn.isEmpty() || SSO_PROPERTIES.stream().anyMatch(properties::containsKey)) {
            return sdkProfile(name);
        }
        String sourceProfile = properties.get(ProfileProperty.SOURCE_PROFILE);
        String credentialSource = properties.get(ProfileProperty.CREDENTIAL_SOURCE);
        if (sourceProfile != null && credentialSource != null) {
            throw new InvalidConfigurationException("AWS profile '" + name + "' has both source_profile and"
                    + " credential_source; keep one of them");
        }
        if (sourceProfile != null) {
            if (!roles.add(name)) {
                throw new InvalidConfigurationException("AWS profiles " + roles + " name each other as"
                        + " source_profile in a circle; end the chain at a profile with credentials");
            }
            if (roles.size() > MAX_SOURCE_PROFILES) {
                List<String> hops = List.copyOf(roles);
                throw new InvalidConfigurationException("AWS profile '" + profileName + "': its source_profile"
                        + " chain is longer than " + MAX_SOURCE_PROFILES + " hops ('" + hops.get(0) + "' -> '"
                        + hops.get(1) + "' -> ... -> '" + name + "' -> '" + sourceProfile + "'); end the chain at a"
                        + " profile with credentials (keys, credential_process, SSO or credential_source) within "
                        + MAX_SOURCE_PROFILES + " hops");
            }
            return role(name, roleArn.get(), properties, link(files, sourceProfile, roles));
        }
        if (credentialSource != null) {
            return role(name, roleArn.get(), properties, credentialSource(name, credentialSource));
        }
        return sdkProfile(name); // role_arn alone: the SDK ignores it too
    }

    private AwsCredentialsProvider sdkProfile(String name) {
        ProfileCredentialsProvider provider = track(ProfileCredentialsProvider.builder().profileName(name)
                .profileFile(ProfileFileSupplier.defaultSupplier()).build());
        return NetworkFailures.reporting(name, Optional.empty(), provider);
    }

    private AwsCredentialsProvider credentialSource(String name, String source) {
        AwsCredentialsProvider provider = switch (source.toLowerCase(Locale.ROOT)) {
            case "environment" -> AwsCredentialsProviderChain.builder().credentialsProviders(
                    SystemPropertyCredentialsProvider.create(), EnvironmentVariableCredentialsProvider.create())
                    .build();
            case "ec2instancemetadata" -> track(InstanceProfileCredentialsProvider.builder().profileName(name)
                    .build());
            case "ecscontainer" -> track(ContainerCredentialsProvider.builder().build());
            default -> throw new InvalidConfigurationException("AWS profile '" + name + "' has credential_source = "
                    + source + "; use Environment, Ec2InstanceMetadata or EcsContainer");
        };
        return NetworkFailures.reporting(name, Optional.empty(), provider);
    }

    private AwsCredentialsProvider role(String name, String roleArn, Map<String, String> properties,
            AwsCredentialsProvider source) {
        AssumeRoleOptions.Builder options = AssumeRoleOptions.builder();
        Optional.ofNullable(properties.get(ProfileProperty.ROLE_SESSION_NAME)).ifPresent(options::roleSessionName);
        Optional.ofNullable(properties.get(ProfileProperty.EXTERNAL_ID)).ifPresent(options::externalId);
        AssumeRoleOptions request = options.build();
        Validation.roleArn(roleArn);
        StsClient sts = stsClient(name, new SharedCredentialsProvider(source), properties);
        StsAssumeRoleCredentialsProvider provider = track(StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts).refreshRequest(request.toRequest(roleArn)).build());
        return NetworkFailures.reporting(name, Optional.of(endpointHost), provider);
    }

    private AwsCredentialsProvider webIdentity(String name, String roleArn, Map<String, String> properties) {
        Validation.roleArn(roleArn);
        Path tokenFile = Path.of(properties.get(ProfileProperty.WEB_IDENTITY_TOKEN_FILE));
        WebIdentityTokenFile.check(name, tokenFile);
        String sessionName = Optional.ofNullable(properties.get(ProfileProperty.ROLE_SESSION_NAME))
                .orElseGet(() -> AssumeRoleOptions.builder().build().roleSessionName());
        // AssumeRoleWithWebIdentity is not signed: the token is the credential.
        StsClient sts = stsClient(name, AnonymousCredentialsProvider.create(), properties);
        StsWebIdentityTokenFileCredentialsProvider provider = track(StsWebIdentityTokenFileCredentialsProvider
                .builder().stsClient(sts).roleArn(roleArn).roleSessionName(sessionName)
                .webIdentityTokenFile(tokenFile).build());
        return NetworkFailures.reporting(name, Optional.of(endpointHost), provider);
    }

    /**
     * An STS client on the manager's endpoint, HTTP client, scheduler and override configuration (its
     * interceptors see the role calls too), in the manager's region, else the profile's (the SDK's choice for its
     * own STS client), else the system settings', else us-east-1: at an endpoint override the region only scopes
     * the signature.
     */
    private StsClient stsClient(String name, AwsCredentialsProvider credentials, Map<String, String> properties) {
        Region region = settings.region().or(() -> Optional.ofNullable(properties.get(ProfileProperty.REGION))
                .map(Region::of)).orElseGet(() -> {
                    try {
                        return new SystemSettingsRegionProvider().getRegion();
                    } catch (RuntimeException none) {
                        return Region.US_EAST_1;
                    }
                });
        ClientFactory factory = new ClientFactory(() -> region, credentials, settings.endpoint(),
                settings.overrideConfiguration(), new ExpiredCredentialsHint(Optional::empty),
                () -> settings.httpClient().orElseGet(ownHttpClient), ProfileChain::noAsyncClient, scheduler,
                settings.cborEnabled());
        return track(factory.build(StsClient.class));
    }

    private static SdkAsyncHttpClient noAsyncClient() {
        throw new IllegalStateException("The STS clients of a profile's roles are sync clients");
    }

    private synchronized <T extends AutoCloseable> T track(T resource) {
        built.add(resource);
        if (closed) {
            close(); // closed while the chain was being read: nothing built now may outlive the manager
            throw new IllegalStateException("The manager of profile " + profileName + " is closed");
        }
        return resource;
    }

    @Override
    public synchronized void close() {
        closed = true;
        List<AutoCloseable> toClose = new ArrayList<>(built);
        Collections.reverse(toClose);
        built.clear();
        ownHttpClient.ifBuilt().ifPresent(toClose::add);
        ownHttpClient.reset();
        BotoSesManager.closeAll(toClose, null);
    }

    @Override
    public String toString() {
        return "ProfileChain[profile " + profileName + " at " + endpointHost + "]";
    }
}
