package dev.bsm.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** {@link BuildKey}: which JVMs are of one build, on directory trees of the test's own. */
class BuildKeyTests {

    @Test
    void theProjectDirectoryIsTheNearestOneWithMavensOrGradlesRootMarker(@TempDir Path dir) throws IOException {
        Path module = Files.createDirectories(dir.resolve("project/service/api"));
        assertThat(BuildKey.projectDirectory(module)).as("no marker anywhere: the directory itself")
                .isEqualTo(module);

        Files.createDirectory(dir.resolve("project/.mvn"));
        assertThat(BuildKey.projectDirectory(module)).isEqualTo(dir.resolve("project"));

        Files.createFile(dir.resolve("project/service/settings.gradle.kts"));
        assertThat(BuildKey.projectDirectory(module)).as("the nearest wins").isEqualTo(dir.resolve("project/service"));
        assertThat(BuildKey.projectDirectory(dir.resolve("project"))).isEqualTo(dir.resolve("project"));
    }

    @Test
    @ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
    void anExplicitBuildIdWinsThenMavensProjectDirectoryThenTheWorkingDirectorysProject(@TempDir Path dir)
            throws IOException {
        Path project = Files.createDirectories(dir.resolve("project/.mvn")).getParent();
        Path module = Files.createDirectory(project.resolve("module"));
        String oldId = System.getProperty(TestkitSettings.EMULATOR_BUILD_ID_PROPERTY);
        String oldMaven = System.getProperty("maven.multiModuleProjectDirectory");
        try {
            System.clearProperty(TestkitSettings.EMULATOR_BUILD_ID_PROPERTY);
            System.clearProperty("maven.multiModuleProjectDirectory");
            assertThat(BuildKey.build(module)).isEqualTo("project " + project.toRealPath());
            assertThat(BuildKey.build(project)).as("the root's own JVMs and the module's meet")
                    .isEqualTo(BuildKey.build(module));

            System.setProperty("maven.multiModuleProjectDirectory", module.toString());
            assertThat(BuildKey.build(project)).isEqualTo("project " + module.toRealPath());

            System.setProperty(TestkitSettings.EMULATOR_BUILD_ID_PROPERTY, " ci-job-42 ");
            assertThat(BuildKey.build(project)).isEqualTo("build ci-job-42");
        } finally {
            restore(TestkitSettings.EMULATOR_BUILD_ID_PROPERTY, oldId);
            restore("maven.multiModuleProjectDirectory", oldMaven);
        }
    }

    @Test
    void theLeaseIsNamedByABuildAndAnEmulatorTogether() {
        BuildKey key = BuildKey.of("moto_server /usr/bin/moto_server", "build one");

        assertThat(key.directoryName()).matches(BuildKey.PREFIX + "[0-9a-f]{32}");
        assertThat(key.description()).isEqualTo("build one, moto_server /usr/bin/moto_server");
        assertThat(BuildKey.of("moto_server /usr/bin/moto_server", "build one")).isEqualTo(key);
        assertThat(BuildKey.of("moto_server /usr/bin/moto_server", "build two").directoryName())
                .isNotEqualTo(key.directoryName());
        assertThat(BuildKey.of("moto_server /opt/moto/bin/moto_server", "build one").directoryName())
                .isNotEqualTo(key.directoryName());
    }

    @Test
    void aLocalStackLeaseIsNamedByEverythingThatChangesTheContainerAndNeverShowsTheToken() {
        Optional<String> none = Optional.empty();
        BuildKey key = BuildKey.forLocalStack("localstack/localstack:4.9.2", none, none, "build one");

        assertThat(key.kind()).isEqualTo(BuildKey.Kind.LOCALSTACK);
        assertThat(key.directoryName()).matches(BuildKey.PREFIX + "[0-9a-f]{32}");
        assertThat(key.description()).isEqualTo("build one, LocalStack localstack/localstack:4.9.2 (auth token not"
                + " set, Docker default)");
        assertThat(BuildKey.forLocalStack("localstack/localstack:4.9.2", none, none, "build one")).isEqualTo(key);
        List<BuildKey> others = List.of(
                BuildKey.forLocalStack("localstack/localstack:4.9.3", none, none, "build one"),
                BuildKey.forLocalStack("localstack/localstack:4.9.2", none, none, "build two"),
                BuildKey.forLocalStack("localstack/localstack:4.9.2", Optional.of("ls-token-one"), none, "build one"),
                BuildKey.forLocalStack("localstack/localstack:4.9.2", Optional.of("ls-token-two"), none, "build one"),
                BuildKey.forLocalStack("localstack/localstack:4.9.2", none, Optional.of("tcp://docker:2375"),
                        "build one"),
                BuildKey.of(key.description().substring("build one, ".length()), "build one"));
        assertThat(others).extracting(BuildKey::directoryName).doesNotHaveDuplicates()
                .doesNotContain(key.directoryName());
        assertThat(others.get(2).description()).contains("auth token set").doesNotContain("ls-token-one");
        assertThat(others.get(4).description()).contains("Docker tcp://docker:2375");
        assertThat(others.get(5).kind()).isEqualTo(BuildKey.Kind.MOTO);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
