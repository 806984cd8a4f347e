package dev.bsm.testkit;

import dev.bsm.core.BsmException;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The build's LocalStack container, on both sides of its lease (see {@link BuildLease}): the
 * {@link LeaseSupervisor} starts it through Testcontainers in its own JVM ({@link #start}) and stops it once the
 * last JVM using it has exited; if the supervisor dies instead, Testcontainers' Ryuk removes it, as the watchdog
 * stops moto. The test JVMs attach to it by the endpoint the record names ({@link #attach}). All the rest (locks,
 * record, supervisor) is the lease's own, the same as moto's.
 *
 * <p>The supervisor's class path is the launching JVM's (see {@link #classPath()}): Testcontainers, its
 * LocalStack module and their dependencies are there when the user added {@code testcontainers-localstack}.
 */
final class LeaseContainer {

    /** How long a JVM waits for the build's container: an image pull is part of a first start. */
    static final Duration START_WAIT = Duration.ofMinutes(5);
    /**
     * For bsm's tests only: the name of a {@link Starter} class with a public no-argument constructor, used instead
     * of Testcontainers (and instead of the Docker check), so that the sharing is tested where no Docker runs.
     */
    static final String STARTER_PROPERTY = "bsm.internal.leaseContainerStarter";
    /** What {@code LocalStackContainer} reports when neither {@code AWS_ACCESS_KEY_ID} nor the region is set. */
    static final String ACCESS_KEY_ID = "test";
    static final String REGION = "us-east-1";
    private static final long RUNNING_CHECK_NANOS = Duration.ofSeconds(2).toNanos();

    /** Starts a LocalStack container: Testcontainers, or a test's stand-in. */
    interface Starter {
        LocalStackEmulator.Container start(String image, Map<String, String> environment);
    }

    private LeaseContainer() {
    }

    /** {@return the key of the build's container on {@code image}, with this JVM's token and Docker host} */
    static BuildKey key(String image) {
        return BuildKey.forLocalStack(image, TestkitSettings.localStackAuthToken(),
                Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(host -> !host.isBlank()));
    }

    /** {@return whether a test's stand-in starts the container instead of Testcontainers} */
    static boolean stubbed() {
        return System.getProperty(STARTER_PROPERTY) != null;
    }

    /**
     * Attaches this JVM to the build's container on {@code image}, its supervisor starting it if no JVM of the
     * build has; this JVM is one of its users until it exits.
     */
    static LocalStackEmulator.Container attach(String image) {
        BuildLease.Attached attached = BuildLease.attach(key(image), null);
        return new LocalStackEmulator.Container() {
            @Override
            public URI endpoint() {
                return attached.endpoint();
            }

            @Override
            public String accessKeyId() {
                return ACCESS_KEY_ID;
            }

            @Override
            public String secretAccessKey() {
                return ACCESS_KEY_ID; // LocalStack takes any secret; its container reports the key id's value
            }

            @Override
            public String region() {
                return REGION;
            }

            @Override
            public String containerId() {
                return "supervisor pid " + attached.server().pid(); // the container's id is the supervisor's
            }

            @Override
            public boolean running() {
                return attached.server().isAlive();
            }

            @Override
            public void stop() {
                // The supervisor stops it once no JVM of the build uses it.
            }
        };
    }

    /** The system properties a LocalStack supervisor gets: the image, and a test's stand-in if there is one. */
    static List<String> supervisorProperties() {
        List<String> properties = new ArrayList<>();
        properties.add("-D" + TestkitSettings.LOCALSTACK_IMAGE_PROPERTY + "=" + TestkitSettings.localStackImage());
        Optional.ofNullable(System.getProperty(STARTER_PROPERTY))
                .ifPresent(starter -> properties.add("-D" + STARTER_PROPERTY + "=" + starter));
        return properties;
    }

    /**
     * The supervisor's class path: where bsm-testkit and bsm-core are, then every entry of this JVM's class path,
     * a manifest-only jar's {@code Class-Path} entries included (Testcontainers and its dependencies are among
     * them, and a test's stand-in). Only entries that exist: the supervisor may outlive a build tool's
     * temporary files, never what it loads from.
     */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : List.of(LeaseSupervisor.class, BsmException.class)) {
            LeaseSupervisor.location(type).ifPresent(path -> entries.add(path.toString()));
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                Path path = Path.of(entry).toAbsolutePath();
                entries.add(path.toString());
                manifestClassPath(path).forEach(inner -> entries.add(inner.toString()));
            }
        }
        entries.removeIf(entry -> !Files.exists(Path.of(entry)));
        return String.join(File.pathSeparator, entries);
    }

    /**
     * {@return a {@code java} argument file giving {@code classPath}}: quoted, with backslashes and quotes escaped, as
     * the launcher reads it
     */
    static byte[] argumentFile(String classPath) {
        String quoted = classPath.replace("\\", "\\\\").replace("\"", "\\\"");
        return ("-cp \"" + quoted + "\"\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@return the entries a jar's manifest {@code Class-Path} names, as Surefire's manifest-only jar does} */
    static List<Path> manifestClassPath(Path jar) {
        if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
            return List.of();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null) {
                return List.of();
            }
            List<Path> entries = new ArrayList<>();
            for (String url : classPath.trim().split("\\s+")) {
                try {
                    URI uri = jar.toUri().resolve(url);
                    if ("file".equals(uri.getScheme())) {
                        entries.add(Path.of(uri));
                    }
                } catch (IllegalArgumentException e) {
                    // not a file the supervisor can load from
                }
            }
            return entries;
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * In the supervisor: starts the container on {@link TestkitSettings#localStackImage()} and waits until it is
     * ready.
     *
     * @param self the supervisor, which the record names as the container's holder
     * @param log the supervisor's log, which the record names
     * @throws EmulatorStartException if it did not start; the message is the one a JVM of its own would give
     */
    static LeaseSupervisor.Served start(ProcessStamp self, Path log) {
        String image = TestkitSettings.localStackImage();
        LocalStackEmulator.Container container;
        try {
            container = starter().start(image, LocalStackEmulator.containerEnvironment());
        } catch (RuntimeException e) {
            throw LocalStackEmulator.startFailure(image, e);
        }
        return new LeaseSupervisor.Served() {
            private long checked = System.nanoTime();
            private boolean stopped;

            @Override
            public URI endpoint() {
                return container.endpoint();
            }

            @Override
            public ProcessStamp server() {
                return self;
            }

            @Override
            public Path log() {
                return log;
            }

            @Override
            public Optional<String> exited() {
                if (System.nanoTime() - checked < RUNNING_CHECK_NANOS) {
                    return Optional.empty(); // each check asks Docker: every 2 s, not every 100 ms
                }
                checked = System.nanoTime();
                return container.running() ? Optional.empty() : Optional.of("the LocalStack container "
                        + container.containerId() + " (" + image + ") stopped while the build used it");
            }

            @Override
            public void stop() {
                if (!stopped) {
                    stopped = true;
                    container.stop();
                }
            }
        };
    }

    private static Starter starter() {
        String name = System.getProperty(STARTER_PROPERTY);
        if (name == null) {
            return TestcontainersBridge::start;
        }
        try {
            return (Starter) Class.forName(name).getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new IllegalStateException("system property " + STARTER_PROPERTY + " names no usable starter: "
                    + cause, cause);
        }
    }
}
