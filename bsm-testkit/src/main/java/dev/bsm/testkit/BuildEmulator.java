package dev.bsm.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The build's shared {@code moto_server}, held by the JVM of a build tool (Maven's, for bsm-maven-plugin's
 * {@code <emulator>moto</emulator>}) for every test JVM it launches: one server from before the first test JVM to
 * after the last, also across Surefire's and Failsafe's phases, which no test JVM spans.
 *
 * <p>{@link #startMoto()} takes the same build lease as {@link MotoServer#shared()} does in a test JVM (same lease
 * directory, same supervisor), so the holder counts as one of the server's users: the server stops within seconds
 * of the last user letting go, the holder by {@link #close()} or by exiting however it exits (the kernel releases its
 * lock, {@code kill -9} included), the test JVMs by exiting. Pass {@link #testJvmProperties()} to the test JVMs: with
 * them, {@link MotoServer#shared()} there joins this server instead of starting one.
 *
 * <pre>{@code
 * try (BuildEmulator moto = BuildEmulator.startMoto()) {
 *     moto.testJvmProperties().forEach((name, value) -> testJvmArguments.add("-D" + name + "=" + value));
 *     runTheTestJvms();
 * }
 * }</pre>
 *
 * <p>Linux or another POSIX system with a POSIX temporary directory (see {@link #unavailableReason()}). Instances
 * are thread-safe.
 */
public final class BuildEmulator implements AutoCloseable {

    private final BuildLease.Attached attached;
    private boolean closed; // guarded by this

    private BuildEmulator(BuildLease.Attached attached) {
        this.attached = attached;
    }

    /**
     * Tells why {@link #startMoto()} cannot hold a build's {@code moto_server} here, without starting anything.
     *
     * @return empty when it can; otherwise what is missing (the {@code moto_server} executable, or a platform where
     *     the lease is safe)
     */
    public static Optional<String> unavailableReason() {
        Optional<String> moto = MotoServer.unavailableReason();
        if (moto.isPresent()) {
            return moto;
        }
        return BuildLease.supported() ? Optional.empty() : Optional.of(leaseUnsupported());
    }

    private static String leaseUnsupported() {
        return "the build's shared moto_server needs a POSIX shell and a POSIX temporary directory ("
                + System.getProperty("java.io.tmpdir") + "), which this platform does not offer";
    }

    /**
     * Starts the build's {@code moto_server}, or attaches to the one another JVM of the same build runs (the build
     * as {@link TestkitSettings#EMULATOR_BUILD_ID_PROPERTY bsm.emulator.buildId} defines it, in this JVM's
     * {@code java.io.tmpdir}), and holds it until {@link #close()} or until this JVM exits.
     *
     * @return the held server
     * @throws EmulatorUnavailableException if no {@code moto_server} executable can be found
     * @throws EmulatorStartException if the server did not start, or the lease cannot be kept safe here
     * @throws IllegalArgumentException if system property {@code bsm.moto.startTimeout} is not a positive duration
     */
    public static BuildEmulator startMoto() {
        MotoServer.unavailableReason().ifPresent(reason -> {
            throw new EmulatorUnavailableException(reason);
        });
        if (!BuildLease.supported()) {
            throw new EmulatorStartException("moto_server was not started: " + leaseUnsupported());
        }
        Path executable = MotoExecutable.resolve();
        return new BuildEmulator(BuildLease.attach(BuildKey.forMoto(executable), executable));
    }

    /** {@return where the server answers, {@code http://127.0.0.1:<port>}} */
    public URI endpoint() {
        return attached.endpoint();
    }

    /** {@return the {@code moto_server} process, run by the lease's supervisor} */
    public ProcessHandle process() {
        return attached.server();
    }

    /**
     * {@return the system properties a test JVM needs to join this server:
     * {@value TestkitSettings#BUILD_EMULATOR_LEASE_PROPERTY} (the lease directory, a path) and
     * {@value TestkitSettings#BUILD_EMULATOR_ENDPOINT_PROPERTY}; never a secret}
     */
    public Map<String, String> testJvmProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(TestkitSettings.BUILD_EMULATOR_LEASE_PROPERTY, attached.lease().toString());
        properties.put(TestkitSettings.BUILD_EMULATOR_ENDPOINT_PROPERTY, endpoint().toString());
        return properties;
    }

    /**
     * {@return the server in words, for logs: endpoint, pid and build; never a secret}
     */
    public String description() {
        return MotoExecutable.NAME + " at " + endpoint() + " (pid " + process().pid() + ", " + attached.build() + ")";
    }

    /**
     * Lets go of the server: this JVM is no longer one of its users, so it stops within seconds once no test JVM
     * uses it either. The use is the JVM's: every {@code BuildEmulator} of this JVM on the same server lets go with
     * it, and so does a {@link MotoServer#shared()} of this JVM on it. Closing again does nothing.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            BuildLease.release(attached.lease());
        }
    }

    /** {@return whether {@link #close()} was called} */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "BuildEmulator[" + description() + (isClosed() ? ", closed" : "") + "]";
    }
}
