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
 *
 * <p>With {@code <emulator>moto</emulator>}, it also lets go of the build's {@code moto_server} once no module of the
 * reactor is left to use it (in the reactor's last module): the server stops within seconds, as soon as no test JVM
 * uses it either. A build that ends sooner lets go of it when Maven's JVM exits, however it exits.
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
        String id = id(project);
        BuildState state = BuildState.of(session);
        List<Path> removed = state.release(id);
        removed.forEach(file -> getLog().info("bsm: removed snapshot " + file));
        List<MavenProject> reactor = session.getProjects();
        boolean last = reactor == null || reactor.isEmpty() || id(reactor.get(reactor.size() - 1)).equals(id);
        state.releaseEmulator(id, last).ifPresent(emulator -> getLog().info("bsm: let go of the build's emulator, "
                + emulator.description() + ": it stops as soon as no test JVM uses it"));
    }

    private static String id(MavenProject project) {
        return project.getGroupId() + ":" + project.getArtifactId();
    }
}
