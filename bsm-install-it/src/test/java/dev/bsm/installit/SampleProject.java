package dev.bsm.installit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A user's project in a temporary directory: a given {@code pom.xml}, the sample sources, and a local repository
 * of its own that holds this build's bsm artifacts (as {@code ./mvnw install} would put them) and takes everything
 * else from the build's local repository, then Maven Central. So the project sees exactly this build's jars, and
 * neither it nor the user's {@code ~/.m2} are changed.
 */
record SampleProject(Path directory, Path localRepository, Path settings) {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SOURCES = ROOT.resolve("bsm-install-it/src/test/sample-project");
    private static final long BUILD_TIMEOUT_MINUTES = 10;
    private static final Pattern SUITE = Pattern.compile(
            "<testsuite\\b[^>]*?\\btests=\"(\\d+)\"[^>]*?\\berrors=\"(\\d+)\"[^>]*?\\bskipped=\"(\\d+)\""
                    + "[^>]*?\\bfailures=\"(\\d+)\"");

    static SampleProject create(Path workspace, String pom) throws IOException {
        Path directory = Files.createDirectories(workspace.resolve("project"));
        Files.writeString(directory.resolve("pom.xml"), pom);
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path source : files.filter(Files::isRegularFile).toList()) {
                Path target = directory.resolve(SOURCES.relativize(source).toString());
                Files.createDirectories(target.getParent());
                Files.copy(source, target);
            }
        }
        Path repository = Files.createDirectories(workspace.resolve("repository"));
        stageBsmArtifacts(repository);
        Path settings = workspace.resolve("settings.xml");
        Files.writeString(settings, settingsXml(Path.of(System.getProperty("bsm.localRepository"))));
        return new SampleProject(directory, repository, settings);
    }

    /** This build's poms and jars, where {@code mvn install} of the bsm checkout would put them. */
    private static void stageBsmArtifacts(Path repository) throws IOException {
        String version = System.getProperty("bsm.version");
        stage(repository, "bsm-parent", version, ROOT.resolve("pom.xml"), null);
        stage(repository, "bsm-bom", version, ROOT.resolve("bsm-bom/pom.xml"), null);
        for (String module : List.of("bsm-core", "bsm-testkit", "bsm-junit5")) {
            Path jar = ROOT.resolve(module + "/target/" + module + "-" + version + ".jar");
            assertThat(jar).as("%s's jar: build the reactor up to this module (./mvnw verify, or -pl %s -am)",
                    module, "bsm-install-it").isRegularFile();
            stage(repository, module, version, ROOT.resolve(module + "/pom.xml"), jar);
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

    /** The build's local repository as a read-only remote, ahead of Central: no download of what is already here. */
    private static String settingsXml(Path buildRepository) {
        String url = buildRepository.toUri().toString();
        String repository = "<id>bsm-build-cache</id><url>" + url + "</url>"
                + "<releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>"
                + "<snapshots><enabled>false</enabled></snapshots>";
        return "<settings><profiles><profile><id>bsm-build-cache</id>"
                + "<repositories><repository>" + repository + "</repository></repositories>"
                + "<pluginRepositories><pluginRepository>" + repository + "</pluginRepository></pluginRepositories>"
                + "</profile></profiles><activeProfiles><activeProfile>bsm-build-cache</activeProfile>"
                + "</activeProfiles></settings>";
    }

    /**
     * Runs {@code maven -v}, then {@code maven verify} in the project.
     *
     * @return the first line of {@code -v}: which Maven built it
     */
    String build(List<String> maven) throws IOException, InterruptedException {
        String version = run(maven, List.of("-B", "-v"), "version.log").replaceAll("\u001B\\[[0-9;]*m", "")
                .lines().findFirst().orElse("");
        run(maven, List.of("-B", "-ntp", "-s", settings.toString(), "-Dmaven.repo.local=" + localRepository,
                "verify"), "build.log");
        return version;
    }

    private String run(List<String> maven, List<String> arguments, String logName)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(maven);
        command.addAll(arguments);
        Path log = directory.resolveSibling(logName);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        // The outer build's Maven settings must not reach the user's build.
        environment.keySet().removeIf(name -> name.startsWith("MAVEN_") && !name.equals("MAVEN_USER_HOME"));
        Process process = builder.start();
        if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + BUILD_TIMEOUT_MINUTES
                    + " minutes; its output: " + tail(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit code of %s in %s; its output ends:%n%s", String.join(" ", command),
                directory, tail(log)).isZero();
        return output;
    }

    /** Fails unless Surefire and Failsafe each ran at least one test, and none failed, erred or was skipped. */
    void assertTestsRanAndPassed() throws IOException {
        for (String reports : List.of("surefire-reports", "failsafe-reports")) {
            Path folder = directory.resolve("target").resolve(reports);
            int ran = 0;
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path report : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml"))
                            .toList()) {
                        Matcher suite = SUITE.matcher(Files.readString(report));
                        assertThat(suite.find()).as("a <testsuite> element in %s", report).isTrue();
                        int tests = Integer.parseInt(suite.group(1));
                        assertThat(suite.group(2) + " errors, " + suite.group(4) + " failures, " + suite.group(3)
                                + " skipped").as("%s", report).isEqualTo("0 errors, 0 failures, 0 skipped");
                        ran += tests;
                    }
                }
            }
            assertThat(ran).as("tests in %s: no test ran (an old Surefire or Failsafe that does not see JUnit 5"
                    + " tests reports none and still says BUILD SUCCESS)", folder).isPositive();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
