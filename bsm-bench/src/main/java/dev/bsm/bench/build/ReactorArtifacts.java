package dev.bsm.bench.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * This checkout's bsm artifacts, made available to a sample build the way bsm-install-it's {@code SampleProject}
 * does it: the poms and jars that {@code mvn install} would write, copied into a local repository of the sample's
 * own, and a settings file that puts the build's local repository ahead of Maven Central as a read-only remote. So
 * the sample sees exactly this checkout's jars and neither {@code ~/.m2} nor the checkout is changed.
 *
 * <p>bsm-bench cannot use that class (test code of another module, whose tests are whole Maven builds), so the
 * few lines are repeated here; the versions and the local repository come from {@code reactor.properties}, which
 * the bsm-bench build fills in.
 */
final class ReactorArtifacts {
    /** The modules whose jars a {@code bsm-junit5} user's test class path holds. */
    private static final List<String> MODULES = List.of("bsm-core", "bsm-testkit", "bsm-junit5");

    private final Path root;
    private final Properties reactor;

    private ReactorArtifacts(Path root, Properties reactor) {
        this.root = root;
        this.reactor = reactor;
    }

    /**
     * The checkout this class was built in: the nearest directory holding {@code mvnw} and {@code bsm-bench} at or
     * above its jar or classes, else at or above the working directory (for a copy of the jar elsewhere, as
     * {@code BENCH_JAR} of {@code run-benchmarks.sh} allows).
     */
    static ReactorArtifacts ofThisCheckout() {
        Path location;
        try {
            location = Path.of(ReactorArtifacts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path workingDirectory = Path.of("").toAbsolutePath();
        Path root = checkoutAbove(location.toAbsolutePath());
        if (root == null) {
            root = checkoutAbove(workingDirectory);
        }
        if (root == null) {
            throw new IllegalStateException("No bsm checkout (mvnw and bsm-bench/pom.xml) at or above " + location
                    + " or " + workingDirectory + ": run benchmarks.jar from a checkout");
        }
        Properties reactor = new Properties();
        try (InputStream in = ReactorArtifacts.class.getResourceAsStream("reactor.properties")) {
            if (in == null) {
                throw new IllegalStateException("reactor.properties is missing: build bsm-bench with Maven");
            }
            reactor.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReactorArtifacts(root, reactor);
    }

    private static Path checkoutAbove(Path start) {
        Path directory = start;
        while (directory != null && !(Files.isRegularFile(directory.resolve("mvnw"))
                && Files.isRegularFile(directory.resolve("bsm-bench/pom.xml")))) {
            directory = directory.getParent();
        }
        return directory;
    }

    Path root() {
        return root;
    }

    /** {@return a value of {@code reactor.properties}: {@code bsm.version}, {@code awssdk.version}, ...} */
    String property(String name) {
        String value = reactor.getProperty(name);
        if (value == null || value.contains("${")) {
            throw new IllegalStateException("reactor.properties has no " + name + " (" + value + "): build bsm-bench"
                    + " with Maven");
        }
        return value;
    }

    /** Copies bsm's poms and jars into {@code repository}, where {@code mvn install} would put them. */
    void stage(Path repository) throws IOException {
        String version = property("bsm.version");
        stage(repository, "bsm-parent", version, root.resolve("pom.xml"), null);
        stage(repository, "bsm-bom", version, root.resolve("bsm-bom/pom.xml"), null);
        for (String module : MODULES) {
            Path jar = root.resolve(module + "/target/" + module + "-" + version + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("No " + jar + ": build the reactor first, ./mvnw -pl bsm-bench -am"
                        + " package -DskipTests");
            }
            stage(repository, module, version, root.resolve(module + "/pom.xml"), jar);
        }
    }

    private static void stage(Path repository, String artifact, String version, Path pom, Path jar)
            throws IOException {
        Path directory = Files.createDirectories(repository.resolve("dev/bsm/" + artifact + "/" + version));
        Files.copy(pom, directory.resolve(artifact + "-" + version + ".pom"));
        if (jar != null) {
            Files.copy(jar, directory.resolve(artifact + "-" + version + ".jar"));
        }
    }

    /** Maven settings with the build's local repository as a read-only remote ahead of Central. */
    String settingsXml() {
        String url = Path.of(System.getProperty("bsm.localRepository", property("localRepository"))).toUri()
                .toString();
        String repository = "<id>bsm-build-cache</id><url>" + url + "</url>"
                + "<releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>"
                + "<snapshots><enabled>false</enabled></snapshots>";
        return "<settings><profiles><profile><id>bsm-build-cache</id>"
                + "<repositories><repository>" + repository + "</repository></repositories>"
                + "<pluginRepositories><pluginRepository>" + repository + "</pluginRepository></pluginRepositories>"
                + "</profile></profiles><activeProfiles><activeProfile>bsm-build-cache</activeProfile>"
                + "</activeProfiles></settings>";
    }
}
