package dev.bsm.core;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Tells a network failure on the way to a profile's credentials (a host that does not resolve, a refused or timed
 * out connection) from credentials that are missing or wrong, and says so with the host: the SDK's own message
 * for it read "No AWS credentials found" once bsm had wrapped it.
 */
final class NetworkFailures {
    /** Apache's "Connect to http://host:port [...] failed", "Connect to host:port [...] failed". */
    private static final Pattern CONNECT_TO = Pattern.compile("Connect to (?:[a-zA-Z][a-zA-Z0-9+.-]*://)?([^\\s/\\[]+)");

    private NetworkFailures() {
    }

    /**
     * A provider that throws a {@link CredentialsNetworkException} where {@code provider} fails on the network.
     *
     * @param profile the profile whose credentials these are, for the message
     * @param host where the provider's own calls go, when known; else the host is read from the failure
     */
    static AwsCredentialsProvider reporting(String profile, Optional<String> host, AwsCredentialsProvider provider) {
        return new Reporting(profile, host, provider);
    }

    /**
     * {@return the failure as a network failure of the profile's credentials, or empty when it is none}: a
     * {@link CredentialsNetworkException} already in the chain (a source profile's) is returned as it is
     */
    static Optional<CredentialsNetworkException> of(String profile, Optional<String> host, Throwable failure) {
        List<Throwable> chain = causes(failure);
        for (Throwable cause : chain) {
            if (cause instanceof CredentialsNetworkException named) {
                return Optional.of(named);
            }
        }
        Optional<Throwable> network = chain.stream().filter(NetworkFailures::isNetwork).findFirst();
        return network.map(cause -> new CredentialsNetworkException("The credentials of profile " + profile
                + " could not be fetched: a network failure on the way to "
                + host.or(() -> hostIn(chain)).orElse("a host the SDK did not name") + " (" + cause.getClass()
                        .getSimpleName() + ": " + cause.getMessage() + "). The profile is configured; check that"
                + " the host is reachable (network, proxy, VPN, endpoint override), then try again.", failure));
    }

    private static boolean isNetwork(Throwable cause) {
        // java.io's ConnectTimeoutException of Apache's clients is no SocketException: matched by name.
        return cause instanceof UnknownHostException || cause instanceof SocketException
                || cause instanceof SocketTimeoutException || cause instanceof HttpTimeoutException
                || cause.getClass().getSimpleName().equals("ConnectTimeoutException");
    }

    private static Optional<String> hostIn(List<Throwable> chain) {
        for (Throwable cause : chain) {
            if (cause instanceof UnknownHostException && cause.getMessage() != null) {
                // "sts.amazonaws.com" or "sts.amazonaws.com: Name or service not known"
                return Optional.of(cause.getMessage().split(": ", 2)[0]);
            }
            Matcher connectTo = CONNECT_TO.matcher(String.valueOf(cause.getMessage()));
            if (connectTo.find()) {
                return Optional.of(connectTo.group(1));
            }
        }
        return Optional.empty();
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }

    /** Not closeable: what it wraps is closed by whoever built it. */
    private record Reporting(String profile, Optional<String> host, AwsCredentialsProvider provider)
            implements AwsCredentialsProvider {
        @Override
        public AwsCredentials resolveCredentials() {
            try {
                return provider.resolveCredentials();
            } catch (RuntimeException e) {
                Optional<CredentialsNetworkException> network = of(profile, host, e);
                if (network.isPresent()) {
                    throw network.get();
                }
                throw e;
            }
        }

        @Override
        public String toString() {
            return "Reporting[" + provider.getClass().getSimpleName() + "]";
        }
    }
}
