package dev.bsm.testkit;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What the lease file of a build's emulator says (see {@link BuildLease}): which supervisor runs the emulator (pid,
 * start time and PID namespace, so that a reused pid is never taken for it), whether the emulator is starting,
 * ready or failed to start, and once ready its endpoint, its process and its log. Written only under the lease's
 * start lock, by the JVM that launched the supervisor (starting) and by the supervisor (ready, failed). A record
 * that is not well-formed is no record.
 *
 * @param state where the emulator is
 * @param supervisor the supervisor's process
 * @param build the build and emulator in words, for messages
 * @param endpoint the emulator's endpoint, once ready
 * @param server the emulator's process, once ready
 * @param log the emulator's log file, once ready
 * @param failure why it did not start, once failed
 * @param kind what the supervisor runs: for {@link BuildKey.Kind#MOTO} the endpoint is on {@code 127.0.0.1} and the
 *     server is {@code moto_server}; for {@link BuildKey.Kind#LOCALSTACK} the endpoint is the container's mapped port
 *     on the Docker host and the server is the supervisor itself, which holds the container
 */
record LeaseRecord(State state, ProcessStamp supervisor, String build, Optional<URI> endpoint,
        Optional<ProcessStamp> server, Optional<Path> log, Optional<String> failure, BuildKey.Kind kind) {

    /** The most a record may hold; larger files are no record. */
    static final int MAX_BYTES = 32 * 1024;
    private static final int MAX_FAILURE_CHARS = 12 * 1024;
    private static final Pattern ENDPOINT = Pattern.compile("http://" + Pattern.quote(MotoProcess.HOST)
            + ":\\d{1,5}");
    /** A container's mapped port: on the Docker host, which Testcontainers names by host name or IPv4 address. */
    private static final Pattern CONTAINER_ENDPOINT = Pattern.compile("http://[A-Za-z0-9][A-Za-z0-9.-]{0,252}"
            + ":\\d{1,5}");

    /** Where the emulator of a lease is. */
    enum State {
        /** The supervisor was launched and is starting the emulator. */
        STARTING,
        /** The emulator answers at the endpoint. */
        READY,
        /** The emulator did not start; the supervisor exits. */
        FAILED
    }

    /** {@return the record of a supervisor just launched} */
    static LeaseRecord starting(ProcessStamp supervisor, String build) {
        return starting(supervisor, build, BuildKey.Kind.MOTO);
    }

    /** {@return the record of a supervisor of {@code kind} just launched} */
    static LeaseRecord starting(ProcessStamp supervisor, String build, BuildKey.Kind kind) {
        return new LeaseRecord(State.STARTING, supervisor, build, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), kind);
    }

    /** {@return this supervisor's record once its emulator is ready} */
    LeaseRecord ready(URI endpoint, ProcessStamp server, Path log) {
        return new LeaseRecord(State.READY, supervisor, build, Optional.of(endpoint), Optional.of(server),
                Optional.of(log), Optional.empty(), kind);
    }

    /** {@return this supervisor's record once its emulator failed to start, or died} */
    LeaseRecord failed(String why) {
        String text = why.length() > MAX_FAILURE_CHARS ? why.substring(why.length() - MAX_FAILURE_CHARS) : why;
        return new LeaseRecord(State.FAILED, supervisor, build, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(text), kind);
    }

    /** {@return whether the record names this supervisor} */
    boolean names(ProcessStamp process) {
        return supervisor.equals(process);
    }

    /** {@return the record as the lease file holds it} */
    byte[] bytes() {
        Properties properties = new Properties();
        properties.setProperty("state", state.name());
        properties.setProperty("kind", kind.name());
        properties.setProperty("build", build);
        properties.setProperty("supervisor.pid", Long.toString(supervisor.pid()));
        properties.setProperty("supervisor.start", supervisor.start().toString());
        properties.setProperty("pidns", supervisor.pidNamespace());
        endpoint.ifPresent(uri -> properties.setProperty("endpoint", uri.toString()));
        server.ifPresent(stamp -> {
            properties.setProperty("server.pid", Long.toString(stamp.pid()));
            properties.setProperty("server.start", stamp.start().toString());
        });
        log.ifPresent(path -> properties.setProperty("log", path.toString()));
        failure.ifPresent(text -> properties.setProperty("failure", text));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "bsm: the build's shared emulator; see dev.bsm.testkit.BuildLease");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@return the record the bytes hold, or empty if they are not a well-formed record} */
    static Optional<LeaseRecord> parse(byte[] bytes) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            State state = State.valueOf(required(properties, "state"));
            BuildKey.Kind kind = BuildKey.Kind.valueOf(properties.getProperty("kind", BuildKey.Kind.MOTO.name()));
            String pidns = required(properties, "pidns");
            ProcessStamp supervisor = stamp(properties, "supervisor", pidns);
            String build = required(properties, "build");
            if (state == State.READY) {
                String endpoint = required(properties, "endpoint");
                Pattern form = kind == BuildKey.Kind.MOTO ? ENDPOINT : CONTAINER_ENDPOINT;
                if (!form.matcher(endpoint).matches() || URI.create(endpoint).getPort() < 1
                        || URI.create(endpoint).getPort() > 65535) {
                    return Optional.empty();
                }
                return Optional.of(new LeaseRecord(state, supervisor, build, Optional.of(URI.create(endpoint)),
                        Optional.of(stamp(properties, "server", pidns)),
                        Optional.of(Path.of(required(properties, "log"))), Optional.empty(), kind));
            }
            if (state == State.FAILED) {
                return Optional.of(new LeaseRecord(state, supervisor, build, Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.of(required(properties, "failure")), kind));
            }
            return Optional.of(starting(supervisor, build, kind));
        } catch (IOException | IllegalArgumentException | DateTimeException e) {
            return Optional.empty(); // IllegalArgumentException covers bad numbers, states, ports and paths
        }
    }

    private static ProcessStamp stamp(Properties properties, String prefix, String pidns) {
        return new ProcessStamp(Long.parseLong(required(properties, prefix + ".pid")),
                Instant.parse(required(properties, prefix + ".start")), pidns);
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + key);
        }
        return value;
    }
}
