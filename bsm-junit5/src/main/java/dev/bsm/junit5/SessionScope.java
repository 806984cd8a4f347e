package dev.bsm.junit5;

import dev.bsm.core.AwsCliEnvironment;
import dev.bsm.core.AwsCliVariables;
import dev.bsm.core.BotoSesManager;
import dev.bsm.core.EnvironmentAccessException;
import dev.bsm.core.TempSnapshot;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sessions open for one test: their managers, snapshot files and environment, and an undo stack of
 * everything opening them changed, which {@link #close()} unwinds in reverse order whatever the test's outcome.
 */
final class SessionScope extends StoredResource {
    private final Map<String, SessionSpec> specs;
    private final Map<String, BotoSesManager> managers = new LinkedHashMap<>();
    private final Map<String, Path> snapshots = new LinkedHashMap<>();
    private final Deque<AutoCloseable> toUndo = new ArrayDeque<>();

    private SessionScope(Map<String, SessionSpec> specs) {
        this.specs = specs;
    }

    /** Opens the sessions of a test; on failure, undoes what it did before rethrowing. */
    static SessionScope open(ExtensionContext context, Map<String, SessionSpec> specs) {
        SessionScope session = new SessionScope(specs);
        try {
            session.start(context);
            return session;
        } catch (RuntimeException | Error e) {
            try {
                session.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void start(ExtensionContext context) {

        specs.forEach((name, spec) -> managers.put(name, RunResources.manager(context, spec)));
        specs.forEach((name, spec) -> {
            if (spec.snapshot()) {
                snapshots.put(name, writeSnapshot(RunResources.snapshotDirectory(context), managers.get(name)));
            }
        });
        Optional<SessionSpec> environmentSession = specs.values().stream().filter(SessionSpec::env).findFirst();
        if (environmentSession.isPresent()) {
            SessionSpec spec = environmentSession.get();
            AwsCliVariables variables = managers.get(spec.name()).awscliVariables();
            // Only this session's snapshot; none removes one inherited from a parent process, which would name
            // another session than the AWS_* variables do.
            variables = variables.with(BotoSesManager.SNAPSHOT_FILE_VARIABLE,
                    Optional.ofNullable(snapshots.get(spec.name())).map(Path::toString));
            try {
                toUndo.push(AwsCliEnvironment.open(variables));
            } catch (EnvironmentAccessException e) {
                throw new ExtensionConfigurationException(SessionSpecs.testName(context) + ": " + spec.label()
                        + " sets the AWS environment for the test, but " + e.getMessage()
                        + " Or set env = false on the annotation (or the configuration parameter " + WithAwsSessionParameters.ENV + "=false)"
                        + " to leave the environment alone.", e);
            }
        }
    }

    /**
     * An owner-only snapshot with a name of its own in the run's owner-only directory, so parallel tests never
     * share a path. (A directory per test cost 190 microseconds a test: bsm-bench's SessionPartsBenchmark.)
     */
    private Path writeSnapshot(Path directory, BotoSesManager manager) {
        TempSnapshot snapshot = manager.tempSnapshot(directory.resolve("session-" + UUID.randomUUID() + ".json"));
        toUndo.push(snapshot);
        return snapshot.path();
    }

    Optional<BotoSesManager> manager(String name) {
        return Optional.ofNullable(managers.get(name));
    }

    Optional<Path> snapshot(String name) {
        return Optional.ofNullable(snapshots.get(name));
    }

    @Override
    void release() {
        RuntimeException failure = null;
        while (!toUndo.isEmpty()) {
            try {
                toUndo.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Restoring after the test failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
