package dev.bsm.maven;

import java.nio.file.Path;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Removes the snapshot files that {@code prepare} wrote for this module, once its tests are done (bound after
 * Failsafe's integration tests by default). The build's session itself stays in Maven's memory for the build's
 * other modules. A build that fails before this phase, or ends sooner ({@code mvn test}), loses its files all the
 * same: when Maven's JVM exits, everything {@code prepare} wrote is removed.
 */
@Mojo(name = "cleanup", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class CleanupMojo extends AbstractMojo {
    /** Creates the goal; Maven sets its parameters. */
    public CleanupMojo() {
    }

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() {
        List<Path> removed = BuildState.of(session).release(project.getGroupId() + ":" + project.getArtifactId());
        removed.forEach(file -> getLog().info("bsm: removed snapshot " + file));
    }
}
