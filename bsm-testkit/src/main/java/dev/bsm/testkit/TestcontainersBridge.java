package dev.bsm.testkit;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The only class that touches Testcontainers types. It is loaded only after {@link DockerCheck#testcontainersMissing()}
 * said Testcontainers is on the classpath, so every other class of this package loads without it.
 */
final class TestcontainersBridge {

    private TestcontainersBridge() {
    }

    /**
     * Asks Testcontainers for its Docker client: the same check as {@code DockerClientFactory#isDockerAvailable()},
     * but it keeps the failure's message, which a second call would replace with "Will not retry". May block
     * while Testcontainers probes its strategies; {@link DockerCheck} bounds the wait.
     *
     * @return empty when Docker answers; otherwise what Testcontainers said
     */
    static Optional<String> dockerUnavailableReason() {
        try {
            DockerClientFactory.instance().client();
            return Optional.empty();
        } catch (Throwable e) { // like Testcontainers' own DockerAvailableDetector: anything means "no Docker"
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e;
            }
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            return Optional.of(message.strip());
        }
    }

    /**
     * Starts a LocalStack container and waits until it is ready.
     *
     * @param image a LocalStack image; other registries' copies are accepted as substitutes
     * @param env variables for the container
     * @return the running container
     * @throws RuntimeException whatever Testcontainers throws; the container is stopped then
     */
    static LocalStackEmulator.Container start(String image, Map<String, String> env) {
        DockerImageName name = DockerImageName.parse(image).asCompatibleSubstituteFor("localstack/localstack");
        @SuppressWarnings("resource") // stopped by Running.stop(), or below on failure
        LocalStackContainer container = new LocalStackContainer(name);
        env.forEach(container::withEnv);
        try {
            container.start();
        } catch (RuntimeException e) {
            String logs = logsOf(container);
            container.stop();
            throw new StartFailure(e, logs);
        }
        return new Running(container);
    }

    private static String logsOf(LocalStackContainer container) {
        try {
            return container.getLogs();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** A start failure with what the container printed, which is gone once it is removed. */
    static final class StartFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String logs;

        StartFailure(RuntimeException cause, String logs) {
            super(cause.getMessage(), cause);
            this.logs = logs;
        }
    }

    private static final class Running implements LocalStackEmulator.Container {
        private final LocalStackContainer container;
        private final URI endpoint;

        Running(LocalStackContainer container) {
            this.container = container;
            this.endpoint = container.getEndpoint();
        }

        @Override
        public URI endpoint() {
            return endpoint;
        }

        @Override
        public String accessKeyId() {
            return container.getAccessKey();
        }

        @Override
        public String secretAccessKey() {
            return container.getSecretKey();
        }

        @Override
        public String region() {
            return container.getRegion();
        }

        @Override
        public String containerId() {
            return container.getContainerId();
        }

        @Override
        public boolean running() {
            return container.isRunning();
        }

        @Override
        public void stop() {
            container.stop();
        }
    }
}
