package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * What a LocalStack lease hands its supervisor, without Docker: the class path (Testcontainers and its LocalStack
 * module included), the argument file it travels in, the command, and the shared emulator's refused reset.
 */
class LeaseContainerTests {

    @Test
    void theSupervisorsClassPathHasTestcontainersItsLocalStackModuleAndBsm() {
        List<String> entries = List.of(LeaseContainer.classPath().split(File.pathSeparator));

        for (Class<?> type : List.of(DockerClientFactory.class, LocalStackContainer.class, LeaseSupervisor.class,
                dev.bsm.core.BsmException.class, MotoAsLocalStack.class)) {
            assertThat(entries).as("where %s is", type.getSimpleName())
                    .contains(LeaseSupervisor.location(type).orElseThrow().toString());
        }
        assertThat(entries).allMatch(entry -> Files.exists(Path.of(entry))).doesNotHaveDuplicates();
        assertThat(LeaseSupervisor.classPath()).as("a moto supervisor's: bsm only")
                .doesNotContain(LeaseSupervisor.location(DockerClientFactory.class).orElseThrow().toString());
    }

    @Test
    void aManifestOnlyJarsClassPathIsExpandedAsSurefiresIs(@TempDir Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib dir"));
        Path one = Files.createFile(lib.resolve("one.jar"));
        Path classes = Files.createDirectory(dir.resolve("classes"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib%20dir/one.jar " + classes.toUri());
        Path booter = dir.resolve("booter.jar");
        try (OutputStream out = Files.newOutputStream(booter); JarOutputStream jar = new JarOutputStream(out,
                manifest)) {
            jar.flush();
        }

        assertThat(LeaseContainer.manifestClassPath(booter)).containsExactly(one, classes);
        assertThat(LeaseContainer.manifestClassPath(one)).as("a jar without a manifest").isEmpty();
        assertThat(LeaseContainer.manifestClassPath(classes)).as("a directory").isEmpty();
    }

    @Test
    void theArgumentFileQuotesTheClassPathAsTheJavaLauncherReadsIt(@TempDir Path dir) throws Exception {
        Path spaced = Files.createDirectories(dir.resolve("a dir \"q\""));
        Path arguments = dir.resolve("args");
        Files.write(arguments, LeaseContainer.argumentFile(spaced + File.pathSeparator + "/elsewhere"));

        Process java = new ProcessBuilder(ForkedJvm.javaExecutable().toString(), "@" + arguments,
                "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String printed = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        java.waitFor();

        // -XshowSettings prints each class path entry on a line of its own.
        assertThat(printed).containsPattern("java.class.path = " + Pattern.quote(spaced.toString())
                + "\\R\\s+/elsewhere\\R");
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void theSupervisorsCommandNamesItsKindAndImageAndKeepsTheClassPathOffTheCommandLine() {
        Path arguments = Path.of("/lease/" + LeaseDirectory.SUPERVISOR_ARGS);
        List<String> localstack = LeaseSupervisor.command("bsm-emulator-x", BuildKey.Kind.LOCALSTACK,
                Duration.ofSeconds(30), arguments);
        List<String> moto = LeaseSupervisor.command("bsm-emulator-x", BuildKey.Kind.MOTO, Duration.ofSeconds(30),
                null);

        assertThat(localstack).contains("@" + arguments,
                "-D" + TestkitSettings.LOCALSTACK_IMAGE_PROPERTY + "=" + TestkitSettings.localStackImage())
                .doesNotContain("-cp").endsWith(LeaseSupervisor.class.getName(), "bsm-emulator-x", "LOCALSTACK");
        assertThat(moto).contains("-cp", LeaseSupervisor.classPath()).endsWith(LeaseSupervisor.class.getName(),
                "bsm-emulator-x", "MOTO").noneMatch(argument -> argument.startsWith("@"));
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
    void theBuildsSharedContainerRefusesResetWithoutStartingAnything() {
        LocalStackEmulator shared = LocalStackEmulator.shared();
        org.junit.jupiter.api.Assumptions.assumeTrue(BuildLease.supported() && TestkitSettings.emulatorShare()
                == TestkitSettings.EmulatorShare.BUILD, "the lease is not supported here, or share=jvm is set");

        assertThat(shared.buildShared()).isTrue();
        assertThatThrownBy(shared::reset).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("every test JVM of this build uses it at the same time")
                .hasMessageContaining(TestkitSettings.EMULATOR_SHARE_PROPERTY + "=jvm")
                .hasMessageContaining("LocalStackEmulator.create()");
        assertThat(shared.description()).endsWith("(not started yet, shared by the build)");
        assertThat(LocalStackEmulator.create().buildShared()).as("an emulator of one's own").isFalse();
    }
}
