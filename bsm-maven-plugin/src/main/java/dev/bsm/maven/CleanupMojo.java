package dev.bsm.maven;

import java.nio.file.Path;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
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
 * reactor is left to use it (in the reactor's last module that runs this plugin): the server stops within seconds,
 * as soon as no test JVM uses it either. A build that ends sooner lets go of it when Maven's JVM exits, however it
 * exits.
 */
@Mojo(name = "cleanup", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class CleanupMojo extends AbstractMojo {
    /** Creates the goal; Maven sets its parameters. */
    public CleanupMojo() {
    }

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() {
        String id = id(project);
        BuildState state = BuildState.of(session);
        List<Path> removed = state.release(id);
        removed.forEach(file -> getLog().info("bsm: removed snapshot " + file));
        boolean last = lastToRun(session.getProjects(), plugin.getGroupId(), plugin.getArtifactId(), id);
        state.releaseEmulator(id, last).ifPresent(emulator -> getLog().info("bsm: let go of the build's emulator, "
                + emulator.description() + ": it stops as soon as no test JVM uses it"));
    }

    /**
     * {@return whether the module is the reactor's last that runs this plugin, after which no {@code cleanup} comes}
     * Modules after it without the plugin never run one: waiting for the reactor's very last module would hold the
     * emulator to the build's end, under a Maven daemon to its next build.
     */
    static boolean lastToRun(List<MavenProject> reactor, String groupId, String artifactId, String id) {
        if (reactor == null) {
            return true;
        }
        for (int i = reactor.size() - 1; i >= 0; i--) {
            MavenProject project = reactor.get(i);
            boolean runs = project.getBuildPlugins().stream()
                    .anyMatch(p -> groupId.equals(p.getGroupId()) && artifactId.equals(p.getArtifactId()));
            if (runs || id(project).equals(id)) {
                return id(project).equals(id);
            }
        }
        return true;
    }

    private static String id(MavenProject project) {
        return project.getGroupId() + ":" + project.getArtifactId();
    }
}
