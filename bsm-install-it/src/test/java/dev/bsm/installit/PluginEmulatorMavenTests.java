package dev.bsm.installit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.testkit.BuildEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bsm-maven-plugin's {@code -Dbsm.emulator=moto} in real Maven builds of a small project: README's pom with the
 * plugin's goals (no session parameters), Surefire at {@code forkCount=3} and Failsafe, whose classes use
 * {@code @WithAwsSession(localstack = true)}. Each build's processes (Maven's JVM, the forks, the lease's
 * supervisor, {@code moto_server}) carry an environment entry of the build's own, {@code EMULATOR_RECORDS=<dir>}
 * (see {@link MarkedProcesses}), so the {@code moto_server}s of one build are counted, while it runs
 * ({@link BuildWatch}) and after it.
 */
class PluginEmulatorMavenTests {
    private static final Path LOGS = Path.of("target/plugin-builds").toAbsolutePath();
    /** How long the build's moto_server may outlive the build (Maven's JVM and its forks). */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);
    private static final List<String> SUREFIRE_CLASSES = List.of("FirstForkTest", "SecondForkTest", "ThirdForkTest");

    @TempDir
    static Path workspace;
    private static SampleProject project;

    @BeforeAll
    static void createTheProject() throws Exception {
        ReadmeMavenInstallTests.needsMoto();
        if (!MarkedProcesses.available()) {
            ReadmeMavenInstallTests.missing(
                    "/proc/self/environ is not readable: the build's processes cannot be told from others'");
        }
        BuildEmulator.unavailableReason().ifPresent(ReadmeMavenInstallTests::missing);
        project = SampleProject.create(workspace, emulatorPom(), SampleProject.EMULATOR_SAMPLE);
        project.useMavenWrapper();
        Files.createDirectories(LOGS);
    }

    /** {@link PluginMavenTests#pluginPom()} without the plugin's session configuration (profile ci). */
    static String emulatorPom() throws IOException {
        String pom = PluginMavenTests.pluginPom();
        String configured = pom.replaceFirst("(?s)\\s*<configuration>\\s*<profile>ci</profile>.*?</configuration>", "");
        assertThat(configured).as("README's plugin block configures profile ci").isNotEqualTo(pom);
        return configured;
    }

    /** One Maven build, watched: what it printed, the moto_servers it ran, and how long they outlived it. */
    record Build(SampleProject.Result result, Set<Long> motoServers, int mostAtOnce, Map<String, Properties> records,
            List<ProcessHandle> left, Duration endToNothingLeft) {
    }

    private static Build maven(String name, Map<String, String> variables, String... arguments) throws Exception {
        return maven(List.of("./mvnw"), name, variables, arguments);
    }

    private static Build maven(List<String> maven, String name, Map<String, String> variables, String... arguments)
            throws Exception {
        Path records = Files.createDirectories(workspace.resolve("records-" + name));
        String entry = "EMULATOR_RECORDS=" + records;
        Map<String, String> environment = new HashMap<>(variables);
        environment.put("EMULATOR_RECORDS", records.toString());
        try (BuildWatch watch = BuildWatch.start(entry)) {
            SampleProject.Result result = project.maven(maven, List.of(arguments), name + ".log",
                    environment);
            Files.copy(result.log(), LOGS.resolve("emulator-" + name + ".log"), StandardCopyOption.REPLACE_EXISTING);
            long built = System.nanoTime();
            List<ProcessHandle> left = awaitNothingLeft(entry);
            Duration end = Duration.ofNanos(System.nanoTime() - built);
            return new Build(result, watch.motoServers(), watch.mostMotoServersAtOnce(), read(records), left, end);
        }
    }

    /** Waits up to {@link #GONE_WITHIN} for no process to carry the entry; {@return what is left then} */
    private static List<ProcessHandle> awaitNothingLeft(String entry) throws InterruptedException {
        long deadline = System.nanoTime() + GONE_WITHIN.toNanos();
        List<ProcessHandle> left = MarkedProcesses.carrying(entry);
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
            left = MarkedProcesses.carrying(entry);
        }
        return left;
    }

    private static Map<String, Properties> read(Path records) throws IOException {
        Map<String, Properties> read = new TreeMap<>();
        try (Stream<Path> files = Files.list(records)) {
            for (Path file : files.toList()) {
                Properties record = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    record.load(in);
                }
                read.put(file.getFileName().toString().replace(".properties", ""), record);
            }
        }
        return read;
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void assertNothingLeft(Build build, String when) {
        assertThat(build.left()).as("processes of the build %s seconds after it, %s", GONE_WITHIN.toSeconds(), when)
                .extracting(MarkedProcesses::describe).isEmpty();
        System.out.printf(Locale.ROOT, "%s: moto_servers %s (at most %d at once); end of Maven to nothing left:"
                + " %.2f s%n", when, build.motoServers(), build.mostAtOnce(), build.endToNothingLeft().toMillis() / 1e3);
    }

    /** Every record names the one endpoint the plugin handed out, which is the one the forks' sessions used. */
    private static String oneEndpoint(Build build) {
        String endpoint = build.records().values().iterator().next().getProperty("handedEndpoint");
        assertThat(endpoint).startsWith("http://127.0.0.1:");
        assertThat(build.records()).allSatisfy((name, record) -> {
            assertThat(record.getProperty("endpoint")).as("%s's session endpoint", name).isEqualTo(endpoint);
            assertThat(record.getProperty("handedEndpoint")).as("%s's bsm.emulator.endpoint", name)
                    .isEqualTo(endpoint);
        });
        assertThat(build.result().output()).contains("bsm: build emulator moto_server at " + endpoint);
        return endpoint;
    }

    @Test
    void surefiresThreeForksAndFailsafesShareOneMotoServerThatIsGoneSecondsAfterTheBuild() throws Exception {
        Build build = maven("verify", Map.of(), "-B", "-Dbsm.emulator=moto", "clean", "verify");
        assertThat(build.result().exitCode()).as("the build; its output ends:%n%s", tail(build.result().output()))
                .isZero();
        assertThat(project.passedTests("surefire-reports")).containsOnlyKeys(SUREFIRE_CLASSES.stream()
                .map(c -> "com.example." + c).toList());
        assertThat(project.passedTests("failsafe-reports")).containsOnlyKeys("com.example.EmulatorIT");
        assertThat(build.records()).containsOnlyKeys("FirstForkTest", "SecondForkTest", "ThirdForkTest",
                "EmulatorIT");
        Set<String> surefireForks = SUREFIRE_CLASSES.stream().map(c -> build.records().get(c).getProperty("pid"))
                .collect(Collectors.toSet());
        assertThat(surefireForks).as("Surefire's JVMs (forkCount=3)").hasSizeGreaterThan(1)
                .doesNotContain(build.records().get("EmulatorIT").getProperty("pid"));
        assertThat(build.motoServers()).as("moto_servers the build ran, Surefire's and Failsafe's phases together")
                .hasSize(1);
        String endpoint = oneEndpoint(build);
        assertThat(build.records().values()).extracting(r -> r.getProperty("account")).as("an account per class")
                .doesNotHaveDuplicates();
        assertThat(build.result().output()).contains("bsm: let go of the build's emulator, moto_server at "
                + endpoint);
        assertNothingLeft(build, "after mvn verify");
    }

    /**
     * Two modules, a and b (each with the three Surefire classes and the Failsafe class), the plugin configured once
     * in their parent ({@code <emulator>moto</emulator>}): a's cleanup keeps the server for b, whose cleanup (the
     * reactor's last) lets go of it.
     */
    @Test
    void aMultiModuleBuildRunsOneMotoServerForAllModules() throws Exception {
        Path sources = Files.createDirectories(workspace.resolve("multi-sources"));
        String module = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n"
                + "  <parent>\n    <groupId>com.example</groupId>\n    <artifactId>reports</artifactId>\n"
                + "    <version>1.0-SNAPSHOT</version>\n  </parent>\n  <artifactId>%s</artifactId>\n</project>\n";
        for (String name : List.of("a", "b")) {
            copyTree(SampleProject.EMULATOR_SAMPLE, sources.resolve(name));
            Files.writeString(sources.resolve(name + "/pom.xml"), module.formatted(name));
        }
        // Configured in the pom this time, as README shows it, instead of -Dbsm.emulator=moto.
        String configured = emulatorPom().replaceFirst("(<artifactId>bsm-maven-plugin</artifactId>\\s*<version>[^<]+"
                + "</version>)", "$1\n        <configuration>\n          <emulator>moto</emulator>\n"
                + "        </configuration>");
        assertThat(configured).contains("<emulator>moto</emulator>");
        String parent = configured.replace("<version>1.0-SNAPSHOT</version>\n", "<version>1.0-SNAPSHOT</version>\n"
                + "  <packaging>pom</packaging>\n  <modules>\n    <module>a</module>\n    <module>b</module>\n"
                + "  </modules>\n");
        SampleProject multi = SampleProject.create(workspace.resolve("multi"), parent, sources);
        multi.useMavenWrapper();
        Path records = Files.createDirectories(workspace.resolve("records-multi"));
        String entry = "EMULATOR_RECORDS=" + records;
        try (BuildWatch watch = BuildWatch.start(entry)) {
            SampleProject.Result result = multi.maven(List.of("./mvnw"), List.of("-B", "verify"), "multi.log",
                    Map.of("EMULATOR_RECORDS", records.toString()));
            Files.copy(result.log(), LOGS.resolve("emulator-multi.log"), StandardCopyOption.REPLACE_EXISTING);
            assertThat(result.exitCode()).as("the multi-module build; its output ends:%n%s", tail(result.output()))
                    .isZero();
            List<ProcessHandle> left = awaitNothingLeft(entry);
            assertThat(watch.motoServers()).as("moto_servers of the two modules' builds").hasSize(1);
            assertThat(result.output()).contains("bsm: nothing to prepare in a pom project");
            assertThat(result.output().split("bsm: let go of the build's emulator", -1)).as("let go once").hasSize(2);
            assertThat(result.output().indexOf("bsm: let go of the build's emulator"))
                    .isGreaterThan(result.output().indexOf("Building b 1.0-SNAPSHOT"));
            assertThat(left).extracting(MarkedProcesses::describe).isEmpty();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    /** The plugin's descriptor says Maven 3.8.1: Debian's Maven 3.8.7 runs the same build on one moto_server. */
    @Test
    void debiansMaven387RunsTheSameBuildOnOneMotoServer() throws Exception {
        Path debian = Path.of("/usr/bin/mvn");
        if (!Files.isExecutable(debian)) {
            ReadmeMavenInstallTests.missing(debian + " is not installed: apt-get update && apt-get install -y maven");
        }
        Build build = maven(List.of(debian.toString()), "debian", Map.of(), "-B", "-Dbsm.emulator=moto", "clean",
                "verify");
        assertThat(build.result().exitCode()).as("Debian's Maven; its output ends:%n%s",
                tail(build.result().output())).isZero();
        assertThat(build.records()).hasSize(4);
        assertThat(build.motoServers()).hasSize(1);
        oneEndpoint(build);
        assertNothingLeft(build, "after Debian's mvn verify");
    }

    /**
     * The control: the same build without the parameter ({@code bsm.skip}: no session either) and with a server
     * per test JVM ({@code bsm.emulator.share=jvm}): every fork that runs a class starts one, so the count above
     * can fail. (With the default {@code share=build} instead, Failsafe's fork starts a second server only if
     * Surefire's has stopped by then, which depends on timing: seen both ways.)
     */
    @Test
    void withoutTheParameterAndWithAServerPerJvmEachForkStartsOne() throws Exception {
        Build build = maven("without", Map.of(), "-B", "-Dbsm.skip=true", "-Dbsm.emulator.share=jvm", "clean",
                "verify");
        assertThat(build.result().exitCode()).as("the build; its output ends:%n%s", tail(build.result().output()))
                .isZero();
        assertThat(build.records()).containsOnlyKeys("FirstForkTest", "SecondForkTest", "ThirdForkTest",
                "EmulatorIT");
        assertThat(build.records().values()).extracting(r -> r.getProperty("handedEndpoint")).containsOnly("null");
        assertThat(build.records().values().stream().map(r -> r.getProperty("endpoint")).distinct())
                .as("the endpoints the classes' sessions used").hasSizeGreaterThanOrEqualTo(2);
        assertThat(build.motoServers()).as("moto_servers the build ran").hasSizeGreaterThanOrEqualTo(2);
        assertNothingLeft(build, "after mvn verify without the parameter");
    }

    @Test
    void aFailingTestFailsTheBuildAndTheMotoServerStopsAllTheSame() throws Exception {
        Build build = maven("failing", Map.of("EMULATOR_FAIL", "true"), "-B", "-Dbsm.emulator=moto", "clean",
                "verify");
        assertThat(build.result().exitCode()).as("the build with a failing test").isNotZero();
        assertThat(build.result().output()).contains("failing on purpose").contains("BUILD FAILURE");
        oneEndpoint(build);
        assertThat(build.motoServers()).hasSize(1);
        assertThat(build.result().output()).as("no cleanup ran").doesNotContain("let go of the build's emulator");
        assertNothingLeft(build, "after a failing mvn verify");
    }

    /** {@code mvn test} runs no post-integration-test: Maven's exit lets go of the server. */
    @Test
    void mvnTestRunsNoCleanupAndTheMotoServerStopsWhenMavenExits() throws Exception {
        Build build = maven("test", Map.of(), "-B", "-Dbsm.emulator=moto", "clean", "test");
        assertThat(build.result().exitCode()).as("mvn test; its output ends:%n%s", tail(build.result().output()))
                .isZero();
        assertThat(build.records()).containsOnlyKeys(SUREFIRE_CLASSES);
        oneEndpoint(build);
        assertThat(build.motoServers()).hasSize(1);
        assertNothingLeft(build, "after mvn test");
    }

    /** Maven's JVM killed outright runs no hook: the kernel releases its lock, and its forks' go as they end. */
    @Test
    void killingMavensJvmWithSigkillTakesTheMotoServerWithinSeconds() throws Exception {
        Path records = Files.createDirectories(workspace.resolve("records-killed"));
        String entry = "EMULATOR_RECORDS=" + records;
        List<String> command = new ArrayList<>(List.of("./mvnw"));
        command.addAll(project.repositoryArguments());
        command.addAll(List.of("-B", "-Dbsm.emulator=moto", "clean", "verify"));
        try (BuildWatch watch = BuildWatch.start(entry)) {
            SampleProject.Run run = project.start(command, "killed.log", Map.of("EMULATOR_RECORDS",
                    records.toString()));
            Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
            while (read(records).isEmpty()) { // a test runs on the build's moto_server
                assertThat(run.process().isAlive()).as("Maven runs the tests; its output:%n%s",
                        Files.readString(run.log(), StandardCharsets.ISO_8859_1)).isTrue();
                assertThat(Instant.now()).isBefore(deadline);
                Thread.sleep(50);
            }
            assertThat(watch.motoServers()).hasSize(1);
            ProcessHandle server = ProcessHandle.of(watch.motoServers().iterator().next()).orElseThrow();
            // mvnw execs java: the process is Maven's JVM. Only it is killed; its forks end as Surefire's do.
            run.process().destroyForcibly();
            long killed = System.nanoTime();
            run.waitFor();
            long deadlineNanos = killed + Duration.ofSeconds(30).toNanos();
            while (server.isAlive() && System.nanoTime() - deadlineNanos < 0) {
                Thread.sleep(20);
            }
            Duration serverGone = Duration.ofNanos(System.nanoTime() - killed);
            List<ProcessHandle> left = awaitNothingLeft(entry);
            Duration allGone = Duration.ofNanos(System.nanoTime() - killed);
            Files.copy(run.log(), LOGS.resolve("emulator-killed.log"), StandardCopyOption.REPLACE_EXISTING);
            System.out.printf(Locale.ROOT, "kill -9 of Maven's JVM: moto_server gone after %.2f s, every process of"
                    + " the build after %.2f s%n", serverGone.toMillis() / 1e3, allGone.toMillis() / 1e3);
            assertThat(server.isAlive()).as("the build's moto_server 30 s after kill -9 of Maven's JVM").isFalse();
            assertThat(serverGone).as("kill -9 of Maven's JVM to moto_server gone").isLessThan(Duration.ofSeconds(10));
            assertThat(left).extracting(MarkedProcesses::describe).as("processes of the killed build").isEmpty();
        }
    }

    @Test
    void aBadValueOrAConflictFailsNamingTheParameterAndStartsNothing() throws Exception {
        Build bad = maven("bad-value", Map.of(), "-B", "-Dbsm.emulator=motto", "clean", "process-test-classes");
        assertThat(bad.result().exitCode()).isNotZero();
        assertThat(bad.result().output()).contains("bsm-maven-plugin: parameter 'emulator' (property bsm.emulator)"
                + " is 'motto', which is no emulator: use moto");
        assertThat(bad.motoServers()).as("moto_servers started").isEmpty();
        assertThat(bad.left()).extracting(MarkedProcesses::describe).isEmpty();

        Build conflict = maven("conflict", Map.of(), "-B", "-Dbsm.emulator=moto", "-Dbsm.profile=ci", "clean",
                "process-test-classes");
        assertThat(conflict.result().exitCode()).isNotZero();
        assertThat(conflict.result().output()).contains("bsm-maven-plugin: parameter 'emulator' (property"
                + " bsm.emulator) is moto, which conflicts with parameter 'profile' (property bsm.profile)");
        assertThat(conflict.motoServers()).as("moto_servers started").isEmpty();
        assertThat(conflict.left()).extracting(MarkedProcesses::describe).isEmpty();

        Build localstack = maven("localstack", Map.of(), "-B", "-Dbsm.emulator=localstack", "clean",
                "process-test-classes");
        assertThat(localstack.result().exitCode()).isNotZero();
        assertThat(localstack.result().output()).contains("bsm-maven-plugin: parameter 'emulator' (property"
                + " bsm.emulator) is localstack, which the plugin does not start");
        assertThat(localstack.motoServers()).isEmpty();

        // No emulator and no credentials: prepare fails after the build's state was made, before any snapshot. The
        // shutdown hook then runs in a closed class realm, where loading a class fails; it loads none.
        Build noCredentials = maven("no-credentials", Map.of("AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"), "-B", "clean", "process-test-classes");
        assertThat(noCredentials.result().exitCode()).isNotZero();
        assertThat(noCredentials.result().output()).contains("gives no credentials for the build's session")
                .doesNotContain("NoClassDefFoundError").doesNotContain("Exception in thread");
    }
}
