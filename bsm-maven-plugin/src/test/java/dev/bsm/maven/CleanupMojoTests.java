package dev.bsm.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;

/** Which module's {@code cleanup} lets go of the build's emulator: the last of the reactor that runs the plugin. */
class CleanupMojoTests {
    private static final String GROUP = "dev.bsm";
    private static final String ARTIFACT = "bsm-maven-plugin";

    @Test
    void modulesAfterTheLastThatRunsThePluginDoNotHoldTheEmulatorFurther() {
        // A report or distribution module without the plugin comes last: it runs no cleanup.
        List<MavenProject> reactor = List.of(project("parent", false), project("api", true), project("service", true),
                project("coverage-report", false));

        assertThat(CleanupMojo.lastToRun(reactor, GROUP, ARTIFACT, "com.example:service")).isTrue();
        assertThat(CleanupMojo.lastToRun(reactor, GROUP, ARTIFACT, "com.example:api")).isFalse();
    }

    @Test
    void theReactorsLastModuleIsTheLastWhenItRunsThePluginAndAnEmptyReactorHasNoOtherModule() {
        List<MavenProject> reactor = List.of(project("api", true), project("service", true));

        assertThat(CleanupMojo.lastToRun(reactor, GROUP, ARTIFACT, "com.example:service")).isTrue();
        assertThat(CleanupMojo.lastToRun(reactor, GROUP, ARTIFACT, "com.example:api")).isFalse();
        assertThat(CleanupMojo.lastToRun(List.of(), GROUP, ARTIFACT, "com.example:api")).isTrue();
        assertThat(CleanupMojo.lastToRun(null, GROUP, ARTIFACT, "com.example:api")).isTrue();
    }

    private static MavenProject project(String artifactId, boolean runsThePlugin) {
        Model model = new Model();
        model.setGroupId("com.example");
        model.setArtifactId(artifactId);
        model.setVersion("1");
        Build build = new Build();
        if (runsThePlugin) {
            Plugin plugin = new Plugin();
            plugin.setGroupId(GROUP);
            plugin.setArtifactId(ARTIFACT);
            build.addPlugin(plugin);
        }
        Plugin surefire = new Plugin();
        surefire.setArtifactId("maven-surefire-plugin");
        build.addPlugin(surefire);
        model.setBuild(build);
        return new MavenProject(model);
    }
}
