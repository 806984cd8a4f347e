package dev.bsm.maven;

import dev.bsm.core.BotoSesManager;
import dev.bsm.core.TempSnapshot;
import dev.bsm.testkit.BuildEmulator;
import dev.bsm.testkit.internal.SnapshotDirectories;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * What one Maven build holds in Maven's JVM: each session it resolved (one per distinct settings, so one AssumeRole
 * and one MFA prompt per build, whatever the number of modules and forks), and the snapshot files written for each
 * module, in an owner-only directory of the build's. A module's snapshots go when its {@code cleanup} goal runs; what
 * is left goes when the build ends: at the next build in the same JVM (Maven daemons) or when the JVM exits (a
 * shutdown hook, so also after a failed build, whose later phases Maven never runs, and after Ctrl-C). A JVM killed
 * outright leaves its directory, which the next build's (or bsm-junit5's) sweep removes once its lock is free.
 *
 * <p>It also holds the build's emulator, when {@code prepare} started one: one for the whole build, held from the
 * first module's {@code prepare} until the {@code cleanup} after which no module of the reactor is left to use it
 * (the reactor's last module's that runs the plugin, or a later one where modules build in parallel), or until the
 * build ends as above. Maven's JVM holds it as one of the emulator's users (see {@link BuildEmulator}): a JVM killed
 * outright lets go of it all the same, as the kernel releases its lock.
 */
final class BuildState {
    /** Credentials that expire sooner are resolved again for the next module (the tests need time to run). */
    private static final Duration MINIMUM_LEFT = Duration.ofMinutes(10);

    /**
     * The types {@link #close()} needs, loaded with this class: the shutdown hook runs after Maven closed the plugin's
     * class realm, where loading a class then fails with {@code NoClassDefFoundError} (seen for {@code TempSnapshot}
     * after a build whose {@code prepare} failed before writing one).
     */
    private static final List<Class<?>> LOADED_FOR_CLOSE = List.of(TempSnapshot.class, SnapshotDirectories.class,
            BuildEmulator.class, Runnable.class);

    private static BuildState current;
    private static boolean hookAdded;

    /** The build's request: the same object for every module of one build, a new one for the next build. */
    private final WeakReference<Object> build;
    private final Map<SessionSettings, BotoSesManager> sessions = new HashMap<>();
    private final Map<SnapshotKey, TempSnapshot> snapshots = new LinkedHashMap<>();
    private final Map<Path, Path> directories = new LinkedHashMap<>();
    private int written;
    private boolean closed;
    private BuildEmulator emulator;
    /** The modules between their {@code prepare} and their {@code cleanup}, which use {@link #emulator}. */
    private final Set<String> emulatorUsers = new HashSet<>();
    /** Whether the reactor's last module that runs the plugin ran its {@code cleanup}: no later one will ask. */
    private boolean lastModuleCleanedUp;

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

    /**
     * The build's emulator for the module: started (or attached to) on first use in the build, again if an earlier
     * module's {@code cleanup} let go of it.
     *
     * @param starter starts it when the build holds none
     */
    synchronized BuildEmulator emulator(String project, Starter starter) throws MojoExecutionException {
        if (closed) {
            throw new IllegalStateException("this build's bsm state is closed: the JVM is exiting");
        }
        if (emulator == null || emulator.isClosed()) {
            emulator = starter.start();
            lastModuleCleanedUp = false;
        }
        emulatorUsers.add(project);
        return emulator;
    }

    /**
     * The module's tests are done: lets go of the build's emulator if no module is left to use it.
     *
     * @param lastInReactor whether the module is the reactor's last, after which no {@code prepare} comes
     * @return the emulator let go of, if this call did
     */
    synchronized Optional<BuildEmulator> releaseEmulator(String project, boolean lastInReactor) {
        emulatorUsers.remove(project);
        lastModuleCleanedUp |= lastInReactor;
        if (emulator == null || emulator.isClosed() || !lastModuleCleanedUp || !emulatorUsers.isEmpty()) {
            return Optional.empty();
        }
        emulator.close();
        return Optional.of(emulator);
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

    /**
     * Lets go of the emulator, removes every snapshot and directory and closes every session; failures do not stop
     * the rest. Without lambdas: in the shutdown hook, Maven has closed the plugin's class realm, which then loads
     * no class that was not loaded before (see {@link #LOADED_FOR_CLOSE}).
     */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (emulator != null) {
            try {
                emulator.close(); // first: the one step whose failure would leave a process running
            } catch (RuntimeException | LinkageError e) {
                // Maven's JVM lets go of it anyway when it exits: the kernel releases its lock.
            }
        }
        for (TempSnapshot snapshot : snapshots.values()) {
            bestEffort(snapshot::close);
        }
        for (Path directory : directories.values()) {
            bestEffort(() -> SnapshotDirectories.delete(directory));
        }
        for (BotoSesManager session : sessions.values()) {
            bestEffort(session::close);
        }
        snapshots.clear();
        directories.clear();
        sessions.clear();
    }

    private static void bestEffort(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | LinkageError e) {
            // Best effort at the end: what is left is swept by the next build once this JVM is gone.
        }
    }

    /** Resolves a session. */
    interface Resolver {
        BotoSesManager resolve(SessionSettings settings) throws MojoExecutionException;
    }

    /** Starts the build's emulator. */
    interface Starter {
        BuildEmulator start() throws MojoExecutionException;
    }
}
