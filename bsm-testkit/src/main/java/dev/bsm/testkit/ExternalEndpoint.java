package dev.bsm.testkit;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.InvalidConfigurationException;
import dev.bsm.testkit.internal.MotoQuirks;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * An AWS-compatible endpoint that something else runs: a LocalStack or moto started by docker compose, a CI
 * service container, a colleague's machine. bsm starts nothing and stops nothing; it only points clients at it.
 *
 * <pre>{@code
 * try (ExternalEndpoint localstack = ExternalEndpoint.of(URI.create("http://localhost:4566"))) {
 *     S3Client s3 = localstack.session().client(S3Client.class);
 * }
 * }</pre>
 *
 * <p>{@link Emulators#choose(java.util.Optional)} returns one when an endpoint is given explicitly, for example with
 * {@code -Dbsm.endpoint=http://localhost:4566}.
 *
 * <p>An endpoint served by moto (one of this JVM's {@link MotoServer}s, or a server that answers
 * {@code GET /moto-api/}, asked once when the first manager is built) gets moto's treatment: JSON instead of CBOR
 * for Kinesis ({@link #sessionBuilder()}), no {@code Expect: 100-continue} for S3.
 *
 * <p>{@link #reset()} is not supported: bsm does not know what runs behind the endpoint and never deletes state it
 * did not create. Use unique resource names, or reset the server yourself. Instances are thread-safe.
 */
public final class ExternalEndpoint implements Emulator {

    static final String DEFAULT_REGION = "us-east-1";
    static final String DEFAULT_ACCESS_KEY_ID = "test";
    static final String DEFAULT_SECRET_ACCESS_KEY = "test";
    private static final Duration MOTO_PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final URI endpoint;
    private final String region;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final SessionHolder session = new SessionHolder("This external endpoint", () -> this);
    private Boolean moto; // guarded by this

    private ExternalEndpoint(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        this.endpoint = endpoint;
        this.region = region;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /**
     * An endpoint with the dummy credentials LocalStack and moto accept ({@code test}/{@code test}) and region
     * {@code us-east-1}.
     *
     * @param endpoint an absolute {@code http} or {@code https} URI with a host, such as
     *     {@code http://localhost:4566}
     * @return the endpoint; nothing is contacted yet
     * @throws IllegalArgumentException if the URI is not an absolute http(s) URI with a host
     */
    public static ExternalEndpoint of(URI endpoint) {
        return of(endpoint, DEFAULT_REGION, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY);
    }

    /**
     * An endpoint with the given region and credentials.
     *
     * @param endpoint an absolute {@code http} or {@code https} URI with a host
     * @param region the region to sign requests for, such as {@code eu-west-1}
     * @param accessKeyId an access key id the server accepts
     * @param secretAccessKey its secret key; never printed
     * @return the endpoint; nothing is contacted yet
     * @throws IllegalArgumentException if the URI is not an absolute http(s) URI with a host, or a string is blank
     */
    public static ExternalEndpoint of(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        return new ExternalEndpoint(checkEndpoint(endpoint), nonBlank("region", region),
                nonBlank("accessKeyId", accessKeyId), nonBlank("secretAccessKey", secretAccessKey));
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public String accessKeyId() {
        return accessKeyId;
    }

    @Override
    public String secretAccessKey() {
        return secretAccessKey;
    }

    /**
     * A builder of a manager on this endpoint: its credentials, region and endpoint; where the server is moto, also
     * what {@link MotoServer#sessionBuilder()} adds for moto's wire formats.
     *
     * @return a new builder
     */
    @Override
    public BotoSesManager.Builder sessionBuilder() {
        BotoSesManager.Builder builder = Emulator.super.sessionBuilder();
        return isMoto() ? builder.cborEnabled(false) : builder;
    }

    /**
     * Whether moto serves this endpoint, asked once: a {@code moto_server} of this JVM, or a server that answers
     * {@code GET /moto-api/} with 200 within two seconds (then bsm-testkit treats its requests as moto's everywhere
     * in this JVM, {@link MotoQuirks}). A server that does not answer counts as not moto.
     */
    synchronized boolean isMoto() {
        if (moto == null) {
            moto = MotoQuirks.isServing(endpoint) || EmulatorHttp.status(endpoint.resolve("/moto-api/"),
                    MOTO_PROBE_TIMEOUT).filter(status -> status == 200).isPresent();
            if (moto) {
                MotoQuirks.serving(endpoint);
            }
        }
        return moto;
    }

    /**
     * A manager on this endpoint, as {@link #sessionBuilder()} builds it, built on the first call; {@link #close()}
     * closes it.
     *
     * @return the endpoint's manager
     * @throws IllegalStateException if this endpoint is closed
     */
    @Override
    public BotoSesManager session() {
        return session.get();
    }

    /**
     * Not supported, see the class comment.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void reset() {
        throw new UnsupportedOperationException("Cannot reset the external endpoint " + endpoint + ": bsm does not "
                + "know what runs there and never deletes state it did not create. Use unique resource names, or "
                + "reset the server yourself (moto: POST /moto-api/reset; LocalStack with state reset support: "
                + "POST /_localstack/state/reset).");
    }

    /** @return for example {@code external endpoint http://localhost:4566 (region us-east-1)} */
    @Override
    public String description() {
        return "external endpoint " + endpoint + " (region " + region + ")";
    }

    /** Closes the session if one was built; the server behind the endpoint is left alone. Idempotent. */
    @Override
    public void close() {
        session.close();
    }

    /** @return the endpoint and region, never the secret key */
    @Override
    public String toString() {
        return "ExternalEndpoint[endpoint=" + endpoint + ", region=" + region + "]";
    }

    /**
     * Parses and checks an endpoint given as text (a system property, a configuration parameter): an absolute
     * {@code http} or {@code https} URI with a host, no user info, query or fragment, and a port from 1 to 65535
     * if it has one, exactly what
     * {@link BotoSesManager.Builder#endpointOverride(URI)} accepts. The error never repeats more of the text than
     * its scheme and host, because the rest may carry a password.
     *
     * @param value the endpoint, e.g. {@code http://localhost:4566}; surrounding white space is ignored
     * @return the endpoint
     * @throws IllegalArgumentException if the text is not such a URI
     */
    public static URI parse(String value) {
        Objects.requireNonNull(value, "value");
        URI endpoint;
        try {
            endpoint = new URI(value.strip());
        } catch (URISyntaxException e) {
            // No cause: the parser's message quotes the whole text.
            throw new IllegalArgumentException("The endpoint is not a URI (" + e.getReason() + " at index "
                    + e.getIndex() + "): use an absolute http or https URI such as http://localhost:4566");
        }
        return checkEndpoint(endpoint);
    }

    /** bsm-core's own check, so that an endpoint accepted here is one every manager accepts. */
    static URI checkEndpoint(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        try {
            BotoSesManager.builder().endpointOverride(endpoint);
        } catch (InvalidConfigurationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return endpoint;
    }

    private static String nonBlank(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value.strip();
    }
}
