package dev.bsm.testkit;

import dev.bsm.core.BotoSesManager;
import java.net.URI;

/**
 * An AWS-compatible endpoint for tests: LocalStack in a container ({@link LocalStackEmulator}), a local
 * {@code moto_server} process ({@link MotoServer}), or any external endpoint ({@link ExternalEndpoint}).
 * {@link Emulators#choose(java.util.Optional)} picks one and says why. Framework-neutral; JUnit, TestNG or a plain
 * {@code main} can use it. Implementations are thread-safe, and neither {@code toString()} nor
 * {@link #description()} shows a secret.
 */
public interface Emulator extends AutoCloseable {

    /** {@return the endpoint every client should use, e.g. {@code http://127.0.0.1:4566}} */
    URI endpoint();

    /** {@return the region to sign requests for} */
    String region();

    /** {@return an access key id the emulator accepts} */
    String accessKeyId();

    /** {@return the secret key that goes with {@link #accessKeyId()}; a dummy value, but never printed} */
    String secretAccessKey();

    /**
     * A builder of a manager on this emulator: its credentials, region and endpoint, and whatever else its wire
     * formats need ({@link MotoServer#sessionBuilder()}). Add your own settings; you own the manager you build.
     *
     * @return a new builder
     */
    default BotoSesManager.Builder sessionBuilder() {
        return BotoSesManager.builder()
                .credentials(accessKeyId(), secretAccessKey())
                .region(region())
                .endpointOverride(endpoint());
    }

    /**
     * {@return a manager on this emulator, as {@link #sessionBuilder()} builds it, built once and owned by the
     * emulator: do not close it}
     */
    BotoSesManager session();

    /**
     * Drops all state (buckets, roles, queues ...), where the emulator supports it.
     *
     * @throws UnsupportedOperationException where the emulator cannot drop its state (an
     *     {@linkplain ExternalEndpoint external endpoint}, a LocalStack image without a state reset endpoint); use
     *     unique resource names there instead
     */
    void reset();

    /** {@return what this is and where, for reports, e.g. {@code moto_server at http://127.0.0.1:5012}} */
    String description();

    /**
     * Closes the {@linkplain #session() session} and stops what this emulator started. A no-op for the shared
     * ones ({@link MotoServer#shared()}, which stops when the last JVM of the build using it exits, and
     * {@link LocalStackEmulator#shared()}, which stops when the JVM exits); an external endpoint only closes its
     * session and leaves the server alone. Idempotent.
     */
    @Override
    void close();
}
