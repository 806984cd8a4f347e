package dev.bsm.installit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bsm.testkit.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bsm-maven-plugin in real Maven builds of a small project: README's pom with the documented plugin block, Surefire at
 * {@code forkCount=3} and Failsafe, whose tests use {@code @WithAwsSession} and {@code fromSnapshotFile()}. The
 * profile {@code ci} (the one the plugin block names) is a {@code role_arn} profile on keys whose secret is the
 * canary of {@code .ci/scan-secrets}, assumed at a recording proxy in front of {@code moto_server}, so the build's
 * AssumeRole calls are counted and their MFA codes seen. Each build gets a temporary directory of its own (with a
 * blank in its name, which argLine must carry) through {@code -Dbsm.tempDirectory}, so what a build leaves there is
 * its own.
 */
class PluginMavenTests {
    private static final String CANARY = "bsmCanarySecret0d9f2c7e5a1b4";
    private static final String ROLE_PROFILE_ROLE = "arn:aws:iam::111111111111:role/deployer";
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot (/.+?\\.json) \\(owner-only");
    private static final Path LOGS = Path.of("target/plugin-builds").toAbsolutePath();

    @TempDir
    static Path workspace;
    private static SampleProject project;
    private static RecordingProxy proxy;
    private static Path awsConfig;
    private static Path awsCredentials;
    private static Path records;

    /** The main build: {@code -X}, every test passes. */
    private static SampleProject.Result mainBuild;
    private static Path mainTemp;
    private static int mainAssumeRoles;
    private static Map<String, Properties> mainRecords;
    /** The main build's {@code target}, kept from the builds after it. */
    private static Path mainTarget;

    @BeforeAll
    static void buildTheProjectOnce() throws Exception {
        MotoServer.unavailableReason().ifPresent(ReadmeMavenInstallTests::missing);
        proxy = new RecordingProxy(MotoServer.shared().endpoint());
        project = SampleProject.create(workspace, pluginPom(), SampleProject.PLUGIN_SAMPLE);
        project.useMavenWrapper();
        records = Files.createDirectories(workspace.resolve("records"));
        awsConfig = Files.writeString(workspace.resolve("aws-config"), "[profile keys]\naws_access_key_id ="
                + " AKIDPLUGINBUILD\naws_secret_access_key = " + CANARY + "\n[profile ci]\nrole_arn = "
                + ROLE_PROFILE_ROLE + "\nsource_profile = keys\nregion = us-east-1\n");
        awsCredentials = Files.writeString(workspace.resolve("aws-credentials"), "");
        Files.createDirectories(LOGS);

        mainTemp = newTempDirectory("main");
        int before = proxy.calls("AssumeRole").size();
        mainBuild = maven("main.log", mainTemp, Map.of(), "-X", "-B", "clean", "verify");
        mainAssumeRoles = proxy.calls("AssumeRole").size() - before;
        mainRecords = readRecords();
        mainTarget = workspace.resolve("main-target");
        copyTree(project.directory().resolve("target"), mainTarget);
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

    /**
     * README's pom, with the documented plugin block (docs/forked-jvms-and-maven-plugin.md today) before Surefire,
     * without the argLine it replaces, forkCount=3.
     */
    static String pluginPom() throws IOException {
        String pom = ReadmeMavenInstallTests.readmePom();
        String block = InstallBlocks.find("maven-plugin").xml();   // in README.md or docs/*.md
        String surefire = "      <plugin>\n        <groupId>org.apache.maven.plugins</groupId>\n"
                + "        <artifactId>maven-surefire-plugin</artifactId>";
        assertThat(pom).contains(surefire);
        pom = pom.replace(surefire, block + surefire);
        String argLine = "          <argLine>${bsm.jvmFlags}</argLine>\n";
        assertThat(pom).as("README's pom passes bsm.jvmFlags to Surefire and Failsafe").contains(argLine);
        pom = pom.replace(argLine, "");
        return pom.replace(surefire + "\n        <version>3.5.4</version>\n        <configuration>", surefire
                + "\n        <version>3.5.4</version>\n        <configuration>\n          <forkCount>3</forkCount>");
    }

    private static Path newTempDirectory(String name) throws IOException {
        return Files.createDirectories(workspace.resolve("tmp " + name));
    }

    /** Maven in the project, with the endpoint, the build's temporary directory and the AWS files. */
    private static SampleProject.Result maven(String log, Map<String, String> variables, String... arguments)
            throws IOException, InterruptedException {
        return maven(log, newTempDirectory(log), variables, arguments);
    }

    private static SampleProject.Result maven(String log, Path temp, Map<String, String> variables,
            String... arguments) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-Dbsm.endpoint=" + proxy.endpoint(),
                "-Dbsm.tempDirectory=" + temp));
        all.addAll(List.of(arguments));
        SampleProject.Result result = project.maven(List.of("./mvnw"), all, log, environment(variables));
        Files.copy(result.log(), LOGS.resolve(log), StandardCopyOption.REPLACE_EXISTING); // for .ci/scan-secrets
        return result;
    }

    private static Map<String, String> environment(Map<String, String> variables) {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_CONFIG_FILE", awsConfig.toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", awsCredentials.toString());
        environment.put("PLUGIN_RECORDS", records.toString());
        environment.put("PLUGIN_FAIL", "false");
        environment.putAll(variables);
        return environment;
    }

    private static Map<String, Properties> readRecords() throws IOException {
        Map<String, Properties> read = new TreeMap<>();
        try (Stream<Path> files = Files.list(records)) {
            for (Path file : files.toList()) {
                Properties record = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    record.load(in);
                }
                read.put(file.getFileName().toString().replace(".properties", ""), record);
                Files.delete(file);
            }
        }
        return read;
    }

    /** The snapshot directories left in a build's temporary directory (in its per-user directory). */
    private static List<Path> snapshotDirectoriesIn(Path temp) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> perUser = Files.list(temp)) {
            for (Path directory : perUser.filter(p -> p.getFileName().toString().startsWith("bsm-")).toList()) {
                try (Stream<Path> entries = Files.list(directory)) {
                    entries.filter(p -> p.getFileName().toString().startsWith("bsm-snapshot-")).forEach(found::add);
                }
            }
        }
        return found;
    }

    private static Path snapshotNamedIn(SampleProject.Result build) {
        Matcher snapshot = SNAPSHOT.matcher(build.output());
        assertThat(snapshot.find()).as("the plugin names the snapshot file in the log:%n%s",
                tail(build.output())).isTrue();
        return Path.of(snapshot.group(1));
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    // ------------------------------------------------------------------------------------------------ main build

    @Test
    void theBuildPassesWithEveryTestRun() throws IOException {
        assertThat(mainBuild.exitCode()).as("the build; its output ends:%n%s", tail(mainBuild.output())).isZero();
        assertThat(SampleProject.passedTests(mainTarget.resolve("surefire-reports"))).isEqualTo(Map.of(
                "com.example.FirstForkTest", 1, "com.example.SecondForkTest", 1, "com.example.ThirdForkTest", 1));
        assertThat(SampleProject.passedTests(mainTarget.resolve("failsafe-reports")))
                .isEqualTo(Map.of("com.example.SessionIT", 2));
    }

    @Test
    void everyForkUsesTheOneSessionTheBuildResolvedWithOneAssumeRole() {
        assertThat(mainRecords).containsOnlyKeys("project.FirstForkTest", "project.SecondForkTest",
                "project.ThirdForkTest", "project.SessionIT");
        Set<String> surefireForks = mainRecords.entrySet().stream().filter(e -> e.getKey().endsWith("Test"))
                .map(e -> e.getValue().getProperty("pid")).collect(Collectors.toSet());
        String failsafeFork = mainRecords.get("project.SessionIT").getProperty("pid");
        System.out.printf("Surefire forks %s, Failsafe's %s, AssumeRole calls in the build %d%n", surefireForks,
                failsafeFork, mainAssumeRoles);
        assertThat(surefireForks).as("Surefire's JVMs (forkCount=3)").hasSizeGreaterThan(1)
                .doesNotContain(failsafeFork);
        Properties first = mainRecords.get("project.FirstForkTest");
        assertThat(first.getProperty("principal")).startsWith("arn:aws:sts::111111111111:assumed-role/deployer/");
        for (Map.Entry<String, Properties> entry : mainRecords.entrySet()) {
            Properties record = entry.getValue();
            assertThat(record.getProperty("principal")).as("%s's principal", entry.getKey())
                    .isEqualTo(first.getProperty("principal"));
            assertThat(record.getProperty("selfBuilt")).as("%s: a client the test built itself", entry.getKey())
                    .isEqualTo(first.getProperty("principal"));
            assertThat(record.getProperty("accessKeyId")).as("%s's key", entry.getKey())
                    .isEqualTo(first.getProperty("accessKeyId"))
                    .isEqualTo(record.getProperty("fromSnapshotFile"));
            assertThat(record.getProperty("snapshotFile")).isEqualTo(first.getProperty("snapshotFile"));
        }
        assertThat(mainAssumeRoles).as("AssumeRole calls of the whole build (the profile's role_arn)").isEqualTo(1);
        assertThat(proxy.calls("AssumeRole").get(0).parameters()).containsEntry("RoleArn", ROLE_PROFILE_ROLE);
    }

    @Test
    void theSnapshotIsOwnerOnlyOutsideTheProjectAndGoneAfterTheBuild() {
        Properties record = mainRecords.get("project.FirstForkTest");
        Path snapshot = Path.of(record.getProperty("snapshotFile"));
        assertThat(snapshotNamedIn(mainBuild)).isEqualTo(snapshot);
        assertThat(record.getProperty("snapshotPermissions")).isEqualTo("rw-------");
        assertThat(snapshot.startsWith(mainTemp)).as("%s is in the build's temporary directory", snapshot).isTrue();
        assertThat(snapshot.startsWith(Path.of(record.getProperty("workingDirectory")))).as("inside the project")
                .isFalse();
        assertThat(mainBuild.output()).contains("bsm: removed snapshot " + snapshot);
        assertThat(snapshot).doesNotExist();
        assertThat(snapshot.getParent()).as("the build's snapshot directory").doesNotExist();
    }

    @Test
    void noSecretIsInTheDebugLogNorInTheReports() throws IOException {
        Properties record = mainRecords.get("project.FirstForkTest");
        List<String> secrets = List.of(CANARY, record.getProperty("secretAccessKey"),
                record.getProperty("sessionToken"));
        assertThat(secrets).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(15));
        assertThat(mainBuild.output()).as("-X output").contains("[DEBUG]").contains("bsm: build session");
        for (String secret : secrets) {
            assertThat(mainBuild.output().contains(secret)).as("a secret in Maven's -X output").isFalse();
        }
        try (Stream<Path> files = Files.walk(mainTarget)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".class")).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content.contains(secret)).as("a secret in %s", file).isFalse();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ other builds

    /** The plugin's descriptor says Maven 3.8.1: Debian's Maven 3.8.7 runs the same build, with one AssumeRole. */
    @Test
    void debiansMaven387RunsTheSameBuild() throws Exception {
        Path debian = Path.of("/usr/bin/mvn");
        if (!Files.isExecutable(debian)) {
            ReadmeMavenInstallTests.missing(debian + " is not installed: apt-get update && apt-get install -y maven");
        }
        int before = proxy.calls("AssumeRole").size();
        List<String> arguments = new ArrayList<>(List.of("-B", "-Dbsm.endpoint=" + proxy.endpoint(),
                "-Dbsm.tempDirectory=" + newTempDirectory("debian"), "clean", "verify"));
        SampleProject.Result build = project.maven(List.of(debian.toString()), arguments, "debian.log",
                environment(Map.of()));
        Files.copy(build.log(), LOGS.resolve("debian.log"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(build.exitCode()).as("Debian's Maven; its output ends:%n%s", tail(build.output())).isZero();
        assertThat(proxy.calls("AssumeRole").size() - before).as("AssumeRole calls of the build").isEqualTo(1);
        assertThat(readRecords()).hasSize(4).allSatisfy((name, record) -> assertThat(record.getProperty("principal"))
                .startsWith("arn:aws:sts::111111111111:assumed-role/deployer/"));
    }

    /**
     * Two modules, a and b, each with the three Surefire classes, the plugin configured once in their parent: one
     * AssumeRole for the build, each module a snapshot file of its own.
     */
    @Test
    void aMultiModuleBuildResolvesTheSessionOnceForAllModules() throws Exception {
        Path sources = Files.createDirectories(workspace.resolve("multi-sources"));
        String module = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n"
                + "  <parent>\n    <groupId>com.example</groupId>\n    <artifactId>reports</artifactId>\n"
                + "    <version>1.0-SNAPSHOT</version>\n  </parent>\n  <artifactId>%s</artifactId>\n</project>\n";
        for (String name : List.of("a", "b")) {
            copyTree(SampleProject.PLUGIN_SAMPLE, sources.resolve(name));
            Files.delete(sources.resolve(name + "/src/test/java/com/example/SessionIT.java"));
            Files.writeString(sources.resolve(name + "/pom.xml"), module.formatted(name));
        }
        String parent = pluginPom().replace("<version>1.0-SNAPSHOT</version>\n", "<version>1.0-SNAPSHOT</version>\n"
                + "  <packaging>pom</packaging>\n  <modules>\n    <module>a</module>\n    <module>b</module>\n"
                + "  </modules>\n");
        SampleProject multi = SampleProject.create(workspace.resolve("multi"), parent, sources);
        multi.useMavenWrapper();
        int before = proxy.calls("AssumeRole").size();
        SampleProject.Result build = multi.maven(List.of("./mvnw"), List.of("-B", "verify",
                "-Dbsm.endpoint=" + proxy.endpoint(), "-Dbsm.tempDirectory=" + newTempDirectory("multi")),
                "multi.log", environment(Map.of()));
        Files.copy(build.log(), LOGS.resolve("multi.log"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(build.exitCode()).as("the multi-module build; its output ends:%n%s", tail(build.output()))
                .isZero();
        assertThat(proxy.calls("AssumeRole").size() - before).as("AssumeRole calls of the build").isEqualTo(1);
        assertThat(build.output()).contains("resolved earlier in this build")
                .contains("bsm: nothing to prepare in a pom project");
        Map<String, Properties> seen = readRecords();
        assertThat(seen.keySet()).containsExactlyInAnyOrder("a.FirstForkTest", "a.SecondForkTest",
                "a.ThirdForkTest", "b.FirstForkTest", "b.SecondForkTest", "b.ThirdForkTest");
        assertThat(seen.values()).extracting(r -> r.getProperty("accessKeyId")).as("one session").containsOnly(
                seen.get("a.FirstForkTest").getProperty("accessKeyId"));
        assertThat(seen.get("a.FirstForkTest").getProperty("snapshotFile")).as("a snapshot file per module")
                .endsWith("session-1.json");
        assertThat(seen.get("b.FirstForkTest").getProperty("snapshotFile")).endsWith("session-2.json");
    }

    @Test
    void aFailingTestFailsTheBuildAndTheSnapshotIsRemovedAllTheSame() throws Exception {
        int before = proxy.calls("AssumeRole").size();
        SampleProject.Result build = maven("failing.log", Map.of("PLUGIN_FAIL", "true"), "-B", "clean", "verify",
                "-Dbsm.assumeRole=arn:aws:iam::222222222222:role/auditor",
                "-Dbsm.mfaSerialNumber=arn:aws:iam::111111111111:mfa/ci", "-Dbsm.mfaTokenCode=135790");
        assertThat(build.exitCode()).as("the build with a failing test").isNotZero();
        assertThat(build.output()).contains("failing on purpose").contains("BUILD FAILURE");
        Path snapshot = snapshotNamedIn(build);
        assertThat(snapshot).as("removed when Maven exits").doesNotExist();
        assertThat(snapshot.getParent()).doesNotExist();

        List<RecordingProxy.Call> assumed = proxy.calls("AssumeRole");
        assertThat(assumed.subList(before, assumed.size())).as("the profile's role, then the plugin's")
                .extracting(c -> c.parameters().get("RoleArn"))
                .containsExactly(ROLE_PROFILE_ROLE, "arn:aws:iam::222222222222:role/auditor");
        assertThat(assumed.get(assumed.size() - 1).parameters()).containsEntry("TokenCode", "135790")
                .containsEntry("SerialNumber", "arn:aws:iam::111111111111:mfa/ci");
        Map<String, Properties> seen = readRecords();
        assertThat(seen).isNotEmpty().allSatisfy((name, record) -> {
            assertThat(record.getProperty("principal")).startsWith("arn:aws:sts::222222222222:assumed-role/auditor/");
            assertThat(record.getProperty("mfaTokenCode")).as("the code in a test JVM").isEqualTo("null");
        });
        try (Stream<Path> reports = Files.walk(project.directory().resolve("target/surefire-reports"))) {
            for (Path report : reports.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(report, StandardCharsets.ISO_8859_1)).as("%s", report)
                        .doesNotContain("135790");
            }
        }
    }

    /**
     * Runs {@code clean process-test-classes} (so {@code prepare} runs) in a temporary directory of its own, which
     * must fail saying each of {@code expected} and leave no snapshot directory there.
     */
    private static void failsAtPrepare(String log, Path temp, Map<String, String> variables, List<String> arguments,
            String... expected) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-B", "clean", "process-test-classes"));
        all.addAll(arguments);
        SampleProject.Result build = maven(log, temp, variables, all.toArray(String[]::new));
        assertThat(build.exitCode()).as("%s", arguments).isNotZero();
        assertThat(build.output()).as("%s", arguments).contains(expected);
        assertThat(snapshotDirectoriesIn(temp)).as("left behind by %s", arguments).isEmpty();
    }

    @Test
    void aBadConfigurationFailsNamingTheParameterAndLeavesNothingBehind() throws Exception {
        failsAtPrepare("bad-duration.log", newTempDirectory("bad duration"), Map.of(),
                List.of("-Dbsm.assumeRole=arn:aws:iam::111111111111:role/x", "-Dbsm.durationSeconds=60"),
                "bsm-maven-plugin: parameter 'durationSeconds' (property bsm.durationSeconds) is not valid: Invalid"
                        + " assume-role duration PT1M");
        failsAtPrepare("bad-option.log", newTempDirectory("bad option"), Map.of(), List.of("-Dbsm.externalId=abc-123"),
                "bsm-maven-plugin: parameter 'externalId' (property bsm.externalId) needs parameter 'assumeRole'");
        failsAtPrepare("bad-mfa.log", newTempDirectory("bad mfa"), Map.of(),
                List.of("-Dbsm.assumeRole=arn:aws:iam::111111111111:role/x",
                        "-Dbsm.mfaSerialNumber=arn:aws:iam::111111111111:mfa/ci"),
                "bsm-maven-plugin: parameter 'mfaSerialNumber' (property bsm.mfaSerialNumber) is set, so AssumeRole"
                        + " needs a code", "-Dbsm.mfaTokenCode=123456");
        // clean makes target anew before prepare runs: it is there, inside the project.
        failsAtPrepare("bad-inside.log", project.directory().resolve("target"), Map.of(), List.of(),
                "bsm-maven-plugin: parameter 'tempDirectory' (property bsm.tempDirectory) is inside the project");
    }

    @Test
    void aProfileThatIsNotThereOrAnSsoProfileWithoutALoginFailsNamingIt() throws Exception {
        Path none = Files.writeString(workspace.resolve("aws-config-empty"), "[profile other]\nregion = us-east-1\n");
        failsAtPrepare("unknown-profile.log", newTempDirectory("unknown"), Map.of("AWS_CONFIG_FILE", none.toString()),
                List.of(), "bsm-maven-plugin: parameter 'profile' (property bsm.profile) names a profile that is not"
                        + " there", "'ci'");
        Path sso = Files.writeString(workspace.resolve("aws-config-sso"), "[profile ci]\nsso_session = corp\n"
                + "sso_account_id = 111111111111\nsso_role_name = Developer\nregion = us-east-1\n"
                + "[sso-session corp]\nsso_start_url = https://bsm-example.awsapps.com/start\nsso_region = us-east-1\n"
                + "sso_registration_scopes = sso:account:access\n");
        failsAtPrepare("sso.log", newTempDirectory("sso"), Map.of("AWS_CONFIG_FILE", sso.toString()), List.of(),
                "bsm-maven-plugin: parameter 'profile' (property bsm.profile) gives no credentials",
                "aws sso login --profile ci");
    }

    /** A Maven JVM killed outright runs no shutdown hook: the next build's prepare sweeps what it left. */
    @Test
    void whatAKilledMavenLeftIsSweptByTheNextBuild() throws Exception {
        Path temp = newTempDirectory("killed");
        List<String> command = new ArrayList<>(List.of("./mvnw"));
        command.addAll(project.repositoryArguments());
        command.addAll(List.of("-B", "-Dbsm.endpoint=" + proxy.endpoint(), "-Dbsm.tempDirectory=" + temp, "clean",
                "verify"));
        SampleProject.Run run = project.start(command, "killed.log", environment(Map.of()));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        String output = "";
        while (!SNAPSHOT.matcher(output).find()) {
            assertThat(run.process().isAlive()).as("Maven writes the snapshot; its output:%n%s", output).isTrue();
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(100);
            output = Files.readString(run.log(), StandardCharsets.ISO_8859_1);
        }
        // mvnw execs java: the process is Maven's JVM. Its forks go first, so none outlives the test.
        run.process().descendants().forEach(ProcessHandle::destroyForcibly);
        run.process().destroyForcibly();
        run.waitFor();
        Matcher named = SNAPSHOT.matcher(output);
        assertThat(named.find()).isTrue();
        Path left = Path.of(named.group(1)).getParent();
        assertThat(left).as("what the killed JVM left").isDirectory();

        SampleProject.Result next = maven("after-killed.log", temp, Map.of(), "-B", "process-test-classes");
        assertThat(next.exitCode()).as("the next build; its output ends:%n%s", tail(next.output())).isZero();
        assertThat(left).as("swept by the next build's prepare").doesNotExist();
        assertThat(snapshotDirectoriesIn(temp)).as("and its own removed when it exits").isEmpty();
    }

    /** Interactive Maven on a terminal ({@code script} gives it one): the code is asked once, and not echoed. */
    @Test
    void theMfaCodeIsAskedForOnceOnTheConsole() throws Exception {
        Path script = Path.of("/usr/bin/script");
        if (!Files.isExecutable(script)) {
            ReadmeMavenInstallTests.missing(script + " (util-linux) is not installed: no terminal for Maven's prompt");
        }
        Path temp = newTempDirectory("prompt");
        List<String> maven = new ArrayList<>(List.of("./mvnw"));
        maven.addAll(project.repositoryArguments());
        maven.addAll(List.of("-Dbsm.endpoint=" + proxy.endpoint(), "-Dbsm.tempDirectory=" + temp,
                "-Dbsm.assumeRole=arn:aws:iam::333333333333:role/prompted",
                "-Dbsm.mfaSerialNumber=arn:aws:iam::111111111111:mfa/ci", "clean", "process-test-classes"));
        String command = maven.stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        int before = proxy.calls("AssumeRole").size();
        SampleProject.Run run = project.start(List.of(script.toString(), "-qec", command, "/dev/null"), "prompt.log",
                environment(Map.of()));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (!Files.readString(run.log(), StandardCharsets.ISO_8859_1).contains("bsm: MFA code for")) {
            assertThat(run.process().isAlive()).as("Maven asks for the code; its output:%n%s",
                    Files.readString(run.log(), StandardCharsets.ISO_8859_1)).isTrue();
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(200);
        }
        try (OutputStream typing = run.process().getOutputStream()) {
            typing.write("246810\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(run.waitFor()).as("Maven's exit code; its output:%n%s", Files.readString(run.log(),
                StandardCharsets.ISO_8859_1)).isZero();
        String output = Files.readString(run.log(), StandardCharsets.ISO_8859_1);
        Files.copy(run.log(), LOGS.resolve("prompt.log"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(output).contains("bsm: MFA code for arn:aws:iam::111111111111:mfa/ci").doesNotContain("246810");
        List<RecordingProxy.Call> assumed = proxy.calls("AssumeRole");
        assertThat(assumed.subList(before, assumed.size())).extracting(c -> c.parameters().get("TokenCode"))
                .as("the profile's role (no code), then the plugin's").containsExactly(null, "246810");
        assertThat(snapshotDirectoriesIn(temp)).as("removed when Maven exits").isEmpty();
    }
}
