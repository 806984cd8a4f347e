package dev.bsm.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * {@link BotoSesManager#assumeRole(String, java.util.function.Consumer)} once the role ARN and options are checked:
 * builds the new manager's settings, credentials provider and the resources it owns.
 */
final class RoleAssumer {
    private final BotoSesManager parent;
    private final String roleArn;
    private final AssumeRoleOptions options;

    RoleAssumer(BotoSesManager parent, String roleArn, AssumeRoleOptions options) {
        this.parent = parent;
        this.roleArn = roleArn;
        this.options = options;
    }

    /** {@return a new manager on the role's credentials, in the options' region or else the parent's} */
    BotoSesManager assume() {
        Region childRegion = options.region().map(Region::of).orElseGet(parent::region);
        if (options.autoRefresh()) {
            return autoRefreshing(childRegion);
        }
        return oneShot(childRegion);
    }

    /** One AssumeRole call; the new manager holds the credentials STS gave, and owns nothing of its own. */
    private BotoSesManager oneShot(Region childRegion) {
        AssumeRoleResponse response;
        if (parent.optionalRegion().isPresent()) {
            response = parent.client(StsClient.class).assumeRole(options.toRequest(roleArn));
        } else {
            // No region of its own: STS is called in the region given for the role.
            try (StsClient sts = parent.clientFactory(() -> childRegion).build(StsClient.class)) {
                response = sts.assumeRole(options.toRequest(roleArn));
            }
        }
        Credentials credentials = response.credentials();
        AwsSessionCredentials sessionCredentials = AwsSessionCredentials.builder()
                .accessKeyId(credentials.accessKeyId())
                .secretAccessKey(credentials.secretAccessKey())
                .sessionToken(credentials.sessionToken())
                .expirationTime(credentials.expiration())
                .build();
        return new BotoSesManager(parent.settings().forChild(childRegion, "assumed role " + roleArn),
                StaticCredentialsProvider.create(sessionCredentials), List.of());
    }

    /**
     * The SDK's refreshing provider on an STS client signed with the parent's credentials; the new manager owns
     * the provider, that STS client, its HTTP client (unless the caller's) and its scheduler. When anything fails
     * on the way, what was built so far is closed.
     */
    private BotoSesManager autoRefreshing(Region childRegion) {
        boolean ownsHttpClient = parent.settings().httpClient().isEmpty();
        SdkHttpClient refreshHttpClient = parent.settings().httpClient().orElseGet(BotoSesManager::newHttpClient);
        // The new manager owns its refresh STS client, so that client schedules on the new manager's scheduler.
        ManagerScheduler childScheduler = new ManagerScheduler();
        StsClient refreshSts = null;
        StsAssumeRoleCredentialsProvider provider = null;
        try {
            refreshSts = parent.clientFactory(() -> parent.optionalRegion().orElse(childRegion),
                    () -> refreshHttpClient, childScheduler).build(StsClient.class);
            // The SDK never hands out credentials inside the stale window: that is the guarantee. Before it, one
            // caller refreshes at a jittered moment of the prefetch window while the others go on.
            Duration window = options.refreshWindow();
            Duration headroom = options.duration().minus(window).dividedBy(2);
            Duration prefetch = window.plus(headroom.compareTo(Duration.ofMinutes(5)) < 0
                    ? headroom : Duration.ofMinutes(5));
            provider = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(refreshSts)
                    .refreshRequest(() -> options.toRequest(roleArn))
                    .staleTime(window)
                    .prefetchTime(prefetch)
                    .build();
            provider.resolveCredentials();
            // Closed in this order: the provider stops refreshing before its STS client and HTTP client go.
            List<AutoCloseable> owned = new ArrayList<>(List.of(provider, refreshSts));
            if (ownsHttpClient) {
                owned.add(refreshHttpClient);
            }
            return new BotoSesManager(parent.settings().forChild(childRegion, "auto-refreshing role " + roleArn),
                    provider, owned, childScheduler);
        } catch (RuntimeException | Error e) {
            List<AutoCloseable> built = new ArrayList<>();
            if (provider != null) {
                built.add(provider);
            }
            if (refreshSts != null) {
                built.add(refreshSts);
            }
            if (ownsHttpClient) {
                built.add(refreshHttpClient);
            }
            built.add(childScheduler);
            BotoSesManager.closeAll(built, e);
            throw e;
        }
    }
}
