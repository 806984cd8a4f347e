package dev.bsm.installit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    /** The sources of README's sample project: an application class, a Surefire test and a Failsafe test. */
    static final Path README_SAMPLE = ROOT.resolve("bsm-install-it/src/test/sample-project");
    /** The sources of the suite-scale project: six {@code @WithAwsSession} classes and their JUnit settings. */
    static final Path SUITE_SAMPLE = ROOT.resolve("bsm-install-it/src/test/suite-project");
    /** The sources of the plugin's project: three Surefire classes and a Failsafe class on the build's session. */
    static final Path PLUGIN_SAMPLE = ROOT.resolve("bsm-install-it/src/test/plugin-project");
    /** The sources of the CI-shards project: four {@code @WithAwsSession} classes on an external emulator. */
    static final Path SHARD_SAMPLE = ROOT.resolve("bsm-install-it/src/test/shard-project");
    /** The sources of the plugin's emulator project: three Surefire classes and a Failsafe class on an emulator. */
    static final Path EMULATOR_SAMPLE = ROOT.resolve("bsm-install-it/src/test/emulator-project");
    private static final long BUILD_TIMEOUT_MINUTES = 10;
    private static final Pattern SUITE = Pattern.compile(
            "<testsuite\\b[^>]*?\\btests=\"(\\d+)\"[^>]*?\\berrors=\"(\\d+)\"[^>]*?\\bskipped=\"(\\d+)\""
                    + "[^>]*?\\bfailures=\"(\\d+)\"");
    private static final Pattern SUITE_NAME = Pattern.compile("<testsuite\\b[^>]*?\\bname=\"([^\"]*)\"");

    /** A project of the given pom and the files under {@code sources}, with this build's bsm artifacts staged. */
    static SampleProject create(Path workspace, String pom, Path sources) throws IOException {
        Path directory = Files.createDirectories(workspace.resolve("project"));
        Files.writeString(directory.resolve("pom.xml"), pom);
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path source : files.filter(Files::isRegularFile).toList()) {
                Path target = directory.resolve(sources.relativize(source).toString());
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
        for (String module : List.of("bsm-core", "bsm-testkit", "bsm-junit5", "bsm-maven-plugin")) {
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

    /** Puts this checkout's Maven wrapper into the project, so that {@code ./mvnw} builds it with the same Maven. */
    void useMavenWrapper() throws IOException {
        Files.copy(ROOT.resolve("mvnw"), directory.resolve("mvnw"));
        Files.createDirectories(directory.resolve(".mvn/wrapper"));
        Files.copy(ROOT.resolve(".mvn/wrapper/maven-wrapper.properties"),
                directory.resolve(".mvn/wrapper/maven-wrapper.properties"));
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
        return build(maven, Map.of());
    }

    /**
     * {@link #build(List)} with variables added to Maven's environment (which its forked test JVMs inherit).
     *
     * @return the first line of {@code -v}: which Maven built it
     */
    String build(List<String> maven, Map<String, String> variables) throws IOException, InterruptedException {
        String version = run(maven, List.of("-B", "-v"), "version.log", variables)
                .replaceAll("\u001B\\[[0-9;]*m", "").lines().findFirst().orElse("");
        run(maven, List.of("-B", "-ntp", "-s", settings.toString(), "-Dmaven.repo.local=" + localRepository,
                "verify"), "build.log", variables);
        return version;
    }

    private String run(List<String> maven, List<String> arguments, String logName, Map<String, String> variables)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(maven);
        command.addAll(arguments);
        Run run = start(command, logName, variables);
        int exitCode = run.waitFor();
        assertThat(exitCode).as("exit code of %s in %s; its output ends:%n%s", String.join(" ", command),
                directory, tail(run.log())).isZero();
        return Files.readString(run.log(), StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code maven} in the project with the arguments, the project's own local repository and settings
     * first, whatever its outcome.
     *
     * @return the exit code and the output
     */
    Result maven(List<String> maven, List<String> arguments, String logName, Map<String, String> variables)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(maven);
        command.addAll(repositoryArguments());
        command.addAll(arguments);
        Run run = start(command, logName, variables);
        return new Result(run.waitFor(), Files.readString(run.log(), StandardCharsets.UTF_8), run.log());
    }

    /** {@link #maven}'s command and environment, started; the caller may write to its input. */
    Run start(List<String> command, String logName, Map<String, String> variables) throws IOException {
        Path log = directory.resolveSibling(logName);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        // The outer build's Maven settings must not reach the user's build.
        environment.keySet().removeIf(name -> name.startsWith("MAVEN_") && !name.equals("MAVEN_USER_HOME"));
        environment.putAll(variables);
        return new Run(builder.start(), command, log);
    }

    /** The arguments that {@link #maven} puts first, for a command of one's own around Maven. */
    List<String> repositoryArguments() {
        return List.of("-ntp", "-s", settings.toString(), "-Dmaven.repo.local=" + localRepository);
    }

    /** A finished Maven run. */
    record Result(int exitCode, String output, Path log) {
    }

    /** A running Maven, its output going to {@code log}. */
    record Run(Process process, List<String> command, Path log) {
        /** Waits for the end, killing the run and its descendants after the timeout. */
        int waitFor() throws IOException, InterruptedException {
            if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + BUILD_TIMEOUT_MINUTES
                        + " minutes; its output: " + tail(log));
            }
            return process.exitValue();
        }
    }

    /** Fails unless Surefire and Failsafe each ran at least one test, and none failed, erred or was skipped. */
    void assertTestsRanAndPassed() throws IOException {
        for (String reports : List.of("surefire-reports", "failsafe-reports")) {
            assertThat(passedTests(reports).values().stream().mapToInt(Integer::intValue).sum())
                    .as("tests in %s: no test ran (an old Surefire or Failsafe that does not see JUnit 5 tests reports"
                            + " none and still says BUILD SUCCESS)", directory.resolve("target").resolve(reports))
                    .isPositive();
        }
    }

    /**
     * The tests of each class in {@code target/<reports>} ({@code surefire-reports} or {@code failsafe-reports}),
     * by the report's suite name; fails if any failed, erred or was skipped.
     */
    Map<String, Integer> passedTests(String reports) throws IOException {
        return passedTests(directory.resolve("target").resolve(reports));
    }

    /** {@link #passedTests(String)} of a folder of reports anywhere. */
    static Map<String, Integer> passedTests(Path folder) throws IOException {
        Map<String, Integer> tests = new TreeMap<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path report : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
                    String xml = Files.readString(report);
                    Matcher suite = SUITE.matcher(xml);
                    assertThat(suite.find()).as("a <testsuite> element in %s", report).isTrue();
                    assertThat(suite.group(2) + " errors, " + suite.group(4) + " failures, " + suite.group(3)
                            + " skipped").as("%s", report).isEqualTo("0 errors, 0 failures, 0 skipped");
                    Matcher name = SUITE_NAME.matcher(xml);
                    assertThat(name.find()).as("the name of the <testsuite> in %s", report).isTrue();
                    tests.merge(name.group(1), Integer.parseInt(suite.group(1)), Integer::sum);
                }
            }
        }
        return tests;
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
