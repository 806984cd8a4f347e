package dev.bsm.testkit;

import static dev.bsm.testkit.MotoServerTests.assumeMotoAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** The automatic choice, on this machine's real moto_server and (absent) Docker. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmulatorsTests {

    private static final List<String> PROPERTIES = List.of(TestkitSettings.ENDPOINT_PROPERTY,
            TestkitSettings.LOCALSTACK_ENABLED_PROPERTY, TestkitSettings.MOTO_EXECUTABLE_PROPERTY);

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void anExplicitEndpointWinsAndSaysWhy() {
        URI endpoint = URI.create("http://localhost:4566");
        EmulatorChoice choice = Emulators.choose(Optional.of(endpoint));

        assertThat(choice.emulator()).get().isInstanceOf(ExternalEndpoint.class);
        Emulator emulator = choice.emulator().orElseThrow();
        assertThat(emulator.endpoint()).isEqualTo(endpoint);
        assertThat(emulator.region()).isEqualTo("us-east-1");
        assertThat(emulator.accessKeyId()).isEqualTo("test");
        assertThat(emulator.secretAccessKey()).isEqualTo("test");
        assertThat(choice.attempts()).singleElement().asString()
                .contains("Explicit endpoint http://localhost:4566")
                .contains("external endpoint")
                .contains("not considered");
        assertThat(choice.summary())
                .startsWith("AWS emulator: external endpoint http://localhost:4566 (region us-east-1). Why: 1) ")
                .isEqualTo(choice.toString());
        emulator.close();
        assertThatThrownBy(() -> Emulators.choose(Optional.of(URI.create("localhost:4566"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void explicitEndpointReadsTheSystemProperty() {
        Map<String, String> saved = save();
        try {
            System.clearProperty(TestkitSettings.ENDPOINT_PROPERTY);
            assertThat(Emulators.explicitEndpoint()).isEmpty();
            System.setProperty(TestkitSettings.ENDPOINT_PROPERTY, "  ");
            assertThat(Emulators.explicitEndpoint()).isEmpty();
            System.setProperty(TestkitSettings.ENDPOINT_PROPERTY, " http://127.0.0.1:4566 ");
            assertThat(Emulators.explicitEndpoint()).contains(URI.create("http://127.0.0.1:4566"));
            System.setProperty(TestkitSettings.ENDPOINT_PROPERTY, "not a uri");
            assertThatThrownBy(Emulators::explicitEndpoint)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(TestkitSettings.ENDPOINT_PROPERTY);
        } finally {
            restore(saved);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void withoutEndpointAndWithoutDockerMotoIsChosenAndDockersAbsenceIsRecorded() {
        assumeNoDocker();
        assumeMotoAvailable();
        Map<String, String> saved = save();
        try {
            System.clearProperty(TestkitSettings.ENDPOINT_PROPERTY);
            System.clearProperty(TestkitSettings.LOCALSTACK_ENABLED_PROPERTY);

            EmulatorChoice choice = Emulators.choose(Optional.empty());

            assertThat(choice.emulator()).containsSame(MotoServer.shared());
            assertThat(choice.attempts()).hasSize(3);
            assertThat(choice.attempts().get(0)).isEqualTo("bsm.endpoint not set: no explicit endpoint");
            assertThat(choice.attempts().get(1)).startsWith("LocalStack not used: Docker is not available: ");
            assertThat(choice.attempts().get(2))
                    .startsWith("moto_server found at " + MotoExecutable.resolve())
                    .contains(MotoServer.shared().endpoint().toString());
            assertThat(choice.summary()).startsWith("AWS emulator: moto_server at ").contains("1) bsm.endpoint")
                    .contains("2) LocalStack not used").contains("3) moto_server found at");

            EmulatorChoice again = Emulators.choose(Optional.empty());
            assertThat(again.emulator()).as("cheap and the same when asked again")
                    .containsSame(choice.emulator().orElseThrow());
            assertThat(again.attempts()).isEqualTo(choice.attempts());

            Emulator emulator = choice.emulator().orElseThrow();
            assertThat(emulator.session().awsAccountId()).isEqualTo(MotoServer.shared().accountId());
            emulator.close(); // what a framework does at the end of a run: a no-op for the shared server
            assertThat(emulator.session().awsAccountId()).isEqualTo(MotoServer.shared().accountId());
        } finally {
            restore(saved);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void localStackCanBeSwitchedOffSoMotoIsChosenEvenWhereDockerRuns() {
        assumeMotoAvailable();
        Map<String, String> saved = save();
        try {
            System.setProperty(TestkitSettings.LOCALSTACK_ENABLED_PROPERTY, "false");
            // A password in the property must not reach the reasons, which end up in skip messages and reports.
            System.setProperty(TestkitSettings.ENDPOINT_PROPERTY, "http://bsm:s3cretPass@127.0.0.1:1");

            EmulatorChoice choice = Emulators.choose(Optional.empty());

            assertThat(choice.emulator()).containsSame(MotoServer.shared());
            assertThat(choice.summary()).doesNotContain("s3cretPass");
            assertThat(choice.attempts()).containsExactly(
                    "No explicit endpoint passed (system property bsm.endpoint is set but was not used by the"
                            + " caller)",
                    "LocalStack skipped: system property bsm.localstack.enabled is false",
                    "moto_server found at " + MotoExecutable.resolve() + ": using the server shared by "
                            + (MotoServer.shared().sharing() == MotoServer.Sharing.BUILD
                                    ? "every test JVM of the build" : "the JVM")
                            + " at " + MotoServer.shared().endpoint());
        } finally {
            restore(saved);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void aLocalStackSwitchThatIsNeitherTrueNorFalseFailsTheChoice() {
        Map<String, String> saved = save();
        try {
            System.setProperty(TestkitSettings.LOCALSTACK_ENABLED_PROPERTY, "flase");

            assertThatThrownBy(() -> Emulators.choose(Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("System property bsm.localstack.enabled='flase' is not a boolean: use true, or false"
                            + " to skip LocalStack");
            assertThat(Emulators.choose(Optional.of(URI.create("http://localhost:4566"))).emulator())
                    .as("an explicit endpoint does not look at the switch").isPresent();
        } finally {
            restore(saved);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void withNothingAvailableTheChoiceIsEmptyAndGivesEveryReason() {
        assumeNoDocker();
        Map<String, String> saved = save();
        try {
            System.clearProperty(TestkitSettings.ENDPOINT_PROPERTY);
            System.clearProperty(TestkitSettings.LOCALSTACK_ENABLED_PROPERTY);
            System.setProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, "/nonexistent");

            EmulatorChoice choice = Emulators.choose(Optional.empty());

            assertThat(choice.emulator()).isEmpty();
            assertThat(choice.attempts()).hasSize(3);
            assertThat(choice.attempts().get(0)).contains("bsm.endpoint not set");
            assertThat(choice.attempts().get(1)).contains("Docker is not available");
            assertThat(choice.attempts().get(2))
                    .startsWith("moto_server not used: System property bsm.moto.executable is set to "
                            + "'/nonexistent', but no such file exists")
                    .contains("pip install 'moto[server]'");
            assertThat(choice.summary()).startsWith("No AWS emulator is available. Tried: 1) bsm.endpoint not set")
                    .contains("2) LocalStack not used: Docker is not available")
                    .contains("3) moto_server not used");
        } finally {
            restore(saved);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void aMotoThatCannotStartIsRecordedAsAReason() {
        assumeNoDocker();
        Path falseCommand = Path.of("/bin/false");
        assumeTrue(falseCommand.toFile().canExecute(), "needs /bin/false");
        Map<String, String> saved = save();
        try {
            System.clearProperty(TestkitSettings.ENDPOINT_PROPERTY);
            System.clearProperty(TestkitSettings.LOCALSTACK_ENABLED_PROPERTY);
            System.setProperty(TestkitSettings.MOTO_EXECUTABLE_PROPERTY, falseCommand.toString());

            // MotoServer.start() stands in for a shared server that has not been started in this JVM yet.
            EmulatorChoice choice = Emulators.choose(Optional.empty(), MotoServer::start);

            assertThat(choice.emulator()).isEmpty();
            assertThat(choice.attempts().get(2)).startsWith("moto_server found at /bin/false but not usable: ")
                    .contains("exited with code 1");
        } finally {
            restore(saved);
        }
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void sharedChoosesOnceAndStartsTheEmulator() {
        assumeMotoAvailable();
        Map<String, String> saved = save();
        try {
            System.clearProperty(TestkitSettings.ENDPOINT_PROPERTY);
            if (LocalStackEmulator.unavailableReason().isEmpty()) {
                System.setProperty(TestkitSettings.LOCALSTACK_ENABLED_PROPERTY, "false"); // keep this test on moto
            }
            Emulator shared = Emulators.shared();

            assertThat(Emulators.shared()).isSameAs(shared);
            assertThat(shared.session().awsAccountId()).matches("\\d{12}");
            shared.close(); // shared: still usable afterwards
            assertThat(Emulators.shared().session().awsAccountId()).matches("\\d{12}");
        } finally {
            restore(saved);
        }
    }

    @Test
    void withoutDockerTheChoiceFallsBackQuietlyWithoutTouchingTestcontainers(@TempDir Path home) throws IOException {
        assumeMotoAvailable();
        // Nothing at DOCKER_HOST, and a home of its own, so no socket or Testcontainers file of this user's counts.
        Path socket = home.resolve("docker.sock");
        Path classLog = home.resolve("classes.log");
        Map<String, String> childEnv = new HashMap<>(System.getenv());
        childEnv.put("DOCKER_HOST", "unix://" + socket);
        DockerProbe.Host machine = DockerProbe.Host.ofThisJvm();
        DockerProbe.Result childView = DockerProbe.check(new DockerProbe.Host(childEnv, home, machine.windows(),
                machine.systemSocket(), machine.userRuntimeDir()), DockerCheck.PROBE_TIMEOUT);
        assumeTrue(childView.verdict() == DockerProbe.Verdict.ABSENT, () -> "Docker may run here, and this test is "
                + "about its absence: " + childView.reason());

        // A fresh JVM with Testcontainers and slf4j-simple on its class path, as a user's test run has them.
        ForkedJvm.Result result = ForkedJvm.mainClass(PrintChoice.class)
                .environment("DOCKER_HOST", "unix://" + socket)
                .jvmArgs("-Duser.home=" + home, "-Xlog:class+load=info:file=" + classLog)
                .timeout(Duration.ofMinutes(2))
                .run();

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        String output = result.stdout() + result.stderr();
        assertThat(output).as("Testcontainers logs nothing: it was never asked")
                .doesNotContain("Could not find a valid Docker environment")
                .doesNotContain(" ERROR ")
                .doesNotContain("SLF4J");
        try (Stream<String> loaded = Files.lines(classLog)) {
            assertThat(loaded.filter(line -> line.contains(" org.testcontainers.")).limit(5))
                    .as("no Testcontainers class was even loaded").isEmpty();
        }
        String summary = output.lines().filter(line -> line.startsWith("SUMMARY ")).findFirst().orElseThrow();
        assertThat(summary)
                .startsWith("SUMMARY AWS emulator: moto_server at ")
                .contains("2) LocalStack not used: Docker is not available: no Docker daemon answered")
                .contains("DOCKER_HOST unix://" + socket + ": no socket file there")
                .contains("/var/run/docker.sock")
                .contains("Testcontainers was not asked")
                .contains("3) moto_server found at");
    }

    /** Prints the summary of {@link Emulators#choose(Optional)}, on one line starting with "SUMMARY ". */
    static final class PrintChoice {
        public static void main(String[] args) {
            System.out.println("SUMMARY " + Emulators.choose(Optional.empty()).summary());
            System.exit(0); // the shared moto_server is stopped by its shutdown hook
        }
    }

    // ------------------------------------------------------------------------------ Testcontainers is optional

    @Test
    void noPublicSignatureMentionsATestcontainersType() {
        List<Class<?>> publicApi = List.of(Emulator.class, Emulators.class, EmulatorChoice.class, MotoServer.class,
                LocalStackEmulator.class, ExternalEndpoint.class, EmulatorStartException.class,
                EmulatorUnavailableException.class);
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicApi) {
            assertThat(Modifier.isPublic(type.getModifiers())).as(type.getName()).isTrue();
            List<Executable> members = new ArrayList<>(Arrays.asList(type.getDeclaredMethods()));
            members.addAll(Arrays.asList(type.getDeclaredConstructors()));
            for (Executable member : members) {
                if (!Modifier.isPublic(member.getModifiers()) && !Modifier.isProtected(member.getModifiers())) {
                    continue;
                }
                Stream.concat(Stream.of(member.getGenericParameterTypes()),
                                Stream.concat(Stream.of(member.getGenericExceptionTypes()),
                                        member instanceof Method method
                                                ? Stream.of(method.getGenericReturnType()) : Stream.<Type>empty()))
                        .map(Type::getTypeName)
                        .filter(name -> name.contains("org.testcontainers"))
                        .forEach(name -> leaks.add(type.getSimpleName() + "." + member.getName() + ": " + name));
            }
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isPublic(field.getModifiers()) && field.getGenericType().getTypeName()
                        .contains("org.testcontainers")) {
                    leaks.add(type.getSimpleName() + "." + field.getName());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void everythingButLocalStackWorksWithoutTestcontainersOnTheClasspath() throws Exception {
        List<URL> urls = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            String unix = entry.replace(File.separatorChar, '/');
            if (unix.contains("/org/testcontainers/") || unix.contains("/com/github/docker-java/")
                    || unix.contains("/org/rnorth/duct-tape/")) {
                dropped.add(entry);
            } else {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertThat(dropped).as("the test class path had Testcontainers to drop").isNotEmpty();

        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("org.testcontainers.DockerClientFactory", false, isolated))
                    .isInstanceOf(ClassNotFoundException.class);

            Class<?> localStack = Class.forName(LocalStackEmulator.class.getName(), true, isolated);
            Object reason = localStack.getMethod("unavailableReason").invoke(null);
            assertThat(reason).asString().contains("Testcontainers is not on the classpath")
                    .contains("org.testcontainers:testcontainers-localstack");
            Object emulator = localStack.getMethod("create").invoke(null);
            assertThat(localStack.getMethod("description").invoke(emulator)).asString()
                    .isEqualTo("LocalStack " + LocalStackEmulator.defaultImage() + " (not started yet)");
            assertThatThrownBy(() -> invoke(emulator, "endpoint"))
                    .satisfies(e -> assertThat(e.getClass().getName())
                            .isEqualTo(EmulatorUnavailableException.class.getName()))
                    .hasMessageContaining("LocalStack cannot start: Testcontainers is not on the classpath");

            Class<?> emulators = Class.forName(Emulators.class.getName(), true, isolated);
            Object choice = emulators.getMethod("choose", Optional.class).invoke(null, Optional.empty());
            @SuppressWarnings("unchecked")
            List<String> attempts = (List<String>) choice.getClass().getMethod("attempts").invoke(choice);
            assertThat(attempts.get(1)).startsWith("LocalStack not used: Testcontainers is not on the classpath");

            if (MotoServer.unavailableReason().isEmpty()) {
                Optional<?> chosen = (Optional<?>) choice.getClass().getMethod("emulator").invoke(choice);
                assertThat(chosen).isPresent();
                Object moto = chosen.orElseThrow();
                assertThat(moto.getClass().getName()).isEqualTo(MotoServer.class.getName());
                Object session = invoke(moto, "session");
                assertThat(invoke(session, "awsAccountId")).isEqualTo(MotoServer.shared().accountId());
                // That server belongs to the isolated copy of the class; stop it now rather than at JVM exit.
                Method stopAll = Class.forName(MotoServer.class.getName(), false, isolated)
                        .getDeclaredMethod("stopAll");
                stopAll.setAccessible(true);
                stopAll.invoke(null);
            }
        }
    }

    // --------------------------------------------------------------------------------------------------- helpers

    /** Skips where Docker runs: these tests are about what the choice does without it. */
    static void assumeNoDocker() {
        Optional<String> reason = LocalStackEmulator.unavailableReason();
        assumeTrue(reason.isPresent(), "Docker is available here, and this test is about its absence");
    }

    private static Object invoke(Object target, String method) throws Exception {
        Method m = target.getClass().getMethod(method);
        try {
            return m.invoke(target);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Map<String, String> save() {
        HashMap<String, String> saved = new HashMap<>();
        PROPERTIES.forEach(key -> saved.put(key, System.getProperty(key)));
        return saved;
    }

    private static void restore(Map<String, String> saved) {
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}
