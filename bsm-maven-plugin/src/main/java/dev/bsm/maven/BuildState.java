package dev.bsm.maven;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.TempSnapshot;
import dev.bsm.testkit.internal.SnapshotDirectories;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * What one Maven build holds in Maven's JVM: each session it resolved (one per distinct settings, so one AssumeRole
 * and one MFA prompt per build, whatever the number of modules and forks), and the snapshot files written for each
 * module, in an owner-only directory of the build's. A module's snapshots go when its {@code cleanup} goal runs; what
 * is left goes when the build ends: at the next build in the same JVM (Maven daemons) or when the JVM exits (a
 * shutdown hook, so also after a failed build, whose later phases Maven never runs, and after Ctrl-C). A JVM killed
 * outright leaves its directory, which the next build's (or bsm-junit5's) sweep removes once its lock is free.
 */
final class BuildState {
    /** Credentials that expire sooner are resolved again for the next module (the tests need time to run). */
    private static final Duration MINIMUM_LEFT = Duration.ofMinutes(10);

    private static BuildState current;
    private static boolean hookAdded;

    /** The build's request: the same object for every module of one build, a new one for the next build. */
    private final WeakReference<Object> build;
    private final Map<SessionSettings, BotoSesManager> sessions = new HashMap<>();
    private final Map<SnapshotKey, TempSnapshot> snapshots = new LinkedHashMap<>();
    private final Map<Path, Path> directories = new LinkedHashMap<>();
    private int written;
    private boolean closed;

    private record SnapshotKey(String project, SessionSettings settings) {
    }

    /** A file written for a module, the session it holds, and whether that session was resolved for it. */
    record Written(Path file, BotoSesManager session, boolean resolvedNow) {
    }

    private BuildState(Object build) {
        this.build = new WeakReference<>(build);
    }

    /** {@return this build's state; the state of an earlier build in this JVM is closed first} */
    static synchronized BuildState of(MavenSession session) {
        Object request = session.getRequest();
        if (current == null || current.build.get() != request) {
            if (current != null) {
                current.close();
            }
            current = new BuildState(request);
            if (!hookAdded) {
                Runtime.getRuntime().addShutdownHook(new Thread(BuildState::closeCurrent, "bsm-maven-plugin cleanup"));
                hookAdded = true;
            }
        }
        return current;
    }

    private static synchronized void closeCurrent() {
        if (current != null) {
            current.close();
        }
    }

    /**
     * The module's snapshot of the session: written on first use, the session resolved on first use in the build
     * (again only when its credentials are about to expire).
     *
     * @param resolver resolves the session when the build has none for these settings yet
     */
    synchronized Written snapshot(String project, SessionSettings settings, Path tempDirectory, Resolver resolver)
            throws MojoExecutionException {
        if (closed) {
            throw new IllegalStateException("this build's bsm state is closed: the JVM is exiting");
        }
        SnapshotKey key = new SnapshotKey(project, settings);
        TempSnapshot existing = snapshots.get(key);
        if (existing != null) {
            return new Written(existing.path(), sessions.get(settings), false);
        }
        BotoSesManager session = sessions.get(settings);
        boolean resolvedNow = false;
        if (session != null && session.isExpired(MINIMUM_LEFT)) {
            sessions.remove(settings).close();
            session = null;
        }
        if (session == null) {
            session = resolver.resolve(settings);
            sessions.put(settings, session);
            resolvedNow = true;
        }
        Path directory = directories.get(tempDirectory);
        if (directory == null) {
            // Nothing is made before the session resolved: a bad configuration leaves nothing behind.
            SnapshotDirectories.sweepOrphans(tempDirectory);
            directory = SnapshotDirectories.create(tempDirectory);
            directories.put(tempDirectory, directory);
        }
        TempSnapshot snapshot = session.tempSnapshot(directory.resolve("session-" + ++written + ".json"));
        snapshots.put(key, snapshot);
        return new Written(snapshot.path(), session, resolvedNow);
    }

    /** {@return the module's snapshot files, now removed} */
    synchronized List<Path> release(String project) {
        List<Path> removed = new ArrayList<>();
        for (Iterator<Map.Entry<SnapshotKey, TempSnapshot>> i = snapshots.entrySet().iterator(); i.hasNext();) {
            Map.Entry<SnapshotKey, TempSnapshot> entry = i.next();
            if (entry.getKey().project().equals(project)) {
                i.remove();
                entry.getValue().close();
                removed.add(entry.getValue().path());
            }
        }
        return removed;
    }

    /** Removes every snapshot and directory and closes every session; failures do not stop the rest. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Runnable> steps = new ArrayList<>();
        snapshots.values().forEach(snapshot -> steps.add(snapshot::close));
        directories.values().forEach(directory -> steps.add(() -> SnapshotDirectories.delete(directory)));
        sessions.values().forEach(session -> steps.add(session::close));
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                // Best effort at the end: what is left is swept by the next build once this JVM is gone.
            }
        }
        snapshots.clear();
        directories.clear();
        sessions.clear();
    }

    /** Resolves a session; a seam for the build's emulator, which the prepare goal will start next. */
    interface Resolver {
        BotoSesManager resolve(SessionSettings settings) throws MojoExecutionException;
    }
}
