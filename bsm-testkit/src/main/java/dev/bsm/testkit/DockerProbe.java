package dev.bsm.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A quick look for a Docker daemon where Testcontainers would look, without loading Testcontainers: asking
 * Testcontainers where there is no Docker costs a few hundred milliseconds to seconds and logs an ERROR, which a test
 * run that falls back to moto_server should not pay or show.
 *
 * <p>It mirrors Testcontainers 2.0's strategies in their order: {@code tc.host} in
 * {@code ~/.testcontainers.properties}; {@code DOCKER_HOST} (or {@code docker.host} there); then the unix sockets
 * of its socket strategies ({@code /var/run/docker.sock}, {@code $XDG_RUNTIME_DIR/docker.sock},
 * {@code ~/.docker/run/docker.sock}, {@code ~/.docker/desktop/docker.sock}, {@code /run/user/UID/docker.sock}),
 * with the Podman, Rancher Desktop and Colima sockets that other versions and setups use. A unix socket counts only
 * when a daemon answers {@code GET /_ping} with HTTP 200, so a stale socket file does not; a TCP host counts when it
 * accepts a connection (it may speak TLS, so nothing is sent).
 *
 * <p>What it cannot check cheaply it leaves to Testcontainers ({@link Verdict#ASK_TESTCONTAINERS}) rather than
 * skip LocalStack where Docker may well run: Windows named pipes, other {@code DOCKER_HOST} schemes (ssh, npipe),
 * Docker contexts ({@code DOCKER_CONTEXT}, {@code currentContext} in {@code ~/.docker/config.json}), a Testcontainers
 * client strategy or {@code dockerconfig.source} of the user's own, {@code docker-machine} on {@code PATH}, a
 * socket that accepts but does not answer within the timeout, answers with another HTTP status, or fails in a way
 * not listed here. Only when every place was checked and none can hold Docker is the verdict {@link Verdict#ABSENT}.
 */
final class DockerProbe {

    /** What the quick check concluded. */
    enum Verdict {
        /** A daemon answered: ask Testcontainers, which does its own full detection. */
        ANSWERS,
        /** Nothing can hold Docker here: Testcontainers need not be asked. */
        ABSENT,
        /** Not ruled out cheaply: ask Testcontainers. */
        ASK_TESTCONTAINERS
    }

    /**
     * The verdict and one clause saying why, naming every place tried; never a secret (user info and queries of
     * URIs are left out).
     */
    record Result(Verdict verdict, String reason) {
    }

    /**
     * What the check reads. {@link #ofThisJvm()} in production; tests make their own so a machine's real sockets
     * and files do not count.
     *
     * @param env the environment variables
     * @param home the user's home directory ({@code user.home}, which Testcontainers uses)
     * @param windows whether this is Windows, where Docker listens on a named pipe
     * @param systemSocket {@code /var/run/docker.sock}
     * @param userRuntimeDir {@code /run/user/UID}, when the user id is known
     */
    record Host(Map<String, String> env, Path home, boolean windows, Path systemSocket,
            Optional<Path> userRuntimeDir) {

        static Host ofThisJvm() {
            return new Host(System.getenv(), Path.of(System.getProperty("user.home")),
                    Platform.windows(),
                    Path.of("/var/run/docker.sock"), userRuntimeDirectory());
        }

        /** {@code /run/user/UID}, UID being the owner of {@code /proc/self} on Linux; elsewhere unknown. */
        private static Optional<Path> userRuntimeDirectory() {
            try {
                return Optional.of(Path.of("/run/user", Files.getAttribute(Path.of("/proc/self"), "unix:uid")
                        .toString()));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    static final String PING = "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";
    /** Testcontainers' own strategies; a configured strategy of another class is the user's, left to Testcontainers. */
    private static final Set<String> BUILT_IN_STRATEGIES = Set.of(
            "TestcontainersHostPropertyClientProviderStrategy", "EnvironmentAndSystemPropertyClientProviderStrategy",
            "UnixSocketClientProviderStrategy", "DockerMachineClientProviderStrategy",
            "NpipeSocketClientProviderStrategy", "RootlessDockerClientProviderStrategy",
            "DockerDesktopClientProviderStrategy");
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final Pattern CURRENT_CONTEXT = Pattern.compile("\"currentContext\"\\s*:\\s*\"([^\"]*)\"");
    private static final int MAX_ANSWER_BYTES = 512;

    private DockerProbe() {
    }

    // Plain loops and null checks below rather than lambdas and streams: this runs in every JVM that considers
    // LocalStack, and the first lambdas of a JVM cost milliseconds each to link.

    /**
     * Looks for Docker where Testcontainers would. Blocks at most about {@code timeout} per place that accepts a
     * connection but does not answer; places without a daemon answer at once.
     *
     * @param host what to read
     * @param timeout how long one place may take to accept and answer
     * @return the verdict and why
     */
    static Result check(Host host, Duration timeout) {
        if (host.windows()) {
            return new Result(Verdict.ASK_TESTCONTAINERS, "on Windows Docker listens on a named pipe, which bsm "
                    + "leaves to Testcontainers");
        }
        Probe probe = new Probe(timeout);
        Properties testcontainers = probe.userProperties(host.home().resolve(".testcontainers.properties"));
        Map<String, String> env = host.env();

        // Testcontainers' order: tc.host, then DOCKER_HOST or docker.host, then its socket strategies.
        String tcHost = setting(testcontainers.getProperty("tc.host"));
        if (tcHost != null) {
            probe.uri("tc.host in ~/.testcontainers.properties", tcHost);
        }
        String dockerHost = setting(env.get("DOCKER_HOST"));
        String propertyHost = setting(testcontainers.getProperty("docker.host"));
        if (dockerHost != null) {
            probe.uri("DOCKER_HOST", dockerHost);
        } else if (propertyHost != null) {
            probe.uri("docker.host in ~/.testcontainers.properties", propertyHost);
        } else {
            probe.notes.add("DOCKER_HOST is not set");
        }
        probe.configuration(env, testcontainers, host.home());
        for (Path socket : defaultSockets(host)) {
            probe.socket(socket);
        }
        return probe.result();
    }

    /** The sockets Testcontainers' strategies look at, in their order, then those of Podman, Rancher and Colima. */
    static List<Path> defaultSockets(Host host) {
        Set<Path> sockets = new LinkedHashSet<>();
        String xdgValue = setting(host.env().get("XDG_RUNTIME_DIR"));
        Path xdg = xdgValue == null ? null : Path.of(xdgValue);
        Path runUser = host.userRuntimeDir().orElse(null);
        sockets.add(host.systemSocket());
        if (xdg != null) {
            sockets.add(xdg.resolve("docker.sock"));
        }
        sockets.add(host.home().resolve(".docker/run/docker.sock"));
        sockets.add(host.home().resolve(".docker/desktop/docker.sock"));
        if (runUser != null) {
            sockets.add(runUser.resolve("docker.sock"));
        }
        if (xdg != null) {
            sockets.add(xdg.resolve("podman/podman.sock"));
        }
        if (runUser != null) {
            sockets.add(runUser.resolve("podman/podman.sock"));
        }
        sockets.add(host.home().resolve(".rd/docker.sock"));
        sockets.add(host.home().resolve(".colima/default/docker.sock"));
        return List.copyOf(sockets);
    }

    /** One run of the check: what was tried, and what keeps Docker possible. */
    private static final class Probe {
        private final Duration timeout;
        private final List<String> notes = new ArrayList<>(); // places tried that cannot hold Docker
        private final List<Path> missing = new ArrayList<>(); // socket paths with no file
        private final List<String> doubts = new ArrayList<>(); // why Docker may still be there
        private String answered; // where a daemon answered, once one did

        Probe(Duration timeout) {
            this.timeout = timeout;
        }

        Result result() {
            if (answered != null) {
                return new Result(Verdict.ANSWERS, "a Docker daemon answered at " + answered);
            }
            List<String> tried = new ArrayList<>(notes);
            if (!missing.isEmpty()) {
                StringBuilder paths = new StringBuilder("no socket file at ");
                for (int i = 0; i < missing.size(); i++) {
                    paths.append(i == 0 ? "" : ", ").append(missing.get(i));
                }
                tried.add(paths.toString());
            }
            String what = "no Docker daemon answered (" + String.join("; ", tried) + ")";
            return doubts.isEmpty() ? new Result(Verdict.ABSENT, what)
                    : new Result(Verdict.ASK_TESTCONTAINERS, what + ", but " + String.join("; ", doubts));
        }

        Properties userProperties(Path file) {
            Properties properties = new Properties();
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                } catch (IOException | IllegalArgumentException e) {
                    doubts.add(file + " could not be read (" + e.getClass().getSimpleName() + ")");
                }
            }
            return properties;
        }

        /** Settings that make Testcontainers look elsewhere than bsm does. */
        void configuration(Map<String, String> env, Properties testcontainers, Path home) {
            String strategy = firstSetting(env.get("TESTCONTAINERS_DOCKER_CLIENT_STRATEGY"),
                    testcontainers.getProperty("docker.client.strategy"), "");
            if (!strategy.isEmpty() && !BUILT_IN_STRATEGIES.contains(strategy.substring(strategy.lastIndexOf('.')
                    + 1))) {
                doubts.add("Testcontainers is configured with a Docker client strategy of its own (" + strategy + ")");
            }
            String source = firstSetting(env.get("TESTCONTAINERS_DOCKERCONFIG_SOURCE"),
                    testcontainers.getProperty("dockerconfig.source"), "auto");
            if (!source.equals("auto")) {
                doubts.add("dockerconfig.source is " + source + ", so docker-java's own settings apply");
            }
            String contextName = setting(env.get("DOCKER_CONTEXT"));
            String context = contextName != null ? "DOCKER_CONTEXT is " + contextName : currentContext(env, home);
            if (context != null && !context.endsWith(" is default")) {
                doubts.add(context + ": Docker contexts are left to Testcontainers");
            }
            String machine = onPath(env, "docker-machine");
            if (machine != null) {
                doubts.add("docker-machine is installed (" + machine + ")");
            }
        }

        /** @return what config.json says of the current context, or null when it names none */
        private String currentContext(Map<String, String> env, Path home) {
            String configDir = setting(env.get("DOCKER_CONFIG"));
            Path config = (configDir == null ? home.resolve(".docker") : Path.of(configDir)).resolve("config.json");
            if (!Files.isRegularFile(config)) {
                return null;
            }
            try {
                Matcher matcher = CURRENT_CONTEXT.matcher(Files.readString(config, StandardCharsets.UTF_8));
                return matcher.find() && !matcher.group(1).isBlank()
                        ? "the current Docker context in " + config + " is " + matcher.group(1) : null;
            } catch (IOException | RuntimeException e) {
                return "the Docker context in " + config + " could not be read (" + e.getClass().getSimpleName()
                        + ")";
            }
        }

        /** A Docker host given as a URI: a unix socket is pinged, a TCP host connected to, anything else doubted. */
        void uri(String name, String value) {
            if (answered != null) {
                return;
            }
            URI uri;
            try {
                uri = new URI(value.strip());
            } catch (URISyntaxException e) {
                doubts.add(name + " is not a URI bsm can read");
                return;
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            switch (scheme) {
                case "unix" -> {
                    if (uri.getPath() == null || uri.getPath().isEmpty()) {
                        doubts.add(name + " is a unix URI without a path");
                    } else {
                        outcome(name + " unix://" + uri.getPath(), ping(uri.getPath()), null);
                    }
                }
                case "tcp", "http", "https" -> {
                    String shown = name + " " + scheme + "://" + uri.getHost() + ":" + uri.getPort();
                    if (uri.getHost() == null || uri.getPort() < 0) {
                        doubts.add(name + " has no host and port bsm can read");
                    } else {
                        outcome(shown, connect(uri.getHost(), uri.getPort()), null);
                    }
                }
                default -> doubts.add(name + " uses " + (scheme.isEmpty() ? "no scheme" : scheme + "://")
                        + ", which bsm leaves to Testcontainers");
            }
        }

        void socket(Path path) {
            if (answered == null) {
                outcome(path.toString(), ping(path.toString()), path);
            }
        }

        private void outcome(String where, Outcome outcome, Path missingPath) {
            switch (outcome.kind) {
                case ANSWERS -> answered = where;
                case MISSING -> {
                    if (missingPath != null) {
                        missing.add(missingPath);
                    } else {
                        notes.add(where + ": " + outcome.text);
                    }
                }
                case ABSENT -> notes.add(where + ": " + outcome.text);
                case UNSURE -> doubts.add(where + " " + outcome.text);
                default -> throw new IllegalStateException(outcome.kind.toString());
            }
        }

        /** Asks the daemon behind a unix socket for {@code /_ping}; a stale socket file refuses at once. */
        Outcome ping(String path) {
            Path file;
            try {
                file = Path.of(path);
            } catch (InvalidPathException e) {
                return Outcome.unsure("is not a path bsm can read");
            }
            if (!Files.exists(file)) {
                return Outcome.missing();
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    Selector selector = Selector.open()) {
                channel.configureBlocking(false);
                if (!channel.connect(UnixDomainSocketAddress.of(file))) {
                    if (!await(channel, selector, SelectionKey.OP_CONNECT, deadline)) {
                        return Outcome.unsure("did not accept a connection within " + timeout);
                    }
                    channel.finishConnect();
                }
                return exchange(channel, selector, deadline);
            } catch (ConnectException e) {
                return Outcome.absent("connection refused, a socket file nothing listens on");
            } catch (SocketException e) {
                String message = String.valueOf(e.getMessage());
                if (message.contains("No such file")) {
                    return Outcome.missing();
                }
                return message.contains("Permission denied")
                        ? Outcome.absent("permission denied (this user may not use it; Testcontainers could not"
                                + " either)")
                        : Outcome.unsure("failed with " + e);
            } catch (IOException | RuntimeException e) {
                return Outcome.unsure("failed with " + e);
            }
        }

        /** Sends the ping on a connected channel and reads the status line of the answer. */
        private Outcome exchange(SocketChannel channel, Selector selector, long deadline) throws IOException {
            try {
                ByteBuffer request = ByteBuffer.wrap(PING.getBytes(StandardCharsets.US_ASCII));
                while (request.hasRemaining()) {
                    if (channel.write(request) == 0 && !await(channel, selector, SelectionKey.OP_WRITE, deadline)) {
                        return Outcome.unsure("did not take GET /_ping within " + timeout);
                    }
                }
                return answer(channel, selector, deadline);
            } catch (IOException e) {
                // A peer that closes without reading resets the connection: it hung up, which no daemon does.
                // NIO reports it as a plain IOException ("Connection reset by peer", "Broken pipe").
                String message = String.valueOf(e.getMessage());
                if (message.contains("reset") || message.contains("Broken pipe")) {
                    return Outcome.absent("closed the connection without answering GET /_ping");
                }
                throw e;
            }
        }

        private Outcome answer(SocketChannel channel, Selector selector, long deadline) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(MAX_ANSWER_BYTES);
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer);
                if (read < 0) {
                    break;
                }
                if (read == 0 && !await(channel, selector, SelectionKey.OP_READ, deadline)) {
                    return buffer.position() == 0 ? Outcome.unsure("accepted the connection but did not answer "
                            + "GET /_ping within " + timeout) : statusOf(buffer);
                }
                if (new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1).contains("\n")) {
                    break; // the status line is all the verdict needs
                }
            }
            return buffer.position() == 0 ? Outcome.absent("closed the connection without answering GET /_ping")
                    : statusOf(buffer);
        }

        private static Outcome statusOf(ByteBuffer buffer) {
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
            Matcher status = STATUS_LINE.matcher(text);
            if (!status.find()) {
                return Outcome.absent("answered GET /_ping with something that is not HTTP, so no Docker daemon");
            }
            return status.group(1).equals("200") ? Outcome.answers()
                    : Outcome.unsure("answered GET /_ping with HTTP " + status.group(1));
        }

        private static boolean await(SocketChannel channel, Selector selector, int operation, long deadline)
                throws IOException {
            SelectionKey key = channel.register(selector, operation);
            try {
                long millis = (deadline - System.nanoTime()) / 1_000_000;
                return millis > 0 && selector.select(millis) > 0;
            } finally {
                selector.selectedKeys().clear();
                key.interestOps(0);
            }
        }

        /** Connects to a TCP Docker host; it may speak TLS, so accepting the connection is all that is asked. */
        Outcome connect(String hostName, int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(hostName, port), (int) Math.max(1, timeout.toMillis()));
                return Outcome.answers();
            } catch (UnknownHostException e) {
                return Outcome.absent("unknown host");
            } catch (ConnectException e) {
                return Outcome.absent("connection refused");
            } catch (NoRouteToHostException e) {
                return Outcome.absent("no route to the host");
            } catch (SocketTimeoutException e) {
                return Outcome.unsure("did not accept a connection within " + timeout);
            } catch (IOException | RuntimeException e) {
                return Outcome.unsure("failed with " + e);
            }
        }
    }

    /** What one place gave. */
    private record Outcome(Kind kind, String text) {
        enum Kind { ANSWERS, MISSING, ABSENT, UNSURE }

        static Outcome answers() {
            return new Outcome(Kind.ANSWERS, "");
        }

        static Outcome missing() {
            return new Outcome(Kind.MISSING, "no socket file there");
        }

        static Outcome absent(String text) {
            return new Outcome(Kind.ABSENT, text);
        }

        static Outcome unsure(String text) {
            return new Outcome(Kind.UNSURE, text);
        }
    }

    /** @return the command's path in a directory of {@code PATH}, or null */
    private static String onPath(Map<String, String> env, String command) {
        String path = env.get("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            try {
                if (!dir.isBlank() && Files.isExecutable(Path.of(dir, command))) {
                    return Path.of(dir, command).toString();
                }
            } catch (InvalidPathException e) {
                // not a directory name; Testcontainers cannot find anything there either
            }
        }
        return null;
    }

    /** @return the value stripped, or null when it is missing or blank */
    private static String setting(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String firstSetting(String first, String second, String otherwise) {
        String value = setting(first);
        if (value == null) {
            value = setting(second);
        }
        return value == null ? otherwise : value;
    }
}
