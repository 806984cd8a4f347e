package dev.bsm.core;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * A manager's immutable settings. Assumed-role managers get a copy with their own region and credentials source;
 * every value in here is immutable or thread-safe, so parent and child share no unguarded mutable state.
 *
 * @param credentialsSource how the credentials were obtained, for {@code toString} and error messages
 * @param httpClient a caller-owned HTTP client, never closed by bsm
 * @param asyncHttpClient a caller-owned async HTTP client, never closed by bsm
 * @param cborEnabled whether CBOR services speak CBOR; empty for the SDK's own setting ({@link CborSetting})
 * @param accountId the account the caller says the credentials act in, empty to ask STS
 * @param httpClientsOf the manager whose HTTP clients this one borrows (thread-safe), empty for its own
 */
record SessionSettings(
        Optional<String> profileName,
        Optional<Region> region,
        Optional<URI> endpoint,
        Optional<ClientOverrideConfiguration> overrideConfiguration,
        Optional<SdkHttpClient> httpClient,
        Optional<SdkAsyncHttpClient> asyncHttpClient,
        Optional<Boolean> cborEnabled,
        String credentialsSource,
        Optional<String> accountId,
        Optional<BotoSesManager> httpClientsOf) {

    /** A role's: its account is the role's, which STS tells; it borrows what its parent borrows. */
    SessionSettings forChild(Region childRegion, String childCredentialsSource) {
        return new SessionSettings(Optional.empty(), Optional.of(childRegion), endpoint, overrideConfiguration,
                httpClient, asyncHttpClient, cborEnabled, childCredentialsSource, Optional.empty(), httpClientsOf);
    }
}
