package dev.bsm.junit5;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the host and port of a request are an emulator's, for {@link EmulatorGuard}. Names are compared, never
 * resolved: the guard decides before any DNS lookup or connection.
 *
 * <ul>
 * <li>The port must be the emulator's (the scheme's default where none is given). The scheme does not count: the
 *     port of a host names the server, and LocalStack answers http and https on one port.
 * <li>The emulator's own host, and any name under it ({@code reports.localstack} for {@code localstack}: S3's
 *     virtual-host style), count as the emulator.
 * <li>Names of this machine count as one another: {@code localhost} and every name under it (RFC 6761, so S3's
 *     {@code reports.localhost}), 127.0.0.0/8, {@code ::1}, {@code 0.0.0.0} and {@code ::} (which connect to this
 *     machine), and LocalStack's {@code localhost.localstack.cloud} with every name under it (public DNS answers
 *     127.0.0.1 for them): an emulator on {@code 127.0.0.1:4566} is reached as
 *     {@code s3.localhost.localstack.cloud:4566}.
 * <li>Nothing else: another name of this machine ({@code myhost}, its LAN address) is not known to be it without
 *     a lookup, and is refused.
 * </ul>
 */
final class EmulatorHosts {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final String LOCALSTACK_LOOPBACK = "localhost.localstack.cloud";

    private EmulatorHosts() {
    }

    /**
     * @param emulator the emulator's endpoint, e.g. {@code http://127.0.0.1:5000}
     * @param host the request's host, e.g. {@code reports.localhost} or {@code [::1]}
     * @param port the request's port (the SDK gives the scheme's default where the endpoint has none)
     * @return whether the request goes to that emulator
     */
    static boolean isEmulator(URI emulator, String host, int port) {
        if (emulator.getHost() == null || host == null || port != port(emulator)) {
            return false;
        }
        String emulatorHost = normal(emulator.getHost());
        String requestHost = normal(host);
        if (requestHost.equals(emulatorHost)
                || !ipLiteral(emulatorHost) && requestHost.endsWith("." + emulatorHost)) {
            return true;
        }
        return thisMachine(emulatorHost) && thisMachine(requestHost);
    }

    /** {@return whether a host names this machine (loopback, by name only), whatever the port} */
    static boolean isThisMachine(String host) {
        return host != null && thisMachine(normal(host));
    }

    private static int port(URI endpoint) {
        if (endpoint.getPort() != -1) {
            return endpoint.getPort();
        }
        return "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
    }

    /** Lower case, without IPv6 brackets and without the root's trailing dot ({@code localhost.}). */
    private static String normal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean ipLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    private static boolean thisMachine(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost") || host.equals(LOCALSTACK_LOOPBACK)
                || host.endsWith("." + LOCALSTACK_LOOPBACK)) {
            return true;
        }
        Matcher ipv4 = IPV4.matcher(host);
        if (ipv4.matches()) {
            int first = Integer.parseInt(ipv4.group(1));
            return first == 127 && octets(ipv4) || host.equals("0.0.0.0");
        }
        if (host.indexOf(':') >= 0) {
            try {
                // A name with a colon can only be an IPv6 literal: parsed, never looked up.
                InetAddress address = InetAddress.getByName("[" + host + "]");
                return address.isLoopbackAddress() || address.isAnyLocalAddress();
            } catch (UnknownHostException | SecurityException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean octets(Matcher ipv4) {
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(ipv4.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }
}
