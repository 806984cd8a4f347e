package dev.bsm.core;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The manager's credentials provider as handed to each client. The SDK closes a client's provider when the client
 * closes if the provider is closeable; this view is not, so one client's close cannot break the others.
 */
final class SharedCredentialsProvider implements AwsCredentialsProvider {
    private final AwsCredentialsProvider delegate;

    SharedCredentialsProvider(AwsCredentialsProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return delegate.resolveCredentials();
    }

    @Override
    public String toString() {
        return "SharedCredentialsProvider[" + delegate.getClass().getSimpleName() + "]";
    }
}
