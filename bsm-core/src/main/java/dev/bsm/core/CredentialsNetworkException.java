package dev.bsm.core;

/**
 * The credentials are configured, but fetching them failed on the network (a host that does not resolve, a
 * refused connection, a timeout): the message names the profile and the host. Not a {@link NoCredentialsException}:
 * the fix is the network, a proxy or the endpoint, not the configuration.
 */
public final class CredentialsNetworkException extends BsmException {
    private static final long serialVersionUID = 1L;

    CredentialsNetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
