package dev.bsm.testkit;

import dev.bsm.core.BotoSesManager;
import java.net.URI;

/**
 * An AWS-compatible endpoint for tests: LocalStack in a container, a local {@code moto_server} process, or any
 * external endpoint. Framework-neutral; JUnit, TestNG or a plain {@code main} can use it.
 */
public interface Emulator extends AutoCloseable {

    /** @return the endpoint every client should use, e.g. {@code http://127.0.0.1:4566} */
    URI endpoint();

    /** @return the region to sign requests for */
    String region();

    /** @return an access key id the emulator accepts */
    String accessKeyId();

    /** @return the secret key that goes with {@link #accessKeyId()}; a dummy value, but never printed */
    String secretAccessKey();

    /**
     * @return a manager on this emulator (its credentials, region and endpoint), built once and owned by the
     *     emulator: do not close it
     */
    BotoSesManager session();

    /** Drops all state (buckets, roles, queues ...), where the emulator supports it. */
    void reset();

    /** @return what this is and where, for reports, e.g. {@code moto_server at http://127.0.0.1:5012} */
    String description();

    /** Stops what this emulator started; a no-op for shared and external ones. */
    @Override
    void close();
}
