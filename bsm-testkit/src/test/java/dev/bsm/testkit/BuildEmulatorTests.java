package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's moto_server held by a build tool's JVM (this one, as Maven's for bsm-maven-plugin) and joined by
 * test JVMs (children given {@link BuildEmulator#testJvmProperties()}): one server for all, kept while any of them
 * uses it, gone within seconds of the last letting go, and never started by a test JVM.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BuildEmulatorTests {
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);

    private String buildIdBefore;
    private final List<BuildEmulator> held = new ArrayList<>();

    @BeforeEach
    void privateBuild() {
        MotoServerTests.assumeMotoAvailable();
        assumeTrue(BuildEmulator.unavailableReason().isEmpty() && Files.isDirectory(Path.of("/proc/self/fd")),
                () -> BuildEmulator.unavailableReason().orElse("needs Linux's /proc"));
        buildIdBefore = System.getProperty(TestkitSettings.EMULATOR_BUILD_ID_PROPERTY);
        System.setProperty(TestkitSettings.EMULATOR_BUILD_ID_PROPERTY, "build-emulator-test-" + UUID.randomUUID());
    }

    @AfterEach
    void restore() {
        held.forEach(BuildEmulator::close);
        if (buildIdBefore == null) {
            System.clearProperty(TestkitSettings.EMULATOR_BUILD_ID_PROPERTY);
        } else {
            System.setProperty(TestkitSettings.EMULATOR_BUILD_ID_PROPERTY, buildIdBefore);
        }
    }

    private BuildEmulator hold() {
        BuildEmulator moto = BuildEmulator.startMoto();
        held.add(moto);
        return moto;
    }

    private static List<String> options(BuildEmulator moto) {
        List<String> options = new ArrayList<>();
        moto.testJvmProperties().forEach((name, value) -> options.add("-D" + name + "=" + value));
        // The handed server wins over this: a test JVM joins it whatever the share setting says.
        options.add("-D" + TestkitSettings.EMULATOR_SHARE_PROPERTY + "=jvm");
        return options;
    }

    @Test
    void testJvmsJoinTheHeldServerWhichOutlivesTheHolderUntilTheLastOfThemExits(@TempDir Path dir)
            throws Exception {
        BuildEmulator moto = hold();
        assertThat(moto.testJvmProperties()).containsOnlyKeys(TestkitSettings.BUILD_EMULATOR_LEASE_PROPERTY,
                TestkitSettings.BUILD_EMULATOR_ENDPOINT_PROPERTY)
                .containsEntry(TestkitSettings.BUILD_EMULATOR_ENDPOINT_PROPERTY, moto.endpoint().toString());
        assertThat(moto.toString()).contains(moto.endpoint().toString()).doesNotContain("testing");
        Path temporary = Files.createDirectory(dir.resolve("tmp"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path go = dir.resolve("go");
        try (LeaseJvms users = LeaseJvms.start(dir, temporary, 2, go, options(moto))) {
            users.awaitWaiting();
            Files.createFile(go);
            List<LeaseJvms.Report> reports = users.reports();
            assertThat(reports).as("every test JVM joined").allMatch(LeaseJvms.Report::attached);
            assertThat(reports).extracting(r -> r.get("server")).containsOnly(LeaseJvms.stamp(moto.process()));
            assertThat(reports).extracting(r -> r.get("endpoint")).containsOnly(moto.endpoint().toString());
            assertThat(reports).extracting(r -> r.get("sharing")).containsOnly("BUILD");
            assertThat(reports).extracting(r -> r.get("used")).containsOnly("true");
            assertThat(LeaseJvms.servers(temporary)).as("servers the test JVMs started").isEmpty();

            moto.close();
            Thread.sleep(1000);
            assertThat(moto.process().isAlive()).as("a second after the holder let go, two test JVMs using it")
                    .isTrue();
            users.exit(0);
            users.exit(1);
            long exited = System.nanoTime();
            LeaseJvms.awaitTrue(() -> !moto.process().isAlive(), GONE_WITHIN,
                    () -> "the build's moto_server after the holder let go and its test JVMs exited");
            System.out.printf(Locale.ROOT, "last test JVM's exit to moto_server gone: %.2f s%n",
                    (System.nanoTime() - exited) / 1e9);

            int late = users.addAndAwaitWaiting(dir, go, options(moto));
            LeaseJvms.Report report = users.report(late);
            assertThat(report.attached()).as(report.line()).isFalse();
            assertThat(report.line()).contains("EmulatorStartException", moto.endpoint().toString(),
                    "not available", "no supervisor runs", "never starts the build's emulator itself");
            assertThat(LeaseJvms.everything(temporary)).as("what the late test JVM started").isEmpty();
        }
    }

    @Test
    void theHolderLettingGoWithNoTestJvmStopsTheServerWithinSeconds() throws Exception {
        BuildEmulator moto = hold();
        ProcessHandle server = moto.process();
        assertThat(server.isAlive()).isTrue();
        moto.close();
        moto.close(); // again: nothing
        long released = System.nanoTime();
        LeaseJvms.awaitTrue(() -> !server.isAlive(), GONE_WITHIN, () -> "moto_server after close()");
        System.out.printf(Locale.ROOT, "close() to moto_server gone: %.2f s%n", (System.nanoTime() - released) / 1e9);
        assertThat(moto.isClosed()).isTrue();
        assertThat(moto.toString()).endsWith(", closed]");
    }

    @Test
    void theChoiceTakesTheHandedServerBeforeLocalStack() {
        BuildEmulator moto = hold();
        List<String> before = new ArrayList<>();
        moto.testJvmProperties().forEach((name, value) -> {
            before.add(System.getProperty(name));
            System.setProperty(name, value);
        });
        try {
            TestkitSettings.BuildEmulatorHandoff handed = TestkitSettings.buildEmulator().orElseThrow();
            EmulatorChoice choice = Emulators.choose(Optional.empty(), () -> MotoServer.joinBuild(handed));
            assertThat(choice.emulator()).get().isInstanceOf(MotoServer.class)
                    .extracting(Emulator::endpoint).isEqualTo(moto.endpoint());
            // Docker is not even looked for: the same choice on a machine with Docker as here, without.
            assertThat(choice.summary()).contains("LocalStack was not considered",
                    "using the build's moto_server at " + moto.endpoint()).doesNotContain("Docker");
        } finally {
            int i = 0;
            for (String name : moto.testJvmProperties().keySet()) {
                String value = before.get(i++);
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            }
        }
    }

    @Test
    void aLeaseOutsideThisUsersDirectoryIsRefusedWithNothingMadeForIt(@TempDir Path temporary) throws Exception {
        // Another user's per-user directory (bsm-99999), as a forged or mistaken bsm.emulator.lease would name it.
        Path forged = temporary.resolve("bsm-99999").resolve(BuildKey.PREFIX + "forged");
        java.net.URI endpoint = java.net.URI.create("http://127.0.0.1:5000");

        assertThatThrownBy(() -> BuildLease.join(forged, endpoint)).isInstanceOf(EmulatorStartException.class)
                .hasMessageContaining(forged + " is not in this user's directory of its temporary directory");
        try (var made = Files.walk(temporary)) {
            assertThat(made.filter(p -> p.getFileName().toString().startsWith(BuildKey.PREFIX)).toList())
                    .as("lease directories made for the refused path").isEmpty();
        }
    }

    @Test
    void oneOfTheTwoPropertiesWithoutTheOtherIsRefused() {
        String name = TestkitSettings.BUILD_EMULATOR_ENDPOINT_PROPERTY;
        assertThat(System.getProperty(name)).isNull();
        System.setProperty(name, "http://127.0.0.1:5000");
        try {
            assertThatThrownBy(TestkitSettings::buildEmulator).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(TestkitSettings.BUILD_EMULATOR_LEASE_PROPERTY)
                    .hasMessageContaining("only " + name + " is set");
        } finally {
            System.clearProperty(name);
        }
    }
}
